"""WeasyPrint's SVG text, drawn a label at a time instead of a letter at a time.

WeasyPrint (up to 70 at least) lays out and draws every SVG ``<text>`` letter by letter, so
that it can honour per-letter ``x``/``y``/``dx``/``dy``/``rotate`` lists, letter-spacing and
textLength. A report's charts have ~630 labels and none of those: on the 1,000,000-episode
benchmark the letters were ~1.5 s of the PDF's ~4.5 s. ``install`` puts in a drawing that
lays out and draws a label with none of them in one piece, as the same font, size, weight,
fill and anchor (the glyphs are shaped as a whole, with the font's kerning, as a browser and
vl-convert draw them); any other text goes to WeasyPrint's own drawing, as ever.

It replaces a function inside WeasyPrint, so it is installed only on the versions it was
written against (``VERSIONS``); on any other, WeasyPrint draws as it always does.
"""

from __future__ import annotations

import sys
from math import inf
from typing import Any

VERSIONS = ("70.",)  # WeasyPrint versions whose svg.text this mirrors
_PER_LETTER = ("dx", "dy", "rotate", "textLength", "letter-spacing")
_installed: dict[str, Any] = {}


def install() -> bool:
    """Draws simple SVG labels whole from now on; whether it could (a known WeasyPrint)."""
    if "original" in _installed:
        return True
    import weasyprint
    import weasyprint.svg as svg_package

    module = sys.modules.get("weasyprint.svg.text")
    original = getattr(module, "text", None)
    if (
        not str(weasyprint.__version__).startswith(VERSIONS)
        or original is None
        or svg_package.TAGS.get("text") is not original
        or getattr(svg_package, "text", None) is not original
    ):
        return False
    _installed["original"] = original
    # draw_node knows text nodes by ``TAGS.get(tag) == text`` (the package's name): both
    svg_package.TAGS["text"] = _label
    svg_package.text = _label  # type: ignore[attr-defined]
    return True


def uninstall() -> None:
    """WeasyPrint's own drawing again (for tests)."""
    original = _installed.pop("original", None)
    if original is not None:
        import weasyprint.svg as svg_package

        svg_package.TAGS["text"] = original
        svg_package.text = original  # type: ignore[attr-defined]


def _one(node: Any, name: str) -> bool:
    from weasyprint.svg.utils import normalize

    return name not in node.attrib or len(normalize(node.attrib[name]).split()) <= 1


def _simple(node: Any) -> bool:
    return (
        bool(node.text)
        and not any(node.get(name) for name in _PER_LETTER)
        and _one(node, "x")
        and _one(node, "y")
    )


def _label(svg: Any, node: Any, font_size: float) -> None:
    """weasyprint.svg.text.text for a label with one place and no per-letter attributes:
    the same steps, with the whole label as its one "letter"."""
    if not _simple(node):
        _installed["original"](svg, node, font_size)
        return
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.text import Style, TextBox
    from weasyprint.svg.utils import normalize, size
    from weasyprint.text.line_break import split_first_line

    style = Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [
        font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")
    ]
    style["font_style"] = node.get("font-style", "normal")
    weight = node.get("font-weight", 400)
    if weight == "normal":
        weight = 400
    elif weight == "bold":
        weight = 700
    else:
        try:
            weight = int(weight)
        except ValueError:
            weight = 400
    style["font_weight"] = weight
    style["font_size"] = font_size
    if node.get("direction") in ("ltr", "rtl"):
        style["direction"] = node.get("direction")

    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)
    x = y = None
    if "x" in node.attrib:
        x = size(normalize(node.attrib["x"]).strip(), font_size, svg.inner_width)
    if "y" in node.attrib:
        y = size(normalize(node.attrib["y"]).strip(), font_size, svg.inner_height)

    ascent, descent = font_size * 0.8, font_size * 0.2  # as WeasyPrint: "use real values"
    y_align = 0.0
    display_anchor = node.get("display-anchor")
    alignment_baseline = node.get("dominant-baseline", node.get("alignment-baseline"))
    if display_anchor == "middle":
        y_align = -height / 2
    elif display_anchor == "top":
        pass
    elif display_anchor == "bottom":
        y_align = -height
    elif alignment_baseline in ("central", "middle"):
        y_align = (ascent + descent) / 2 - descent
    elif alignment_baseline in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
        y_align = ascent
    elif alignment_baseline in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
        y_align = -descent

    if x:
        svg.cursor_d_position[0] = 0
    if y:
        svg.cursor_d_position[1] = 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y
    x_position = x + svg.cursor_d_position[0]
    y_position = y + svg.cursor_d_position[1] + y_align
    points = (
        (x_position, y_position - baseline),
        (x_position + width, y_position - baseline + height),
    )
    node.text_bounding_box = extend_bounding_box(node.text_bounding_box, points)

    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    text_box = TextBox(layout, style)
    text_box.baseline = baseline
    matrix = Matrix(a=1, d=-1, e=x_position, f=y_position)
    emojis = draw_first_line(svg.stream, text_box, "none", "none", matrix)
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)
