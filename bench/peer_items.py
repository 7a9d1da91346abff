"""The unit nexuskb counts, for the peers that count like it (SQLite FTS5, Sphinx): one record per
item with the text of every language version, the item's facets (translations agree on them; the
`lang` facet lists the languages the item exists in), its own practice number, facet values as
small integer codes, and the vocabulary of surface words for spelling suggestions.
"""
import itertools
import os
import re

LANG_ORDER = ("en", "fr", "ar")
FACET_ORDER = ("practice", "actor", "region", "kind", "section", "theme", "lang")
WORD = re.compile(r"[^\W_]+")


def item_records(file_records):
    """file_records: peers.items() (one per item and language, a file's versions adjacent, as a
    sorted directory walk gives them) -> one record per item, streamed."""
    seen = set()
    for item_id, group in itertools.groupby(file_records, key=lambda r: r["id"]):
        if item_id in seen:
            raise SystemExit(f"peer_items: the versions of item {item_id} are not adjacent")
        seen.add(item_id)
        versions = sorted(group,
                          key=lambda r: LANG_ORDER.index(r["lang"]) if r["lang"] in LANG_ORDER else 9)
        facets = {f: list(versions[0]["facets"][f]) for f in FACET_ORDER if f != "lang"}
        facets["lang"] = [v["lang"] for v in versions]
        number = next((v["number"] for v in versions if v.get("number")), None)
        yield {
            "id": item_id, "number": number, "facets": facets,
            "title": "\n".join(v["title"] for v in versions),
            "summary": "\n".join(v["summary"] for v in versions),
            "body": "\n\n".join(v["body"] for v in versions),
            "passages": [p for v in versions for p in v["passages"]],
        }


class Codes:
    """Facet values -> small integer codes, assigned as values are first seen."""

    def __init__(self):
        self.table = {}

    def of(self, facet, value):
        code = self.table.get((facet, value))
        if code is None:
            code = self.table[(facet, value)] = len(self.table)
        return code

    def item(self, item):
        """The codes of an item's facet values, sorted, duplicates removed."""
        return sorted({self.of(f, v) for f, vals in item["facets"].items() for v in vals})


def words(item):
    """An item's distinct surface words, lower-cased (for the spelling vocabulary)."""
    return set(WORD.findall(f"{item['title']} {item['summary']} {item['body']}".lower()))


def stopwords(root):
    words = set()
    for lang in LANG_ORDER:
        path = os.path.join(root, "core", "stopwords", f"{lang}.txt")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                words.update(w.strip() for w in f if w.strip() and not w.startswith("#"))
    return sorted(words)


def tags(item):
    """The `num` and `prac` texts: "gpnN" for the item's own number, "gppN" per practice."""
    num = f"gpn{item['number']}" if item["number"] else ""
    prac = " ".join(f"gpp{p}" for p in item["facets"]["practice"])
    return num, prac
