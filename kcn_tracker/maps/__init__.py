"""Briefing maps: collect → payload → html (interactive page) | png (static picture).

Dependency direction: ``collect`` reads the register (library); ``style`` declares
the look; ``encoding``/``payload`` turn a ``Briefing`` into plain data; ``page``,
``panels`` and ``picture`` render it. Nothing here imports matplotlib or
geopandas at import time.
"""

from kcn_tracker.maps.collect import KINDS, Briefing, MapOptions, apply_filters, collect_briefing, last_changes
from kcn_tracker.maps.encoding import decode_geometry, encode_geometry
from kcn_tracker.maps.page import briefing_html, write_briefing_map
from kcn_tracker.maps.payload import briefing_payload, read_payload

__all__ = ["KINDS", "Briefing", "MapOptions", "apply_filters", "briefing_html", "briefing_payload", "collect_briefing",
           "decode_geometry", "encode_geometry", "last_changes", "read_payload", "write_briefing_map"]
