#!/usr/bin/python3
"""Deterministic synthetic corpus and query-file generator for nexuskb benchmarks.

Reads the real items in content/ and learns from them:
  * per language, a word-bigram model of the running text (sentence starts, next-word counts),
    the distribution of passage lengths (words per H2 section) and the real H2 headings;
  * the joint (kind, section, source document, has-number) profile of items, the language sets of
    translations, the number of H2 sections per item, and for each multi-valued facet (practices,
    actors, regions, themes) the distribution of "how many values" and the frequency of each value.

It then writes N passages (H2 sections) in the project's own format: content/<folder>/<id>.<lang>.md
(Markdown + YAML front matter) plus copies of taxonomy.yaml and synonyms.yaml, so that
`nexuskb-index --content OUT` accepts it unchanged. Vocabulary grows with the corpus (Heaps' law):
about 2% of the words come from a synthetic lexicon of rare "proper nouns" whose size grows with
sqrt(N), drawn with a Zipf-like law, so postings do not simply get denser as N grows.

With --queries it writes the benchmark query file (drawn from the *real* content, so the same file
is meaningful on the shipped corpus and on every synthetic size). One query per line:

    <category> TAB <number of facet filters> TAB <url query string>

Only /usr/bin/python3 and python3-yaml (Debian) are needed. Same arguments, same output, always.
"""
import argparse
import bisect
import collections
import itertools
import json
import os
import random
import re
import shutil
import sys
import urllib.parse

import yaml

FOLDER = {"practice": "practices", "toolkit": "toolkit", "addendum": "addendum",
          "instrument": "instruments", "scenario": "scenarios", "framework": "frameworks"}
# Letters plus combining marks (Arabic harakat are not \w in Python's re).
_L = r"(?:[^\W\d_]|[\u0300-\u036F\u0610-\u061A\u064B-\u065F\u0670])"
WORD = re.compile(_L + r"+(?:['’\-]" + _L + r"+)*")
SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n\s*[-*\d]+[.)]?\s+|\n\n")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
MULTI = ("practices", "actors", "regions", "themes")
QUERY_FACETS = ("actor", "region", "theme", "kind", "lang", "section")
FACET_KEY = {"actor": "actors", "region": "regions", "theme": "themes"}


def split_front_matter(text):
    if not text.startswith("---\n"):
        return None, text
    end = text.find("\n---\n", 4)
    return yaml.safe_load(text[4:end]), text[end + 5:]


def plain(md):
    md = LINK.sub(r"\1", md)
    md = re.sub(r"[*_`>#|]", " ", md)
    return md


class Model:
    """Everything learnt from content/."""

    def __init__(self, content):
        self.items = []  # (front matter, {h2 heading: text})
        files = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(content) for f in fs
                       if f.endswith(".md"))
        for path in files:
            with open(path, encoding="utf-8") as f:
                fm, body = split_front_matter(f.read())
            if fm is None:
                continue
            sections = re.split(r"^## +(.*)$", body, flags=re.M)
            passages = [(sections[i].strip(), sections[i + 1]) for i in range(1, len(sections), 2)]
            self.items.append((fm, passages))
        if not self.items:
            sys.exit(f"gen_corpus: no items under {content}")

        self.langs = sorted({fm["lang"] for fm, _ in self.items})
        self.next = {l: collections.defaultdict(collections.Counter) for l in self.langs}
        self.starts = {l: collections.Counter() for l in self.langs}
        self.unigram = {l: collections.Counter() for l in self.langs}
        self.bigrams = {l: collections.Counter() for l in self.langs}
        self.passage_words = {l: [] for l in self.langs}
        self.headings = {l: set() for l in self.langs}
        self.h2_counts = []
        self.passage_tokens = {l: [] for l in self.langs}  # lower-cased words of each passage
        for fm, passages in self.items:
            lang = fm["lang"]
            self.h2_counts.append(len(passages))
            texts = [fm.get("title", ""), fm.get("summary", "")]
            for heading, text in passages:
                self.headings[lang].add(heading)
                tokens = [w.lower() for w in WORD.findall(plain(text))]
                self.passage_words[lang].append(max(10, len(tokens)))
                self.passage_tokens[lang].append(tokens)
                texts.append(text)
            for text in texts:
                for sentence in SENTENCE_END.split(plain(text)):
                    words = WORD.findall(sentence)
                    if len(words) < 3:
                        continue
                    self.starts[lang][words[0]] += 1
                    prev = words[0]
                    self.unigram[lang][prev.lower()] += 1
                    for w in words[1:]:
                        self.next[lang][prev][w] += 1
                        self.unigram[lang][w.lower()] += 1
                        self.bigrams[lang][(prev.lower(), w.lower())] += 1
                        prev = w
                    self.next[lang][prev][None] += 1  # sentence end
        # Frozen samplers: (choices, cumulative weights).
        self.next_s = {l: {w: sampler(c) for w, c in m.items()} for l, m in self.next.items()}
        self.starts_s = {l: sampler(c) for l, c in self.starts.items()}
        self.headings = {l: sorted(h) for l, h in self.headings.items()}

        # Facet profiles.
        by_id = collections.defaultdict(list)
        for fm, _ in self.items:
            by_id[fm["id"]].append(fm)
        self.profiles = []  # one per real item id (translations share facets)
        for item_id in sorted(by_id):
            fms = by_id[item_id]
            fm = next((f for f in fms if f["lang"] == "en"), fms[0])
            self.profiles.append({
                "kind": fm["kind"], "section": fm["section"],
                "source": fm.get("source") or {}, "has_number": "number" in fm,
                "langs": sorted(f["lang"] for f in fms)})
        self.number_values = collections.defaultdict(collections.Counter)
        self.multi_len = {k: collections.Counter() for k in MULTI}
        self.multi_vals = {k: collections.Counter() for k in MULTI}
        self.verified = collections.Counter()
        for fm, _ in self.items:
            if "number" in fm:
                self.number_values[fm["kind"]][fm["number"]] += 1
            for k in MULTI:
                vals = fm.get(k) or []
                self.multi_len[k][len(vals)] += 1
                for v in vals:
                    self.multi_vals[k][v] += 1
            self.verified[bool(fm.get("verified"))] += 1
        self.kind_count = collections.Counter(fm["kind"] for fm, _ in self.items)
        self.section_count = collections.Counter(fm["section"] for fm, _ in self.items)
        self.lang_count = collections.Counter(fm["lang"] for fm, _ in self.items)


