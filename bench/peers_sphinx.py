"""Builds the Sphinx Search 2.2 peer (Debian `sphinxsearch`): an xmlpipe2 stream of the same items
as the FTS5 peer, a sphinx.conf, and the index (`indexer --all`). bench_sphinx queries it.

Settings, from Sphinx 2.2's reference manual (doc/sphinx.txt) and sphinx.conf.sample:

* One document per item (peer_items.py); full-text fields title, summary, body, and num / prac
  ("gpnN" / "gppN": "GP n" is an ordinary MATCH, as in the FTS5 peer); summary is also a
  string attribute (xmlpipe2 `attr="string"`: Sphinx 2.2 stores no field text), shown for
  queries without text, as nexuskb does.
* A second index, passages (one document per H2 passage, id item * 256 + k, attribute item),
  for the page's snippets only: SNIPPET() tokenises the whole text it quotes, and over whole
  items (every version's body) it cost 15 ms per page on the 1,000-passage corpus; the best
  passage of each hit (GROUP BY item WITHIN GROUP ORDER BY WEIGHT()) costs a fraction of that.
  nexuskb quotes the best passage too.
* Attributes: kind and section as int; actors, regions, themes, practices and langs as multi
  (MVA) attributes of facet codes; number; item (the id) as a string. FACET / GROUP BY on an
  MVA counts each document once under each of its values: exact multi-valued facet counts.
* morphology = stem_en: English stemming, as FTS5's porter tokenizer. Debian's build links
  libstemmer, and `libstemmer_fr` is available (checked: "coopérations" indexes as "cooper";
  an unknown name such as libstemmer_xx is "skipped" with a warning). It is not used: Sphinx
  applies one morphology chain to every word of a mixed-language field and stops at the first
  stemmer that changes a word, so French rules would also stem English words and vice versa.
* charset_table: Sphinx 2.2's default table has only English and Russian letters; this one
  adds Latin-1 letters folded to their base letter (as FTS5's remove_diacritics 2), the
  ligatures, and Arabic letters, so French and Arabic words are words, not separators.
* stopwords: the project's en/fr/ar lists (core/stopwords), dropped at indexing and at query
  time, as nexuskb does.
* index_field_lengths = 1: required for BM25F() in the expression ranker.
* dict = keywords, docinfo = extern (2.2's defaults), preopen = 1 (files opened at start, not
  per query), mlock = 0 (the index is small enough to stay in the page cache).
* searchd: listen on 127.0.0.1 with the mysql41 protocol only; binlog_path empty (no binlog:
  a plain index is read-only); workers = threads (the default MPM); no query_log;
  seamless_rotate = 0 (nothing rotates during a run; it would keep a second copy preloaded).
* Queries (bench/sphinx_bench.cpp): ranker=expr(...) puts items with every word first
  (doc_word_count >= query_word_count) and orders by BM25F with the FTS5 peer's weights (title 6,
  summary 2, body 1, the item's own practice number 40);
  max_matches=1000 (the default) bounds the sorted window, not total_found, which stays exact.
"""
import os
import re
import subprocess
from xml.sax.saxutils import escape

from peer_items import stopwords, tags

MULTI = {"actor": "actors", "region": "regions", "theme": "themes", "practice": "practices",
         "lang": "langs"}
