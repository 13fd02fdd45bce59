"""QGIS styles (QML) for the exported GeoPackage, stored in its ``layer_styles`` table.

QGIS applies the default style it finds in ``layer_styles`` when a layer is opened, so
the layers open looking like the briefing map: categories by stage with the colours of
``kcn_tracker.style``, zone outlines by kind, project symbols sized by MW, a dashed
outline for approximate positions, the obstacle ring, names from about 1:250 000 on.
Every layer (attribute tables too) gets Vietnamese field aliases and value maps, so
the attribute table shows "Trong quy hoạch", not ``in_plan``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from kcn_tracker import style
from kcn_tracker.exporters.tables import Table

GEOMETRY_COLUMN = "geom"  # pyogrio's column name in a GeoPackage
LABEL_MAX_SCALE = 250000
_SYMBOL_TYPE = {"Point": "marker", "LineString": "line", "MultiLineString": "line", "Polygon": "fill", "MultiPolygon": "fill"}


def _option(name: str, value: Any) -> str:
    return f"<Option name={quoteattr(name)} value={quoteattr(str(value))} type=\"QString\"/>"


def _dd(properties: dict[str, str]) -> str:
    """Data-defined properties (QGIS expressions) of a symbol layer."""
    inner = "".join(
        f'<Option name={quoteattr(key)} type="Map"><Option name="active" value="true" type="bool"/>'
        f'<Option name="expression" value={quoteattr(expr)} type="QString"/><Option name="type" value="3" type="int"/></Option>'
        for key, expr in properties.items())
    return ('<data_defined_properties><Option type="Map"><Option name="name" value="" type="QString"/>'
            f'<Option name="properties" type="Map">{inner}</Option><Option name="type" value="collection" type="QString"/>'
            "</Option></data_defined_properties>")


def _kind_case(attr: str) -> str:
    return "CASE " + " ".join(f"WHEN \"kind\" = '{k}' THEN '{getattr(v, attr) if attr != 'colour' else style.qgis_colour(v.colour)}'"
                              for k, v in style.KIND_OUTLINES.items()) + " END"


def _layers(symbol_type: str, fill: str, record_type: str, alpha: float) -> str:
    """The symbol layers of one category: the shape, then the obstacle ring (enabled by an expression)."""
    dash = "CASE WHEN \"approximate\" THEN 'dash' ELSE 'solid' END"
    outline = {"outlineStyle": dash}
    if record_type == "zone":
        outline |= {"outlineColor": _kind_case("colour"), "outlineWidth": f"({_kind_case('weight')}) * 0.25"}
    edge = style.qgis_colour(style.edge(fill))
    if symbol_type == "marker":
        size = {"size": 'max(1.6, 0.22 * sqrt(coalesce("capacity_mw", 0)))'} if record_type == "project" else {}
        shape = ('<layer class="SimpleMarker" enabled="1" pass="0" locked="0"><Option type="Map">'
                 + _option("name", "circle" if record_type == "project" else "square") + _option("color", style.qgis_colour(fill, alpha))
                 + _option("outline_color", edge) + _option("outline_style", "solid") + _option("outline_width", "0.3")
                 + _option("outline_width_unit", "MM") + _option("size", "2.6") + _option("size_unit", "MM")
                 + "</Option>" + _dd(outline | size) + "</layer>")
        ring_size = 'max(1.6, 0.22 * sqrt(coalesce("capacity_mw", 0))) + 1.6' if record_type == "project" else "4.2"
        ring = ('<layer class="SimpleMarker" enabled="1" pass="1" locked="0"><Option type="Map">' + _option("name", "circle")
                + _option("color", style.qgis_colour(style.HALO, 0)) + _option("outline_color", style.qgis_colour(style.OBSTACLE.colour))
                + _option("outline_width", "0.6") + _option("outline_width_unit", "MM") + _option("size", "4")
                + _option("size_unit", "MM") + "</Option>" + _dd({"enabled": '"open_obstacles" > 0', "size": ring_size}) + "</layer>")
        return shape + ring
    if symbol_type == "line":
        return ('<layer class="SimpleLine" enabled="1" pass="0" locked="0"><Option type="Map">'
                + _option("line_color", style.qgis_colour(fill)) + _option("line_width", "0.8") + _option("line_width_unit", "MM")
                + _option("line_style", "solid") + "</Option>" + _dd({"outlineStyle": dash}) + "</layer>")
    return ('<layer class="SimpleFill" enabled="1" pass="0" locked="0"><Option type="Map">'
            + _option("color", style.qgis_colour(fill, style.ZONE_FILL_OPACITY)) + _option("style", "solid")
            + _option("outline_color", edge) + _option("outline_style", "solid") + _option("outline_width", "0.5")
            + _option("outline_width_unit", "MM") + "</Option>" + _dd(outline) + "</layer>")


def _alpha(record_type: str, stage: str) -> float:
    """Fill opacity: by stage for projects (as on the map), the zones' fill opacity otherwise."""
    return style.stage_fill_opacity("project", stage) if record_type == "project" else style.ZONE_FILL_OPACITY + 0.2


