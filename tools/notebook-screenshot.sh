#!/usr/bin/env bash
# Renders an executed notebook to HTML with nbconvert and screenshots the page in headless Chromium
# with every network request refused, to show that its charts draw offline (plotly.js is embedded
# in the notebook; nothing comes from a CDN).
#
#   tools/notebook-screenshot.sh [--no-scripts] EXECUTED.ipynb OUT.png [HEIGHT]
#
# HEIGHT is the page height captured, in pixels (default 6000; the width is 1280). The HTML is kept
# beside OUT.png. --no-scripts removes every script from the page, as code-hosting previews and
# untrusted notebooks do: the page then shows each chart's static SVG rendition. Needs Debian's jupyter-nbconvert and chromium (tools/install-prerequisites.sh
# installs both).
set -euo pipefail
strip=
if [ "${1:-}" = "--no-scripts" ]; then
  strip=1
  shift
fi
if [ $# -lt 2 ]; then
  sed -n '2,12p' "$0" >&2
  exit 2
fi
notebook=$1
png=$(realpath -m "$2")
height=${3:-6000}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "no chromium on PATH: apt-get install chromium" >&2; exit 1; }

html="${png%.png}.html"
mkdir -p "$(dirname "$png")"
# Debian's jupyter, not a pyenv/venv one without the packages.
jupyter=/usr/bin/jupyter
[ -x "$jupyter" ] || jupyter=jupyter
"$jupyter" nbconvert --to html --output "$(basename "$html" .html)" --output-dir "$(dirname "$html")" "$notebook" >/dev/null 2>&1 \
  || { echo "nbconvert could not render $notebook" >&2; exit 1; }
if [ -n "$strip" ]; then
  /usr/bin/python3 -c 'import re, sys; p = sys.argv[1]; t = open(p).read(); open(p, "w").write(re.sub(r"<script\b.*?</script>", "", t, flags=re.S | re.I))' "$html"
fi

# MAP * ~NOTFOUND: every host name fails to resolve, so the page gets nothing from the network.
# The virtual time budget lets the page's scripts (plotly.js drawing each chart) finish first.
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking --hide-scrollbars \
  --host-resolver-rules="MAP * ~NOTFOUND" --virtual-time-budget=20000 \
  --window-size="1280,$height" --screenshot="$png" "file://$(realpath "$html")" >/dev/null 2>&1
[ -s "$png" ] || { echo "chromium wrote no screenshot" >&2; exit 1; }
echo "$png (page: $html)"
