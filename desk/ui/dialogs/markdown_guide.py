"""Help ▸ Markdown Guide: what to type in a section for what the page shows.

The right-hand column is rendered by the site's own renderer, so the guide
shows exactly what the preview and the export will make of each example.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desk.render.markdown import NewsMarkdown

#: (what it is, what to type); keys are named where the Format menu has them.
EXAMPLES = (
    ("Paragraphs", "One paragraph.\n\nA blank line starts the next."),
    ("Bold (Ctrl+B)", "The **council** voted."),
    ("Italic (Ctrl+I)", "The *Tribune* reported it."),
    ("Link (Ctrl+K)", "Read the [full report](https://example.org/report)."),
    ("Quote", '> "We did it," the mayor said.'),
    ("List", "- first point\n- second point"),
    ("Numbered list", "1. open the ledger\n2. check the payments"),
    ("Subheading inside a section", "### What happens next"),
)


def guide_html(markdown: NewsMarkdown | None = None) -> str:
    md = markdown or NewsMarkdown()
    rows = "".join(
        f"<tr><td><b>{html.escape(what)}</b><pre>{html.escape(src)}</pre></td>"
        f"<td>{md.render(src)}</td></tr>"
        for what, src in EXAMPLES
    )
    return (
        "<p>Section text is Markdown. Type on the left; the page shows the right.</p>"
        "<table cellpadding='6' border='1' style='border-collapse: collapse'>"
        "<tr><th>You type</th><th>The page shows</th></tr>"
        f"{rows}</table>"
        "<p>Images: Edit ▸ Add Image… keeps the picture with the draft, with its alt"
        " text, caption and credit.</p>"
        "<p>The headline, standfirst and subheading fields are plain text.</p>"
    )


class MarkdownGuide(QDialog):
    """Stays open beside the window while the writer tries the examples."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("markdownGuide")
        self.setWindowTitle("Markdown Guide")
        self.resize(620, 640)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)  # the examples' links go nowhere
        self.browser.setHtml(guide_html())
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)

    @classmethod
    def show_for(cls, parent: QWidget) -> MarkdownGuide:
        guide = parent.findChild(cls, "markdownGuide", Qt.FindChildOption.FindDirectChildrenOnly)
        if guide is None:
            guide = cls(parent)
        guide.show()
        guide.raise_()
        guide.activateWindow()
        return guide