def sampler(counter):
    keys = sorted(counter, key=lambda k: ("" if k is None else k))
    return keys, list(itertools.accumulate(counter[k] for k in keys))


def pick(rng, s):
    keys, cum = s
    return keys[bisect.bisect(cum, rng.random() * cum[-1])]


def pick_distinct(rng, counter, n):
    """n distinct values drawn by frequency, without replacement."""
    pool = dict(counter)
    out = []
    while pool and len(out) < n:
        v = pick(rng, sampler(pool))
        out.append(v)
        del pool[v]
    return out


class RareLexicon:
    """Synthetic proper nouns; the lexicon grows with the corpus (Heaps' law)."""
    LATIN = ["ka", "ro", "mi", "tan", "sel", "vu", "do", "ar", "ben", "li", "zo", "gha", "mou",
             "ne", "sa", "ti", "ula", "ver", "ki", "bo", "rad", "em", "yo", "fa"]
    ARABIC = ["كا", "رو", "مي", "تان", "سل", "فو", "دو", "ار", "بن", "لي", "زو", "غا", "مو",
              "ني", "سا", "تي", "علا", "فر", "كي", "بو", "راد", "إم", "يو", "فا"]

    def __init__(self, size):
        self.size = max(100, size)

    def word(self, rng, lang):
        i = int(self.size ** rng.random())  # log-uniform rank: a Zipf(1)-like law
        syl = self.ARABIC if lang == "ar" else self.LATIN
        parts = []
        i += 24 * 24  # at least three syllables, so rare words never collide with real ones
        while i:
            i, r = divmod(i, len(syl))
            parts.append(syl[r])
        w = "".join(parts)
        return w if lang == "ar" else w.capitalize()


