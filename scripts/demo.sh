#!/usr/bin/env bash
# Quick start, command 1: set everything up (only what is missing), then start the demo:
# the sandbox platform and emulated devices on loopback, wired to the kiosk application.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/bootstrap.sh"
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "demo: no display found (DISPLAY and WAYLAND_DISPLAY are empty)." >&2
  echo "demo: run this from a desktop session, or over 'ssh -X', or set QT_QPA_PLATFORM=offscreen." >&2
  exit 1
fi
exec "$here/.venv/bin/kiosk" run --demo --data-dir "${KIOSK_DEMO_DATA_DIR:-$here/.data/demo}" "$@"
