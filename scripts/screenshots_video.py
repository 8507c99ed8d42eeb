"""Regenerate video help's screenshots in docs/screenshots/ (video-help-*.png and
clerk-console-call.png): the kiosk waiting and in a call (normal and elder, zh and en), and
the clerk's console in a call, as headless Chromium draws it.

    .venv/bin/python scripts/screenshots_video.py [--out docs/screenshots]

Runs the end-to-end scenario (tests/kiosk/ui/video_help_inside.py) in a new network
namespace (root, or a user allowed to unshare), with a DRAWN face as the kiosk's camera:
never a photograph of a person. Chromium's fake camera is the clerk.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
INSIDE = REPO / "tests" / "kiosk" / "ui" / "video_help_inside.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    env = dict(os.environ, KIOSK_NETNS="1", KIOSK_SCREENSHOTS=str(args.out.resolve()),
               QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    inner = (f"ip link set lo up && ip addr add 127.0.0.2/32 dev lo && exec "
             f"{sys.executable} -m pytest -q -p no:cacheprovider -o addopts='' "
             f"--timeout=300 -k call_from_the_kiosk {INSIDE}")
    done = subprocess.run(["unshare", "--net", "sh", "-c", inner], cwd=REPO, env=env)
    if done.returncode == 0:
        print(f"screenshots: {sorted(p.name for p in args.out.glob('*video-help*'))} and "
              "clerk-console-call.png")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
