"""A writer that autosaves in a loop and acknowledges each write on stdout.

Used by the durability tests: the parent kills it with SIGKILL at random
moments and then checks that every acknowledged write is in the database.
"""

from __future__ import annotations

import sys
from pathlib import Path

from desk.store.drafts import DraftStore


def main() -> None:
    db, article_id, limit = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = DraftStore(db)
    article = store.load(article_id)
    seen = [int(t) for s in article.sections for t in s.body.split() if t.isdigit()]
    n = max(seen, default=0)
    for _ in range(limit):
        n += 1
        section = article.sections[n % len(article.sections)]
        section.body += f" {n}"
        store.autosave(article)
        print(f"ACK {n}", flush=True)
    store.close()


if __name__ == "__main__":
    main()
