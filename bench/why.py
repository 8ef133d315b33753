#!/usr/bin/env python3
"""Why paradedup removed what the bench truth says must stay: a table of the false positives.

  python3 bench/why.py --dump D.jsonl --truth D.truth.jsonl --report R.json [--mode cross|within]

R.json is `paradedup clean --report R.json` of the same run that is scored. Every removed
paragraph whose truth flag (rx for cross, rw for within) is 0 (and that is not a run-together
teaser `tr`) is counted by its truth kind, the removal kind paradedup gave, and a reason:

  same-words    the removed text and the kept copy have the same words; they differ only in
                punctuation, symbols or marks (for `nd`: the generator changed the number of a
                character reference, "&#8217;" -> "&#8227;", which garbles an apostrophe)
  lead-in       contained in one or more later paragraphs that start with it, in the lead-in
                (a teaser by position; the generator's sentence-append variant looks the same)
  other         anything else

Standard library only.
"""
import argparse
import html
import json
import re
import unicodedata
from collections import Counter


def words(s):
    s = unicodedata.normalize("NFKC", html.unescape(s)).casefold()
    s = "".join(" " if unicodedata.category(c)[0] in "PSMZC" else c for c in s)
    return s.split()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dump", required=True)
    ap.add_argument("--truth", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--mode", choices=["cross", "within"], default="cross")
    ap.add_argument("--examples", type=int, default=0, help="print this many examples per row")
    a = ap.parse_args()
    flag = "rx" if a.mode == "cross" else "rw"
    texts, truths, order = {}, {}, []
    with open(a.dump, encoding="utf-8") as fd, open(a.truth, encoding="utf-8") as ft:
        for dl, tl in zip(fd, ft):
            d, t = json.loads(dl), json.loads(tl)
            texts[d["id"]] = d["text"].split("\n")
            truths[d["id"]] = t["blocks"]
            order.append(d["id"])
    with open(a.report, encoding="utf-8") as f:
        report = json.load(f)
    counts, shown, total = Counter(), Counter(), 0
    for doc in report["documents"]:
        did = str(doc.get("id"))
        paras, blocks = texts[did], truths[did]
        for rm in doc["removed"]:
            for line in range(rm["lines"][0], rm["lines"][1] + 1):
                i = line - 1
                b = blocks[i]
                if b[flag] == 1 or b["k"] == "tr":
                    continue
                total += 1
                kept_doc = order[rm["kept_in_document"]] if "kept_in_document" in rm else did
                mine = words(paras[i])
                if "kept_in_document" in rm:
                    kept = [p for p in texts[kept_doc] if words(p) == mine][:1]
                else:
                    kept = [texts[did][k - 1] for k, _ in rm.get("kept_lines", [])]
                if kept and words(kept[0]) == mine:
                    reason = "same-words"
                elif rm["kind"] == "contained" and all(k - 1 > i for k, _ in rm.get("kept_lines", [])):
                    reason = "lead-in"
                else:
                    reason = "other"
                key = (b["k"], rm["kind"], reason)
                counts[key] += 1
                if shown[key] < a.examples:
                    shown[key] += 1
                    print(f"-- {key} {did} line {line}\n   removed: {paras[i][:160]}")
                    for k in kept[:2]:
                        print(f"   kept:    {k[:160]}")
    print(f"false positives ({a.mode}): {total}")
    print(f"| truth kind | removal | reason | count |\n|---|---|---|---|")
    for (k, kind, reason), n in sorted(counts.items(), key=lambda x: -x[1]):
        print(f"| {k} | {kind} | {reason} | {n} |")


if __name__ == "__main__":
    main()
