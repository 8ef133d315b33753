#!/usr/bin/env python3
"""Try a candidate removal rule against the labels before coding it in the engine.

    python3 eval/rule_check.py short-label [--max-x 3] [--max-y 6] [--show bad|good|all]
    python3 eval/rule_check.py byline [--show bad|good|all]
    python3 eval/rule_check.py same-words --max-x 2 [--show bad|good|all]

Every label of the whole dev set (../shared/labels_dev.jsonl and eval/labels_new.jsonl, built
first with `python3 eval/build_labels.py`) is read with its page. A rule proposes pairs (x, y):
"remove block x, its content is in block y". A pair is *good* when the labels put x and y in
one group and some acceptable survivor set leaves x out; *bad* otherwise (x unique, x in
another group, or x a copy the keep rule says must stay). The figures say how many of a
rule's removals the labels back, per source of labels (the shared pages, `aeb__`, and the ones
labeled here), before any engine code is written.

Rules:
  short-label  a block of at most --max-x words whose words are a run of the words of another
               block of at most --max-y words (`Local` inside `Local News`)
  byline       a name (1-4 capitalized words) that another block prints as `By NAME`
  same-words   a block of at most --max-x words with the words of an earlier block but other
               signs (`Share:` / `Share`, `+10` / `10`, `@artnet` / `artnet`): what the tool
               removes as a near copy today
"""
import argparse
import collections
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.environ.get("PARADEDUP_SHARED", os.path.join(REPO, "..", "shared"))
sys.path.insert(0, os.path.join(SHARED, "eval"))
import score  # noqa: E402  (../shared/eval/score.py: the reader and keep rules of the scorer)


def tokens(s):
    s = unicodedata.normalize("NFKC", s).casefold()
    return re.findall(r"\w+", s)


def pages():
    recs = []
    for name in (os.path.join(SHARED, "labels_dev.jsonl"), os.path.join(HERE, "labels_new.jsonl")):
        with open(name, encoding="utf-8") as f:
            recs += [json.loads(line) for line in f if line.strip()]
    for r in recs:
        path = score.resolve(os.path.join(REPO, ".."), r["file"]) or score.resolve(REPO, r["file"])
        if path is None:
            print("missing page: %s" % r["file"], file=sys.stderr)
            continue
        blocks = score.read_doc(path)[1]
        group = {m: g for g in r["groups"] for m in g["members"]}
        yield r, blocks, group


def short_label(blocks, args):
    toks = [tokens(b) for b in blocks]
    for x, tx in enumerate(toks):
        if not tx or len(tx) > args.max_x:
            continue
        n = len(tx)
        for y, ty in enumerate(toks):
            if y != x and n < len(ty) <= args.max_y and any(
                ty[i:i + n] == tx for i in range(len(ty) - n + 1)
            ):
                yield x, y
                break


def byline(blocks, args):
    toks = [tokens(b) for b in blocks]
    for x, tx in enumerate(toks):
        words = re.findall(r"\w+", blocks[x])
        if not 1 <= len(tx) <= 4 or not all(w[0].isupper() for w in words):
            continue
        for y, ty in enumerate(toks):
            if y != x and ty == ["by"] + tx:
                yield x, y
                break


def same_words(blocks, args):
    toks = [tokens(b) for b in blocks]
    first = {}
    for x, tx in enumerate(toks):
        if not tx or len(tx) > args.max_x:
            continue
        y = first.setdefault(tuple(tx), x)
        if y != x and " ".join(blocks[x].casefold().split()) != " ".join(blocks[y].casefold().split()):
            yield x, y


RULES = {"short-label": short_label, "byline": byline, "same-words": same_words}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("rule", choices=sorted(RULES))
    ap.add_argument("--max-x", type=int, default=3)
    ap.add_argument("--max-y", type=int, default=6)
    ap.add_argument("--show", choices=["bad", "good", "all"])
    args = ap.parse_args()
    counts = collections.Counter()
    for r, blocks, group in pages():
        source = "shared" if os.path.basename(r["file"]).startswith("aeb__") else "eval"
        for x, y in RULES[args.rule](blocks, args):
            g = group.get(x)
            if g is not None and group.get(y) is g:
                good = any(x not in t for t in score.acceptable_sets(g, blocks))
                verdict = "good" if good else "bad (keep rule)"
            else:
                verdict = "bad (unique)" if g is None else "bad (other group)"
            counts[(source, verdict.split()[0])] += 1
            if args.show and (args.show == "all" or verdict.startswith(args.show)):
                print("%-18s %-28s %4d %-40.40s <- %4d %.60s" % (
                    verdict, os.path.basename(r["file"]), x, blocks[x], y, blocks[y]))
    for source in ("shared", "eval"):
        print("%s labels: %d good, %d bad" % (source, counts[(source, "good")], counts[(source, "bad")]))


if __name__ == "__main__":
    main()
