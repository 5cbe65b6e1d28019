"""The HTML report: self-contained, and what Chromium renders carries exactly the mart figures."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser

import pytest

from report import browser
from report.figures import ministry_tables, value_of
from report.html import HTML_TABLES, OPTIONAL_COLUMNS, format_figure
from report.layout import COLUMNS, kind_of

from .conftest import INJECTED_NAME, PERIOD, YEAR


class _Figures(HTMLParser):
    """Collects the text of every element with data-figure, and the body's attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[str, str] = {}
        self.body: dict[str, str] = {}
        self._current: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "body":
            self.body = attrs
        if "data-figure" in attrs:
            self._current, self._text = attrs["data-figure"], []

    def handle_data(self, data):
        if self._current:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._current and tag == "td":
            self.figures[self._current] = "".join(self._text).strip()
            self._current = None


@pytest.fixture(scope="module")
def chromium():
    if browser.find_chromium() is None:
        if os.environ.get("BDG_ALLOW_NO_CHROMIUM"):
            pytest.skip("chromium not installed and BDG_ALLOW_NO_CHROMIUM set")
        pytest.fail("chromium is required for the rendering test (apt-get install chromium; .ci/run installs it)")
    return browser


@pytest.fixture(scope="module")
def rendered(built, chromium):
    dom = chromium.dump_dom(built.outputs["html"])
    parser = _Figures()
    parser.feed(dom)
    return dom, parser


def test_the_file_needs_nothing_from_the_network(built):
    html = built.outputs["html"].read_text(encoding="utf-8")
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", html, re.IGNORECASE)
    for attribute, value in re.findall(r"\b(src|href|action|poster)\s*=\s*[\"']([^\"']*)", html, re.IGNORECASE):
        assert value.startswith(("data:", "#")), (attribute, value[:60])
    assert "@import" not in html and "url(" not in html
    assert html.count('src="data:image/svg+xml;base64,') == 4


def test_rendered_page_shows_every_figure_of_the_marts(built, rendered):
    dom, parser = rendered
    tables = ministry_tables(built.con, YEAR, PERIOD)
    checked = 0
    for key in HTML_TABLES:
        for position, record in enumerate(tables[key].to_dict("records")):
            for col in COLUMNS[key]:
                if col.key in ("stt", "label"):
                    continue
                value = value_of(record.get(col.key))
                expected = format_figure(kind_of(col, record), value)
                if value is None and (record["row_kind"] == "section" or col.key in OPTIONAL_COLUMNS):
                    expected = ""
                assert parser.figures[f"{key}/{position}/{col.key}"] == expected, (key, position, col.key)
                checked += 1
    assert checked > 300
    # a few figures spelled out, Vietnamese style
    total = tables["activities"][tables["activities"]["row_kind"] == "total"].iloc[0]
    assert parser.figures[f"activities/{len(tables['activities']) - 1}/budget_vnd"] == (
        f"{int(total['budget_vnd']):,}".replace(",", ".")
    )


def test_rendered_page_draws_all_charts_and_reads_as_vietnamese(built, rendered):
    dom, parser = rendered
    assert parser.body.get("data-charts-drawn") == "4"
    for text in ("Báo cáo kết quả thực hiện công tác bình đẳng giới", "Năm 2026", "Số liệu tính đến ngày 21/12/2026"):
        assert text.lower() in dom.lower()
    assert INJECTED_NAME not in dom or "&quot;" in dom or "=HYPERLINK" in dom  # escaped text, never markup
    assert "<script>alert" not in dom


def test_screenshot_is_a_real_picture(built, chromium, tmp_path):
    png = chromium.screenshot(built.outputs["html"], tmp_path / "report.png", height=1600)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
