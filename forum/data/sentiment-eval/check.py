#!/usr/bin/env python3
"""Validate the labelled sentiment evaluation sets (en, ru, uk, fa).

Usage:
    python3 check.py [--corpus DIR] [--skip-corpus] [DATA_DIR]

DATA_DIR defaults to the directory of this script. The corpus directory
(the JSONL files described in ../shared/corpus/README.md) is taken from
--corpus, else from the HEARTH_CORPUS_DIR environment variable, else from
<repo>/../shared/corpus. With --skip-corpus the corpus checks are skipped
(with a warning) for machines that do not have the corpus.

Checks, per language file <lang>.tsv:
  * UTF-8 without BOM, ends with a newline, exact header
    "label<TAB>origin<TAB>source_id<TAB>text";
  * every row has exactly four tab-separated fields; label is
    negative|neutral|positive; origin is corpus|written; a corpus row has a
    source_id, a written row has none; text is non-empty, on one line, with
    no leading/trailing or doubled whitespace;
  * at least 60 rows and at least 20 rows per label;
  * no duplicate texts (exact, and after case folding and whitespace
    collapsing);
  * each corpus source_id exists in the corpus, in the same language, and
    the row's text occurs verbatim (after whitespace collapsing) in that
    corpus record's title, body or answer;
  * Persian written rows use Persian yeh/kaf (U+06CC, U+06A9), not Arabic.
And for hard-cases.tsv: header "lang<TAB>tags<TAB>text", known tags, and
every text present in that language's file.

Prints a count table. Exit status 0 when everything passes, 1 otherwise.
Standard library only.
"""

import json
import os
import sys
from collections import Counter
from pathlib import Path

LANGS = ("en", "ru", "uk", "fa")
LABELS = ("negative", "neutral", "positive")
ORIGINS = ("corpus", "written")
HEADER = "label\torigin\tsource_id\ttext"
HARD_HEADER = "lang\ttags\ttext"
MIN_ROWS = 60
MIN_PER_LABEL = 20
MIN_CORPUS_SHARE = 0.40  # a target, not a hard rule: warn only
HARD_TAGS = {
    "negation", "intensifier", "emoji", "question", "sarcasm", "contrast",
    "mixed", "lexical-trap", "slang", "clause", "mixed-script",
    "zwnj", "zwnj-joined", "zwnj-space",
}


def norm_ws(s):
    return " ".join(s.split())


class Report:
    def __init__(self):
        self.errors = []
        self.warnings = []

    def error(self, where, msg):
        self.errors.append(f"{where}: {msg}")

    def warn(self, where, msg):
        self.warnings.append(f"{where}: {msg}")


def read_lines(path, rep):
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        rep.error(path.name, "starts with a UTF-8 BOM")
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        rep.error(path.name, f"not valid UTF-8: {e}")
        return []
    if "\r" in text:
        rep.error(path.name, "contains carriage returns (use LF line endings)")
    if text and not text.endswith("\n"):
        rep.error(path.name, "does not end with a newline")
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")


def load_corpus(corpus_dir, rep):
    records = {}
    files = sorted(corpus_dir.glob("*.jsonl"))
    if not files:
        rep.error(str(corpus_dir), "no *.jsonl files found")
    for f in files:
        with f.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    r = json.loads(line)
                except json.JSONDecodeError as e:
                    rep.error(f"{f.name}:{n}", f"bad JSON: {e}")
                    continue
                full = " ".join(r.get(k) or "" for k in ("title", "body", "answer"))
                records[r.get("id")] = (r.get("lang"), norm_ws(full))
    return records


def check_lang(data_dir, lang, corpus, rep):
    path = data_dir / f"{lang}.tsv"
    where = path.name
    counts = Counter()
    texts = set()
    if not path.is_file():
        rep.error(where, "missing")
        return counts, texts
    lines = read_lines(path, rep)
    if not lines or lines[0] != HEADER:
        rep.error(where, f"header must be {HEADER!r}")
    seen_exact = {}
    seen_folded = {}
    for n, line in enumerate(lines[1:], 2):
        loc = f"{where}:{n}"
        fields = line.split("\t")
        if len(fields) != 4:
            rep.error(loc, f"expected 4 tab-separated fields, got {len(fields)}")
            continue
        label, origin, source_id, text = fields
        if label not in LABELS:
            rep.error(loc, f"bad label {label!r}")
        if origin not in ORIGINS:
            rep.error(loc, f"bad origin {origin!r}")
        if not text:
            rep.error(loc, "empty text")
            continue
        if text != norm_ws(text):
            rep.error(loc, "text has leading/trailing or doubled whitespace")
        if any(ord(c) < 32 for c in text):
            rep.error(loc, "text contains a control character")
        if text in seen_exact:
            rep.error(loc, f"duplicate text (first on line {seen_exact[text]})")
        else:
            seen_exact[text] = n
        folded = norm_ws(text).casefold()
        if folded in seen_folded and seen_folded[folded] != seen_exact.get(text):
            rep.error(loc, f"near-duplicate text (line {seen_folded[folded]})")
        seen_folded.setdefault(folded, n)
        texts.add(text)
        if origin == "corpus":
            if not source_id:
                rep.error(loc, "corpus row without source_id")
            elif corpus is not None:
                rec = corpus.get(source_id)
                if rec is None:
                    rep.error(loc, f"source_id {source_id!r} not found in the corpus")
                else:
                    rec_lang, full = rec
                    if rec_lang != lang:
                        rep.error(loc, f"source_id {source_id!r} is lang {rec_lang!r}, not {lang!r}")
                    if norm_ws(text) not in full:
                        rep.error(loc, f"text does not occur verbatim in corpus record {source_id!r}")
        elif origin == "written" and source_id:
            rep.error(loc, "written row must have an empty source_id")
        if lang == "fa" and origin == "written":
            if any(c in "\u064a\u0643" for c in text):
                rep.error(loc, "Arabic yeh/kaf in a Persian written row (use U+06CC/U+06A9)")
        if label in LABELS and origin in ORIGINS:
            counts[(label, origin)] += 1
    total = sum(counts.values())
    if total < MIN_ROWS:
        rep.error(where, f"{total} rows, need at least {MIN_ROWS}")
    for label in LABELS:
        k = counts[(label, "corpus")] + counts[(label, "written")]
        if k < MIN_PER_LABEL:
            rep.error(where, f"{k} {label} rows, need at least {MIN_PER_LABEL}")
    corpus_rows = sum(counts[(l, "corpus")] for l in LABELS)
    if total and corpus_rows / total < MIN_CORPUS_SHARE:
        rep.warn(where, f"corpus rows are {corpus_rows}/{total} = {corpus_rows / total:.0%}, "
                        f"below the {MIN_CORPUS_SHARE:.0%} target")
    return counts, texts