class Generator:
    def __init__(self, model, seed, passages):
        self.m = model
        self.rng = random.Random(seed)
        self.rare = RareLexicon(int(40 * passages ** 0.5))

    def sentence(self, lang, max_words=40):
        rng, nxt = self.rng, self.m.next_s[lang]
        w = pick(rng, self.m.starts_s[lang])
        words = [w]
        while len(words) < max_words:
            s = nxt.get(w)
            if s is None:
                break
            w = pick(rng, s)
            if w is None:
                break
            words.append(self.rare.word(rng, lang) if rng.random() < 0.02 else w)
        return words

    def text(self, lang, n_words):
        out, count, para = [], 0, []
        while count < n_words:
            words = self.sentence(lang, max_words=min(40, max(3, n_words - count)))
            count += len(words)
            s = " ".join(words)
            para.append(s[0].upper() + s[1:] + ".")
            if len(para) >= self.rng.randint(3, 5):
                out.append(" ".join(para))
                para = []
        if para:
            out.append(" ".join(para))
        # One passage in eight carries a short bullet list, as real items do.
        if self.rng.random() < 0.125 and out:
            bullets = ["- " + " ".join(self.sentence(lang, 12)) for _ in range(self.rng.randint(2, 4))]
            out.insert(1, "\n".join(bullets))
        return "\n\n".join(wrap(p) for p in out)

    def words(self, lang, lo, hi):
        words = []
        while len(words) < lo:
            words += self.sentence(lang, hi)
        return " ".join(words[:hi])

    def item(self, serial, h2_budget):
        """Returns [(relative path, markdown, passages)] for one item id (all its translations)."""
        rng, m = self.rng, self.m
        prof = m.profiles[rng.randrange(len(m.profiles))]
        kind = prof["kind"]
        item_id = f"syn-{kind}-{serial:06d}"
        number = None
        if prof["has_number"] and m.number_values[kind]:
            number = pick(rng, sampler(m.number_values[kind]))
        facets = {}
        for k in MULTI:
            n = pick(rng, sampler(m.multi_len[k]))
            facets[k] = pick_distinct(rng, m.multi_vals[k], n)
        if number is not None and number not in facets["practices"]:
            facets["practices"].insert(0, number)
        for k in ("practices", "actors", "regions"):
            if not facets[k]:
                facets[k] = [pick(rng, sampler(m.multi_vals[k]))]
        verified = pick(rng, sampler(m.verified))
        n_h2 = m.h2_counts[rng.randrange(len(m.h2_counts))]
        files = []
        for lang in prof["langs"]:
            if h2_budget <= 0:
                break
            n = min(n_h2, h2_budget)
            h2_budget -= n
            headings = rng.sample(m.headings[lang], min(n, len(m.headings[lang])))
            body = []
            for h in headings:
                body.append(f"## {h}\n\n" + self.text(lang, rng.choice(m.passage_words[lang])))
            fm = [
                "---",
                f"id: {item_id}",
                f"lang: {lang}",
                f"kind: {kind}",
                f"title: {json.dumps(self.title(lang), ensure_ascii=False)}",
            ]
            if number is not None:
                fm.append(f"number: {number}")
            fm += [
                f"section: {prof['section']}",
                f"practices: [{', '.join(str(p) for p in facets['practices'])}]",
                f"actors: [{', '.join(facets['actors'])}]",
                f"regions: [{', '.join(facets['regions'])}]",
            ]
            if facets["themes"]:
                fm.append(f"themes: [{', '.join(facets['themes'])}]")
            src = prof["source"]
            fm += [
                "source:",
                f"  document: {src.get('document', 'hague-good-practices')}",
                f"  url: {json.dumps(src.get('url') or '')}",
                f"verified: {'true' if verified else 'false'}",
                f"summary: {json.dumps(self.words(lang, 15, 45) + '.', ensure_ascii=False)}",
                "---",
                "",
            ]
            md = "\n".join(fm) + "\n\n".join(body) + "\n"
            files.append((f"{FOLDER.get(kind, kind + 's')}/{item_id}.{lang}.md", md, len(headings)))
        return files, h2_budget

    def title(self, lang):
        t = self.words(lang, 3, 10)
        return t[0].upper() + t[1:]


def wrap(paragraph, width=100):
    if paragraph.startswith("- "):
        return paragraph
    lines, line = [], ""
    for w in paragraph.split(" "):
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    if line:
        lines.append(line)
    return "\n".join(lines)


