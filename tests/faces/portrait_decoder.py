"""A stand-in for the reader vendor's WLT decoder whose "decoded" photo is a face: the
102 × 126 card-photo crop of a public-domain sample portrait, compiled into the library.

The face tests' stand-in (:mod:`tests.faces.standin`) decodes a colour gradient; a journey
that compares a live face with the card's photo needs a photo with a face in it. The C
source (with the crop as a byte array) and the library live in the test's temporary folder
only; the library answers any 1024-byte input with that photo, in the ``unpack`` ABI.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from faces.frame import Frame
from tests.faces import imagery


def card_bmp(portrait: Frame, face_box: tuple[int, int, int, int]) -> bytes:
    """The portrait's card-photo crop as the 38 862-byte BMP the vendors' decoders write."""
    from PIL import Image

    crop = imagery.card_photo(portrait, face_box)
    out = io.BytesIO()
    Image.frombytes("RGB", (crop.width, crop.height), crop.rgb).save(out, "BMP")
    return out.getvalue()


def build(folder: Path, bmp: bytes) -> Path:
    """Compile the library into ``folder``; skips without gcc."""
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc is needed to build the stand-in decoder (scripts/bootstrap.sh "
                    "installs it)")
    array = ",".join(str(b) for b in bmp)
    source = ("#include <string.h>\n"
              f"static const unsigned char PHOTO[{len(bmp)}] = {{{array}}};\n"
              "int unpack(const char *wlt, unsigned char *out, int save_bmp) {\n"
              "    (void)wlt; (void)save_bmp;\n"
              f"    memcpy(out, PHOTO, {len(bmp)});\n"
              "    return 1;\n"
              "}\n")
    (folder / "portrait.c").write_text(source)
    library = folder / "libportrait.so"
    subprocess.run([gcc, "-shared", "-fPIC", "-O0", "-o", str(library),
                    str(folder / "portrait.c")], check=True, timeout=120)
    (folder / "portrait.c").unlink()
    return library
