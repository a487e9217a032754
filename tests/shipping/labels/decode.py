"""Reading labels back as a scanner and a printer would (docs/shipping.md, "Labels"): a PDF's
pages rasterised with pypdfium2 at 203 dpi, a ZPL stream rendered with zplkit (a local ZPL II
renderer) at 203 dpi, and every Code 128 barcode decoded with zxing-cpp."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import zplkit
import zxingcpp
from PIL import Image
from zplkit.rendering import Limits

DPI = 203
CODE128 = zxingcpp.BarcodeFormat.Code128
# A bulk print is one stream of 500 formats: past zplkit's defaults (64 labels, ...).
BULK = Limits(labels=1000, input_bytes=10**8, segments=10**8, pixels=10**10)


def barcodes(image: Image.Image) -> list[str]:
    """The Code 128 values in the image, read as printed: at 203 dpi, the label upright (no
    help from rotating or downscaling it)."""
    found = zxingcpp.read_barcodes(image, formats=CODE128, try_rotate=False, try_downscale=False)
    return sorted(b.text for b in found)


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    doc = pdfium.PdfDocument(pdf)
    return [tuple(page.get_size()) for page in doc]


def pdf_barcodes(pdf: bytes, dpi: int = DPI) -> list[list[str]]:
    """Each page's barcodes, page by page, the page printed at `dpi`."""
    doc = pdfium.PdfDocument(pdf)
    return [barcodes(page.render(scale=dpi / 72, grayscale=True).to_pil()) for page in doc]


def pdf_text(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    return [page.get_textpage().get_text_range() for page in doc]


def zpl_render(zpl: bytes, *, font_a: bool = True) -> list[Image.Image]:
    """Each format of the stream as a 203 dpi 4×6 in image.

    zplkit's font 0 is a sample of the printer's (it refuses ö and ß, which a Zebra's font 0
    prints): text is drawn in font A, which has them, for the barcode's sake; the text itself
    is checked from the stream (`zpl_fields`). `font_a=False`: as written, ASCII only."""
    document = zplkit.render(
        zpl.replace(b"^A0N", b"^AAN") if font_a else zpl,
        zplkit.Options(width=812, height=1218, dpi=DPI),
        limits=BULK,
    )
    images = []
    for scene in document.labels:
        raster = scene.rasterize()
        images.append(Image.frombytes("L", (raster.width, raster.height), raster.pixels))
    return images


def zpl_barcodes(zpl: bytes) -> list[list[str]]:
    return [barcodes(image) for image in zpl_render(zpl)]


FIELD = re.compile(rb"\^FH\^FD(.*?)\^FS", re.S)
HEX = re.compile(rb"_([0-9A-Fa-f]{2})")


def zpl_fields(zpl: bytes) -> list[list[str]]:
    """Each format's field data as the printer reads it after ^FH (_XX → the byte), UTF-8."""
    formats = zpl.split(b"^XZ")[:-1]
    return [
        [HEX.sub(lambda m: bytes([int(m[1], 16)]), raw).decode("utf-8") for raw in FIELD.findall(f)]
        for f in formats
    ]
