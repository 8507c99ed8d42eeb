#!/bin/sh
# Started by cage (deploy/cage-session.sh) as its one client: screen blanking off, then
# the app in the mode of $KIOSK_MODE (citizen, agent or technician).
set -eu

# Xwayland's screen saver and DPMS: never blank in service hours (the app dims itself).
if command -v xset >/dev/null 2>&1; then
    xset s off s noblank -dpms 2>/dev/null || true
fi

# systemd set WATCHDOG_PID to cage (the main PID); the app is cage's child and is the one
# that must ping, from its GUI thread. NotifyAccess=all lets its messages in.
unset WATCHDOG_PID

exec "${KIOSK_BIN:-kiosk}" run --mode "${KIOSK_MODE:-citizen}"
