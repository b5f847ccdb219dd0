"""Reading a page as the site publishes it (plain text) back into an Article.

The site's published articles are the shape every export must reproduce; the
conformance test rebuilds one from its text with this parser and checks the
renderer puts every element back in the same order.
"""

from __future__ import annotations

import re
from datetime import datetime

from desk.model.article import Article, Dateline, Section
from desk.model.markdown_doc import split_sections

_DATE = re.compile(r"^[A-Z][a-z]+ \d{1,2}, \d{4}$")


def article_from_site_text(text: str, city: str, region: str) -> Article:
    """Masthead, tagline, ``## headline``, date, ``Categories:``, ``Download IPFS``, body.

    The body's first paragraph opens with the dateline city in capitals
    ("TOKYO, ..."); that opener is moved into the article's dateline.
    """
    lines = [ln.strip() for ln in text.splitlines()]
    headings = [i for i, ln in enumerate(lines) if ln.startswith("## ")]
    if len(headings) < 2:
        raise ValueError("expected a masthead heading and a headline heading")
    headline = lines[headings[1]][3:].strip()
    rest = lines[headings[1] + 1 :]
    date_line = next(ln for ln in rest if _DATE.match(ln))
    category = next(ln for ln in rest if ln.startswith("Categories:"))
    ipfs_at = rest.index("Download IPFS")
    body = "\n".join(rest[ipfs_at + 1 :]).strip()
    opener = f"{city.upper()}, "
    if body.startswith(opener):
        body = body[len(opener) :]
    _, sections = split_sections(body)
    return Article(
        headline=headline,
        dateline=Dateline(
            city=city, region=region, date=datetime.strptime(date_line, "%B %d, %Y").date()
        ),
        category=category.removeprefix("Categories:").strip(),
        sections=sections or [Section()],
    )
