#!/usr/bin/env python3
"""Where the missed copies of the whole dev set are, and how far recall can go without them.

    eval/score_all.sh --json -- ./target/release/paradedup clean > score.json
    python3 eval/miss_classes.py score.json

Every copy the labels say must go and the tool kept (a "missed" member of a keep violation or a
lost group in `score.py --json`) is put in one class, by its own text and its group's kind:

  wordless        no letter or digit (`,`, `---`, `»`, an icon glyph): structure, which the
                  tool keeps by design (README, "How it works", step 3)
  edited          a rewording (`edited` group): needs paraphrase detection
  short 1-3       1 to 3 words (`Local` beside `Local News`, a byline name): the labels'
                  conventions on these disagree (`eval/rule_check.py short-label`)
  short 4-7       4 to 7 words
  long KIND       8 words or more, by group kind: what a text rule can still reach

For each class it prints the misses by role, then the recall that removing every miss of the
classes above a line would give (headline and content), so the gap to a goal reads as which
classes it would take.
"""
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
import score  # noqa: E402  (../shared/eval/score.py: its page reader)

ORDER = ["long contained", "long runtogether", "long exact", "long near", "short 4-7",
         "edited", "short 1-3", "wordless"]


def words(s):
    return re.findall(r"\w+", unicodedata.normalize("NFKC", s).casefold())


def page(name):
    for base in (os.path.join(REPO, ".."), REPO):
        path = os.path.join(base, name.replace("shared/", os.path.basename(SHARED) + "/", 1))
        if os.path.exists(path):
            return path
    raise SystemExit("page not found: %s" % name)


def classify(text, kind):
    n = len(words(text))
    if n == 0:
        return "wordless"
    if kind == "edited":
        return "edited"
    if n <= 3:
        return "short 1-3"
    if n < 8:
        return "short 4-7"
    return "long " + kind


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        d = json.load(f)
    by = collections.Counter()
    for p in d["per_doc"]:
        blocks = score.read_doc(page(p["file"]))[1]
        seen = set()
        for q in p["problems"]:
            if q["what"] not in ("keep violation", "lost group"):
                continue
            for m in q["missed"]:
                if m in seen:
                    continue
                seen.add(m)
                by[(classify(blocks[m], q["kind"]), q["role"])] += 1
    classes = sorted({c for c, _ in by}, key=lambda c: ORDER.index(c) if c in ORDER else 0)
    roles = ["content", "boilerplate", "structural"]
    print("%-18s %7s %7s %11s %10s" % ("class", "missed", "content", "boilerplate", "structural"))
    for c in classes:
        row = [by[(c, r)] for r in roles]
        print("%-18s %7d %7d %11d %10d" % (c, sum(row), *row))
    h, ct = d["headline"], d["by_role"]["content"]
    ok, okc = h["removed_ok"], ct["removed_ok"]
    print("\nrecall if every miss of these classes were removed (and nothing else changed):")
    print("%-40s %8s %8s" % ("", "recall", "content"))
    print("%-40s %8.4f %8.4f" % ("now", ok / h["surplus"], okc / ct["surplus"]))
    done = []
    for c in classes:
        done.append(c)
        ok += sum(by[(c, r)] for r in roles)
        okc += by[(c, "content")]
        print("%-40s %8.4f %8.4f" % ("+ " + c, min(ok, h["surplus"]) / h["surplus"],
                                    min(okc, ct["surplus"]) / ct["surplus"]))


if __name__ == "__main__":
    main()
