#!/usr/bin/python3
"""Builds the peer engines' databases from a nexuskb content directory, and translates the
benchmark query file into request paths for every HTTP target.

  peers.py build  --content DIR --work DIR [--only fts5,sphinx,groonga,omega]
                  SQLite FTS5 db (peers_fts5.py), Sphinx index and config (peers_sphinx.py),
                  Groonga db, Omega db + configs
  peers.py paths  --queries FILE --work DIR --omega-db NAME
                                                 one path file per HTTP target, for bench/rotate.lua

The FTS5 and Sphinx peers index nexuskb's unit, one record per item with every language version
(peer_items.py). Groonga and Omega index one record per (item, language) file, with the title,
summary and plain-text body, and the facets practice, actor, region, kind, section, theme, lang.
Differences that cannot be removed are listed in docs/PERFORMANCE.md (stemming, counts).
"""
import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_items import Codes, item_records, words  # noqa: E402
from peers_fts5 import Fts5Build  # noqa: E402
from peers_sphinx import SphinxBuild  # noqa: E402

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when python3-yaml has it

FACETS = {  # facet -> (front-matter key, multi-valued, Omega/Xapian prefix)
    "practice": ("practices", True, "XP"),
    "actor": ("actors", True, "XA"),
    "region": ("regions", True, "XR"),
    "kind": ("kind", False, "XK"),
    "section": ("section", False, "XE"),
    "theme": ("themes", True, "XT"),
    "lang": ("lang", False, "XL"),
}
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def plain(md):
    md = LINK.sub(r"\1", md)
    md = re.sub(r"^#+ *", "", md, flags=re.M)
    md = re.sub(r"[*_`>|]", "", md)
    return re.sub(r"\s+", " ", md).strip()


def passages(md):
    """[(heading, plain text)] of the H2 sections (and the text before the first, if any)."""
    parts = re.split(r"^## +(.*)$", md, flags=re.M)
    out = [("", plain(parts[0]))] if plain(parts[0]) else []
    out += [(parts[i].strip(), plain(parts[i + 1])) for i in range(1, len(parts), 2)]
    return out


def items(content):
    for dp, _, fs in sorted(os.walk(content)):
        for f in sorted(fs):
            if not f.endswith(".md"):
                continue
            with open(os.path.join(dp, f), encoding="utf-8") as fh:
                text = fh.read()
            end = text.find("\n---\n", 4)
            fm = yaml.load(text[4:end], Loader=_LOADER)
            facets = {}
            for facet, (key, multi, _) in FACETS.items():
                v = fm.get(key)
                vals = [str(x) for x in (v or [])] if multi else ([str(v)] if v else [])
                facets[facet] = vals
            yield {
                "key": f"{fm['id']}:{fm['lang']}", "id": fm["id"], "lang": fm["lang"],
                "number": fm.get("number"),
                "title": fm.get("title", ""), "summary": fm.get("summary", ""),
                "body": plain(text[end + 5:]), "facets": facets,
                "passages": passages(text[end + 5:]),
            }


def build_groonga(records, work):
    gdir = os.path.join(work, "groonga")
    shutil.rmtree(gdir, ignore_errors=True)
    os.makedirs(gdir)
    cmds = os.path.join(gdir, "load.grn")
    with open(cmds, "w", encoding="utf-8") as f:
        for facet, (key, multi, _) in FACETS.items():
            if multi:
                f.write(f"table_create F_{facet} TABLE_HASH_KEY ShortText\n")
        f.write("table_create Items TABLE_HASH_KEY ShortText\n")
        for col in ("id", "lang", "kind", "section"):
            f.write(f"column_create Items {col} COLUMN_SCALAR ShortText\n")
        f.write("column_create Items title COLUMN_SCALAR ShortText\n")
        f.write("column_create Items summary COLUMN_SCALAR Text\n")
        f.write("column_create Items body COLUMN_SCALAR LongText\n")
        for facet, (key, multi, _) in FACETS.items():
            if multi:
                f.write(f"column_create Items {key} COLUMN_VECTOR F_{facet}\n")
        f.write("table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer TokenBigram "
                "--normalizer NormalizerAuto\n")
        for col in ("title", "summary", "body"):
            f.write(f"column_create Terms items_{col} COLUMN_INDEX|WITH_POSITION Items {col}\n")
        for facet, (key, multi, _) in FACETS.items():
            if multi:
                f.write(f"column_create F_{facet} items COLUMN_INDEX Items {key}\n")
        f.write("load --table Items\n[\n")
        for i, r in enumerate(records):
            row = {"_key": r["key"], "id": r["id"], "lang": r["lang"], "title": r["title"],
                   "summary": r["summary"], "body": r["body"],
                   "kind": r["facets"]["kind"][0], "section": r["facets"]["section"][0]}
            for facet, (key, multi, _) in FACETS.items():
                if multi:
                    row[key] = r["facets"][facet]
            f.write(("," if i else "") + json.dumps(row, ensure_ascii=False) + "\n")
        f.write("]\n")
    db = os.path.join(gdir, "db")
    with open(cmds, "rb") as f:
        out = subprocess.run(["groonga", "-n", db], stdin=f, capture_output=True, check=True)
    if b'"' in out.stdout and b"[[-" in out.stdout:
        sys.exit("groonga load failed: " + out.stdout.decode()[:2000])
    os.remove(cmds)


