"""A tiny PNG encoder for the network thumbnails (no PIL dependency), and data URLs of its output."""

import base64
import struct
import zlib

import numpy as np

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_chunk(tag, data):
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def encode_png(rgb):
    """PNG bytes (8-bit truecolour) of an image ``rgb (height, width, 3)`` uint8; row 0 is the top.

    Filter type 0 ("none") on every row and zlib level 6. (A palette PNG was tried: for the smooth
    maps of a network its 65-colour PLTE chunk made it ~15 % larger, not smaller.)
    """
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    if rgb.ndim != 3 or rgb.shape[2] != 3 or 0 in rgb.shape:
        raise ValueError(f"rgb must have shape (height, width, 3) with height, width >= 1; got {rgb.shape}")
    h, w, _ = rgb.shape
    raw = np.zeros((h, 1 + 3 * w), np.uint8)  # a leading 0 byte per row: filter "none"
    raw[:, 1:] = rgb.reshape(h, 3 * w)
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8 bits, colour type 2 = RGB
    chunks = [(b"IHDR", header), (b"IDAT", zlib.compress(raw.tobytes(), 6)), (b"IEND", b"")]
    return _PNG_SIGNATURE + b"".join(_png_chunk(tag, data) for tag, data in chunks)


def png_data_url(rgb):
    """``"data:image/png;base64,..."`` of ``rgb (height, width, 3)`` uint8, for ``layout.images``."""
    return "data:image/png;base64," + base64.b64encode(encode_png(rgb)).decode("ascii")
