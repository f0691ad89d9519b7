"""The print version (PDF): what makes WeasyPrint fast without changing what it shows."""

from __future__ import annotations

import base64
import io
import logging
import re
from typing import Any

import pytest
import vl_convert as vlc
from PIL import Image, ImageChops

from hiddenharm.reports import build, charts, render_html, view
from hiddenharm.reports.charts import Table


def _pixels(svg: str) -> Image.Image:
    return Image.open(io.BytesIO(vlc.svg_to_png(svg, scale=2))).convert("RGB")


def test_it_draws_the_print_chart_pixel_for_pixel_as_the_screen_chart(
    detailed: dict[str, Any],
) -> None:
    figures = [f for s in view.sections(detailed, 0.9) for f in s.figures]
    assert len(figures) > 10
    lines_before = lines_after = 0
    for f in figures:
        printed = charts.for_print(f.svg)
        lines_before += f.svg.count("<line")
        lines_after += printed.count("<line")
        assert 'd="M0,0h0v0h0Z"' not in printed and 'display="none"' not in printed
        assert printed.count("<text") == f.svg.count("<text")
        assert ImageChops.difference(_pixels(f.svg), _pixels(printed)).getbbox() is None, f.id
    # the grid lines and ticks became a few paths
    assert lines_before > 200 and lines_after < lines_before / 10


def test_it_keeps_lines_it_cannot_merge_as_they_were() -> None:
    ns = 'xmlns="http://www.w3.org/2000/svg"'
    svg = (
        f'<svg {ns} width="10" height="10"><g>'
        '<line transform="translate(1,0)" x2="0" y2="5" stroke="#888"/>'
        '<line transform="translate(2,0)" x2="0" y2="5" stroke="#888"/>'
        '<line transform="translate(3,0)" x2="0" y2="5" stroke="#888" opacity="0.5"/>'
        '<line transform="rotate(45)" x2="0" y2="5" stroke="#888"/>'
        '<line transform="translate(4,0)" x2="0" y2="5" stroke="#d4351c"/>'
        '<path d="M0,0h0v0h0Z" stroke="#000"/>'
        '<path d="" display="none"/></g></svg>'
    )
    printed = charts.for_print(svg)
    # the first two (alike but for their place) are one path; the rest stay apart
    assert 'd="M1,0L1,5M2,0L2,5"' in printed
    assert printed.count("<line") == 2  # the translucent one and the rotated one
    assert 'd="M4,0L4,5"' in printed and 'stroke="#d4351c"' in printed
    assert 'd="M0,0h0v0h0Z"' in printed  # it has a stroke: a dot with some caps
    assert 'display="none"' not in printed
    assert charts.for_print("<svg not xml") == "<svg not xml"


def test_it_embeds_the_print_charts_as_svg_images(detailed: dict[str, Any]) -> None:
    html = render_html(detailed, for_print=True)
    images = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)"', html)
    figures = [f for s in view.sections(detailed, 0.9) for f in s.figures]
    assert len(images) == len(figures)
    assert "<svg" not in html  # no inline SVG for WeasyPrint's CSS cascade to walk
    first = base64.b64decode(images[0]).decode()
    assert first == charts.for_print(figures[0].svg)


def _colgroups(html: str) -> list[list[float]]:
    return [
        [float(w) for w in re.findall(r'<col style="width: ([\d.]+)%">', group)]
        for group in re.findall(r"<colgroup>(.*?)</colgroup>", html)
    ]


def test_it_lays_printed_tables_out_fixed_with_a_width_for_every_column(
    detailed: dict[str, Any],
) -> None:
    html = render_html(detailed, for_print=True)
    assert re.search(r"body\.print table \{[^}]*table-layout: fixed", html)
    groups = _colgroups(html)
    tables = [t for s in view.sections(detailed, 0.9) for t in [f.table for f in s.figures]]
    assert len(groups) >= len(tables)
    for widths in groups:
        assert widths and all(w > 0 for w in widths)
        assert sum(widths) == pytest.approx(100, abs=0.5)
    # on screen the browser lays tables out itself
    assert _colgroups(render_html(detailed, interactive=False)) == []


def test_it_gives_a_printed_column_at_least_its_longest_word() -> None:
    wide = Table(
        "Many columns",
        ["Treatment", *[f"Heading{i} presentations" for i in range(5)]],
        [["Drug treatment", *["117,504 of 126,350"] * 5]],
    )
    widths = wide.print_widths()
    line = charts.PRINT_LINE
    for w in widths[1:]:  # "presentations" (13 letters, bold) must fit on its line
        assert w / 100 * line >= 13 * charts.BOLD_WIDER + charts.PRINT_PADDING - 0.1
    narrow = Table("Few", ["Parental status", "Clients", "Share"], [["Not recorded", "5", "1%"]])
    first, *rest = narrow.print_widths()
    assert first > max(rest)  # the labels' column is the widest
    assert sum(narrow.print_widths()) == pytest.approx(100, abs=0.5)


