"""The article's header fields: headline, slug, dateline, category, byline, standfirst, tags."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from desk.model.article import Article, Dateline, headline_slug, slugify
from desk.model.site import SiteProfile
from desk.ui.editor.dateline_date_edit import DatelineDateEdit
from desk.ui.editor.headline_edit import HeadlineEdit


def min_width_for(edit: QLineEdit, text: str) -> int:
    """The width that shows ``text`` whole in ``edit`` (frame, margins and cursor included)."""
    return edit.fontMetrics().horizontalAdvance(text) + 24


class HeaderForm(QWidget):
    """Emits ``changed({field: value})`` with model-ready values as the writer types.

    One edit is one dict: a headline keystroke that moves the slug carries
    both, so undo takes both back together.
    """

    changed = Signal(dict)

    def __init__(
        self,
        profile: SiteProfile,
        parent: QWidget | None = None,
        *,
        slug_fixed: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self._loading = False
        self._slug_follows_headline = True
        self._article_id = ""
        self._slug_fixed = slug_fixed
        form = QFormLayout(self)
        self._form = form
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)

        self.headline = HeadlineEdit(placeholderText="Headline")
        self.headline.setObjectName("headline")
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.headline.setFont(font)
        self.headline.setToolTip(
            f"The headline; {profile.name} recommends at most {profile.headline_limit} characters"
        )
        self.headline_count = QLabel()
        self.headline_count.setObjectName("headlineCount")
        row = QHBoxLayout()
        row.addWidget(self.headline, 1)
        row.addWidget(self.headline_count)
        form.addRow(self._label("&Headline", self.headline), row)

        self.slug = QLineEdit(placeholderText="from-the-headline")
        self.slug.setToolTip("The last part of the article's web address; edit to fix it")
        self.slug_auto = QCheckBox("from headline")
        self.slug_auto.setToolTip("Keep the slug in step with the headline")
        row = QHBoxLayout()
        row.addWidget(self.slug, 1)
        row.addWidget(self.slug_auto)
        form.addRow(self._label("S&lug", self.slug), row)

        self.city = QLineEdit(placeholderText="City")
        self.city.setToolTip("Dateline city, shown in capitals: TOKYO")
        self.region = QLineEdit(placeholderText="Region or country")
        self.region.setToolTip("State, region or country after the city: Japan")
        self.date = DatelineDateEdit()
        row = QHBoxLayout()
        row.addWidget(self.city, 1)
        row.addWidget(self.region, 1)
        form.addRow(self._label("&Dateline", self.city), row)
        # The date on its own row: beside city and region it squeezed both to
        # a few letters at laptop widths.
        form.addRow(self._label("D&ate", self.date), self.date)

        self.category = QComboBox()
        self.category.addItem("— choose —", "")
        for c in profile.categories:
            self.category.addItem(c, c)
        self.category.setToolTip(f"One of {profile.name}'s categories")
        form.addRow("&Category", self.category)

        self.byline = QLineEdit(placeholderText="Writer's name")
        form.addRow("&Byline", self.byline)

        self.standfirst = QPlainTextEdit(placeholderText="One or two sentences under the headline")
        self.standfirst.setTabChangesFocus(True)
        self.standfirst.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 16)
        form.addRow("&Standfirst", self.standfirst)

        self.tags = QLineEdit(placeholderText="comma, separated, tags")
        form.addRow("&Tags", self.tags)

        self.headline.textEdited.connect(self._headline_edited)
        self.slug.textEdited.connect(self._slug_edited)
        self.slug_auto.toggled.connect(self._slug_auto_toggled)
        self.city.textEdited.connect(self._dateline_edited)
        self.region.textEdited.connect(self._dateline_edited)
        self.date.dateChanged.connect(self._dateline_edited)
        self.category.currentIndexChanged.connect(
            lambda _i: self._emit("category", self.category.currentData() or "")
        )
        self.byline.textEdited.connect(lambda t: self._emit("byline", t))
        self.standfirst.textChanged.connect(
            lambda: self._emit("standfirst", self.standfirst.toPlainText())
        )
        self.tags.textEdited.connect(lambda t: self._emit("tags", self.parse_tags(t)))
        self._set_minimum_widths()

    def _set_minimum_widths(self) -> None:
        """No field narrower than its placeholder: the editor column never gets
        so narrow that a hint reads "ield"; the window's panels give way instead."""
        for edit in (self.headline, self.slug, self.city, self.region, self.byline, self.tags):
            edit.setMinimumWidth(min_width_for(edit, edit.placeholderText()))
        self.date.setMinimumWidth(self.date.sizeHint().width())
        self.category.setMinimumWidth(self.category.sizeHint().width())

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        """A label whose mnemonic (Alt+letter) moves focus to its field."""
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    @staticmethod
    def parse_tags(text: str) -> list[str]:
        seen: list[str] = []
        for t in (p.strip() for p in text.split(",")):
            if t and t not in seen:
                seen.append(t)
        return seen

    def _emit(self, name: str, value: object) -> None:
        self._emit_values({name: value})

    def _emit_values(self, values: dict[str, object]) -> None:
        if not self._loading:
            self.changed.emit(values)

    def set_article(self, article: Article) -> None:
        self._loading = True
        try:
            self.headline.setText(article.headline)
            self.headline.setCursorPosition(0)
            self.slug.setText(article.slug)
            self.slug.setCursorPosition(0)
            self._article_id = article.id  # a headline with no ASCII form takes its slug from it
            auto = not article.slug or article.slug == headline_slug(article.headline, article.id)
            self.slug_auto.setChecked(auto)
            self._slug_follows_headline = auto
            if self._slug_fixed():
                self._fix_slug()
            self.city.setText(article.dateline.city)
            self.region.setText(article.dateline.region)
            self.date.set_value(article.dateline.date, article.created_at.date())
            index = self.category.findData(article.category)
            if index < 0 and article.category:
                self.category.addItem(f"{article.category} (not a site category)", article.category)
                index = self.category.count() - 1
            self.category.setCurrentIndex(max(0, index))
            self.byline.setText(article.byline)
            self.standfirst.setPlainText(article.standfirst)
            self.tags.setText(", ".join(article.tags))
            self._update_count()
        finally:
            self._loading = False

    def _update_count(self) -> None:
        n = len(self.headline.text().strip())
        limit = self.profile.headline_limit
        self.headline_count.setText(f"{n} / {limit}")
        over = n > limit
        self.headline_count.setStyleSheet("color: #c0392b; font-weight: bold;" if over else "")
        self.headline_count.setToolTip(
            "Over the site's recommended length"
            if over
            else "Characters in the headline / the site's limit"
        )

    def _headline_edited(self, text: str) -> None:
        self._update_count()
        values: dict[str, object] = {"headline": text}
        if self._slug_follows_headline and self._slug_fixed():
            self._fix_slug()  # exported or sent since the draft was opened
        if self._slug_follows_headline:
            slug = headline_slug(text, self._article_id)
            self.slug.setText(slug)
            values["slug"] = slug
        self._emit_values(values)

    def _fix_slug(self) -> None:
        """Stop following the headline for good: the slug is out in the world."""
        self._slug_follows_headline = False
        loading, self._loading = self._loading, True
        try:
            self.slug_auto.setChecked(False)
        finally:
            self._loading = loading
        self.slug_auto.setEnabled(False)
        self.slug_auto.setToolTip(
            "The article has been exported, published or sent for review, so its "
            "address no longer changes with the headline (edit the slug to change it)"
        )

    def show_values(self, values: dict[str, object]) -> None:
        """Show values set by undo or redo, without reporting them as new edits."""
        self._loading = True
        try:
            for name, value in values.items():
                if name == "headline":
                    self.headline.setText(str(value))
                    self._update_count()
                elif name == "slug":
                    self.slug.setText(str(value))
                elif name == "byline":
                    self.byline.setText(str(value))
                elif name == "standfirst":
                    self.standfirst.setPlainText(str(value))
                elif name == "tags":
                    self.tags.setText(", ".join(value))  # type: ignore[call-overload]
                elif name == "category":
                    self.category.setCurrentIndex(max(0, self.category.findData(value)))
                elif name == "dateline" and isinstance(value, Dateline):
                    self.city.setText(value.city)
                    self.region.setText(value.region)
                    self.date.set_value(value.date, value.date or date.today())
        finally:
            self._loading = False

    def text_field(self, name: str) -> QWidget | None:
        """The widget a field's text is typed in, to put the cursor back after undo."""
        return {
            "headline": self.headline,
            "slug": self.slug,
            "byline": self.byline,
            "standfirst": self.standfirst,
            "tags": self.tags,
            "dateline": self.city,
            "category": self.category,
        }.get(name)

    def _slug_edited(self, text: str) -> None:
        self._slug_follows_headline = False
        self.slug_auto.setChecked(False)
        self._emit("slug", slugify(text) if text.strip() else "")

    def _slug_auto_toggled(self, on: bool) -> None:
        self._slug_follows_headline = on
        if on and not self._loading:
            self._headline_edited(self.headline.text())

    def _dateline_edited(self, *_args: object) -> None:
        self._emit(
            "dateline",
            Dateline(city=self.city.text(), region=self.region.text(), date=self.date.value()),
        )

    def focus_field(self, name: str) -> bool:
        widget = self.text_field(name)
        if widget is None:
            return False
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
