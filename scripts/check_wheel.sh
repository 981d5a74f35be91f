#!/usr/bin/env bash
# Build the wheel and install it into a fresh venv the way a user does (no Node.js involved):
# the labextension must be prebuilt inside it and the server extension enabled on install.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python=${PYTHON:-python3}

# A venv of its own: the check needs nothing from .venv, so `make test` runs it beside the installs.
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q -U pip
# From the committed tree, as a release would be built (no node_modules, no earlier build).
mkdir -p "$work/src-tree"
git -C "$root" archive HEAD | tar -x -C "$work/src-tree"
"$work/venv/bin/python" -m pip wheel "$work/src-tree" --no-deps -q -w "$work/dist"
wheel=$(ls "$work"/dist/mlworkbench-*.whl)
# (grep -q on a pipe would end unzip early with SIGPIPE, a failure under pipefail: use a file.)
unzip -l "$wheel" > "$work/listing.txt"
grep -q "share/jupyter/labextensions/mlworkbench/static/remoteEntry" "$work/listing.txt" || {
  echo "the wheel has no prebuilt labextension"; exit 1; }
grep -q "mlworkbench/widgets/labeler.js" "$work/listing.txt" || {
  echo "the wheel has no notebook labeler widget module (mlworkbench/widgets/labeler.js)"; exit 1; }

"$work/venv/bin/python" -m pip install -q "$wheel" "jupyterlab>=4.4,<5"
# No node on PATH: using the extension must not need it.
labext=$(env PATH="$work/venv/bin:/bin" "$work/venv/bin/jupyter" labextension list 2>&1)
echo "$labext" | grep -E "mlworkbench v[0-9.]+ .*enabled.*OK" >/dev/null || {
  echo "$labext"; echo "the installed wheel does not provide an enabled labextension"; exit 1; }
# mlwb.label's widget renders through anywidget's labextension, a dependency of the wheel.
echo "$labext" | grep -E "anywidget v[0-9.]+ .*enabled.*OK" >/dev/null || {
  echo "$labext"; echo "anywidget's labextension is missing: mlwb.label cannot render"; exit 1; }
serverext=$(env PATH="$work/venv/bin:/bin" "$work/venv/bin/jupyter" server extension list 2>&1)
echo "$serverext" | grep -E "mlworkbench .*enabled" >/dev/null || {
  echo "$serverext"; echo "the installed wheel does not enable the server extension"; exit 1; }
echo "wheel OK: prebuilt labextension and server extension enabled, no Node.js needed"
