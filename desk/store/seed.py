"""The starter draft a new writer sees on first launch.

Written for Desk in our own words, in the site's style, so the editor, the
preview and an export all have something real to show from the first minute.
"""

from __future__ import annotations

from datetime import date

from desk.model.article import Article, Dateline, Section
from desk.store.drafts import DraftStore

SEEDED_KEY = "starter_seeded"

# (subheading, body): plain strings, so importing this module creates no Section.
STARTER_SECTIONS: list[tuple[str, str]] = [
    (
        "",
        (
            "County officials on Tuesday opened an online ledger that lists every payment the "
            "county makes above $5,000, a step residents and watchdog groups had sought for "
            "nearly a decade. The ledger, updated each business day, shows the vendor, the "
            "amount, the department that approved the spending and the contract it falls under.\n\n"
            "Supporters say the change lets taxpayers follow public money without filing records "
            "requests that can take months. Critics on the county board argued the project was "
            "rushed and warned that raw payment data, stripped of context, could mislead readers."
        ),
    ),
    (
        "How the Ledger Works",
        (
            "The system draws directly from the county's accounting software, so entries appear "
            "without manual editing. Each payment links to the underlying contract where one "
            "exists, and residents can download the full data set as a spreadsheet.\n\n"
            "Budget director Elena Marsh told reporters that the first week of data already "
            'covers more than 1,200 payments. "If a number looks wrong, we want people to ask '
            'about it," she said. "That is the point of publishing it."'
        ),
    ),
    (
        "Questions That Remain",
        (
            "Some payments, including legal settlements and security contracts, are withheld "
            "under state privacy rules. The county says those entries will still show the "
            "amount and the department, with the vendor's name redacted.\n\n"
            "Board members plan to review the ledger in March, when they will decide whether to "
            "lower the reporting threshold from $5,000 to $1,000."
        ),
    ),
]


def starter_article(byline: str = "Desk Newsroom") -> Article:
    return Article(
        headline="County Opens Public Ledger of Spending After Years of Requests",
        dateline=Dateline(city="Denver", region="Colorado", date=date(2026, 11, 24)),
        category="Politics",
        byline=byline,
        standfirst=(
            "A daily-updated list of county payments over $5,000 goes live, with "
            "residents and board members divided over what the raw numbers will show."
        ),
        tags=["local government", "transparency", "budget"],
        sections=[Section(subheading=head, body=body) for head, body in STARTER_SECTIONS],
    )


def ensure_starter(store: DraftStore) -> Article | None:
    """Seed once per database: a writer who deletes the starter never sees it again."""
    if store.get_meta(SEEDED_KEY) or store.count():
        return None
    article = store.create(starter_article())
    store.set_meta(SEEDED_KEY, article.id)
    return article