OMEGA_SCRIPT = """\
key : field=key boolean=Q unique=Q
id : field=id
lang : field=lang boolean=XL
kind : boolean=XK
section : boolean=XE
practice : boolean=XP
actor : boolean=XA
region : boolean=XR
theme : boolean=XT
title : field=title weight=6 index index=S gap
summary : weight=2 index gap
body : index truncate=2000 field=sample
"""

OMEGA_TEMPLATE = (
    "$httpheader{Content-Type,application/json}"
    '{"query":"$json{$query}","total":$msize,"hits":['
    '$hitlist{$if{$ne{$hit,$topdoc},$.}'
    '{"id":"$json{$field{id}}","lang":"$json{$field{lang}}","title":"$json{$field{title}}",'
    '"score":$weight,"snippet_html":"$json{$snippet{$field{sample},260}}"}}'
    "]}\n")

LIGHTTPD_CONF = """\
server.document-root = "{www}"
server.bind = "127.0.0.1"
server.port = {port}
server.pid-file = "{dir}/lighttpd.pid"
server.errorlog = "{dir}/lighttpd-error.log"
server.modules = ("mod_alias", "mod_cgi", "mod_setenv")
server.max-keep-alive-requests = 1000
server.max-worker = 0
alias.url = ("/cgi-bin/omega" => "/usr/lib/cgi-bin/omega/omega")
$HTTP["url"] =~ "^/cgi-bin/" {{ cgi.assign = ("" => "") }}
setenv.add-environment = ("OMEGA_CONFIG_FILE" => "{dir}/omega.conf")
"""


def build_omega(records, work, port):
    odir = os.path.join(work, "omega")
    shutil.rmtree(odir, ignore_errors=True)
    for sub in ("data", "templates", "logs", "cdb", "www"):
        os.makedirs(os.path.join(odir, sub))
    with open(os.path.join(odir, "index.script"), "w") as f:
        f.write(OMEGA_SCRIPT)
    dump = os.path.join(odir, "records.txt")
    with open(dump, "w", encoding="utf-8") as f:
        for r in records:
            lines = [f"key={r['key']}", f"id={r['id']}", f"lang={r['lang']}",
                     f"title={r['title']}", f"summary={r['summary']}", f"body={r['body']}"]
            for facet in FACETS:
                if facet == "lang":
                    continue
                lines += [f"{facet}={v}" for v in r["facets"][facet]]
            f.write("\n".join(l.replace("\n", " ") for l in lines) + "\n\n")
    subprocess.run(["scriptindex", "--overwrite", "-s", "english",
                    os.path.join(odir, "data", "nexus"), os.path.join(odir, "index.script"), dump],
                   check=True, stdout=subprocess.DEVNULL)
    os.remove(dump)
    with open(os.path.join(odir, "templates", "json"), "w") as f:
        f.write(OMEGA_TEMPLATE)
    with open(os.path.join(odir, "omega.conf"), "w") as f:
        f.write(f"database_dir {odir}/data\ntemplate_dir {odir}/templates\n"
                f"log_dir {odir}/logs\ncdb_dir {odir}/cdb\n")
    with open(os.path.join(odir, "lighttpd.conf"), "w") as f:
        f.write(LIGHTTPD_CONF.format(www=os.path.join(odir, "www"), dir=odir, port=port))


