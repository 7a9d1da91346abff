"""The peer sections of bench/results/summary.md (called by report.py): nexuskb against the SQLite
FTS5 peer (same process, same thread, passes interleaved) and Sphinx Search (searchd over
SphinxQL, timed in its client), overall and per query category; whether their totals and counts
agree with nexuskb's; the FTS5 peer's settings and EXPLAIN QUERY PLAN.

Every nexuskb figure here is a fresh search: bench_search calls SearchService directly, which has
no response cache.
"""
import json
import os

PEER_SIZES = ("gen-20000", "gen-200000", "gen-2000000")  # where the budget applies
CATEGORIES = ("word", "two_words", "phrase", "misspelled", "facets_only", "gp")


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _ms(v):
    return "–" if v is None else f"{v:.3f}"


def _pair(s):
    return f"{_ms((s or {}).get('p50_ms'))} / {_ms((s or {}).get('p95_ms'))}" if s else "–"


def _ratio(peer, ours):
    if not peer or not ours or not ours.get("p50_ms"):
        return "–"
    r50 = peer["p50_ms"] / ours["p50_ms"] if ours["p50_ms"] else None
    r95 = peer["p95_ms"] / ours["p95_ms"] if ours.get("p95_ms") else None
    return f"{r50:.2f}× / {r95:.2f}×" if r50 and r95 else "–"


def _ahead(ours, peers):
    """nexuskb strictly faster than every present peer at p50 and p95."""
    present = [p for p in peers if p]
    if not ours or not present:
        return None
    return all(ours["p50_ms"] < p["p50_ms"] and ours["p95_ms"] < p["p95_ms"] for p in present)


def write(R, corpora, labels, w, summary):
    peers = {}
    for l in labels:
        s = corpora[l].get("search") or {}
        peers[l] = {"nexuskb": s, "fts5": s.get("fts5"), "sphinx": load(os.path.join(R, f"sphinx-{l}.json"))}
    if not any(p["fts5"] or p["sphinx"] for p in peers.values()):
        return
    w("## Peers: nexuskb against SQLite FTS5 and Sphinx Search (fresh searches)\n")
    w("p50 / p95 ms, wall clock. nexuskb: `SearchService::search` in bench_search (no response "
      "cache at this level). SQLite FTS5: bench/fts5_peer.cpp in the same process and thread, its "
      "passes alternating with nexuskb's. Sphinx 2.2: searchd on loopback, one SphinxQL connection, "
      "one query at a time, timed in the client from the first byte sent to the last row read "
      "(so it includes the loopback round trips nexuskb does not pay). Ratio = peer ÷ nexuskb "
      "(above 1: nexuskb is faster).\n")
    w("| corpus | documents | nexuskb | SQLite FTS5 | FTS5 ÷ nexuskb | Sphinx | Sphinx ÷ nexuskb | "
      "nexuskb ahead of both, every category, p50 and p95 |")
    w("|---|---:|---|---|---|---|---|---|")
    for l in labels:
        p = peers[l]
        ours, fts5, sph = p["nexuskb"].get("warm"), (p["fts5"] or {}).get("warm"), (p["sphinx"] or {}).get("warm")
        if not ours:
            continue
        verdicts = [_ahead(p["nexuskb"].get("warm_by_category", {}).get(c),
                           [(p["fts5"] or {}).get("warm_by_category", {}).get(c),
                            (p["sphinx"] or {}).get("warm_by_category", {}).get(c)])
                    for c in CATEGORIES]
        verdicts = [v for v in verdicts if v is not None]
        ahead = all(verdicts) if verdicts else None
        summary["corpora"].setdefault(l, {})["peers_ahead"] = ahead
        w(f"| {l} | {p['nexuskb'].get('documents', 0):,} | {_pair(ours)} | {_pair(fts5)} | "
          f"{_ratio(fts5, ours)} | {_pair(sph)} | {_ratio(sph, ours)} | "
          f"{'–' if ahead is None else ('yes' if ahead else '**no**')} |")
        if l in PEER_SIZES and ahead is not None:
            summary["budgets"].append({"budget": f"in-process faster than FTS5 and Sphinx, every category, "
                                                 f"p50 and p95 ({l})", "measured": None, "met": ahead,
                                       "unit": ""})
    w("")
    for l in labels:
        p = peers[l]
        if not (p["fts5"] or p["sphinx"]):
            continue
        cats = p["nexuskb"].get("warm_by_category", {})
        if not cats:
            continue
        w(f"### By query category, {l} (p50 / p95 ms)\n")
        w("| category | n | nexuskb | SQLite FTS5 | FTS5 ÷ nexuskb | Sphinx | Sphinx ÷ nexuskb | nexuskb ahead |")
        w("|---|---:|---|---|---|---|---|---|")
        for c in CATEGORIES:
            ours = cats.get(c)
            if not ours:
                continue
            f = (p["fts5"] or {}).get("warm_by_category", {}).get(c)
            s = (p["sphinx"] or {}).get("warm_by_category", {}).get(c)
            a = _ahead(ours, [f, s])
            w(f"| {c} | {ours['n']} | {_pair(ours)} | {_pair(f)} | {_ratio(f, ours)} | {_pair(s)} | "
              f"{_ratio(s, ours)} | {'–' if a is None else ('yes' if a else '**no**')} |")
        w("")
    _agreement(peers, labels, w)
    _fts5_plan(peers, labels, w)


