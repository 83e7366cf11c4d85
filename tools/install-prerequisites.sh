#!/usr/bin/env bash
# Installs the machine-level things the build and tests need on Debian/Ubuntu.
# Idempotent; does nothing where everything is present. The TorchSharp libstdc++ fix is not here:
# the build applies it (build/TorchSharpLibstdcxxFix.targets).
set -euo pipefail
need=()
# (packages are added here as features need them)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
