#!/usr/bin/env bash
# Long fuzz run of every file reader (safetensors, config.json, tokenizer files, preference data,
# experiment specs) with fresh random inputs. The suite runs a short fixed-seed pass; this runs
# each target for SECONDS (default 120) and keeps every crashing input in the regression corpus
# (tests/GenRM.Tests/Fuzzing/Corpus/<target>/), which CorpusReplayTests replay from then on.
#   tools/fuzz.sh [SECONDS] [TARGET-FILTER]      e.g. tools/fuzz.sh 600 Safetensors
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-120}"
filter="FullyQualifiedName~GenRM.Tests.Fuzzing.FuzzTests${2:+&FullyQualifiedName~$2}"
report="$(mktemp)"
dotnet build tests/GenRM.Tests -c Release 2>&1 | grep -E " error |Warn|Elapsed" || true
status=0
GENRM_FUZZ_SECONDS="$seconds" GENRM_FUZZ_REPORT="$report" GENRM_FUZZ_CORPUS="$PWD/tests/GenRM.Tests/Fuzzing/Corpus" \
  dotnet test tests/GenRM.Tests -c Release --no-build --filter "$filter" --logger "console;verbosity=normal" || status=$?
echo "== inputs per target ($seconds s each) =="
cat "$report"
rm -f "$report"
git status --short tests/GenRM.Tests/Fuzzing/Corpus
exit "$status"