def _agreement(peers, labels, w):
    w("### Do the peers give nexuskb's answers?\n")
    w("Queries of the first pass whose exact total / disjunctive facet counts equal nexuskb's. "
      "Facet-only and \"GP n\" queries must agree exactly (same items, same facets); text queries "
      "differ by design where the engines tokenise and stem differently (nexuskb stems en/fr/ar "
      "with their own Snowball stemmers and expands synonyms; both peers stem English only). "
      "corrected = queries answered with the spelling correction.\n")
    w("| corpus | category | queries | FTS5 same total | FTS5 same counts | FTS5 corrected | "
      "Sphinx same total | Sphinx same counts | Sphinx corrected | nexuskb corrected |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for l in labels:
        f = (peers[l]["fts5"] or {}).get("agreement", {})
        s = (peers[l]["sphinx"] or {}).get("answers", {})
        for c in CATEGORIES:
            a, b = f.get(c, {}), s.get(c, {})
            if not a and not b:
                continue
            n = a.get("queries") or b.get("queries")
            w(f"| {l} | {c} | {n} | {a.get('same_total', '–')} | {a.get('same_facet_counts', '–')} | "
              f"{a.get('corrected', '–')} | {b.get('same_total', '–')} | {b.get('same_facet_counts', '–')} | "
              f"{b.get('corrected', '–')} | {a.get('corrected_nexuskb', '–')} |")
    w("")


def _fts5_plan(peers, labels, w):
    with_fts5 = [l for l in labels if peers[l]["fts5"]]
    if not with_fts5:
        return
    f = peers[with_fts5[-1]]["fts5"]
    st = f.get("settings", {})
    w(f"### The FTS5 peer's settings and query plans ({with_fts5[-1]})\n")
    w(f"SQLite {st.get('sqlite_version', '?')}; page_size {st.get('page_size')}, mmap_size "
      f"{st.get('mmap_size')}, cache_size {st.get('cache_size')}, temp_store {st.get('temp_store')}, "
      f"{st.get('uri')}; FTS5 config {json.dumps(st.get('fts5_config', {}))}; database "
      f"{f.get('db_kb', 0) / 1024:,.0f} MB, in-memory facet arrays {f.get('array_bytes', 0) / 1048576:.1f} MB, "
      f"opened in {f.get('open_ms')} ms. Each setting is justified in bench/peers_fts5.py and "
      f"bench/fts5_peer.cpp.\n")
    w("```sql\n" + st.get("create", "") + "\n```\n")
    for name, e in f.get("explain", {}).items():
        w(f"`{name}`: `{e.get('sql', '')}`\n")
        w("```\nQUERY PLAN\n" + e.get("plan", "").rstrip() + "\n```\n")
