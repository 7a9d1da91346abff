"""Builds the SQLite FTS5 peer's database (read by bench/fts5_peer.cpp).

Every setting follows SQLite's own documentation (sqlite.org/fts5.html, pragma.html):

* One row per item, as nexuskb's index has one document per item (peer_items.py): matching,
  ranking, totals and counts are per item.
* A second FTS5 table, passages(heading, text), one row per H2 passage with rowid
  item_rowid * 256 + k, only for the snippets of the page: snippet() tokenises the whole
  column it quotes, so snippets from whole items (every version's body, several kB) cost
  milliseconds per page, where the best passage of an item (MATCH plus a rowid range, ORDER BY
  rank LIMIT 1) is a few hundred bytes. nexuskb also quotes the best passage.
* tokenize = 'porter unicode61 remove_diacritics 2': case and diacritics folded for every
  script, then the Porter stemmer (English; FTS5 ships no other language's stemmer).
* detail = full (the default), kept on purpose: detail=column or none would shrink the index
  but "phrase queries are not available" with them, and 18% of the benchmark queries are
  phrases; snippet() also reads the positions that only detail=full stores.
* columnsize = 1 (the default): bm25() needs each row's column sizes; with columnsize=0 FTS5
  would re-tokenise the row's text for every bm25() call.
* No prefix indexes (prefix=...): the query mix has no trailing-* words, and FTS5 answers
  prefix queries without them (a range scan of the terms); each prefix index grows the index.
* page_size 8192 and FTS5 pgsz 8000: FTS5 keeps its index as blobs of at most pgsz bytes in
  the %_data table and reads them as blobs; SQLite's "Internal Versus External BLOBs" measures
  "a database page size of 8192 or 16384 gives the best performance for large BLOB I/O", and
  pgsz just under the page size keeps each leaf in one page. (On the 20k corpus, 4096 / 4050
  measured the same within this machine's noise: FTS5 CPU p50 1.08-1.50 ms against 1.12-1.14.)
* 'optimize' after loading: merges every segment b-tree into one, "the fastest form to query";
  then VACUUM drops the pages the merge freed, so that the memory map covers only live pages.
* Facets: facet_values(code, facet, value) and item_facets(doc, code) (WITHOUT ROWID, read
  once, in order, into in-memory arrays); vocab(word, freq) for spelling; stopwords(word).
"""
import os
import sqlite3

from peer_items import stopwords, tags

PAGE_SIZE = 8192
FTS5_PGSZ = 8000


class Fts5Build:
    """Streams items into the database: add() per item, finish() once (bench/peers.py)."""

    def __init__(self, path, root):
        self.path, self.root, self.rows = path, root, 0
        if os.path.exists(path):
            os.remove(path)
        self.db = sqlite3.connect(path)
        self.db.executescript(f"""
            PRAGMA page_size = {PAGE_SIZE}; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE VIRTUAL TABLE fts USING fts5(title, summary, body, num, prac, id UNINDEXED,
                tokenize = 'porter unicode61 remove_diacritics 2', detail = full);
            INSERT INTO fts(fts, rank) VALUES ('pgsz', {FTS5_PGSZ});
            CREATE VIRTUAL TABLE passages USING fts5(heading, text,
                tokenize = 'porter unicode61 remove_diacritics 2', detail = full);
            INSERT INTO passages(passages, rank) VALUES ('pgsz', {FTS5_PGSZ});
            CREATE TABLE facet_values(code INTEGER PRIMARY KEY, facet TEXT NOT NULL, value TEXT NOT NULL);
            CREATE TABLE item_facets(doc INTEGER NOT NULL, code INTEGER NOT NULL,
                PRIMARY KEY (doc, code)) WITHOUT ROWID;
            CREATE TABLE vocab(word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE stopwords(word TEXT PRIMARY KEY) WITHOUT ROWID;
        """)

    def add(self, rowid, it, codes):
        num, prac = tags(it)
        self.db.execute("INSERT INTO fts(rowid, title, summary, body, num, prac, id) VALUES (?,?,?,?,?,?,?)",
                        (rowid, it["title"], it["summary"], it["body"], num, prac, it["id"]))
        self.db.executemany("INSERT INTO passages(rowid, heading, text) VALUES (?,?,?)",
                            [(rowid * 256 + k, h, t) for k, (h, t) in enumerate(it["passages"][:256])])
        self.db.executemany("INSERT INTO item_facets VALUES (?,?)", [(rowid, c) for c in codes.item(it)])
        self.rows += 1

    def finish(self, codes, vocab):
        db = self.db
        db.executemany("INSERT INTO facet_values VALUES (?,?,?)",
                       [(c, f, v) for (f, v), c in codes.table.items()])
        db.executemany("INSERT INTO vocab VALUES (?,?)", sorted(vocab.items()))
        db.executemany("INSERT OR IGNORE INTO stopwords VALUES (?)", [(w,) for w in stopwords(self.root)])
        db.commit()
        db.execute("INSERT INTO fts(fts) VALUES ('optimize')")
        db.execute("INSERT INTO passages(passages) VALUES ('optimize')")
        db.commit()
        db.execute("VACUUM")
        db.close()
        return {"page_size": PAGE_SIZE, "pgsz": FTS5_PGSZ, "rows": self.rows,
                "size_kb": os.path.getsize(self.path) // 1024}
