#!/usr/bin/env bash
# Quick start, command 2: set everything up (only what is missing), then run the whole suite
# headless. Extra arguments go to pytest (e.g. scripts/test.sh -k outbox -x).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/bootstrap.sh"
cd "$here"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
# The suite starts its own Xvfb, pcscd and CUPS where a test needs them.
set +e
.venv/bin/python -m pytest "$@"
code=$?
set -e
if [ "$code" = 5 ]; then
  echo "test: pytest collected no tests; that is a failure here" >&2
  exit 1
fi
exit "$code"
