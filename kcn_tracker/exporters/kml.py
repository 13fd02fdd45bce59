"""KML (Google Earth) of zones and projects, styled as the briefing map from ``kcn_tracker.style``.

One folder per table, plus the folder "Chưa có vị trí" listing every record without a
location (placemarks without geometry, so none is silently left out). Points are
coloured by stage like the map; zones are outlined by kind; records with an open
obstacle get the obstacle colour as outline. Descriptions are Vietnamese tables of
labels and human values (stage and technology names, not keys; no commit hashes),
every value escaped. The document's description names the data sources.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from kcn_tracker import clock, style
from kcn_tracker.cli.render import human
from kcn_tracker.exporters.tables import SHEET_TITLES, Table

KML_NS = "http://www.opengis.net/kml/2.2"
UNLOCATED_FOLDER = "Chưa có vị trí"
ICON = "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"
#: Columns whose value is shown through another column (its label) or not at all in a description.
_HIDDEN = {"lon", "lat", "stage_label", "technology_label", "gem_status"}
_HASH = re.compile(r"\s*@\s*[0-9a-f]{7,40}\b|\b[0-9a-f]{40}\b")


def human_value(table: Table, key: str, row: dict[str, Any]) -> str:
    """The value of ``key`` as people read it: labels for codes, Vietnamese numbers and dates, no hashes."""
    from kcn_tracker.labels import value_label, yes_no

    value = yes_no(value_label(key, row.get(key), record_type=table.record_type, technologies=table.technologies))
    text = human(value)
    return _HASH.sub("", text) if isinstance(value, str) else text


def description(table: Table, row: dict[str, Any]) -> str:
    """An HTML table of the row's Vietnamese labels and human values (every value escaped)."""
    lines = ['<table border="1" cellpadding="3" style="border-collapse:collapse">']
    for column in table.columns:
        if column.key in _HIDDEN or row.get(column.key) is None:
            continue
        lines.append(f"<tr><th align=\"left\">{html.escape(column.label_vi)}</th>"
                     f"<td>{html.escape(human_value(table, column.key, row))}</td></tr>")
    lines.append("</table>")
    return "\n".join(lines)


class Styles:
    """KML Style elements made on demand, one per distinct look (fill, outline, width)."""

    def __init__(self, document: Any) -> None:
        self.document, self.ids = document, {}  # type: dict[tuple[str, str, float], str]

    def look(self, table: Table, row: dict[str, Any]) -> str:
        record_type = "project" if table.record_type == "project" else "zone"
        fill = style.stage_colour(record_type, row.get("stage"))
        if record_type == "zone":
            outline = style.kind_outline(row.get("kind"))
            line, width = outline.colour, outline.weight
        else:
            line, width = style.edge(fill), 1.5
        if row.get("open_obstacles"):
            line, width = style.OBSTACLE.colour, style.OBSTACLE.weight
        return self._style(fill, line, width, style.stage_fill_opacity(record_type, row.get("stage")))

    def _style(self, fill: str, line: str, width: float, opacity: float) -> str:
        key = (fill, line, width)
        if key not in self.ids:
            self.ids[key] = style_id = f"s{len(self.ids) + 1}"
            element = ET.Element("Style", id=style_id)
            icon = ET.SubElement(element, "IconStyle")
            ET.SubElement(icon, "color").text = style.kml_colour(fill)
            ET.SubElement(ET.SubElement(icon, "Icon"), "href").text = ICON
            ET.SubElement(ET.SubElement(element, "LabelStyle"), "scale").text = "0.8"
            line_style = ET.SubElement(element, "LineStyle")
            ET.SubElement(line_style, "color").text = style.kml_colour(line)
            ET.SubElement(line_style, "width").text = f"{width:g}"
            poly = ET.SubElement(element, "PolyStyle")
            ET.SubElement(poly, "color").text = style.kml_colour(fill, min(opacity, 0.6))
            self.document.insert(2, element)  # styles before the folders
        return "#" + self.ids[key]


def _geometry(parent: Any, geom: Any) -> None:
    if geom.geom_type == "Point":
        ET.SubElement(ET.SubElement(parent, "Point"), "coordinates").text = f"{geom.x:.7f},{geom.y:.7f}"
    elif geom.geom_type == "Polygon":
        polygon = ET.SubElement(parent, "Polygon")
        rings = [("outerBoundaryIs", geom.exterior)] + [("innerBoundaryIs", r) for r in geom.interiors]
        for tag, ring in rings:
            coords = " ".join(f"{x:.7f},{y:.7f}" for x, y in ring.coords)
            ET.SubElement(ET.SubElement(ET.SubElement(polygon, tag), "LinearRing"), "coordinates").text = coords
    elif geom.geom_type == "LineString":
        ET.SubElement(ET.SubElement(parent, "LineString"), "coordinates").text = " ".join(f"{x:.7f},{y:.7f}" for x, y in geom.coords)
    else:  # Multi* and collections
        multi = ET.SubElement(parent, "MultiGeometry")
        for part in geom.geoms:
            _geometry(multi, part)


def _name(table: Table, row: dict[str, Any]) -> str:
    name = str(row.get("name") or row.get("code"))
    if table.record_type == "zone" and row.get("kind") and not name.startswith(f"{row['kind']} "):
        name = f"{row['kind']} {name}" + (f" ({row['phase']})" if row.get("phase") else "")
    return name


def _placemark(folder: Any, styles: Styles, table: Table, row: dict[str, Any], geom: Any) -> None:
    placemark = ET.SubElement(folder, "Placemark")
    ET.SubElement(placemark, "name").text = _name(table, row)
    ET.SubElement(placemark, "description").text = description(table, row)
    ET.SubElement(placemark, "styleUrl").text = styles.look(table, row)
    data = ET.SubElement(placemark, "ExtendedData")
    ET.SubElement(ET.SubElement(data, "Data", name="code"), "value").text = str(row.get("code"))
    if geom is not None:
        _geometry(placemark, geom)


def write_kml(tables: list[Table], out: Path) -> int:
    """A KML document: one folder per table, then "Chưa có vị trí"; returns placemarks written."""
    import shapely

    from kcn_tracker.credits import MAP_CREDITS, full_line

    root = ET.Element("kml", {"xmlns": KML_NS})
    document = ET.SubElement(root, "Document")
    ET.SubElement(document, "name").text = f"KCN/CCN và dự án điện Khánh Hòa — {clock.today():%d/%m/%Y}"
    ET.SubElement(document, "description").text = "Nguồn dữ liệu:\n" + "\n".join(full_line(c) for c in MAP_CREDITS)
    styles = Styles(document)
    count = 0
    unlocated: list[tuple[Table, dict[str, Any]]] = []
    for table in tables:
        folder = ET.SubElement(document, "Folder")
        ET.SubElement(folder, "name").text = SHEET_TITLES[table.name]
        for row, wkt in zip(table.rows, table.geometries or []):
            if not wkt:
                unlocated.append((table, row))
                continue
            _placemark(folder, styles, table, row, shapely.from_wkt(wkt))
            count += 1
    folder = ET.SubElement(document, "Folder")
    ET.SubElement(folder, "name").text = UNLOCATED_FOLDER
    ET.SubElement(folder, "description").text = (f"{len(unlocated)} hồ sơ chưa có vị trí: liệt kê để không bỏ sót; "
                                                 "hồ sơ sẽ hiện trên bản đồ khi được bổ sung ranh giới hoặc tọa độ.")
    for table, row in unlocated:
        _placemark(folder, styles, table, row, None)
        count += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)
    return count
