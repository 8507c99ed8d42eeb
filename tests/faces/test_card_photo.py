"""The card photo decoder through the real ctypes path, against a stand-in vendor library
compiled here from C: the two ABIs of ../shared/specs/id-cards.md §4 over a test format."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from faces.card_photo import (
    BMP_SIZE,
    RAW_SIZE,
    CardPhoto,
    DecoderConfig,
    DecoderSignature,
    NoDecoder,
    NoDecoderReason,
    PhotoLayout,
    VendorDecoder,
    open_decoder,
)
from faces.errors import DecoderFailed, DecoderNotLoadable, PhotoGarbled
from tests.faces import standin


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stand-in vendor library, compiled for this test run."""
    return standin.build(tmp_path_factory.mktemp("vendor"))


_wlt = standin.wlt


def _pixel(photo: CardPhoto, x: int, y: int) -> tuple[int, int, int]:
    i = (y * photo.width + x) * 3
    return photo.rgb[i], photo.rgb[i + 1], photo.rgb[i + 2]


def _check_picture(photo: CardPhoto | NoDecoder) -> None:
    assert isinstance(photo, CardPhoto)
    assert (photo.width, photo.height, len(photo.rgb)) == (102, 126, 102 * 126 * 3)
    assert _pixel(photo, 0, 0) == (10, 20, 30)              # top left
    assert _pixel(photo, 101, 0) == (111, 20, 30)           # top right: x grows rightwards
    assert _pixel(photo, 0, 125) == (10, 145, 30)           # bottom left: y grows downwards
    assert photo.frame().width == 102


@pytest.mark.parametrize(("function", "signature", "layout"), [
    ("unpack", DecoderSignature.UNPACK, PhotoLayout.BMP),
    ("wlt2bmpBuffer", DecoderSignature.WLT2BMP_BUFFER, PhotoLayout.RAW_ROWS),
    ("wlt2bmpBuffer_bmp", DecoderSignature.WLT2BMP_BUFFER, PhotoLayout.BMP),
])
def test_a_configured_decoder_gives_the_102_by_126_photo(
        stand_in: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture, function: str, signature: DecoderSignature,
        layout: PhotoLayout) -> None:
    """Each ABI and output layout decodes to the same upright RGB picture; the library is
    told to write no file (none appears in its working directory) and nothing is logged."""
    monkeypatch.chdir(tmp_path)
    caplog.set_level(logging.DEBUG)
    decoder = open_decoder(DecoderConfig(stand_in, function, signature, layout))
    photo = decoder.decode(_wlt(10, 20, 30))
    _check_picture(photo)
    assert list(tmp_path.iterdir()) == []
    assert caplog.records == []
    assert "rgb" not in repr(photo)
    assert (BMP_SIZE, RAW_SIZE) == (38862, 38556)


def test_without_a_decoder_the_answer_is_no_decoder() -> None:
    """No decoder configured: a typed NoDecoder answer (use the platform's check), not an
    error."""
    answer = open_decoder(None).decode(_wlt(1, 2, 3))
    assert isinstance(answer, NoDecoder)
    assert answer.reason is NoDecoderReason.NOT_CONFIGURED
    assert "platform" in answer.message


def test_a_library_that_is_not_there_or_not_a_library_cannot_be_loaded(tmp_path: Path) -> None:
    """A configured path that does not exist, or a file that is not a shared library."""
    with pytest.raises(DecoderNotLoadable, match="does not exist"):
        VendorDecoder(DecoderConfig(tmp_path / "libwlt.so", "unpack", DecoderSignature.UNPACK))
    junk = tmp_path / "libjunk.so"
    junk.write_bytes(b"not an ELF file")
    with pytest.raises(DecoderNotLoadable, match="cannot be loaded"):
        VendorDecoder(DecoderConfig(junk, "unpack", DecoderSignature.UNPACK))


def test_a_library_without_the_configured_function_cannot_be_loaded(stand_in: Path) -> None:
    """The library loads but does not export the configured function."""
    with pytest.raises(DecoderNotLoadable, match="Wlt2Bmp"):
        VendorDecoder(DecoderConfig(stand_in, "Wlt2Bmp", DecoderSignature.UNPACK))


def test_error_codes_are_reported_with_the_licence_case_named(stand_in: Path) -> None:
    """−5 (licence does not match the SAM) says so; a garbled WLT the decoder refuses (−2)
    is DecoderFailed with its code, through either ABI."""
    licensed = VendorDecoder(DecoderConfig(stand_in, "unpack_licensed",
                                           DecoderSignature.UNPACK))
    with pytest.raises(DecoderFailed, match="licence") as failed:
        licensed.decode(_wlt(1, 2, 3))
    assert failed.value.code == -5
    garbled = bytes(range(256)) * 4
    for function, signature in (("unpack", DecoderSignature.UNPACK),
                                ("wlt2bmpBuffer", DecoderSignature.WLT2BMP_BUFFER)):
        decoder = VendorDecoder(DecoderConfig(stand_in, function, signature,
                                              PhotoLayout.RAW_ROWS
                                              if function == "wlt2bmpBuffer"
                                              else PhotoLayout.BMP))
        with pytest.raises(DecoderFailed) as failed:
            decoder.decode(garbled)
        assert failed.value.code == -2


def test_input_and_output_of_the_wrong_shape_are_refused(stand_in: Path) -> None:
    """A photo that is not 1024 bytes never reaches the library; a BMP of another width or
    a byte count that is neither size is PhotoGarbled."""
    decoder = VendorDecoder(DecoderConfig(stand_in, "unpack", DecoderSignature.UNPACK))
    for size in (0, 1023, 1025):
        with pytest.raises(PhotoGarbled, match="1024"):
            decoder.decode(_wlt(1, 2, 3)[:size].ljust(size, b"\0"))
    wrong = VendorDecoder(DecoderConfig(stand_in, "unpack_wrong_width", DecoderSignature.UNPACK))
    with pytest.raises(PhotoGarbled, match="100"):
        wrong.decode(_wlt(1, 2, 3))
    short = VendorDecoder(DecoderConfig(stand_in, "wlt2bmpBuffer_short",
                                        DecoderSignature.WLT2BMP_BUFFER))
    with pytest.raises(PhotoGarbled, match="1000"):
        short.decode(_wlt(1, 2, 3))
    raw_as_bmp = VendorDecoder(DecoderConfig(stand_in, "wlt2bmpBuffer",
                                             DecoderSignature.WLT2BMP_BUFFER, PhotoLayout.BMP))
    with pytest.raises(PhotoGarbled):
        raw_as_bmp.decode(_wlt(1, 2, 3))
