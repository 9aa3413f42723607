#!/usr/bin/env python3
"""Makes src/render/world.tsv, the outlines of the countries page's map,
from npm's `world-atlas` 2.0.2 (countries-50m.json: Natural Earth's 1:50m
admin-0 countries, public domain, as TopoJSON by Mike Bostock, ISC).

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python3 tools/world_map.py package/countries-50m.json > src/render/world.tsv

Each line: the ISO 3166 numeric code (empty when Natural Earth has none),
the name, then the SVG path data of the outline in a
equirectangular frame (1600 x 622) from 56 S to 84 N (Antarctica left out), simplified
(Douglas-Peucker, 0.35 units) and written with integer relative moves.
Only the standard library is used, so the output can be made again
anywhere.
"""
import json
import sys

WIDTH, NORTH, SOUTH = 1600, 84.0, -56.0
HEIGHT = WIDTH * (NORTH - SOUTH) / 360.0
TOLERANCE = 0.35

# Natural Earth draws some places by who holds them; gazette's country
# registry (src/model/countries.rs) follows ISO 3166, and so does the map:
# (from, to, lon/lat box of the polygon moved, why).
MOVED = [
    ("643", "804", (32.4, 36.7, 44.3, 46.3), "Crimea: Ukraine in ISO 3166"),
]
# Areas Natural Earth gives no ISO code, written as ISO 3166 counts them
# (Kosovo keeps its name: the registry knows it as XK).
NO_CODE = {"N. Cyprus": "196", "Somaliland": "706"}


def project(lon, lat):
    x = (lon + 180.0) * WIDTH / 360.0
    y = (NORTH - lat) * HEIGHT / (NORTH - SOUTH)
    return x, min(max(y, 0.0), HEIGHT)


def decode_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append(project(x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indexes):
    points = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc if not points else arc[1:])
    # A ring across the antimeridian (Russia's Chukotka, Fiji) is kept
    # whole: its points continue past the frame's edge, which clips them.
    for i in range(1, len(points)):
        (px, _), (x, y) = points[i - 1], points[i]
        while x - px > WIDTH / 2:
            x -= WIDTH
        while px - x > WIDTH / 2:
            x += WIDTH
        points[i] = (x, y)
    return points


def simplify(points, tolerance):
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        best, at = -1.0, None
        for i in range(a + 1, b):
            px, py = points[i]
            d = abs(dy * px - dx * py + bx * ay - by * ax) / norm if norm else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if d > best:
                best, at = d, i
        if at is not None and best > tolerance:
            keep[at] = True
            stack += [(a, at), (at, b)]
    return [p for p, k in zip(points, keep) if k]


def path(rings):
    out = []
    for points in rings:
        pts = simplify(points, TOLERANCE)
        ints = []
        for x, y in pts:
            p = (round(x), round(y))
            if not ints or ints[-1] != p:
                ints.append(p)
        if len(ints) > 1 and ints[0] == ints[-1]:
            ints.pop()
        if len(set(ints)) < 3:
            continue
        x0, y0 = ints[0]
        moves = [f"M{x0} {y0}l"]
        steps = []
        for (ax, ay), (bx, by) in zip(ints, ints[1:]):
            steps.append(f"{bx - ax} {by - ay}")
        moves.append(" ".join(steps).replace(" -", "-"))
        out.append("".join(moves) + "z")
    return "".join(out)


def main(source):
    topo = json.load(open(source))
    arcs = decode_arcs(topo)
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    geometries = topo["objects"]["countries"]["geometries"]
    polygons_of = {}
    for geometry in geometries:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        polygons_of[id(geometry)] = list(polygons)
    by_code = {g.get("id"): g for g in geometries if g.get("id")}
    for source_code, target_code, (w, e, s, n), _why in MOVED:
        kept = []
        for polygon in polygons_of[id(by_code[source_code])]:
            points = ring(arcs, polygon[0])
            lons = [x * 360.0 / WIDTH - 180.0 for x, _ in points]
            lats = [NORTH - y * (NORTH - SOUTH) / HEIGHT for _, y in points]
            inside = w <= min(lons) and max(lons) <= e and s <= min(lats) and max(lats) <= n
            if inside:
                polygons_of[id(by_code[target_code])].append(polygon)
            else:
                kept.append(polygon)
        polygons_of[id(by_code[source_code])] = kept
    for geometry in geometries:
        code = geometry.get("id") or NO_CODE.get(geometry["properties"]["name"], "")
        if code == "010":
            continue  # Antarctica: no news country, and half the frame.
        polygons = polygons_of[id(geometry)]
        rings = [ring(arcs, r) for polygon in polygons for r in polygon]
        d = path(rings)
        if not d:
            # Too small to draw at this scale: a point at its first vertex.
            x, y = rings[0][0]
            d = f"M{round(x)} {round(y)}h0"
        print(f"{code}\t{geometry['properties']['name']}\t{d}")


if __name__ == "__main__":
    main(sys.argv[1])
