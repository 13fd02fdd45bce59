"""The briefing map shows a zone's leased land from its tenant projects and says so (in Chromium)."""

from __future__ import annotations

import pytest

from cli_helpers import kcn
from test_map_browser import Page, _write, browser  # noqa: F401  (the module-scoped browser fixture)
from test_tenant_cli import ADD

pytestmark = pytest.mark.browser


def test_popup_says_the_basis_of_leased_land(browser, bundled_url, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("KCN_TODAY", "2026-07-15")
    assert kcn(bundled_url, *ADD).exit_code == 0  # 5,2 ha leased in KCN Ninh Thủy
    out, payload = _write(bundled_url, tmp_path, "--offline")
    page = Page(browser, out)
    text = page.popup("kcn-ninh-thuy")
    assert "Đã cho thuê\t5,2 ha (theo dự án thứ cấp)\n" in text
    page.screenshot("tenant-popup.png")
    assert page.errors() == []
