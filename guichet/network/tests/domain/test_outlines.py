import struct

import pytest

from guichet.network.domain.outlines import centroid, polygons_from_ewkb


def square(west, south, side, *, clockwise=False):
    ring = [(west, south), (west + side, south), (west + side, south + side),
            (west, south + side), (west, south)]  # fmt: skip
    return list(reversed(ring)) if clockwise else ring


def polygon_wkb(*rings):
    parts = [struct.pack("<BII", 1, 3, len(rings))]
    for ring in rings:
        parts.append(struct.pack("<I", len(ring)))
        parts.extend(struct.pack("<dd", x, y) for x, y in ring)
    return b"".join(parts)


def multipolygon(polygons, *, srid=None):
    """Hex EWKB of a MultiPolygon, each polygon a list of rings or a single ring."""
    polygons = [p if isinstance(p[0], list) else [p] for p in polygons]
    if srid is None:
        header = struct.pack("<BII", 1, 6, len(polygons))
    else:
        header = struct.pack("<BIII", 1, 6 | 0x20000000, srid, len(polygons))
    return (header + b"".join(polygon_wkb(*rings) for rings in polygons)).hex()


def test_an_outline_is_read_polygon_by_polygon_ring_by_ring():
    hole = square(0.4, 0.4, 0.2)
    polygons = polygons_from_ewkb(multipolygon([[square(0, 0, 1), hole], square(5, 5, 1)]))
    assert len(polygons) == 2
    assert polygons[0][1] == hole
    assert polygons_from_ewkb(multipolygon([square(0, 0, 1)], srid=4326))[0][0][2] == (1, 1)


@pytest.mark.parametrize("value", ["", "\\N", "zz", "0106000000", "0101000000" + "00" * 16])
def test_a_missing_unreadable_or_other_geometry_gives_no_polygon(value):
    assert polygons_from_ewkb(value) == []


def test_the_centre_of_a_square_is_its_middle_whichever_way_it_turns():
    assert centroid([[square(2, 48, 1)]]) == pytest.approx((48.5, 2.5))
    assert centroid([[square(2, 48, 1, clockwise=True)]]) == pytest.approx((48.5, 2.5))


def test_larger_parts_weigh_more_and_holes_take_their_area_out():
    # One unit square and one square four times its area: the centre leans to the big one.
    lat, lon = centroid([[square(0, 0, 1)], [square(3, 0, 2)]])
    assert lon == pytest.approx((0.5 * 1 + 4 * 4) / 5)
    assert lat == pytest.approx((0.5 * 1 + 1 * 4) / 5)
    # A hole in the left half of a square moves the centre to the right.
    lat, lon = centroid([[square(0, 0, 2), square(0.2, 0.5, 1)]])
    assert lon > 1
    assert lat == pytest.approx(1)


def test_no_area_no_centre():
    assert centroid([]) is None
    assert centroid([[[(1, 1), (2, 2), (1, 1)]]]) is None
