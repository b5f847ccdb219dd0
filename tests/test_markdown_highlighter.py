"""Markdown highlighting: the pure span rules, then the thin Qt wrapper."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette, QTextDocument

from desk.model import validation
from desk.ui.editor.markdown_highlighter import (
    KINDS,
    NORMAL,
    PLACEHOLDER,
    MarkdownHighlighter,
    formats_for,
    spans,
)


def kinds(line: str, state: int = NORMAL) -> dict[str, list[str]]:
    """kind -> the texts it covers, for readable assertions."""
    found, _ = spans(line, state)
    out: dict[str, list[str]] = {}
    for start, length, kind in found:
        out.setdefault(kind, []).append(line[start : start + length])
    return out


def test_inline_and_block_rules() -> None:
    assert kinds("## A heading") == {"heading": ["## A heading"]}
    assert kinds("**bold** and *it* and _it_ ~~gone~~") == {
        "bold": ["**bold**"],
        "italic": ["*it*", "_it_"],
        "strike": ["~~gone~~"],
    }
    assert kinds("see [the report](https://example.com/a_b_c) now") == {
        "link_text": ["the report"],
        "link_url": ["(https://example.com/a_b_c)"],  # underscores in URLs are no emphasis
    }
    assert kinds('![A dot](assets/dot.png "title")') == {
        "image": ['![A dot](assets/dot.png "title")'],
        "link_url": ['(assets/dot.png "title")'],
    }
    assert kinds("> said the minister") == {"quote": ["> said the minister"]}
    assert kinds("- first *point*") == {"list": ["-"], "italic": ["*point*"]}
    assert kinds("12. numbered") == {"list": ["12."]}
    assert kinds("code `a*b*c` here") == {"code": ["`a*b*c`"]}
    assert kinds(r"not \*emphasis\* nor snake_case_name") == {}
    assert kinds("---") == {"rule": ["---"]}


def test_placeholders_are_flagged_everywhere_and_win() -> None:
    found, _ = spans("# Budget TK and TODO: check FIXME")
    assert [k for _, _, k in found][-3:] == ["placeholder"] * 3  # applied last
    assert kinds("TKTK XXX TK1 stock") == {"placeholder": ["TKTK", "XXX"]}
    assert kinds("`TODO` in code", NORMAL)["placeholder"] == ["TODO"]


@pytest.mark.parametrize(
    "text",
    ["TK", "a TK b", "TKTK", "TODO:", "(FIXME)", "XXX", "TK1", "ATK", "todo", "Tk", "TKs"],
)
def test_placeholder_rule_matches_the_export_check(text: str) -> None:
    assert bool(PLACEHOLDER.search(text)) == bool(validation._PLACEHOLDER.search(text))


def test_fenced_code_carries_state_across_lines() -> None:
    lines = ["Intro *text*", "````python", "x = 1  # *not italic* TODO", "```", "````", "*after*"]
    state = NORMAL
    seen = []
    for line in lines:
        found, state = spans(line, state)
        seen.append(([k for _, _, k in found], state != NORMAL))
    assert seen == [
        (["italic"], False),
        (["fence"], True),
        (["codeblock", "placeholder"], True),
        (["codeblock"], True),  # a shorter fence does not close a longer one
        (["fence"], False),
        (["italic"], False),
    ]
    _, tilde = spans("~~~", NORMAL)
    assert spans("```", tilde)[1] == tilde  # nor does a fence of the other character
    assert spans("~~~~", tilde)[1] == NORMAL
    assert spans("anything", -1)[1] == NORMAL  # Qt's "no previous state"


def test_every_kind_has_a_readable_format_on_light_and_dark() -> None:
    light = QPalette(QColor("#ffffff"))
    light.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    light.setColor(QPalette.ColorRole.Text, QColor("#000000"))
    dark = QPalette(QColor("#26282b"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#1d1f21"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e6e6e3"))
    for palette in (light, dark):
        base = palette.color(QPalette.ColorRole.Base)
        formats = formats_for(palette)
        assert set(formats) == set(KINDS)
        for kind, fmt in formats.items():
            if fmt.hasProperty(fmt.Property.ForegroundBrush):
                fg = fmt.foreground().color()
                bg = fmt.background().color() if fmt.background().style() else base
                assert abs(fg.lightness() - bg.lightness()) > 60, (kind, palette)


def test_highlighter_formats_a_placeholder(qtbot) -> None:
    doc = QTextDocument()
    doc.setPlainText("Intro\n\nThe minister said TK about **it**.\n```\ncode\n```")
    highlighter = MarkdownHighlighter(doc)
    highlighter.rehighlight()
    block = doc.findBlockByNumber(2)
    line = block.text()
    by_start = {r.start: r for r in block.layout().formats()}
    tk = by_start[line.index("TK")]
    assert tk.length == 2
    warning = formats_for(QGuiApplication.palette())["placeholder"].background().color()
    assert tk.format.background().color() == warning
    bold = by_start[line.index("**it**")]
    assert bold.format.fontWeight() == QFont.Weight.Bold.value
    assert doc.findBlockByNumber(3).userState() != NORMAL  # inside the fence
    assert doc.findBlockByNumber(5).userState() == NORMAL
