"""Point in polygon by ray casting, at the edges and vertices where it is easiest to get wrong."""

import pytest

from ceasefire.places import geometry

SQUARE = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
WITH_HOLE = [SQUARE, [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]]
# A notch from the top: a concave ring whose vertices lie level with points we test
NOTCHED = [[0, 0], [10, 0], [10, 10], [6, 10], [5, 5], [4, 10], [0, 10], [0, 0]]


@pytest.mark.parametrize(
    "x, y, inside",
    [
        (5, 5, True),
        (0.000001, 5, True),
        (9.999999, 9.999999, True),
        (-0.000001, 5, False),
        (10.000001, 5, False),
        (5, 10.000001, False),
        (15, 5, False),
        (-5, -5, False),
    ],
)
def test_inside_and_outside_a_square(x, y, inside):
    assert geometry.in_polygon(x, y, [SQUARE]) is inside


@pytest.mark.parametrize("x, y", [(0, 5), (10, 5), (5, 0), (5, 10), (0, 0), (10, 10), (10, 0)])
def test_on_an_edge_or_a_vertex_is_inside(x, y):
    assert geometry.in_ring(x, y, SQUARE) is None  # the ring says: on me
    assert geometry.in_polygon(x, y, [SQUARE]) is True


def test_a_ray_through_a_vertex_counts_once():
    # y = 10 passes through the notch's vertices at (6, 10) and (4, 10); y = 5 through its tip
    assert geometry.in_polygon(2, 9.999, [NOTCHED]) is True
    assert geometry.in_polygon(5, 9, [NOTCHED]) is False  # in the notch
    assert geometry.in_polygon(4.9, 5, [NOTCHED]) is True  # level with the tip, left of it
    assert geometry.in_polygon(5.1, 5, [NOTCHED]) is True
    assert geometry.in_polygon(-1, 5, [NOTCHED]) is False
    assert geometry.in_polygon(5, 5, [NOTCHED]) is True  # the tip itself, a vertex


def test_a_hole_is_outside_and_its_edge_inside():
    assert geometry.in_polygon(5, 5, WITH_HOLE) is False
    assert geometry.in_polygon(2, 2, WITH_HOLE) is True
    assert geometry.in_polygon(4, 5, WITH_HOLE) is True


def test_a_multipolygon_holds_each_of_its_parts():
    far = [[[20, 20], [30, 20], [30, 30], [20, 20]]]
    multi = {"type": "MultiPolygon", "coordinates": [[SQUARE], far]}
    assert geometry.in_geometry(5, 5, multi) and geometry.in_geometry(28, 22, multi)
    assert not geometry.in_geometry(15, 15, multi)
    with pytest.raises(ValueError):
        geometry.in_geometry(0, 0, {"type": "Point", "coordinates": [0, 0]})


def test_centroid_and_distance():
    assert geometry.centroid(SQUARE) == (5, 5)
    # Tripoli to Benghazi, about 650 km as the crow flies
    assert 645 < geometry.km(32.8872, 13.1913, 32.1167, 20.0667) < 655
    assert geometry.km(31, 16, 31, 16) == 0


def test_a_point_a_hair_from_an_edge():
    # within ON_EDGE (about 0.1 mm) it is on the edge, hence inside; further out it is outside
    assert geometry.in_polygon(10 + geometry.ON_EDGE / 2, 5, [SQUARE]) is True
    assert geometry.in_polygon(10 + geometry.ON_EDGE * 10, 5, [SQUARE]) is False
    # on a slanted edge, computed in floating point
    triangle = [[0, 0], [3, 1], [0, 2], [0, 0]]
    assert geometry.in_ring(1.5, 0.5, triangle) is None
    assert geometry.in_ring(0.1 * 3, 0.1, triangle) is None
