#!/usr/bin/env python3
"""Help a person label a page: number its blocks and propose candidate groups.

Blocks are the non-empty lines of the page, numbered from 0 as the scorer numbers them.
Candidates come from plain string comparisons (never from paradedup, so that the labels do not
learn the tool's habits):
- exact: equal after white space collapse and case folding;
- near: equal after the loose form (entities decoded, NFKC, quotes and dashes unified, case
  folded, every character that is not a letter or digit removed);
- contained: the loose form of a block (at least 12 characters) lies inside a longer block;
- runtogether: a long block covered for the most part by two or more other blocks.
The candidates are only a starting point: a person reads the page, confirms, splits or drops
them, adds what string tests cannot see (edited copies, look-alikes that are *not* copies), and
writes the label file (see eval/LABELING.md).

Usage:
  propose.py PAGE.txt            numbered blocks, then the candidates
  propose.py PAGE.txt --blocks   numbered blocks only
  propose.py PAGE.txt --json     the candidates as JSON
"""
import html
import json
import re
import sys
import unicodedata

QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2013": "-", "\u2014": "-", "\u2012": "-",
    "\u2015": "-", "\u2212": "-",
})


def blocks_of(path):
    with open(path, encoding="utf-8", newline="") as f:
        raw = f.read()
    return [line for line in raw.split("\n") if line.strip()]


def ws_case(s):
    return re.sub(r"\s+", " ", s).strip().casefold()


def loose(s):
    s = html.unescape(s)
    s = unicodedata.normalize("NFKC", s).translate(QUOTES).casefold()
    return "".join(ch for ch in s if ch.isalnum())


def candidates(blocks):
    n = len(blocks)
    exact, near = {}, {}
    for i, b in enumerate(blocks):
        exact.setdefault(ws_case(b), []).append(i)
        near.setdefault(loose(b), []).append(i)
    groups = []
    seen = set()
    for key, members in exact.items():
        if len(members) > 1:
            groups.append({"members": members, "kind": "exact"})
            seen.add(tuple(members))
    for key, members in near.items():
        if len(members) > 1 and key and tuple(members) not in seen:
            groups.append({"members": members, "kind": "near"})
    forms = [loose(b) for b in blocks]
    for i in range(n):
        if len(forms[i]) < 12:
            continue
        inside = [j for j in range(n) if j != i and len(forms[j]) > len(forms[i])
                  and forms[i] in forms[j]]
        if inside:
            groups.append({"members": sorted([i] + inside), "kind": "contained",
                           "shorter": i})
    for j in range(n):
        if len(forms[j]) < 60:
            continue
        parts = [i for i in range(n) if i != j and 12 <= len(forms[i]) < len(forms[j])
                 and forms[i] in forms[j]]
        covered = sum(len(forms[i]) for i in parts)
        if len(parts) >= 2 and covered >= 0.6 * len(forms[j]):
            groups.append({"members": sorted(parts + [j]), "kind": "runtogether",
                           "carrier": j, "covered": round(min(1.0, covered / len(forms[j])), 2)})
    return groups


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    blocks = blocks_of(sys.argv[1])
    mode = sys.argv[2] if len(sys.argv) > 2 else ""
    if mode != "--json":
        for i, b in enumerate(blocks):
            print(f"[{i}] {b}")
    if mode == "--blocks":
        return
    groups = candidates(blocks)
    if mode == "--json":
        print(json.dumps(groups, ensure_ascii=False, indent=1))
        return
    print("\n# candidate groups (string tests only; confirm each by reading)")
    for g in groups:
        extra = {k: v for k, v in g.items() if k not in ("members", "kind")}
        print(g["kind"], g["members"], extra if extra else "")


if __name__ == "__main__":
    main()