SINGLE = {"kind": "kind", "section": "section"}
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Latin-1 letters folded to their base letter (Sphinx maps a range only onto a range, so one
# mapping per code point), then Arabic letters and digits.
_FOLD = {"a": "C0-C5 E0-E5", "c": "C7 E7", "e": "C8-CB E8-EB", "i": "CC-CF EC-EF", "n": "D1 F1",
         "o": "D2-D6 D8 F2-F6 F8", "u": "D9-DC F9-FC", "y": "DD FD FF"}


def _folds():
    out = []
    for base, spec in _FOLD.items():
        for span in spec.split():
            lo, _, hi = span.partition("-")
            for cp in range(int(lo, 16), int(hi or lo, 16) + 1):
                out.append(f"U+{cp:X}->{base}")
    return out


CHARSET = ", ".join(["0..9", "A..Z->a..z", "a..z", "_"] + _folds() + [
    "U+C6->U+E6", "U+E6", "U+DF", "U+152->U+153", "U+153",
    "U+621..U+63A", "U+641..U+64A", "U+660..U+669"])

CONF = """\
source nexus
{{
    type = xmlpipe2
    xmlpipe_command = cat {xml}
}}

source passages
{{
    type = xmlpipe2
    xmlpipe_command = cat {passages_xml}
}}

index nexus
{{
    source = nexus
    path = {data}/nexus
    docinfo = extern
    dict = keywords
    morphology = stem_en
    min_word_len = 1
    charset_table = {charset}
    ignore_chars = U+AD, U+64B..U+652
    stopwords = {stopwords}
    index_field_lengths = 1
    preopen = 1
    mlock = 0
}}

index passages : nexus
{{
    source = passages
    path = {data}/passages
}}

indexer
{{
    mem_limit = 256M
}}

searchd
{{
    listen = 127.0.0.1:{port}:mysql41
    log = {dir}/searchd.log
    pid_file = {dir}/searchd.pid
    binlog_path =
    workers = threads
    read_timeout = 5
    seamless_rotate = 0
    unlink_old = 1
}}
"""


def _text(s):
    return escape(_BAD_XML.sub(" ", s))


SCHEMA = ('<?xml version="1.0" encoding="utf-8"?>\n<sphinx:docset>\n<sphinx:schema>\n'
          '<sphinx:field name="title"/>\n<sphinx:field name="summary" attr="string"/>\n'
          '<sphinx:field name="body"/>\n<sphinx:field name="num"/>\n<sphinx:field name="prac"/>\n'
          + "".join(f'<sphinx:attr name="{a}" type="int" bits="16"/>\n' for a in SINGLE.values())
          + '<sphinx:attr name="number" type="int" bits="16"/>\n'
          + "".join(f'<sphinx:attr name="{a}" type="multi"/>\n' for a in MULTI.values())
          + '<sphinx:attr name="item" type="string"/>\n</sphinx:schema>\n')
PASSAGES_SCHEMA = ('<?xml version="1.0" encoding="utf-8"?>\n<sphinx:docset>\n<sphinx:schema>\n'
                   '<sphinx:field name="heading"/>\n<sphinx:field name="text" attr="string"/>\n'
                   '<sphinx:attr name="item" type="int"/>\n</sphinx:schema>\n')


def libstemmer_french():
    """Whether this Sphinx build links libstemmer (then morphology = libstemmer_fr works)."""
    try:
        out = subprocess.run(["ldd", "/usr/bin/indexer"], capture_output=True, text=True).stdout
    except OSError:
        return False
    return "libstemmer" in out


class SphinxBuild:
    """Streams items into the two xmlpipe2 files (add() per item); finish() writes the config and
    the client's tables and runs the indexer (bench/peers.py)."""

    def __init__(self, work, port, root):
        self.dir, self.port, self.root, self.rows = os.path.join(work, "sphinx"), port, root, 0
        self.data = os.path.join(self.dir, "data")
        os.makedirs(self.data, exist_ok=True)
        for name in os.listdir(self.data):
            os.remove(os.path.join(self.data, name))
        self.xml = os.path.join(self.dir, "nexus.xml")
        self.passages_xml = os.path.join(self.dir, "passages.xml")
        self.f = open(self.xml, "w", encoding="utf-8")
        self.p = open(self.passages_xml, "w", encoding="utf-8")
        self.f.write(SCHEMA)
        self.p.write(PASSAGES_SCHEMA)

    def add(self, docid, it, codes):
        num, prac = tags(it)
        out = [f'<sphinx:document id="{docid}">\n<title>{_text(it["title"])}</title>\n'
               f'<summary>{_text(it["summary"])}</summary>\n<body>{_text(it["body"])}</body>\n'
               f"<num>{num}</num>\n<prac>{prac}</prac>\n"]
        for facet, attr in SINGLE.items():
            out.append(f"<{attr}>{codes.of(facet, it['facets'][facet][0])}</{attr}>\n")
        out.append(f"<number>{it['number'] or 0}</number>\n")
        for facet, attr in MULTI.items():
            vals = ",".join(str(codes.of(facet, v)) for v in it["facets"][facet])
            out.append(f"<{attr}>{vals}</{attr}>\n")
        out.append(f"<item>{_text(it['id'])}</item>\n</sphinx:document>\n")
        self.f.write("".join(out))
        for k, (heading, text) in enumerate(it["passages"][:256]):
            self.p.write(f'<sphinx:document id="{docid * 256 + k}">\n<heading>{_text(heading)}</heading>\n'
                         f"<text>{_text(text)}</text>\n<item>{docid}</item>\n</sphinx:document>\n")
        self.rows += 1

    def finish(self, codes, vocab):
        for f in (self.f, self.p):
            f.write("</sphinx:docset>\n")
            f.close()
        sdir = self.dir
        stop = os.path.join(sdir, "stopwords.txt")
        with open(stop, "w", encoding="utf-8") as f:
            f.write("\n".join(stopwords(self.root)) + "\n")
        with open(os.path.join(sdir, "facets.tsv"), "w", encoding="utf-8") as f:
            for (facet, value), code in sorted(codes.table.items(), key=lambda kv: kv[1]):
                f.write(f"{code}\t{facet}\t{value}\n")
        with open(os.path.join(sdir, "vocab.tsv"), "w", encoding="utf-8") as f:
            for word, freq in sorted(vocab.items()):
                f.write(f"{word}\t{freq}\n")
        conf = os.path.join(sdir, "sphinx.conf")
        with open(conf, "w") as f:
            f.write(CONF.format(xml=self.xml, passages_xml=self.passages_xml, data=self.data,
                                charset=CHARSET, stopwords=stop, port=self.port, dir=sdir))
        out = subprocess.run(["indexer", "--config", conf, "--all"], capture_output=True, text=True)
        if out.returncode != 0 or "ERROR" in out.stdout:
            raise SystemExit("sphinx indexer failed:\n" + out.stdout[-3000:] + out.stderr[-2000:])
        os.remove(self.xml)
        os.remove(self.passages_xml)
        warnings = [l for l in out.stdout.splitlines() if l.startswith("WARNING")]
        data = self.data
        return {"rows": self.rows, "warnings": warnings[:5], "libstemmer": libstemmer_french(),
                "size_kb": sum(os.path.getsize(os.path.join(data, n)) for n in os.listdir(data)) // 1024}