def write_corpus(model, content, out, passages, seed):
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    for f in ("taxonomy.yaml", "synonyms.yaml"):
        shutil.copy(os.path.join(content, f), os.path.join(out, f))
    gen = Generator(model, seed, passages)
    budget, serial, files, written = passages, 0, 0, 0
    while budget > 0:
        serial += 1
        items, budget = gen.item(serial, budget)
        for rel, md, n in items:
            path = os.path.join(out, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(md)
            files += 1
            written += n
    stats = {"passages": written, "files": files, "items": serial, "seed": seed,
             "rare_lexicon": gen.rare.size}
    with open(os.path.join(out, "corpus.json"), "w") as f:
        json.dump(stats, f)
    return stats


def load_stopwords(root):
    stop = {}
    for lang in ("en", "fr", "ar"):
        path = os.path.join(root, "core", "stopwords", f"{lang}.txt")
        try:
            with open(path, encoding="utf-8") as f:
                stop[lang] = {w.strip().lower() for w in f if w.strip() and not w.startswith("#")}
        except OSError:
            stop[lang] = set()
    return stop


def misspell(rng, word, vocab):
    letters = "abcdefghijklmnopqrstuvwxyz"
    for _ in range(20):
        i = rng.randrange(1, len(word) - 1)
        op = rng.randrange(3)
        if op == 0:
            w = word[:i] + word[i + 1] + word[i] + word[i + 2:]  # transposition
        elif op == 1:
            w = word[:i] + word[i + 1:]  # deletion
        else:
            w = word[:i] + rng.choice(letters) + word[i + 1:]  # substitution
        if w != word and w not in vocab:
            return w
    return None


def write_queries(model, root, out, count, seed):
    """A query mix drawn from the real content: words, word pairs, phrases, misspellings,
    browsing by facets only, and 'GP n' mentions, each with 0-3 facet filters."""
    rng = random.Random(seed)
    stop = load_stopwords(root)
    langs_w = sampler(model.lang_count)
    terms, pairs = {}, {}
    for lang in model.langs:
        uni = model.unigram[lang]
        ranked = [w for w, c in uni.most_common()
                  if w not in stop.get(lang, ()) and len(w) >= 4 and c >= 3]
        # Mid-frequency words: skip the 20 most common (near-stop words), keep the next 600.
        terms[lang] = ranked[20:620]
        keep = set(ranked[:1500])
        pairs[lang] = [b for b, c in model.bigrams[lang].most_common(3000)
                       if b[0] in keep and b[1] in keep and c >= 2]
    facet_vals = {
        "actor": model.multi_vals["actors"], "region": model.multi_vals["regions"],
        "theme": model.multi_vals["themes"], "kind": model.kind_count,
        "section": model.section_count, "lang": model.lang_count,
    }
    categories = ["word", "two_words", "phrase", "misspelled", "facets_only", "gp"]
    weights = [26, 22, 18, 14, 14, 6]
    lines = []
    for _ in range(count):
        cat = rng.choices(categories, weights)[0]
        lang = pick(rng, langs_w)
        if cat in ("misspelled",) and lang == "ar":
            lang = "en"
        if cat == "word":
            q = rng.choice(terms[lang])
        elif cat == "two_words":
            # Two words that occur in the same real passage, so most pairs have answers.
            term_set = set(terms[lang])
            cands = []
            while len(cands) < 2:
                cands = sorted(set(rng.choice(model.passage_tokens[lang])) & term_set)
            a, b = rng.sample(cands, 2)
            q = f"{a} {b}"
        elif cat == "phrase":
            a, b = rng.choice(pairs[lang]) if pairs[lang] else rng.sample(terms[lang], 2)
            q = f'"{a} {b}"'
        elif cat == "misspelled":
            q = None
            while q is None:
                q = misspell(rng, rng.choice([t for t in terms[lang] if len(t) >= 6]),
                             model.unigram[lang])
        elif cat == "gp":
            q = f"GP {rng.randint(1, 25)}"
        else:
            q = ""
        n_filters = rng.randint(1, 3) if cat == "facets_only" else rng.randint(0, 3)
        params = [("q", q)] if q else []
        for facet in sorted(rng.sample(QUERY_FACETS, n_filters)):
            if facet == "lang":
                value = lang
            else:
                value = pick(rng, sampler(facet_vals[facet]))
            params.append((facet, value))
            # One filter in six selects two values (OR within a facet).
            if facet in ("actor", "region", "theme") and rng.random() < 1 / 6:
                other = pick(rng, sampler(facet_vals[facet]))
                if other != value:
                    params.append((facet, other))
        if not params:
            params = [("q", rng.choice(terms[lang]))]
        qs = urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
        lines.append(f"{cat}\t{n_filters}\t{qs}")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return collections.Counter(l.split("\t")[0] for l in lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--content", default="content", help="the real corpus to learn from")
    ap.add_argument("--passages", type=int, help="number of passages (H2 sections) to write")
    ap.add_argument("--out", help="output content directory (replaced)")
    ap.add_argument("--queries", help="write the benchmark query file here")
    ap.add_argument("--nqueries", type=int, default=400)
    ap.add_argument("--seed", type=int, default=20180923)
    args = ap.parse_args()
    if not args.queries and not (args.passages and args.out):
        ap.error("give --passages N --out DIR, or --queries FILE, or both")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    model = Model(args.content)
    if args.passages and args.out:
        stats = write_corpus(model, args.content, args.out, args.passages, args.seed)
        print(json.dumps(stats))
    if args.queries:
        mix = write_queries(model, root, args.queries, args.nqueries, args.seed + 1)
        print(json.dumps({"queries": args.nqueries, "mix": mix}))


if __name__ == "__main__":
    main()