def read_queries(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cat, n, qs = line.split("\t")
            out.append((cat, int(n), qs, urllib.parse.parse_qsl(qs, keep_blank_values=True)))
    return out


def words_and_phrases(q):
    """Splits query text into quoted phrases and bare words."""
    return re.findall(r'"[^"]*"|[^\s"]+', q)


def groonga_path(params):
    q = " ".join(v for k, v in params if k == "q")
    sel = {}
    for k, v in params:
        if k in FACETS:
            sel.setdefault(k, []).append(v)
    out = [("table", "Items"), ("limit", "10"),
           ("output_columns", "_key,id,lang,title,_score,snippet_html(body)")]
    if q:
        tokens = []
        for t in words_and_phrases(q):
            inner = t.strip('"').replace("\\", "\\\\").replace('"', '\\"')
            if inner:
                tokens.append(f'"{inner}"')
        out += [("match_columns", "title * 6 || summary * 2 || body"),
                ("query", " ".join(tokens)), ("sort_keys", "-_score")]
    filters = []
    for facet, vals in sel.items():
        key, multi, _ = FACETS[facet]
        quoted = [json.dumps(v) for v in vals]
        if multi:
            filters.append("(" + " || ".join(f"{key} @ {v}" for v in quoted) + ")")
        else:
            filters.append(f"in_values({key}, {', '.join(quoted)})")
    if filters:
        out.append(("filter", " && ".join(filters)))
    for facet, (key, multi, _) in FACETS.items():
        out += [(f"drilldowns[{facet}].keys", key), (f"drilldowns[{facet}].limit", "50"),
                (f"drilldowns[{facet}].sort_keys", "-_nsubrecs")]
    return "/d/select?" + urllib.parse.urlencode(out, quote_via=urllib.parse.quote)


def omega_path(params, db):
    out = [("DB", db), ("FMT", "json"), ("DEFAULTOP", "and"), ("HITSPERPAGE", "10")]
    for k, v in params:
        if k == "q":
            out.append(("P", v))
        elif k in FACETS:
            out.append(("B", FACETS[k][2] + v))
    return "/cgi-bin/omega?" + urllib.parse.urlencode(out, quote_via=urllib.parse.quote)


def write_paths(queries, work, omega_db):
    targets = {
        "nexuskb": lambda qs, p: "/api/v1/search?" + qs,
        "hello": lambda qs, p: "/api/v1/search?" + qs,
        "groonga": lambda qs, p: groonga_path(p),
        "omega": lambda qs, p: omega_path(p, omega_db),
    }
    os.makedirs(os.path.join(work, "paths"), exist_ok=True)
    for name, fn in targets.items():
        with open(os.path.join(work, "paths", f"{name}.txt"), "w") as f:
            for cat, n, qs, params in queries:
                f.write(fn(qs, params) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["build", "paths"])
    ap.add_argument("--content")
    ap.add_argument("--work", required=True)
    ap.add_argument("--queries")
    ap.add_argument("--omega-port", type=int, default=18094)
    ap.add_argument("--sphinx-port", type=int, default=18196)
    ap.add_argument("--omega-db", default="nexus")
    ap.add_argument("--only", default="fts5,sphinx,groonga,omega")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    if args.command == "build":
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        only = set(args.only.split(","))
        times, info, counts = {}, {}, {"records": 0, "items": 0}

        def counted():
            counts["records"] = 0
            for r in items(args.content):
                counts["records"] += 1
                yield r

        # FTS5 and Sphinx index one record per item: one streamed pass over the corpus feeds both
        # (each peer's time includes that shared pass), so that 2M passages fit in memory.
        builders = {}
        t0 = time.monotonic()
        if "fts5" in only:
            builders["fts5"] = Fts5Build(os.path.join(args.work, "fts5.db"), root)
        if "sphinx" in only:
            builders["sphinx"] = SphinxBuild(args.work, args.sphinx_port, root)
        if builders:
            codes, vocab, spent = Codes(), collections.Counter(), dict.fromkeys(builders, 0.0)
            for rowid, it in enumerate(item_records(counted()), 1):
                vocab.update(words(it))
                for name, b in builders.items():
                    t = time.monotonic()
                    b.add(rowid, it, codes)
                    spent[name] += time.monotonic() - t
                counts["items"] = rowid
            shared = time.monotonic() - t0 - sum(spent.values())
            for name, b in builders.items():
                t = time.monotonic()
                info[name] = b.finish(codes, vocab)
                times[name] = round(spent[name] + time.monotonic() - t + shared, 2)
        for name, fn in (("groonga", lambda: build_groonga(counted(), args.work)),
                         ("omega", lambda: build_omega(counted(), args.work, args.omega_port))):
            if name in only:
                t = time.monotonic()
                info[name] = fn()
                times[name] = round(time.monotonic() - t, 2)
        print(json.dumps(dict(counts, build_seconds=times, info={k: v for k, v in info.items() if v})))
    else:
        write_paths(read_queries(args.queries), args.work, args.omega_db)


if __name__ == "__main__":
    main()
