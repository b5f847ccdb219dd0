"""What an autosave wrote, and the store's memory of what it last wrote per article.

Comparing against that memory is what lets ``autosave`` write only the
header or sections that changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desk.model.article import Article
from desk.store import rows


@dataclass
class SaveResult:
    version: int
    sections_written: int = 0
    header_written: bool = False
    order_written: bool = False
    images_written: bool = False

    @property
    def wrote(self) -> bool:
        return bool(
            self.sections_written
            or self.header_written
            or self.order_written
            or self.images_written
        )


@dataclass
class _Saved:
    """What the store last wrote for one article, to diff the next autosave against."""

    header: tuple[object, ...]
    sections: dict[str, tuple[str, str]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    images: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def of(cls, article: Article) -> _Saved:
        return cls(
            header=rows.header_values(article),
            sections={s.id: (s.subheading, s.body) for s in article.sections},
            order=[s.id for s in article.sections],
            images=tuple(rows.image_values(i) for i in article.images),
        )
