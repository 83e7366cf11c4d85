#!/usr/bin/env bash
# Builds a Hugging Face transformers reference environment from Debian packages and source
# snapshots, for tools/make_hf_reference.py on a machine without PyPI (see tools/README.md).
#
#   tools/setup-hf-reference.sh DEST TRANSFORMERS_SRC HUB_SRC
#
# DEST             the environment folder to create, outside the repository
# TRANSFORMERS_SRC a transformers source tree (the folder holding src/transformers): tag v4.44.2 for
#                  every fixture but qwen3, tag v4.51.3 for qwen3 (Qwen3 arrived in 4.51)
# HUB_SRC          a huggingface_hub source tree the transformers accepts: v0.24.6 with 4.44.2,
#                  v0.30.2 with 4.51.3
#
# The two environments this machine has:
#   tools/setup-hf-reference.sh /work/hfref                    .../transformers-4.44.2 .../huggingface_hub-0.24.6
#   tools/setup-hf-reference.sh /work/hfref/transformers-qwen3 .../transformers-4.51.3 .../huggingface_hub-0.30.2
#
# It cannot fetch the sources itself: on the machine it was written for only apt, NuGet and npm
# are reachable. Any copy of the tags serves (git archive of a clone, a release tarball).
# torch comes from Debian 12 (python3-torch 1.13.1). The two Rust-backed packages transformers
# imports are replaced by the stand-ins in tools/hfref/: a pure-Python safetensors and an
# import-only tokenizers stub. transformers 4.46 and later ask for torch >= 2.0: for them the
# stand-ins of tools/hfref/torch2-shims go first on PYTHONPATH (what each does: its docstring).
# With PEFT_SRC and ACCELERATE_SRC set (source trees holding src/peft and src/accelerate: tags v0.12.0
# and v0.33.0, both pure Python), PEFT joins the environment, for tools/make_peft_reference.py:
#   PEFT_SRC=.../peft-0.12.0 ACCELERATE_SRC=.../accelerate-0.33.0 tools/setup-hf-reference.sh /work/hfref ...
# Writes DEST/bin/python, a python3 with the environment set.
# Idempotent: rerunning replaces DEST/site, DEST/shims and DEST/bin.
set -euo pipefail
if [ $# -ne 3 ]; then
  sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
dest=$(realpath -m "$1")
transformers_src=$(realpath "$2")
hub_src=$(realpath "$3")
here=$(dirname "$(realpath "$0")")

for source in "$transformers_src/src/transformers" "$hub_src/src/huggingface_hub"; do
  [ -d "$source" ] || { echo "error: $source not found" >&2; exit 1; }
done
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$transformers_src/src/transformers/__init__.py")
case "$version" in
  4.44.2|4.51.3) ;;
  *) echo "warning: $transformers_src is transformers $version; the fixtures were made with 4.44.2 and 4.51.3 (qwen3)" >&2 ;;
esac
minor=$(echo "$version" | cut -d. -f2)

packages=(python3-torch python3-numpy python3-regex python3-yaml python3-tqdm python3-filelock
          python3-packaging python3-requests python3-typing-extensions)
# PEFT imports huggingface_hub's file system (fsspec) and accelerate, which asks for psutil.
if [ -n "${PEFT_SRC:-}" ]; then packages+=(python3-fsspec python3-psutil); fi
need=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || need+=("$package")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
fi

site="$dest/site"
rm -rf "$site" "$dest/shims" "$dest/bin"
mkdir -p "$site" "$dest/bin"
cp -r "$transformers_src/src/transformers" "$hub_src/src/huggingface_hub" "$site/"
cp -r "$here/hfref/safetensors" "$here/hfref/tokenizers" "$site/"
find "$site" -name __pycache__ -prune -exec rm -rf {} +

# transformers checks these packages' versions at import time through their metadata; the local
# version labels say what the stand-ins are.
metadata() {  # name version
  mkdir -p "$site/$1-$2.dist-info"
  printf 'Metadata-Version: 2.1\nName: %s\nVersion: %s\n' "$1" "$2" > "$site/$1-$2.dist-info/METADATA"
}
metadata transformers "$version"
metadata huggingface_hub "$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$site/huggingface_hub/__init__.py")"
metadata safetensors "$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$site/safetensors/__init__.py")"
if [ -n "${PEFT_SRC:-}" ]; then
  for source in "$PEFT_SRC/src/peft" "${ACCELERATE_SRC:?set ACCELERATE_SRC beside PEFT_SRC}/src/accelerate"; do
    [ -d "$source" ] || { echo "error: $source not found" >&2; exit 1; }
    cp -r "$source" "$site/"
  done
  find "$site" -name __pycache__ -prune -exec rm -rf {} +
  metadata peft "$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$site/peft/__init__.py")"
  metadata accelerate "$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$site/accelerate/__init__.py")"
fi
pythonpath="$site"
if [ "$minor" -ge 46 ]; then
  # transformers 4.51 requires tokenizers >=0.21,<0.22 at import; the stub has no version of its own
  # to honour (every use raises), so its metadata says the range it stands in for.
  metadata tokenizers 0.21.0+importonly
  mkdir -p "$dest/shims"
  cp "$here/hfref/torch2-shims/sitecustomize.py" "$dest/shims/"
  pythonpath="$dest/shims:$site"
else
  metadata tokenizers "$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$site/tokenizers/__init__.py")"
fi

cat > "$dest/bin/python" <<EOF
#!/bin/sh
# python3 with the Hugging Face reference environment of $dest (made by tools/setup-hf-reference.sh)
export PYTHONPATH="$pythonpath\${PYTHONPATH:+:\$PYTHONPATH}"
export TRANSFORMERS_OFFLINE=1 HF_HUB_OFFLINE=1 USE_TF=0 USE_FLAX=0 TOKENIZERS_PARALLELISM=false
exec /usr/bin/python3 "\$@"
EOF
chmod +x "$dest/bin/python"
"$dest/bin/python" -c 'import torch, transformers; from transformers import LlamaForCausalLM; print(f"torch {torch.__version__}, transformers {transformers.__version__}: ready")'
