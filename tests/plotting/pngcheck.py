"""Checks that bytes are a real, decodable PNG of the expected size (no golden images)."""

from __future__ import annotations

import io
import struct

import numpy as np
from matplotlib import image

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from the IHDR chunk, after checking the signature."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def decode(data: bytes) -> np.ndarray:
    return image.imread(io.BytesIO(data), format="png")


def assert_chat_sized_png(data: bytes) -> np.ndarray:
    """About 800×600, decodes, and is not blank (a broken figure is one flat colour)."""
    width, height = png_size(data)
    assert 700 <= width <= 900 and 500 <= height <= 700, (width, height)
    pixels = decode(data)
    assert pixels.shape[:2] == (height, width)
    assert float(pixels[..., :3].std()) > 0.05
    return pixels