def _renderer(symbol_type: str, record_type: str) -> str:
    """Categories by stage, labelled in Vietnamese, coloured from the style."""
    from kcn_tracker.stages import PROJECT_STAGES, ZONE_STAGES

    stages = PROJECT_STAGES if record_type == "project" else ZONE_STAGES
    categories, symbols = [], []
    for i, stage in enumerate(stages):
        fill = style.stage_colour(record_type, stage.key)
        categories.append(f'<category value={quoteattr(stage.key)} symbol="{i}" label={quoteattr(stage.label_vi)} render="true"/>')
        symbols.append(f'<symbol type="{symbol_type}" name="{i}" alpha="1" clip_to_extent="1" force_rhr="0">'
                       f"{_layers(symbol_type, fill, record_type, _alpha(record_type, stage.key))}</symbol>")
    return (f'<renderer-v2 type="categorizedSymbol" attr="stage" symbollevels="0" enableorderby="0" forceraster="0">'
            f'<categories>{"".join(categories)}</categories><symbols>{"".join(symbols)}</symbols></renderer-v2>')


#: QGIS label placement by symbol type: around a point, along a line, over a polygon's centre.
_PLACEMENT = {"marker": 0, "line": 2, "fill": 1}


def _labeling(symbol_type: str) -> str:
    """Names ("name"), with a white buffer, shown from 1:LABEL_MAX_SCALE on."""
    return ('<labeling type="simple"><settings calloutType="simple">'
            f'<text-style fieldName="name" isExpression="0" fontSize="8" fontSizeUnit="Point" '
            f'textColor={quoteattr(style.qgis_colour(style.NEUTRAL["ink"]))} fontFamily="DejaVu Sans">'
            f'<text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor={quoteattr(style.qgis_colour(style.HALO))}/>'
            f'</text-style><placement placement="{_PLACEMENT[symbol_type]}" dist="1" distUnits="MM"/>'
            f'<rendering scaleVisibility="1" scaleMin="1" scaleMax="{LABEL_MAX_SCALE}" obstacle="1"/></settings></labeling>')


def _fields(table: Table) -> str:
    """Vietnamese aliases of every field and value maps for the coded ones."""
    from kcn_tracker.labels import labels_for

    configs = []
    for column in table.columns:
        labels = table.technologies if column.key == "technology" else labels_for(column.key, record_type=table.record_type)
        if labels:
            entries = "".join(f'<Option type="Map">{_option(label, key)}</Option>' for key, label in labels.items())
            widget = f'<editWidget type="ValueMap"><config><Option type="Map"><Option name="map" type="List">{entries}</Option></Option></config></editWidget>'
        else:
            widget = '<editWidget type="TextEdit"><config><Option/></config></editWidget>'
        configs.append(f"<field name={quoteattr(column.key)}>{widget}</field>")
    aliases = "".join(f"<alias field={quoteattr(c.key)} index=\"{i + 1}\" name={quoteattr(c.label_vi)}/>"
                      for i, c in enumerate(table.columns))
    return f"<fieldConfiguration>{''.join(configs)}</fieldConfiguration><aliases>{aliases}</aliases>"


def layer_qml(table: Table, geometry_type: str | None) -> str:
    """The QML document of one layer (renderer and labels for spatial layers, fields for all)."""
    body = _fields(table)
    if geometry_type:
        record_type = table.record_type or "zone"
        body = _renderer(_SYMBOL_TYPE[geometry_type], record_type) + _labeling(_SYMBOL_TYPE[geometry_type]) + body
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
            f'<qgis version="3.28.0" styleCategories="AllStyleCategories">{body}</qgis>')


def write_layer_styles(path: Path, layers: list[tuple[str, Table, str | None]]) -> None:
    """Create ``layer_styles`` (QGIS's schema, registered in gpkg_contents) with a default style per layer."""
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), "
                "f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), "
                "styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), "
                "update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))")
            connection.execute(
                "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description) "
                "VALUES ('layer_styles', 'attributes', 'layer_styles', 'Kiểu hiển thị QGIS của các lớp')")
            for name, table, geometry_type in layers:
                connection.execute(
                    "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
                    "styleQML, styleSLD, useAsDefault, description, owner) VALUES ('', '', ?, ?, ?, ?, '', 1, ?, '')",
                    (name, GEOMETRY_COLUMN if geometry_type else "", f"{name} (kcn-tracker)", layer_qml(table, geometry_type),
                     "Kiểu như bản đồ giao ban: màu theo giai đoạn, viền theo loại khu"))
    finally:
        connection.close()
