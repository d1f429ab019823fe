"""Draw the two Teams icons with the standard library only (zlib + struct): run once, commit PNGs.

color.png   192x192: a white speech bubble (96x96 symbol, 48 px padding) on the accent colour.
outline.png  32x32: the same bubble, white on transparent, no padding (Teams' outline rules).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACCENT = (0x3A, 0x5B, 0xA0, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)
Pixel = tuple[int, int, int, int]


def png(width: int, height: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """An 8-bit RGBA PNG, every row with filter 0."""
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def bubble(u: float, v: float) -> bool:
    """A speech bubble in the unit square: a rounded body and a tail at the bottom left."""
    inside_body = 0.0 <= u <= 1.0 and 0.0 <= v <= 0.75 and _rounded(u, v / 0.75, 0.2)
    tail = 0.15 <= u <= 0.45 and 0.75 <= v <= 1.0 and (u - 0.15) <= (1.0 - v) * 1.2
    dots = any((u - cx) ** 2 + (v - 0.375) ** 2 < 0.008 for cx in (0.28, 0.5, 0.72))
    return (inside_body or tail) and not dots


def _rounded(u: float, v: float, r: float) -> bool:
    cu = min(max(u, r), 1 - r)
    cv = min(max(v, r), 1 - r)
    return (u - cu) ** 2 + (v - cv) ** 2 <= r * r


def color(x: int, y: int) -> Pixel:
    u, v = (x - 48 + 0.5) / 96, (y - 48 + 0.5) / 96
    return WHITE if bubble(u, v) else ACCENT


def outline(x: int, y: int) -> Pixel:
    return WHITE if bubble((x + 0.5) / 32, (y + 0.5) / 32) else CLEAR


def main() -> None:
    (HERE / "color.png").write_bytes(png(192, 192, color))
    (HERE / "outline.png").write_bytes(png(32, 32, outline))


if __name__ == "__main__":
    main()