def test_a_build_for_a_pdf_hands_over_the_trend_chart_before_the_areas_compute(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    import datetime as dt

    from hiddenharm.measures import Submission
    from hiddenharm.synth import generate

    generate(tmp_path, area="E10000020,E06000031", episodes=120, seed=3)
    events: list[str] = []

    class Drawing:
        def add(self, specs: Any) -> None:
            for spec in specs:
                events.append("trend" if "'quarter'" in str(spec) else "chart")

        def finish(self) -> int:
            events.append("finish")
            return 0

        def cancel(self) -> None:
            events.append("cancel")

    areas = Submission.areas

    def measured_areas(self: Any, *args: Any, **kwargs: Any) -> Any:
        events.append("areas")
        return areas(self, *args, **kwargs)

    monkeypatch.setattr(build, "_drawing_ahead", Drawing)
    monkeypatch.setattr(Submission, "areas", measured_areas)
    build.build_report(tmp_path, as_of=dt.date(2026, 1, 1), draw_charts=True)
    assert "trend" in events and "areas" in events
    assert events.index("trend") < events.index("areas") < len(events) - 2
    assert events[-1] == "finish" and events[-2] == "chart"  # the areas' chart, last


LABELS_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120">'
    '<g font-family="Liberation Sans, Arial, sans-serif" font-size="11px" fill="#0b0c0c">'
    '<text x="10" y="20">Recorded</text>'
    '<text text-anchor="end" transform="translate(290,50)">Up to date</text>'
    '<text text-anchor="middle" x="150" y="90" font-weight="bold">All agencies</text>'
    "</g></svg>"
)


def _drawn_labels(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, float, float, float]]:
    """(text, x, y, width) of each piece of SVG text WeasyPrint draws for LABELS_SVG."""
    import weasyprint
    import weasyprint.draw.text as draw_text
    from weasyprint.text.line_break import line_size

    own = draw_text.draw_first_line
    drawn: list[tuple[str, float, float, float]] = []

    def recording(stream: Any, box: Any, *args: Any) -> Any:
        matrix = args[-1]
        line, _ = box.pango_layout.get_first_line()
        width, _ = line_size(line, box.style)
        drawn.append((box.text, round(matrix[2][0], 2), round(matrix[2][1], 2), width))
        return own(stream, box, *args)

    monkeypatch.setattr(draw_text, "draw_first_line", recording)
    uri = "data:image/svg+xml;base64," + base64.b64encode(LABELS_SVG.encode()).decode()
    weasyprint.HTML(string=f'<img src="{uri}">').write_pdf()
    monkeypatch.setattr(draw_text, "draw_first_line", own)
    return drawn


def test_it_draws_chart_labels_whole_where_weasyprint_drew_them_letter_by_letter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from hiddenharm.reports import svgtext

    svgtext.uninstall()
    letters = _drawn_labels(monkeypatch)
    try:
        assert svgtext.install()
        whole = _drawn_labels(monkeypatch)
    finally:
        svgtext.uninstall()
    assert [t for t, *_ in whole] == ["Recorded", "Up to date", "All agencies"]
    assert "".join(t for t, *_ in letters) == "RecordedUp to dateAll agencies"
    # each label starts where WeasyPrint put its first letter, and is as wide as its letters
    starts = {t: (x, y) for t, x, y, _ in whole}
    for label in ("Recorded", "Up to date", "All agencies"):
        at = "".join(t for t, *_ in letters).index(label)
        first = letters[at]
        assert starts[label] == pytest.approx(first[1:3], abs=0.01)
        width = next(w for t, _, _, w in whole if t == label)
        assert width == pytest.approx(sum(w for *_, w in letters[at : at + len(label)]), rel=0.03)


def test_it_leaves_weasyprint_alone_when_it_does_not_know_the_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import weasyprint
    import weasyprint.svg as svg_package

    from hiddenharm.reports import svgtext

    svgtext.uninstall()
    own = svg_package.TAGS["text"]
    monkeypatch.setattr(weasyprint, "__version__", "99.0")
    assert not svgtext.install()
    assert svg_package.TAGS["text"] is own


def test_it_leaves_per_letter_text_to_weasyprint(monkeypatch: pytest.MonkeyPatch) -> None:
    from hiddenharm.reports import svgtext

    svgtext.uninstall()
    assert svgtext.install()
    try:
        drawn: list[str] = []
        own = svgtext._installed["original"]

        def original(svg: Any, node: Any, font_size: float) -> None:
            drawn.append(node.text)
            own(svg, node, font_size)

        monkeypatch.setitem(svgtext._installed, "original", original)
        svg = LABELS_SVG.replace(
            "</g>", '<text x="10 20 30" y="110">abc</text><text dx="2" y="110">d</text></g>'
        )
        import weasyprint

        uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        weasyprint.HTML(string=f'<img src="{uri}">').write_pdf()
        assert drawn == ["abc", "d"]
    finally:
        svgtext.uninstall()


def test_it_draws_every_print_chart_of_the_pdf_without_an_error(
    detailed: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    # WeasyPrint logs an SVG it cannot draw and leaves it out of the PDF
    from hiddenharm.reports import render_pdf

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render_pdf(detailed)
    assert pdf.startswith(b"%PDF")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
