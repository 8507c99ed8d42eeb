"""The ID card's photo: 1024 bytes of WLT, decoded only by the reader vendor's library.

WLT is proprietary and licence-bound (usually to the reader's SAM id); no open decoder
exists. The terminal loads the vendor's library through ``ctypes`` from a configured path,
with one of the two ABIs seen in the vendors' SDKs (docs/identity.md, and
../shared/specs/id-cards.md §4):

* ``unpack``: ``int f(const char *wlt1024, unsigned char *bmp_out, int save_bmp)`` — returns
  1 on success; we always pass ``save_bmp = 0`` so the library writes no file;
* ``wlt2bmp_buffer``: ``int f(const unsigned char *wlt1024, unsigned char *out, int out_len)``
  — returns the number of bytes written, or a negative error.

Licence-bound wrappers answer −5 when their licence does not match the SAM. The output is
either a 38 862-byte BMP (102 × 126, 24-bit, rows padded to 308 bytes) or the 38 556 bytes
of its pixel rows alone; the configuration says which, and both are checked before use.
The raw-rows layout is taken to be the BMP's own (blue-green-red, bottom row first, no
padding): that is what the SDKs that hand out 38 556-byte buffers cut from the BMP.

No decoder configured is not an error: :meth:`decode` answers :class:`NoDecoder` and the
caller uses the platform's check instead. A decoder that fails raises a
:class:`~faces.errors.PhotoDecoderError` for the technician; the citizen's flow falls back
the same way. The photo stays in memory: never written, never logged (the C buffer is
zeroed after it is copied out).
"""

from __future__ import annotations

import ctypes
import struct
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from faces.errors import DecoderFailed, DecoderNotLoadable, PhotoGarbled
from faces.frame import Frame

WLT_SIZE = 1024
PHOTO_WIDTH, PHOTO_HEIGHT = 102, 126
_ROW = PHOTO_WIDTH * 3                       # 306 bytes of pixels a row
_BMP_ROW = (_ROW + 3) // 4 * 4               # 308: BMP rows are padded to 4 bytes
BMP_SIZE = 14 + 40 + _BMP_ROW * PHOTO_HEIGHT  # 38 862
RAW_SIZE = _ROW * PHOTO_HEIGHT               # 38 556
# More room than either output needs: a library that writes a little past what its SDK
# documents must not overwrite our heap.
_OUT_BUFFER = BMP_SIZE + 4096
LICENCE_MISMATCH = -5


class DecoderSignature(StrEnum):
    """Which of the vendors' C signatures the configured function has."""

    UNPACK = "unpack"
    WLT2BMP_BUFFER = "wlt2bmp_buffer"


class PhotoLayout(StrEnum):
    """What the decoder writes into the buffer."""

    BMP = "bmp"              # a whole 38 862-byte BMP file
    RAW_ROWS = "raw_rows"    # 38 556 bytes: the BMP's pixel rows without padding


@dataclass(frozen=True)
class DecoderConfig:
    """The vendor decoder as the terminal's configuration names it."""

    library: Path
    function: str
    signature: DecoderSignature
    output: PhotoLayout = PhotoLayout.BMP


@dataclass(frozen=True)
class CardPhoto:
    """The decoded photo: 102 × 126 RGB, top row first."""

    width: int
    height: int
    rgb: bytes = field(repr=False)

    def frame(self) -> Frame:
        return Frame(self.width, self.height, self.rgb)


class NoDecoderReason(StrEnum):
    NOT_CONFIGURED = "not_configured"


@dataclass(frozen=True)
class NoDecoder:
    """The answer when the terminal has no decoder: compare on the platform instead."""

    reason: NoDecoderReason = NoDecoderReason.NOT_CONFIGURED

    @property
    def message(self) -> str:
        return ("no card-photo decoder is configured (the reader vendor's licensed library): "
                "face checks use the platform's comparison")


class PhotoDecoder(Protocol):
    def decode(self, wlt: bytes) -> CardPhoto | NoDecoder:
        """The card photo decoded, or :class:`NoDecoder`."""
        ...


class Unconfigured:
    """The terminal without a vendor decoder."""

    def decode(self, wlt: bytes) -> CardPhoto | NoDecoder:
        return NoDecoder()


