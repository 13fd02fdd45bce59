"""Open an exported GeoPackage in QGIS (headless) and check that every layer comes up styled.

Not part of the test suite (QGIS is a large install). With Debian's QGIS:

    apt-get install --no-install-recommends python3-qgis
    kcn export --format gpkg --out kcn.gpkg
    QT_QPA_PLATFORM=offscreen PYTHONPATH=. /usr/bin/python3 scripts/check_qgis.py kcn.gpkg [picture.png]

Each layer is opened as QGIS opens it (the default style from ``layer_styles``); the script
prints its geometry type, feature count, field aliases and value maps, and for spatial
layers checks that the renderer is categorised by stage with the colours of
``kcn_tracker.style``. With a PNG path it also draws the spatial layers. Exit status 1 when
a layer is not valid or not styled as expected.
"""

from __future__ import annotations

import os
import sqlite3
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def expected_colours() -> dict[str, dict[str, str]]:
    from kcn_tracker import style
    from kcn_tracker.stages import stages_for

    return {kind: {s.key: style.stage_colour(kind, s.key).lower() for s in stages_for(kind)} for kind in ("project", "zone")}


def check(path: str, picture: str | None = None) -> list[str]:
    from qgis.core import QgsApplication, QgsCategorizedSymbolRenderer, QgsVectorLayer, QgsWkbTypes

    app = QgsApplication([], False)
    app.initQgis()
    expected = expected_colours()
    names = [r[0] for r in sqlite3.connect(path).execute(
        "SELECT table_name FROM gpkg_contents WHERE table_name != 'layer_styles' ORDER BY table_name")]
    problems, spatial = [], []
    for name in names:
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")  # as QGIS adds a layer: default style loaded
        if not layer.isValid():
            problems.append(f"{name}: the layer does not open")
            continue
        fields = layer.fields()
        maps = sorted(f.name() for f in fields if f.editorWidgetSetup().type() == "ValueMap")
        line = (f"{name}: {QgsWkbTypes.displayString(layer.wkbType())}, {layer.featureCount()} features, "
                f"{sum(1 for f in fields if f.alias())}/{len(fields)} aliases, value maps {maps}")
        if layer.isSpatial():
            spatial.append(layer)
            renderer = layer.renderer()
            if not isinstance(renderer, QgsCategorizedSymbolRenderer) or renderer.classAttribute() != "stage":
                problems.append(f"{name}: renderer {renderer.type()}, not categorised by stage")
            else:
                got = {c.value(): c.symbol().color().name() for c in renderer.categories()}
                want = expected["project" if name.startswith("projects") else "zone"]
                if got != want:
                    problems.append(f"{name}: colours {got} differ from the map's {want}")
                line += f"; {len(got)} stage categories, labels {'on' if layer.labelsEnabled() else 'off'}"
        print(line)
    if picture and spatial:
        _draw(spatial, picture)
    return problems


def _draw(layers: list, picture: str) -> None:
    from qgis.core import QgsCoordinateReferenceSystem, QgsMapRendererParallelJob, QgsMapSettings, QgsRectangle
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    extent = QgsRectangle()
    for layer in layers:
        if layer.featureCount():
            extent.combineExtentWith(layer.extent())
    extent.scale(1.1)
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    settings.setExtent(extent)
    settings.setOutputSize(QSize(700, 1000))
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(picture, "png")
    print(f"drawn at 1:{settings.scale():,.0f} -> {picture}")


if __name__ == "__main__":
    found = check(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
    print("problems:", found or "none")
    sys.stdout.flush()
    os._exit(1 if found else 0)  # QgsApplication.exitQgis() may crash on exit when headless
