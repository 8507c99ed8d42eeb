#!/bin/sh
# The kiosk session: cage (a Wayland kiosk compositor: one full-screen client, no VT
# switching without -s) running the Qt app as an X client through Xwayland.
#
# Why xcb and not native Wayland: Qt's virtual keyboard refuses to run client-side on
# Wayland, and the desktop pop-up keyboard loses focus under cage; the keyboard embedded
# in the app window works under cage + xcb (shared/reference/kiosk.md, sections 2.1, 3.2).
set -eu

here=$(dirname "$(readlink -f "$0")")

export QT_QPA_PLATFORM=xcb
export QT_IM_MODULE=qtvirtualkeyboard
export QT_VIRTUALKEYBOARD_DESKTOP_DISABLE=1
# no X or Wayland decorations, even if a dialog slipped through
export QT_WAYLAND_DISABLE_WINDOWDECORATION=1
# no cursor for a touch screen (cage hides it once there is no pointer motion)
export WLR_NO_HARDWARE_CURSORS=1

# The text console must not blank either (before cage takes the VT, and after it).
if command -v setterm >/dev/null 2>&1 && [ -t 0 ]; then
    setterm --blank 0 --powerdown 0 --powersave off >/dev/tty 2>/dev/null || true
fi

# -d: no client-side decorations. Without -s VT switching stays off.
exec "${CAGE:-cage}" -d -- "$here/kiosk-client.sh"