class VendorDecoder:
    """The vendor's library, loaded once through ``ctypes``."""

    def __init__(self, config: DecoderConfig) -> None:
        self._config = config
        if not config.library.is_file():
            raise DecoderNotLoadable(f"the card-photo decoder {config.library} does not exist: "
                                     "check identity.card_photo_decoder in config.toml")
        try:
            library = ctypes.CDLL(str(config.library))
        except OSError as exc:
            raise DecoderNotLoadable(f"the card-photo decoder {config.library} cannot be "
                                     f"loaded ({exc}): is it built for this machine?") from exc
        try:
            function = getattr(library, config.function)
        except AttributeError as exc:
            raise DecoderNotLoadable(
                f"the card-photo decoder {config.library} has no function "
                f"{config.function!r}: check identity.card_photo_function") from exc
        # Both signatures are (input pointer, output pointer, int); they differ in what the
        # int means (save_bmp / out_len) and in what the return value says.
        function.restype = ctypes.c_int
        function.argtypes = [ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int]
        self._function = function

    def decode(self, wlt: bytes) -> CardPhoto | NoDecoder:
        if len(wlt) != WLT_SIZE:
            raise PhotoGarbled(f"a card photo is {WLT_SIZE} bytes of WLT, not {len(wlt)}")
        expected = BMP_SIZE if self._config.output is PhotoLayout.BMP else RAW_SIZE
        out = ctypes.create_string_buffer(_OUT_BUFFER)
        try:
            if self._config.signature is DecoderSignature.UNPACK:
                code = self._function(wlt, out, 0)      # 0: the library must write no file
                if code != 1:
                    raise self._failed(code)
                written = expected
            else:
                code = self._function(wlt, out, _OUT_BUFFER)
                if code < 0:
                    raise self._failed(code)
                written = code
            if written != expected:
                raise PhotoGarbled(f"the decoder wrote {written} bytes, not the {expected} of "
                                   f"a 102 × 126 {self._config.output.value} photo")
            data = out.raw[:expected]
        finally:
            ctypes.memset(out, 0, _OUT_BUFFER)
        rows = _bmp_rows(data) if self._config.output is PhotoLayout.BMP else data
        return CardPhoto(PHOTO_WIDTH, PHOTO_HEIGHT, _bottom_up_bgr_to_rgb(rows))

    def _failed(self, code: int) -> DecoderFailed:
        if code == LICENCE_MISMATCH:
            return DecoderFailed("the card-photo decoder's licence does not match this "
                                 "reader's SAM (code −5): install the licence issued for it",
                                 code)
        return DecoderFailed(f"the card-photo decoder failed with code {code}", code)


def open_decoder(config: DecoderConfig | None) -> PhotoDecoder:
    """The configured vendor decoder, or :class:`Unconfigured` when none is configured."""
    return Unconfigured() if config is None else VendorDecoder(config)


def _bmp_rows(bmp: bytes) -> bytes:
    """The unpadded pixel rows of a 102 × 126 24-bit BMP, bottom row first, after checking
    every header field that could make them mean something else."""
    if bmp[:2] != b"BM":
        raise PhotoGarbled("the decoder's output is not a BMP")
    file_size, _, offset = struct.unpack_from("<IIII", bmp, 2)[:3]
    header_size, width, height, planes, bits, compression = struct.unpack_from("<IiiHHI", bmp,
                                                                               14)
    if (file_size, offset, header_size, planes, bits, compression) != (BMP_SIZE, 54, 40, 1,
                                                                       24, 0) \
            or width != PHOTO_WIDTH or abs(height) != PHOTO_HEIGHT:
        raise PhotoGarbled(f"the decoder's BMP is {width} × {height} at {bits} bits, not a "
                           "102 × 126 24-bit photo")
    rows = b"".join(bmp[offset + r * _BMP_ROW: offset + r * _BMP_ROW + _ROW]
                    for r in range(PHOTO_HEIGHT))
    if height < 0:      # a top-down BMP: turn it into the usual bottom-up order
        rows = b"".join(rows[r * _ROW:(r + 1) * _ROW] for r in reversed(range(PHOTO_HEIGHT)))
    return rows


def _bottom_up_bgr_to_rgb(rows: bytes) -> bytes:
    out = bytearray()
    for r in reversed(range(PHOTO_HEIGHT)):
        row = bytearray(rows[r * _ROW:(r + 1) * _ROW])
        row[0::3], row[2::3] = row[2::3], row[0::3]
        out += row
    return bytes(out)
