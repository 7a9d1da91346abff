#!/usr/bin/python3
"""Function-level summary of a `perf record --call-graph dwarf` profile of bench_search.

  perf script -i perf.data | perf_summary.py [--top 25] [--json OUT] [--exclude FUNCTION]

--exclude drops the samples that have FUNCTION on their stack (e.g. IndexHandle::load, the
start-up work of bench_search) so that the tables describe the steady state.

Prints two tables in Markdown:
  * inclusive share of samples for nexuskb functions and the Xapian / library entry points they
    call (a sample counts once per function however deep the recursion);
  * "where the time goes": each sample attributed to its innermost nexuskb function and the
    first Xapian API (or library) call below it, e.g. `make_hit > Xapian::MSet::snippet`.
"""
import argparse
import collections
import json
import re
import sys

CLEAN = [
    (re.compile(r"std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >"),
     "std::string"),
    (re.compile(r"\(anonymous namespace\)::"), ""),
    (re.compile(r"\[abi:cxx11\]"), ""),
    (re.compile(r" \(inlined\)"), ""),
]


def clean(sym):
    for rx, rep in CLEAN:
        sym = rx.sub(rep, sym)
    if sym.startswith("nlohmann::"):
        for part in ("parse", "lexer", "parser", "dump", "serializer", "from_json", "to_json"):
            if part in sym:
                return f"nlohmann::json ({part})"
        return "nlohmann::json"
    sym = re.sub(r"\(.*$", "", sym)  # drop argument lists
    return sym


def classify(sym, dso):
    """A short name for interesting frames, or None."""
    if sym.startswith("nexuskb::") or sym in ("make_hit", "best_passage", "run_query",
                                               "positional_terms", "expand_counts",
                                               "facet_result"):
        return sym.replace("nexuskb::", "")
    if sym.startswith("Xapian::"):
        return sym
    if "libz" in dso or sym in ("inflate",):
        return "zlib inflate"
    if sym.startswith("nlohmann::json"):
        return sym
    if "pread" in sym:
        return "pread (syscall)"
    if sym.startswith("std::regex") or "__detail::_Executor" in sym or "_Compiler" in sym:
        return "std::regex"
    if sym in ("malloc", "_int_malloc", "free", "_int_free", "operator new", "cfree",
               "__GI___libc_malloc", "__GI___libc_free", "operator delete"):
        return "malloc/free"
    return None


def samples(stream):
    frames = []
    for line in stream:
        line = line.rstrip("\n")
        if not line.strip():
            if frames:
                yield frames
            frames = []
            continue
        if not line.startswith((" ", "\t")):
            continue  # sample header
        m = re.match(r"\s+[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$", line)
        if not m:
            continue
        sym = re.sub(r"\+0x[0-9a-f]+$", "", m.group(1))
        frames.append((clean(sym), m.group(2)))  # innermost first
    if frames:
        yield frames


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--json")
    ap.add_argument("--exclude", action="append", default=[])
    args = ap.parse_args()
    excluded = 0
    inclusive = collections.Counter()
    attributed = collections.Counter()
    leaf = collections.Counter()
    total = 0
    for frames in samples(sys.stdin):
        names = [classify(s, d) for s, d in frames]
        if any(n in args.exclude for n in names if n):
            excluded += 1
            continue
        total += 1
        for n in set(n for n in names if n):
            inclusive[n] += 1
        leaf[frames[0][0] if frames[0][0] != "[unknown]" else frames[0][1]] += 1
        # innermost nexuskb frame, and the first interesting non-nexuskb frame below it
        own, callee = None, None
        for i, n in enumerate(names):
            if n and not n.startswith(("Xapian::", "zlib", "nlohmann", "pread", "std::regex",
                                       "malloc")):
                own = n
                for m in reversed(names[:i]):
                    if m:
                        callee = m
                        break
                break
        attributed[f"{own or '(outside nexuskb)'} > {callee or '(own code / other)'}"] += 1
    if not total:
        sys.exit("perf_summary: no samples")
    pct = lambda c: round(100.0 * c / total, 1)
    note = f" (excluded: {excluded} samples under {', '.join(args.exclude)})" if excluded else ""
    print(f"Samples: {total}{note}\n")
    print("| inclusive % | function |\n|---:|---|")
    for name, c in inclusive.most_common(args.top):
        print(f"| {pct(c)} | `{name}` |")
    print("\n| self+callees % | innermost nexuskb function > first library call below it |\n|---:|---|")
    for name, c in attributed.most_common(args.top):
        print(f"| {pct(c)} | `{name}` |")
    print("\n| self % | leaf symbol |\n|---:|---|")
    for name, c in leaf.most_common(12):
        print(f"| {pct(c)} | `{name}` |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"samples": total, "excluded": excluded,
                       "inclusive_pct": {k: pct(v) for k, v in inclusive.most_common(60)},
                       "attributed_pct": {k: pct(v) for k, v in attributed.most_common(60)},
                       "leaf_pct": {k: pct(v) for k, v in leaf.most_common(30)}}, f, indent=1)


if __name__ == "__main__":
    main()
