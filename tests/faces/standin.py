"""A stand-in for the reader vendor's WLT decoder library, compiled from C by the tests.

It exports the two ABIs of ../shared/specs/id-cards.md §4 (and some broken variants) over
a test format, so the terminal's real ``ctypes`` path is exercised without the vendor's
licensed binary.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from faces.card_photo import WLT_SIZE

# The test format: "TWLT", then a base colour (r, g, b); the picture's pixel at (x, y), top
# row first, is (r + x, g + y, b) mod 256. Written out as the vendors do: a BMP (bottom row
# first, blue-green-red, rows padded to 308 bytes) or its rows alone.
_STAND_IN = r"""
#include <signal.h>
#include <stdio.h>
#include <string.h>
#define W 102
#define H 126
#define ROW (W * 3)
#define BMP_ROW 308
#define BMP_SIZE (54 + BMP_ROW * H)

static int bad(const unsigned char *w) { return memcmp(w, "TWLT", 4) != 0; }
static void put32(unsigned char *p, unsigned v) { p[0]=v; p[1]=v>>8; p[2]=v>>16; p[3]=v>>24; }
static void put16(unsigned char *p, unsigned v) { p[0]=v; p[1]=v>>8; }

static void rows(const unsigned char *w, unsigned char *out, int stride) {
    for (int r = 0; r < H; r++) {           /* r: the row in the file, bottom row first */
        int y = H - 1 - r;
        for (int x = 0; x < W; x++) {
            unsigned char *p = out + r * stride + x * 3;
            p[0] = w[6]; p[1] = (unsigned char)(w[5] + y); p[2] = (unsigned char)(w[4] + x);
        }
    }
}

static void bmp(const unsigned char *w, unsigned char *out, int width) {
    memset(out, 0, BMP_SIZE);
    out[0] = 'B'; out[1] = 'M'; put32(out + 2, BMP_SIZE); put32(out + 10, 54);
    put32(out + 14, 40); put32(out + 18, width); put32(out + 22, H); put16(out + 26, 1);
    put16(out + 28, 24); put32(out + 34, BMP_ROW * H);
    rows(w, out + 54, BMP_ROW);
}

int unpack(const char *wlt, unsigned char *out, int save_bmp) {
    const unsigned char *w = (const unsigned char *)wlt;
    if (bad(w)) return -2;
    bmp(w, out, W);
    if (save_bmp) { FILE *f = fopen("zp.bmp", "wb"); fwrite(out, 1, BMP_SIZE, f); fclose(f); }
    return 1;
}

int unpack_licensed(const char *wlt, unsigned char *out, int save_bmp) { return -5; }

/* A closed library with a bug: it takes down the process that calls it. */
int unpack_crash(const char *wlt, unsigned char *out, int save_bmp) {
    raise(SIGSEGV);
    return 1;
}

int unpack_wrong_width(const char *wlt, unsigned char *out, int save_bmp) {
    bmp((const unsigned char *)wlt, out, 100);
    return 1;
}

int wlt2bmpBuffer(const unsigned char *wlt, unsigned char *out, int out_len) {
    if (out_len < ROW * H) return -3;
    if (bad(wlt)) return -2;
    rows(wlt, out, ROW);
    return ROW * H;
}

int wlt2bmpBuffer_bmp(const unsigned char *wlt, unsigned char *out, int out_len) {
    if (out_len < BMP_SIZE) return -3;
    if (bad(wlt)) return -2;
    bmp(wlt, out, W);
    return BMP_SIZE;
}

int wlt2bmpBuffer_short(const unsigned char *wlt, unsigned char *out, int out_len) {
    return 1000;
}
"""


def build(folder: Path) -> Path:
    """Compile the stand-in library into ``folder``; skips the test without gcc."""
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc is needed to build the stand-in decoder (scripts/bootstrap.sh "
                    "installs it)")
    (folder / "standin.c").write_text(_STAND_IN)
    library = folder / "libwlt2bmp.so"
    subprocess.run([gcc, "-shared", "-fPIC", "-O1", "-o", str(library),
                    str(folder / "standin.c")], check=True, timeout=60)
    return library


def wlt(r: int, g: int, b: int) -> bytes:
    """A photo in the test format whose top-left pixel is (r, g, b)."""
    return (b"TWLT" + bytes([r, g, b])).ljust(WLT_SIZE, b"\x5a")
