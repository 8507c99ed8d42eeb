#!/usr/bin/env bash
# Builds the Debian package of the terminal: dist/gov-kiosk_<version>_<arch>.deb.
#
#   scripts/build-deb.sh                       # the version in kiosk/__init__.py
#   KIOSK_VERSION=0.1.1 scripts/build-deb.sh   # another version (a release, or a test's N+1)
#   KIOSK_DEB_OUT=/some/dir scripts/build-deb.sh
#
# dh-virtualenv (Debian's own tool) puts the project and its Python dependencies in a venv
# at /opt/venvs/gov-kiosk inside the package; debian/ says what else goes in (the unit,
# the cage session, /usr/bin/kiosk, the service user). The build runs in a copy of the
# tree, so nothing is written into the checkout but the .deb. Installs its own build
# dependencies with apt-get when they are missing (needs root or sudo). PyPI (or the
# index pip is configured with) must be reachable: the venv's packages come from there.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
log() { printf 'build-deb: %s\n' "$*" >&2; }

BUILD_DEPS=(dh-virtualenv debhelper dpkg-dev python3 python3-venv python3-dev
            libpcsclite-dev gcc)

install_build_deps() {
  local pkg missing=()
  for pkg in "${BUILD_DEPS[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { log "missing: ${missing[*]} (run as root)"; exit 1; }
    sudo=sudo
  fi
  log "installing build dependencies: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The version: dotted numbers only, so that Python's, Debian's and the app's own
# comparison (kiosk.installed_version) agree on which build is newer.
version=${KIOSK_VERSION:-$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' kiosk/__init__.py)}
if ! [[ "$version" =~ ^[0-9]+(\.[0-9]+)*$ ]]; then
  log "version '$version' is not dotted numbers (like 0.1.2)"; exit 1
fi
out=${KIOSK_DEB_OUT:-$here/dist}

install_build_deps
work=$(mktemp -d /tmp/gov-kiosk-build.XXXXXX)
trap 'rm -rf "$work"' EXIT
src="$work/gov-kiosk-$version"
mkdir -p "$src" "$out"

# The tree as a clean clone would have it plus uncommitted work: tracked and new files
# that .gitignore does not exclude (no .venv, caches, build output).
if [ -d .git ] && command -v git >/dev/null 2>&1; then
  # a release is a commit: say so when the package would hold work not committed yet
  if [ -n "$(git status --porcelain --untracked-files=normal 2>/dev/null)" ]; then
    log "warning: the tree has uncommitted changes, and they go into this package"
  fi
  git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
    tar --null -T - -cf - | tar -xf - -C "$src"
else
  tar --exclude=.venv --exclude=dist --exclude=build --exclude='*.egg-info' \
      --exclude=__pycache__ --exclude='.*_cache' -cf - . | tar -xf - -C "$src"
fi

# The version, written where Python (pyproject reads kiosk.__version__) and Debian
# (debian/changelog) take it from.
sed -i "s/^__version__ = .*/__version__ = \"$version\"/" "$src/kiosk/__init__.py"
maintainer=$(sed -n 's/^Maintainer: //p' debian/control)
cat > "$src/debian/changelog" <<EOF
gov-kiosk ($version) bookworm; urgency=medium

  * Release $version of the terminal (scripts/build-deb.sh).

 -- $maintainer  $(date -R)
EOF

log "building gov-kiosk $version in $work"
started=$(date +%s)
(cd "$src" && dpkg-buildpackage -b -us -uc >"$work/build.log" 2>&1) || {
  tail -n 60 "$work/build.log" >&2; log "build failed (log above)"; exit 1; }
deb=$(find "$work" -maxdepth 1 -name "gov-kiosk_${version}_*.deb" | head -n 1)
[ -n "$deb" ] || { log "no .deb was produced"; exit 1; }
mv -f "$deb" "$out/"
log "built $out/$(basename "$deb") ($(du -h "$out/$(basename "$deb")" | cut -f1)) in $(( $(date +%s) - started )) s"
echo "$out/$(basename "$deb")"
