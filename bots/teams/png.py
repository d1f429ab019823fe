"""Just enough PNG reading to check Teams icons: size, and the pixels of 8-bit RGBA images."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"


class PngError(ValueError):
    """Not a PNG we can read."""


@dataclass(frozen=True)
class Png:
    """A parsed PNG: its header fields and its (still filtered) pixel data."""

    width: int
    height: int
    bit_depth: int
    color_type: int
    data: bytes  # decompressed, still filtered

    def rgba(self) -> list[tuple[int, int, int, int]]:
        """All pixels of an 8-bit RGBA, non-interlaced image, unfiltered."""
        if (self.bit_depth, self.color_type) != (8, 6):
            raise PngError("only 8-bit RGBA pixels can be read")
        stride = self.width * 4
        rows: list[bytes] = []
        prior = bytes(stride)
        for y in range(self.height):
            start = y * (stride + 1)
            kind, raw = self.data[start], self.data[start + 1 : start + 1 + stride]
            prior = _unfilter(kind, bytearray(raw), prior)
            rows.append(prior)
        flat = b"".join(rows)
        return [tuple(flat[i : i + 4]) for i in range(0, len(flat), 4)]  # type: ignore[misc]


def read_png(blob: bytes) -> Png:
    """Parse the chunks of a PNG file (raises PngError)."""
    if not blob.startswith(SIGNATURE):
        raise PngError("not a PNG file")
    offset, header, idat = len(SIGNATURE), b"", b""
    while offset + 8 <= len(blob):
        length, kind = struct.unpack(">I4s", blob[offset : offset + 8])
        body = blob[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    if len(header) != 13:
        raise PngError("PNG has no IHDR")
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    try:
        data = zlib.decompress(idat) if idat else b""
    except zlib.error:
        raise PngError("PNG image data is corrupt") from None
    if interlace:
        data = b""  # interlaced pixels are not needed for a size check
    return Png(width, height, depth, color, data)


def _unfilter(kind: int, row: bytearray, prior: bytes, bpp: int = 4) -> bytes:
    for i in range(len(row)):
        left = row[i - bpp] if i >= bpp else 0
        up = prior[i]
        corner = prior[i - bpp] if i >= bpp else 0
        if kind == 1:
            row[i] = (row[i] + left) & 0xFF
        elif kind == 2:
            row[i] = (row[i] + up) & 0xFF
        elif kind == 3:
            row[i] = (row[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            row[i] = (row[i] + _paeth(left, up, corner)) & 0xFF
        elif kind != 0:
            raise PngError(f"unknown PNG filter {kind}")
    return bytes(row)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c
