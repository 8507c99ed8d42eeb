#!/usr/bin/env bash
# Adds .deb files to the fleet's internal apt repository and signs it again: a flat
# repository (one directory: pool/, Packages, Release, InRelease), served by any web server.
#
#   GPG_KEY=<fingerprint> scripts/apt-repo.sh /srv/apt/gov-kiosk dist/gov-kiosk_0.1.1_amd64.deb
#
# GPG_KEY names the operator's signing key in their keyring (GNUPGHOME is honoured); its
# secret half never goes near a terminal. The public half is written next to the index as
# gov-kiosk-archive-keyring.gpg, for /usr/share/keyrings/ on each terminal
# (deploy/apt/gov-kiosk.sources names it). The Release file's Origin and Label are what
# deploy/apt/52gov-kiosk-unattended-upgrades lets unattended-upgrades install from.
# Recipe and fleet set-up: docs/deployment.md ("A fleet: the internal apt repository").
set -euo pipefail

ORIGIN=GovKiosk
LABEL=gov-kiosk
SUITE=stable
CODENAME=bookworm-kiosk

log() { printf 'apt-repo: %s\n' "$*" >&2; }

if [ $# -lt 1 ] || [ -z "${GPG_KEY:-}" ]; then
  log "usage: GPG_KEY=<key> $0 REPO_DIR [PACKAGE.deb...]"; exit 2
fi
repo=$1; shift

for tool in apt-ftparchive:apt-utils gpg:gnupg; do
  if ! command -v "${tool%%:*}" >/dev/null 2>&1; then
    log "${tool%%:*} is missing: apt-get install ${tool#*:}"; exit 1
  fi
done
gpg --batch --list-secret-keys "$GPG_KEY" >/dev/null 2>&1 ||
  { log "no secret key '$GPG_KEY' in ${GNUPGHOME:-~/.gnupg}"; exit 1; }

mkdir -p "$repo/pool"
for deb in "$@"; do
  dpkg-deb --info "$deb" >/dev/null || { log "$deb is not a Debian package"; exit 1; }
  cp -f -- "$deb" "$repo/pool/"
  log "added $(basename "$deb")"
done

cd "$repo"
# Every version stays in pool/ (a terminal can be sent back to one by hand, `apt-get
# install gov-kiosk=VERSION`, though the app refuses a data dir a newer one used); remove
# old files from pool/ and run this again to drop them from the index.
apt-ftparchive packages pool > Packages
gzip -9 -n -k -f Packages
# written aside (a name apt-ftparchive does not index), then renamed
apt-ftparchive \
  -o APT::FTPArchive::Release::Origin="$ORIGIN" \
  -o APT::FTPArchive::Release::Label="$LABEL" \
  -o APT::FTPArchive::Release::Suite="$SUITE" \
  -o APT::FTPArchive::Release::Codename="$CODENAME" \
  -o APT::FTPArchive::Release::Description="Government self-service terminal releases" \
  release . > .Release.tmp
mv -f .Release.tmp Release
rm -f InRelease Release.gpg
gpg --batch --yes --local-user "$GPG_KEY" --digest-algo SHA512 --clearsign -o InRelease Release
gpg --batch --yes --local-user "$GPG_KEY" --digest-algo SHA512 --armor --detach-sign \
  -o Release.gpg Release
gpg --batch --yes --export "$GPG_KEY" > gov-kiosk-archive-keyring.gpg
log "$(grep -c '^Package:' Packages) package file(s) indexed and signed in $repo"
