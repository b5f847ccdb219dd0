"""Full-text search across headline, standfirst and every section.

A writer's words are turned into quoted FTS5 terms (so punctuation such as
``U.S.-Japan`` or a stray quote is never FTS syntax), the last one a prefix
for search-as-you-type. Terms may fall in different sections of one article:
each term's matching articles are found separately and intersected.
"""

from __future__ import annotations

import re
import sqlite3

from desk.store import rows

_TERM = re.compile(r"[^\W_]+", re.UNICODE)
HEADER_WEIGHTS = "10.0, 4.0"  # headline, standfirst
SECTION_RID_BITS = 24  # see desk.store.drafts.NEW_SECTION_RID


def fts_terms(query: str, *, prefix: bool = False) -> list[str]:
    """Quoted FTS5 terms; with ``prefix`` the last one also matches longer words.

    Prefix matching is for search as you type (the drafts panel): without a
    prefix index it scans every indexed word sharing the prefix, so it costs
    more, and an index would make every autosave slower instead.
    """
    words = _TERM.findall(query)
    terms = [f'"{w}"' for w in words]
    if prefix and terms and query and not query[-1].isspace():
        terms[-1] += "*"
    return terms


def search_articles(
    conn: sqlite3.Connection,
    query: str,
    *,
    limit: int = 100,
    include_trashed: bool = False,
    prefix: bool = False,
) -> list[rows.DraftSummary]:
    """Drafts holding every term somewhere; headline hits first, then the newest.

    Only headline/standfirst hits are scored with bm25 (a few rows); body hits
    are ranked by recency, which is what a writer looking for "my harbor
    piece" wants, and it spares scoring thousands of section rows.
    """
    terms = fts_terms(query, prefix=prefix)
    if not terms:
        return []
    parts, params = [], []
    for n, term in enumerate(terms):
        parts.append(
            f"SELECT rowid AS arid, {n} AS term, 1 AS header, "
            f"bm25(articles_fts, {HEADER_WEIGHTS}) AS r FROM articles_fts "
            "WHERE articles_fts MATCH ? "
            f"UNION ALL SELECT arid, {n}, 0, 0 FROM (SELECT DISTINCT rowid >> "
            f"{SECTION_RID_BITS} AS arid FROM sections_fts WHERE sections_fts MATCH ?)"
        )
        params += [term, term]
    trashed = "AND a.trashed_at IS NULL" if not include_trashed else ""
    sql = (
        f"WITH hits AS ({' UNION ALL '.join(parts)}), "
        "agg AS (SELECT arid, count(DISTINCT term) AS terms, sum(header) AS header_hits, "
        "sum(r) AS score FROM hits GROUP BY arid) "
        "SELECT a.id, a.slug, a.headline, a.status, a.category, a.updated_at, a.changed_at, "
        "a.trashed_at FROM agg JOIN articles a ON a.rid = agg.arid "
        f"WHERE agg.terms = ? {trashed} "
        "ORDER BY agg.header_hits DESC, agg.score, a.changed_at DESC, a.id LIMIT ?"
    )
    return [rows.summary_from_row(r) for r in conn.execute(sql, (*params, len(terms), limit))]
