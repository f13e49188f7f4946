#!/usr/bin/env python3
"""Validate the relevance development set (queries.jsonl).

Usage:
    python3 check.py [CORPUS_DIR] [--queries PATH]

CORPUS_DIR is the directory holding the shared corpus (*.jsonl). It defaults
to $HEARTH_CORPUS_DIR, or else ../../../../shared/corpus relative to this
script. PATH defaults to queries.jsonl next to this script.

Checks: every line parses; required fields and types; ids unique and of the
form q-NNN; categories and languages known; no duplicate query text; expected
ids exist in the corpus, are unique, at most 3, empty exactly for no_answer;
no query copies the title of one of its expected documents; persian_variants
queries are Persian, carry a note, and their words (ignoring ZWNJ, spaces and
Arabic yeh/kaf) occur in the first expected document; minimum counts per
category and per language. Prints a count table; exits 1 on any problem.
Standard library only.
"""
import argparse
import glob
import json
import os
import re
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))

MIN_PER_CATEGORY = {
    "lexical": 30,
    "paraphrased": 30,
    "misspelt": 20,
    "partial": 15,
    "question": 25,
    "persian_variants": 20,
    "cross_lingual": 20,
    "no_answer": 10,
}
MIN_PER_LANG = {"ru": 25, "uk": 25, "fa": 25}
LANGS = {"en", "ru", "uk", "fa"}
MIN_TOTAL = 170
MAX_EXPECTED = 3

ZWNJ = "\u200c"
ARABIC_TO_PERSIAN = {"\u064a": "\u06cc", "\u0643": "\u06a9"}  # yeh, kaf
PUNCT = ".,:;!?()[]\"'«»“”،؛؟"


def fa_fold(text):
    """Fold Persian spelling variants: Arabic yeh/kaf -> Persian, drop ZWNJ."""
    for a, p in ARABIC_TO_PERSIAN.items():
        text = text.replace(a, p)
    return text.replace(ZWNJ, "")


def load_corpus(corpus_dir):
    docs = {}
    files = sorted(glob.glob(os.path.join(corpus_dir, "*.jsonl")))
    for path in files:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                row = json.loads(line)
                docs[row["id"]] = row
    return files, docs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", default=os.environ.get(
        "HEARTH_CORPUS_DIR",
        os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "shared", "corpus"))))
    ap.add_argument("--queries", default=os.path.join(HERE, "queries.jsonl"))
    args = ap.parse_args()

    problems = []

    def bad(msg):
        problems.append(msg)

    files, docs = load_corpus(args.corpus)
    if not files:
        print("no *.jsonl files in corpus dir %s" % args.corpus, file=sys.stderr)
        return 1

    rows = []
    with open(args.queries, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                bad("line %d: empty line" % n)
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                bad("line %d: invalid JSON: %s" % (n, e))
                continue
            if not isinstance(row, dict):
                bad("line %d: not a JSON object" % n)
                continue
            rows.append((n, row))

    ids = Counter()
    texts = Counter()
    by_cat = Counter()
    by_lang = Counter()
    table = defaultdict(Counter)
    allowed_keys = {"id", "lang", "category", "query", "expected", "note"}

    for n, r in rows:
        where = "line %d (%s)" % (n, r.get("id", "?"))
        for k in ("id", "lang", "category", "query", "expected"):
            if k not in r:
                bad("%s: missing field %r" % (where, k))
        extra = set(r) - allowed_keys
        if extra:
            bad("%s: unknown fields %s" % (where, sorted(extra)))
        qid, lang, cat = r.get("id"), r.get("lang"), r.get("category")
        query, expected, note = r.get("query"), r.get("expected"), r.get("note", "")
        if not isinstance(qid, str) or not re.fullmatch(r"q-\d{3,}", qid):
            bad("%s: id must look like q-001" % where)
        ids[qid] += 1
        if lang not in LANGS:
            bad("%s: unknown lang %r" % (where, lang))
        if cat not in MIN_PER_CATEGORY:
            bad("%s: unknown category %r" % (where, cat))
        if not isinstance(query, str) or not query.strip():
            bad("%s: query must be a non-empty string" % where)
            query = ""
        if not isinstance(note, str):
            bad("%s: note must be a string" % where)
            note = ""
        texts[(lang, query.strip().lower())] += 1
        if not isinstance(expected, list) or not all(isinstance(e, str) for e in expected):
            bad("%s: expected must be a list of strings" % where)
            expected = []
        if len(set(expected)) != len(expected):
            bad("%s: duplicate ids in expected" % where)
        if len(expected) > MAX_EXPECTED:
            bad("%s: more than %d expected ids" % (where, MAX_EXPECTED))
        if cat == "no_answer" and expected:
            bad("%s: no_answer query must have expected: []" % where)
        if cat != "no_answer" and not expected:
            bad("%s: expected is empty outside no_answer" % where)
        for e in expected:
            if e not in docs:
                bad("%s: expected id %r not in corpus" % (where, e))
        norm_q = re.sub(r"\s+", " ", query).strip(" ?.").lower()
        for e in expected:
            d = docs.get(e)
            if d and re.sub(r"\s+", " ", d.get("title") or "").strip(" ?.").lower() == norm_q:
                bad("%s: query copies the title of %s" % (where, e))
        if cat == "persian_variants":
            if lang != "fa":
                bad("%s: persian_variants query must have lang fa" % where)
            if not note.strip():
                bad("%s: persian_variants query must document the variant in note" % where)
            if expected and expected[0] in docs:
                d = docs[expected[0]]
                hay = fa_fold(" ".join([d.get("title") or "", d.get("body") or "",
                                        d.get("answer") or ""]))
                hay = re.sub(r"\s+", "", hay)
                for tok in fa_fold(query).split():
                    tok = tok.strip(PUNCT)
                    if tok and tok not in hay:
                        bad("%s: word %r not found in %s (after folding ZWNJ/space/Arabic letters)"
                            % (where, tok, expected[0]))
        by_cat[cat] += 1
        by_lang[lang] += 1
        table[cat][lang] += 1

    for qid, c in ids.items():
        if c > 1:
            bad("duplicate id %r (%d times)" % (qid, c))
    for (lang, t), c in texts.items():
        if c > 1:
            bad("duplicate query text %r (%s, %d times)" % (t, lang, c))
    for cat, m in MIN_PER_CATEGORY.items():
        if by_cat[cat] < m:
            bad("category %s has %d queries, need at least %d" % (cat, by_cat[cat], m))
    for lang, m in MIN_PER_LANG.items():
        if by_lang[lang] < m:
            bad("lang %s has %d queries, need at least %d" % (lang, by_lang[lang], m))
    if len(rows) < MIN_TOTAL:
        bad("only %d queries, need at least %d" % (len(rows), MIN_TOTAL))

    langs = ["en", "ru", "uk", "fa"]
    print("%-18s %5s %5s %5s %5s %6s %5s" % ("category", *langs, "total", "min"))
    for cat in MIN_PER_CATEGORY:
        print("%-18s %5d %5d %5d %5d %6d %5d" % (
            cat, *(table[cat][l] for l in langs), by_cat[cat], MIN_PER_CATEGORY[cat]))
    print("%-18s %5d %5d %5d %5d %6d" % ("total", *(by_lang[l] for l in langs), len(rows)))
    print("corpus: %d documents from %d files in %s" % (len(docs), len(files), args.corpus))

    if problems:
        print("\n%d problem(s):" % len(problems), file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
