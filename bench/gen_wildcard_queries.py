#!/usr/bin/python3
"""The wildcard-storm query file: the costliest query shapes a client can send, beside plain
one-word searches measured in the same run as their baseline (issue: bounded cost per request).

    word            one plain word (the baseline), in English, French and Arabic
    alphabet        "a* b* c* ... z*" (and upper case)
    two_letter_200  200 two-letter wildcards "aa* ab* ... " (and 140 of them joined by OR, the
                    most that fits in the 1,024-byte query limit)

Same format as bench/gen_corpus.py --queries: <category> TAB <filters> TAB <url query string>.
"""
import itertools
import string
import sys
import urllib.parse

WORDS = ["corruption", "border", "financing", "prison", "trafficking", "hawala", "judiciary",
         "smuggling", "extortion", "radicalisation", "blanchiment", "frontière", "الفساد", "الحدود"]


def queries():
    for word in WORDS:
        yield "word", word
    alphabet = " ".join(f"{c}*" for c in string.ascii_lowercase)
    yield "alphabet", alphabet
    yield "alphabet", alphabet.upper()
    pairs = ["".join(p) for p in itertools.product(string.ascii_lowercase, repeat=2)]
    for start in range(0, 200, 40):
        yield "two_letter_200", " ".join(f"{t}*" for t in pairs[start:start + 200])
    yield "two_letter_200", " OR ".join(f"{t}*" for t in pairs[300:440])


def main():
    out = open(sys.argv[1], "w", encoding="utf-8") if len(sys.argv) > 1 else sys.stdout
    for category, q in queries():
        qs = urllib.parse.urlencode([("q", q)], quote_via=urllib.parse.quote)
        out.write(f"{category}\t0\t{qs}\n")


if __name__ == "__main__":
    main()
