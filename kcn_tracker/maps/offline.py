"""Make a briefing page self-contained (``kcn map --offline``): Leaflet's script and styles inlined.

Where Leaflet comes from: the PyPI package ``XStatic-Leaflet`` (a declared dependency),
which ships Leaflet's own ``dist`` files — the same Leaflet 1.9.3 that ``kcn map --cdn``
loads from a CDN (``page.LEAFLET_CDN``). Nothing is copied into this repository and nothing is downloaded at
run time, so ``--offline`` works on a machine that has never been online. The page
uses nothing else from outside (no jQuery, Bootstrap or icon fonts: see
``page._PAGE``); any other external script or stylesheet is refused with a
clear message rather than left to fail in the meeting room.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from kcn_tracker.errors import KcnError

_SCRIPT = re.compile(r'<script\s+src="([^"]+)"\s*>\s*</script>')
_STYLESHEET = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]+)"\s*/?>')
_CSS_URL = re.compile(r"url\((['\"]?)(images/[^)'\"]+)\1\)")


class OfflineAssetError(KcnError):
    """A script or stylesheet the page needs is not available offline."""


def leaflet_dir() -> Path:
    """Leaflet's dist folder as shipped by XStatic-Leaflet."""
    try:
        import xstatic.pkg.leaflet as xleaflet
    except ImportError:
        raise OfflineAssetError(
            "Thiếu gói XStatic-Leaflet (cần cho --offline) / package XStatic-Leaflet is missing: "
            "pip install 'XStatic-Leaflet>=1.9.3,<1.10'") from None
    return Path(xleaflet.BASE_DIR)


def _asset(url: str, suffix: str) -> Path:
    name = url.rsplit("/", 1)[-1]
    if "leaflet" not in url or name != f"leaflet.{suffix}":
        raise OfflineAssetError(
            f"--offline: không nhúng được tài nguyên ngoài / cannot inline external resource {url} "
            "(chỉ Leaflet được hỗ trợ / only Leaflet is supported)")
    return leaflet_dir() / name


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def inline_css(css: str, base: Path) -> str:
    """Leaflet's CSS with its images (layer-control icon, markers) as data: URIs."""
    return _CSS_URL.sub(lambda m: f"url({_data_uri(base / m.group(2))})", css)


def _safe_script(code: str) -> str:
    # The browser ends a <script> at the first "</script"; Leaflet's source maps are not shipped in the page.
    code = re.sub(r"//# sourceMappingURL=\S+", "", code)
    return code.replace("</script", "<\\/script")


def inline_assets(html: str) -> str:
    """``html`` with every ``<script src>`` and stylesheet ``<link>`` replaced by its contents."""
    def script(match: re.Match[str]) -> str:
        path = _asset(match.group(1), "js")
        return f"<script>/* Leaflet (XStatic-Leaflet) */{_safe_script(path.read_text(encoding='utf-8'))}</script>"

    def stylesheet(match: re.Match[str]) -> str:
        path = _asset(match.group(1), "css")
        return f"<style>{inline_css(path.read_text(encoding='utf-8'), path.parent)}</style>"

    html = _SCRIPT.sub(script, html)
    return _STYLESHEET.sub(stylesheet, html)
