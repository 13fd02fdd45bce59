"""Who to credit for the data a map, picture or export shows (data/SOURCES.md, shared/data/README.md).

Every map, the static picture and the KML/GeoPackage exports carry these lines: the
planning documents for the figures, geoBoundaries for the province outline, and the
open datasets the points were read from (Global Energy Monitor, WRI's Global Power
Plant Database, GeoNames — CC BY 4.0 requires the attribution). The software is not a
data source and is never credited as one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Credit:
    """One data source: what it gave, the attribution to carry, its licence and where it is."""

    key: str
    role: str  # what it is used for (Vietnamese)
    attribution: str
    licence: str
    short: str  # for tight spaces (the picture's footer, the map's corner)
    url: str = ""


DOCUMENTS = Credit(
    "documents", "Số liệu, giai đoạn, mục tiêu",
    "Các kế hoạch của UBND tỉnh Khánh Hòa, Sở Công Thương và Ban Quản lý KKT và các KCN (nguồn ghi theo từng hồ sơ)",
    "", "Số liệu: kế hoạch của UBND tỉnh, Sở Công Thương, BQL KKT và các KCN Khánh Hòa")
GEOBOUNDARIES = Credit(
    "geoboundaries", "Ranh giới tỉnh",
    "geoBoundaries (Runfola et al. 2020, PLoS ONE 15(4): e0231866), sources Open Development Mekong and the Dept "
    "of Survey and Mapping", "CC BY-SA 4.0", "Ranh giới: geoBoundaries, CC BY-SA 4.0", "https://www.geoboundaries.org")
GEM = Credit(
    "gem", "Vị trí nhà máy (thủy điện tích năng, LNG, hạt nhân)",
    "Global Energy Monitor, Global Hydropower / Oil and Gas Plant / Nuclear Power Tracker", "CC BY 4.0",
    "Vị trí: Global Energy Monitor (CC BY 4.0)", "https://globalenergymonitor.org")
WRI = Credit(
    "wri", "Vị trí nhà máy điện mặt trời Phước Nam",
    "Global Energy Observatory, Google, KTH Royal Institute of Technology in Stockholm, Enipedia, World Resources "
    "Institute. Global Power Plant Database v1.3.0 (2021)", "CC BY 4.0",
    "WRI Global Power Plant Database v1.3.0 (CC BY 4.0)", "https://datasets.wri.org/dataset/globalpowerplantdatabase")
GEONAMES = Credit(
    "geonames", "Vị trí gần đúng (trung tâm huyện cũ, xã)", "GeoNames (geonames.org)", "CC BY 4.0",
    "GeoNames (CC BY 4.0)", "https://www.geonames.org")
NATURAL_EARTH = Credit(
    "natural_earth", "Bản đồ vị trí (các nước lân cận)", "Made with Natural Earth, 1:110m Admin 0 countries",
    "public domain", "Natural Earth (public domain)", "https://www.naturalearthdata.com")

#: What the interactive map, KML and GeoPackage show (figures, outline, points).
MAP_CREDITS: tuple[Credit, ...] = (DOCUMENTS, GEOBOUNDARIES, GEM, WRI, GEONAMES)
#: The static picture also draws Natural Earth context.
PICTURE_CREDITS: tuple[Credit, ...] = (*MAP_CREDITS, NATURAL_EARTH)


def full_line(credit: Credit) -> str:
    """'role: attribution, licence' (the full attribution)."""
    return f"{credit.role}: {credit.attribution}" + (f", {credit.licence}" if credit.licence else "")


def full_text(credits: tuple[Credit, ...] = MAP_CREDITS) -> str:
    """Every full attribution, one per line."""
    return "\n".join(full_line(c) for c in credits)


def short_text(credits: tuple[Credit, ...] = MAP_CREDITS) -> str:
    """The attributions in one line for a footer: 'Số liệu: …. Ranh giới: …. Vị trí: ….'"""
    points = [c.short for c in credits if c.key in ("gem", "wri", "geonames", "natural_earth")]
    others = [c.short for c in credits if c.key not in ("gem", "wri", "geonames", "natural_earth")]
    return ". ".join([*others, "; ".join(points)]) + "."


def narrow_text(credits: tuple[Credit, ...] = MAP_CREDITS) -> str:
    """The attributions as short as they may be (a phone's map corner): source names and licences."""
    names = {"geoboundaries": "geoBoundaries", "gem": "Global Energy Monitor", "wri": "WRI GPPD", "geonames": "GeoNames",
             "natural_earth": "Natural Earth"}
    return "Nguồn: " + "; ".join(f"{names.get(c.key, c.key)} ({c.licence})" for c in credits if c.licence)
