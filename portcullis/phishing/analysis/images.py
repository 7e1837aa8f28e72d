"""QR codes in images: decoded (zxing-cpp on a size-checked Pillow image), then followed as URLs."""

from __future__ import annotations

import base64
import binascii
import io
import re
import warnings
from collections.abc import Callable

import zxingcpp
from PIL import Image

from .model import Findings

_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"RIFF")
_DATA_URI = re.compile(r"^data:image/[a-z+.-]+;base64,(.*)$", re.I | re.S)


def is_image(data: bytes) -> bool:
    return data.startswith(_MAGIC)


def check_image(
    name: str, data: bytes, add_url: Callable[[str, str], None], findings: Findings
) -> None:
    if findings.images_seen >= findings.limits.max_images:
        findings.flag("limit.images", f"more than {findings.limits.max_images} images")
        return
    findings.images_seen += 1
    for payload in decode_qr(data, findings):
        if payload not in findings.observables.qr_payloads:
            findings.observables.qr_payloads.append(payload)
        findings.flag("qr.code", f"{name}: QR code -> {payload[:120]}")
        if payload.lower().startswith(("http://", "https://", "www.")):
            add_url(payload, f"QR code in {name}")


def check_data_uri(uri: str, add_url: Callable[[str, str], None], findings: Findings) -> None:
    match = _DATA_URI.match(uri[: findings.limits.max_html_bytes])
    if not match:
        return
    try:
        data = base64.b64decode(match.group(1), validate=False)
    except (binascii.Error, ValueError):
        return
    if is_image(data):
        check_image("inline data: image", data, add_url, findings)


# Links in lures come as QR codes (and their matrix-code kin); read as every format, a QR code's
# modules now and then also decode as a short linear barcode, and the linear readers cost time.
_MATRIX_CODES = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.AllMatrix)


def decode_qr(data: bytes, findings: Findings) -> list[str]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > findings.limits.max_image_pixels:
                findings.flag("limit.image_pixels", f"{width}x{height} image not decoded")
                return []
            image.draft("L", (min(width, 1600), min(height, 1600)))  # cheap JPEG downscale
            if image.mode == "P" and "transparency" in image.info:
                image = image.convert("RGBA")  # as Pillow asks, rather than warning per image
            grey = image.convert("L")
        found = zxingcpp.read_barcodes(grey, formats=_MATRIX_CODES)
        return [r.text for r in found if r.text][:5]
    except Exception as exc:  # corrupt images are common in spam and must not stop analysis
        findings.flag("parse.image", f"image not decodable: {type(exc).__name__}")
        return []