def check_hard_cases(data_dir, texts_by_lang, rep):
    path = data_dir / "hard-cases.tsv"
    tag_counts = {lang: Counter() for lang in LANGS}
    if not path.is_file():
        rep.warn(path.name, "missing (optional)")
        return tag_counts
    lines = read_lines(path, rep)
    if not lines or lines[0] != HARD_HEADER:
        rep.error(path.name, f"header must be {HARD_HEADER!r}")
    seen = set()
    for n, line in enumerate(lines[1:], 2):
        loc = f"{path.name}:{n}"
        fields = line.split("\t")
        if len(fields) != 3:
            rep.error(loc, f"expected 3 tab-separated fields, got {len(fields)}")
            continue
        lang, tags, text = fields
        if lang not in LANGS:
            rep.error(loc, f"bad lang {lang!r}")
            continue
        if (lang, text) in seen:
            rep.error(loc, "listed twice")
        seen.add((lang, text))
        for tag in tags.split(","):
            if tag not in HARD_TAGS:
                rep.error(loc, f"unknown tag {tag!r}")
            else:
                tag_counts[lang][tag] += 1
        if text not in texts_by_lang.get(lang, ()):
            rep.error(loc, f"text not found in {lang}.tsv")
    return tag_counts


def main(argv):
    args = list(argv)
    corpus_arg = None
    skip_corpus = False
    data_dir = None
    while args:
        a = args.pop(0)
        if a == "--corpus":
            if not args:
                print("--corpus needs a directory", file=sys.stderr)
                return 2
            corpus_arg = args.pop(0)
        elif a.startswith("--corpus="):
            corpus_arg = a.split("=", 1)[1]
        elif a == "--skip-corpus":
            skip_corpus = True
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif data_dir is None and not a.startswith("-"):
            data_dir = a
        else:
            print(f"unknown argument {a!r}", file=sys.stderr)
            return 2
    here = Path(__file__).resolve().parent
    data_dir = Path(data_dir) if data_dir else here
    rep = Report()

    corpus = None
    if skip_corpus:
        rep.warn("corpus", "skipped (--skip-corpus): source ids and texts not verified")
    else:
        corpus_dir = Path(corpus_arg or os.environ.get("HEARTH_CORPUS_DIR")
                          or here.parents[2].parent / "shared" / "corpus")
        if not corpus_dir.is_dir():
            rep.error(str(corpus_dir), "corpus directory not found "
                      "(pass --corpus DIR, set HEARTH_CORPUS_DIR, or --skip-corpus)")
        else:
            corpus = load_corpus(corpus_dir, rep)

    table = {}
    texts_by_lang = {}
    for lang in LANGS:
        table[lang], texts_by_lang[lang] = check_lang(data_dir, lang, corpus, rep)
    tag_counts = check_hard_cases(data_dir, texts_by_lang, rep)

    head = ["lang", "negative", "neutral", "positive", "total", "corpus", "written", "corpus%"]
    print("  ".join(f"{h:>8}" for h in head))
    for lang in LANGS:
        c = table[lang]
        per = [c[(l, "corpus")] + c[(l, "written")] for l in LABELS]
        corp = sum(c[(l, "corpus")] for l in LABELS)
        wr = sum(c[(l, "written")] for l in LABELS)
        tot = corp + wr
        share = f"{corp / tot:.0%}" if tot else "-"
        print("  ".join(f"{v:>8}" for v in [lang, *per, tot, corp, wr, share]))
    print()
    print("by label and origin (corpus/written):")
    for lang in LANGS:
        c = table[lang]
        cells = ", ".join(f"{l} {c[(l, 'corpus')]}/{c[(l, 'written')]}" for l in LABELS)
        print(f"  {lang}: {cells}")
    print()
    print("hard cases by tag:")
    for lang in LANGS:
        tags = ", ".join(f"{t} {n}" for t, n in sorted(tag_counts[lang].items()))
        print(f"  {lang}: {tags or '-'}")

    for w in rep.warnings:
        print(f"warning: {w}", file=sys.stderr)
    for e in rep.errors:
        print(f"error: {e}", file=sys.stderr)
    if rep.errors:
        print(f"FAIL: {len(rep.errors)} error(s)", file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
