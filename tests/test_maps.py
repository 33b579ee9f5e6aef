"""Maps: the geography importer (Natural Earth outlines, GeoNames places) and the map helper."""

import json

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from utils.read import data, maps
from utils.write.importers import SourceFormatError, geography

pytestmark = pytest.mark.usefixtures("close_figures")


def _topology(path, geometries, arcs):
    topology = {"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]}, "arcs": arcs,
                "objects": {"countries": {"type": "GeometryCollection", "geometries": geometries}}}
    path.write_text(json.dumps(topology), encoding="utf-8")
    return path


def _square(x, y, size=1):
    """A closed square arc, delta-encoded as TopoJSON stores it."""
    return [[x, y], [size, 0], [0, size], [-size, 0], [0, -size]]


def test_boundaries_decode_delta_encoded_arcs_and_move_crimea_to_ukraine(tmp_path, monkeypatch):
    monkeypatch.setattr(geography, "REGION", {"643": "RUS", "804": "UKR"})
    arcs = [_square(50, 55, 2), _square(34, 45), _square(30, 49)]
    path = _topology(tmp_path / "countries.json", [
        {"type": "MultiPolygon", "id": "643", "arcs": [[[0]], [[1]]], "properties": {"name": "Russia"}},
        {"type": "Polygon", "id": "804", "arcs": [[2]], "properties": {"name": "Ukraine"}},
    ], arcs)
    table = geography.read_boundaries(path).set_index("iso3")
    russia = json.loads(table.loc["RUS", "geometry"])["coordinates"]
    ukraine = json.loads(table.loc["UKR", "geometry"])["coordinates"]
    assert russia == [[[[50, 55], [52, 55], [52, 57], [50, 57], [50, 55]]]]  # positions are running sums
    assert len(ukraine) == 2 and ukraine[1][0][0] == [34, 45]  # the piece in the Crimea box is Ukraine's


def test_boundaries_refuse_a_file_without_the_states_of_the_map(tmp_path):
    path = _topology(tmp_path / "countries.json", [{"type": "Polygon", "id": "643", "arcs": [[0]]}], [_square(0, 0)])
    with pytest.raises(SourceFormatError, match=r"countries\.json: expected outlines of .*ARM"):
        geography.read_boundaries(path)


def test_boundaries_refuse_broken_arcs_naming_the_arc(tmp_path):
    path = _topology(tmp_path / "countries.json", [], [[[0, 0], ["a", 1]]])
    with pytest.raises(SourceFormatError, match=r"arc 0: expected integer \[x, y\] positions"):
        geography.read_boundaries(path)
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"bad\.json: not valid JSON"):
        geography.read_boundaries(tmp_path / "bad.json")


def test_places_keep_the_listed_towns_and_refuse_missing_or_impossible_ones(tmp_path, monkeypatch):
    monkeypatch.setattr(geography, "PLACES", {("Gyumri", "AM"): "ARM", ("Kant", "KG"): "KGZ"})
    good = [{"name": "Gyumri", "country": "AM", "lat": "40.79", "lng": "43.85"},
            {"name": "Kant", "country": "KG", "lat": "42.89", "lng": "74.85"},
            {"name": "Kant", "country": "DE", "lat": "1", "lng": "1"}]
    (tmp_path / "cities.json").write_text(json.dumps(good), encoding="utf-8")
    places = geography.read_places(tmp_path / "cities.json")
    assert list(places["place"]) == ["Gyumri", "Kant"] and places["lat"].tolist() == [40.79, 42.89]
    (tmp_path / "cities.json").write_text(json.dumps(good[:1]), encoding="utf-8")
    with pytest.raises(SourceFormatError, match="expected the places Kant"):
        geography.read_places(tmp_path / "cities.json")
    (tmp_path / "cities.json").write_text(json.dumps([{**good[0], "lat": "140"}, good[1]]), encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"place 0 \(Gyumri\): coordinates 140.0, 43.85 are off the globe"):
        geography.read_places(tmp_path / "cities.json")


def test_shipped_boundaries_hold_every_treaty_state_with_crimea_in_ukraine():
    table = data.load("boundaries").set_index("iso3")
    assert {"ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "RUS", "TJK", "UZB"} <= set(table.index)
    russia = json.loads(table.loc["RUS", "geometry"])["coordinates"]
    assert not any(geography.in_box(shape[0], geography.CRIMEA_BOX) for shape in russia)
    assert max(lon for shape in russia for lon, _ in shape[0]) > 180  # Chukotka continues past the antimeridian


def test_projection_is_centred_and_keeps_areas_equal_along_a_parallel():
    x, _ = maps.project(maps.CENTRAL_LON, 50)
    assert abs(float(x)) < 1e-12

    def cell_area(lon, lat):
        xs, ys = maps.project([lon, lon + 1, lon + 1, lon], [lat, lat, lat + 1, lat + 1])
        return 0.5 * abs(np.dot(xs, np.roll(ys, 1)) - np.dot(ys, np.roll(xs, 1)))

    assert cell_area(30, 50) == pytest.approx(cell_area(120, 50), rel=1e-9)
    # Equal-area: a degree cell near the pole is smaller than one at 40 degrees north, as on the globe.
    assert cell_area(70, 70) / cell_area(70, 40) == pytest.approx(np.cos(np.radians(70.5)) / np.cos(np.radians(40.5)), rel=0.01)


def test_draw_map_fills_the_chosen_states_and_says_it_is_a_map():
    from utils.read import plots

    ax = maps.draw_map(fill={"KAZ": plots.colour_of("KAZ")}, labels={"KAZ": "Kazakhstan"})
    fills = {tuple(np.round(c, 3)) for c in ax.collections[0].get_facecolors()}
    assert tuple(np.round(matplotlib.colors.to_rgba(plots.colour_of("KAZ")), 3)) in fills
    fig = plots.finish(ax, "Kazakhstan", "sipri_milex_2026")
    assert "map of the states" in fig.csto_alt and fig.csto_alt.startswith("Kazakhstan.")
    assert [t.get_text() for t in ax.texts] == ["Kazakhstan"]
