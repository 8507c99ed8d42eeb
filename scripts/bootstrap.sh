#!/usr/bin/env bash
# Sets up everything the terminal, its demo and its tests need on Debian 12 / Ubuntu:
# the Debian packages (only those missing) and the Python environment in .venv/.
# Idempotent: on a machine that is already set up it only checks and returns in seconds.
#
#   scripts/bootstrap.sh            # system packages (needs root or sudo) + .venv
#   SKIP_APT=1 scripts/bootstrap.sh # only .venv, when the packages are already there
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

# Why each package is needed: docs/deployment.md and ../shared/reference/debian-setup.md.
APT_PACKAGES=(
  # Qt under the offscreen platform
  libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3
  # a real X window, Xvfb for tests and screenshots
  xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-render-util0 libxcb-shape0 libxkbcommon-x11-0 libxcb-randr0 libxcb-xinerama0
  # Qt Virtual Keyboard's QML components and Qt Multimedia
  libpulse0
  # Chinese glyphs
  fonts-noto-cjk
  # spoken prompts in elder mode
  speech-dispatcher espeak-ng
  # PC/SC: the daemon, the virtual reader for tests, headers + compiler for pyscard
  pcscd vsmartcard-vpcd libpcsclite-dev gcc
  # A4 printing through CUPS, and a PDF queue for tests
  cups cups-client printer-driver-cups-pdf
  # the Python environment
  python3 python3-venv python3-dev
  # the system's trust store, which verifies the platform's certificate (unless
  # platform.ca_bundle names another; offline_queue/tls.py)
  ca-certificates
  # tests: pseudo-terminals and network namespaces
  iproute2 util-linux poppler-utils
  # tests: the Debian package's maintainer scripts and scripts/*.sh are checked with it;
  # the fleet's apt repository is built (apt-ftparchive) and signed (gpg) as operators do
  shellcheck apt-utils gnupg
  # tests: the clerk's console of video help in a real headless browser
  # (tests/kiosk/ui/test_video_help.py; Selenium drives it through chromedriver)
  chromium chromium-driver
  # tests: the accessibility bus (AT-SPI) that screen readers use, and Debian's pyatspi
  # (not on PyPI) that reads the citizen window through it (tests/kiosk/ui/test_atspi.py)
  dbus at-spi2-core python3-pyatspi
)

log() { printf 'bootstrap: %s\n' "$*" >&2; }

missing_packages() {
  local pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
  done
}

install_system_packages() {
  if [ "${SKIP_APT:-0}" = 1 ]; then return; fi
  if ! command -v dpkg-query >/dev/null 2>&1; then
    log "not a Debian/Ubuntu system: install the packages listed in scripts/bootstrap.sh yourself, then run with SKIP_APT=1"
    return
  fi
  local missing
  missing=$(missing_packages | tr '\n' ' ')
  [ -z "${missing// }" ] && return
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      log "missing Debian packages: $missing"
      log "run this script as root (or install sudo), or install them yourself and set SKIP_APT=1"
      exit 1
    fi
  fi
  log "installing Debian packages: $missing"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

pick_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"; return
    fi
  done
  log "no Python 3.11 or newer with the venv module found"; exit 1
}

install_venv() {
  # The stamp holds a hash of what decides the environment's contents; when it matches,
  # nothing is reinstalled and start-up stays within seconds.
  local stamp=.venv/.bootstrap-stamp want
  want=$(cat pyproject.toml scripts/bootstrap.sh | sha256sum | cut -c1-16)
  if [ -x .venv/bin/python ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return; fi
  if [ ! -x .venv/bin/python ]; then
    local py; py=$(pick_python)
    log "creating .venv with $py"
    "$py" -m venv .venv
  fi
  log "installing the project and its development tools into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  echo "$want" > "$stamp"
}

install_system_packages
install_venv
log "ready"
