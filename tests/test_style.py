"""One style, declared once (kcn_tracker/style.py): every consumer takes its colours from it, and the
palette stays apart for colour-blind readers and legible on a projector."""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import pytest

from kcn_tracker import style

PACKAGE = Path(__file__).resolve().parent.parent / "kcn_tracker"
#: Every module that draws or exports something coloured.
CONSUMERS = [*sorted((PACKAGE / "maps").glob("*.py")), *sorted((PACKAGE / "maps").glob("*.js")), PACKAGE / "reports" / "charts.py",
             *sorted((PACKAGE / "exporters").glob("*.py"))]
COLOUR_LITERAL = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b(?![-\w])|\brgba?\(\s*\d|['\"][0-9a-fA-F]{8}['\"]"
                            r"|['\"]\d{1,3},\d{1,3},\d{1,3},\d{1,3}['\"]")


def test_no_consumer_writes_a_colour_of_its_own() -> None:
    assert len(CONSUMERS) >= 15
    found = {path.name: COLOUR_LITERAL.findall(path.read_text(encoding="utf-8")) for path in CONSUMERS}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_the_literal_check_would_catch_one() -> None:
    for sample in ('color="#f9a825"', "fill: #fff;", "rgba(0,0,0,.3)", '"ff00c8ff"', '"230,159,0,255"'):
        assert COLOUR_LITERAL.search(sample), sample
    assert not COLOUR_LITERAL.search('id="kcn-data" href="#s1"')


def test_consumers_use_the_style_values(bundled_url: str, tmp_path: Path) -> None:
    from kcn_tracker.reports import charts
    from kcn_tracker.db import make_engine, session_scope
    from kcn_tracker.maps import MapOptions, briefing_payload, collect_briefing

    assert charts.COLOURS is style.TECH_COLOURS
    engine = make_engine(bundled_url)
    with session_scope(engine) as session:
        payload = briefing_payload(collect_briefing(session, MapOptions()))
    engine.dispose()
    lookups = payload["lookups"]
    assert {k: v["color"] for k, v in lookups["tech"].items()} == {k: style.tech_colour(k) for k in lookups["tech"]}
    assert lookups["pstage"]["construction"]["color"] == style.STAGE_GROUP_COLOURS["construction"]
    assert lookups["kinds"]["CCN"]["color"] == style.KIND_OUTLINES["CCN"].colour
    assert lookups["style"]["obstacle"] == style.OBSTACLE.colour and lookups["style"]["overdue"] == style.OVERDUE.colour


def test_colour_conversions() -> None:
    assert style.kml_colour("#E69F00") == "ff009fe6" and style.kml_colour("#000000", 0.4) == "66000000"
    assert style.qgis_colour("#E69F00", 0.5) == "230,159,0,128"
    assert style.edge("#FFFFFF", 0.5) == "#808080"


# ---- legibility --------------------------------------------------------------------------------------

def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _luminance(colour: str) -> float:
    r, g, b = (_linear(v / 255) for v in style.rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


#: Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
CVD = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}


def _lab(rgb_linear: tuple[float, ...]) -> tuple[float, float, float]:
    r, g, b = (min(max(v, 0.0), 1.0) for v in rgb_linear)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _seen(colour: str, deficiency: str | None) -> tuple[float, float, float]:
    rgb = [_linear(v / 255) for v in style.rgb(colour)]
    if deficiency:
        rgb = [sum(m * c for m, c in zip(row, rgb)) for row in CVD[deficiency]]
    return _lab(tuple(rgb))


@pytest.mark.parametrize("deficiency", [None, *CVD])
def test_stage_colours_stay_apart_for_colour_blind_readers(deficiency: str | None) -> None:
    colours = [*style.STAGE_GROUP_COLOURS.values(), *style.STAGE_OVERRIDES.values()]
    for a, b in itertools.combinations(colours, 2):
        assert math.dist(_seen(a, deficiency), _seen(b, deficiency)) > 10, (deficiency, a, b)


@pytest.mark.parametrize("deficiency", [None, *CVD])
def test_the_confusions_the_issue_names_are_gone(deficiency: str | None) -> None:
    # KKT's outline against the open-obstacle ring; CCN's outline against LNG.
    for a, b in ((style.KIND_OUTLINES["KKT"].colour, style.OBSTACLE.colour),
                 (style.KIND_OUTLINES["CCN"].colour, style.TECH_COLOURS["lng"]),
                 (style.KIND_OUTLINES["KCN"].colour, style.OBSTACLE.colour)):
        assert math.dist(_seen(a, deficiency), _seen(b, deficiency)) > 20, (deficiency, a, b)


def test_outlines_are_legible_on_white_for_a_projector() -> None:
    fills = [*style.STAGE_GROUP_COLOURS.values(), *style.TECH_COLOURS.values(), *style.STAGE_OVERRIDES.values()]
    for fill in fills:  # every symbol is outlined in its darker edge: at least 3:1 against white (WCAG graphics)
        assert _contrast(style.edge(fill), style.NEUTRAL["paper"]) >= 3, fill
    for outline in (*style.KIND_OUTLINES.values(), style.OBSTACLE, style.OVERDUE, style.PROVINCE):
        assert _contrast(outline.colour, style.NEUTRAL["paper"]) >= 3, outline
