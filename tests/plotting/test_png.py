"""Our unfiltered PNG writer: any reader (Pillow's decoder here) gets back exactly the pixels."""

from __future__ import annotations

import io

from PIL import Image

from plotting.png import png_bytes


def test_a_picture_written_unfiltered_reads_back_pixel_for_pixel() -> None:
    picture = Image.new("RGB", (37, 11), "white")
    for x in range(37):
        for y in range(11):
            picture.putpixel((x, y), ((x * 7) % 256, (y * 23) % 256, (x * y) % 256))
    back = Image.open(io.BytesIO(png_bytes(picture)))
    back.load()
    assert back.format == "PNG" and back.mode == "RGB" and back.size == (37, 11)
    assert back.tobytes() == picture.tobytes()


def test_a_picture_with_alpha_is_written_on_its_colours() -> None:
    back = Image.open(io.BytesIO(png_bytes(Image.new("RGBA", (3, 2), (10, 20, 30, 255)))))
    assert back.convert("RGB").getpixel((2, 1)) == (10, 20, 30)
