#!/usr/bin/env python3
"""Build eval/labels_new.jsonl from the per-page label files in eval/labels/, checking each.

A per-page file (eval/labels/NAME.json) holds what a person decided:
  {"file": "eval/pages/NAME.txt", "lang": "de", "doc_note": "...",
   "groups": [{"members": [0, 17], "kind": "contained", "role": "content",
               "keep": {"one_of": [17]}, "note": "..."}],
   "distinct": [{"a": 3, "b": 40, "note": "..."}]}
This script adds what follows from it and the page (n_blocks, sha256_16, group ids, the
per-block `labels` list in the format of ../shared/labels_dev.jsonl) and refuses a file whose
members are out of range, appear in two groups, whose keep rule names blocks outside the
group, whose kind or role is unknown, or whose page changed.

Usage: build_labels.py [--root REPO] [--out eval/labels_new.jsonl]
"""
import argparse
import hashlib
import json
import os
import sys

KINDS = ("exact", "near", "contained", "runtogether", "edited")
ROLES = ("content", "boilerplate", "structural")


def locate(root, rel):
    """ROOT/rel; a page of the shared corpus (`shared/...`) also in the shared folder beside the
    repository (PARADEDUP_SHARED, else ROOT/../shared)."""
    path = os.path.join(root, rel)
    if os.path.exists(path) or not rel.startswith("shared/"):
        return path
    shared = os.environ.get("PARADEDUP_SHARED", os.path.join(root, "..", "shared"))
    return os.path.join(shared, rel[len("shared/"):])


def page(root, rel):
    with open(locate(root, rel), encoding="utf-8", newline="") as f:
        raw = f.read()
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    blocks = [line for line in raw.split("\n") if line.strip()]
    return sha, blocks


def keep_blocks(keep):
    if keep in (None, "any_one"):
        return []
    if isinstance(keep, dict) and "one_of" in keep:
        return list(keep["one_of"])
    if isinstance(keep, dict) and "all_of" in keep:
        return list(keep["all_of"])
    if isinstance(keep, dict) and "one_of_sets" in keep:
        return [m for s in keep["one_of_sets"] for m in s]
    raise ValueError("unknown keep rule %r" % (keep,))


def build(root, path):
    with open(path, encoding="utf-8") as f:
        spec = json.load(f)
    sha, blocks = page(root, spec["file"])
    n = len(blocks)
    problems = []
    owner = {}
    groups = []
    for gid, g in enumerate(spec.get("groups", [])):
        members = sorted(set(g["members"]))
        if len(members) < 2:
            problems.append("group %d has fewer than two members" % gid)
        for m in members:
            if not 0 <= m < n:
                problems.append("group %d: block %d out of range (0..%d)" % (gid, m, n - 1))
            elif m in owner:
                problems.append("block %d is in groups %d and %d" % (m, owner[m], gid))
            else:
                owner[m] = gid
        if g.get("kind") not in KINDS:
            problems.append("group %d: kind %r" % (gid, g.get("kind")))
        if g.get("role") not in ROLES:
            problems.append("group %d: role %r" % (gid, g.get("role")))
        keep = g.get("keep", "any_one")
        try:
            outside = [m for m in keep_blocks(keep) if m not in members]
            if outside:
                problems.append("group %d: keep names %s outside the group" % (gid, outside))
        except ValueError as e:
            problems.append("group %d: %s" % (gid, e))
        partial = sorted(set(g.get("partial", [])))
        if any(m not in members or m in keep_blocks(keep) for m in partial):
            problems.append("group %d: a partial block must be a member outside the keep rule"
                            % gid)
        entry = {"members": members, "kind": g.get("kind"), "role": g.get("role"),
                 "keep": keep, "note": g.get("note", ""), "id": gid}
        if partial:
            entry["partial"] = partial
        groups.append(entry)
    for d in spec.get("distinct", []):
        for x in (d["a"], d["b"]):
            if not 0 <= x < n:
                problems.append("distinct pair %s: block %d out of range" % (d, x))
    if problems:
        raise ValueError("%s: %s" % (path, "; ".join(problems)))
    labels = []
    for i in range(n):
        if i not in owner:
            labels.append("u")
            continue
        g = groups[owner[i]]
        labels.append({"g": g["id"], "kind": g["kind"], "role": g["role"],
                       "earlier": [m for m in g["members"] if m < i],
                       "later": [m for m in g["members"] if m > i]})
    rec = {"file": spec["file"], "sha256_16": sha, "n_blocks": n, "lang": spec.get("lang", ""),
           "doc_note": spec.get("doc_note", ""), "groups": groups,
           "distinct": spec.get("distinct", []), "labels": labels}
    if spec.get("source"):
        rec["source"] = spec["source"]
    return rec


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--root", default=os.path.dirname(here))
    ap.add_argument("--out", default=os.path.join(here, "labels_new.jsonl"))
    args = ap.parse_args()
    folder = os.path.join(here, "labels")
    recs, bad = [], 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        try:
            recs.append(build(args.root, os.path.join(folder, name)))
        except (ValueError, KeyError, OSError) as e:
            print("label error: %s" % e, file=sys.stderr)
            bad += 1
    tmp = "%s.%d.tmp" % (args.out, os.getpid())
    with open(tmp, "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(tmp, args.out)
    groups = sum(len(r["groups"]) for r in recs)
    print("%d pages, %d groups, %d distinct pairs -> %s%s" % (
        len(recs), groups, sum(len(r["distinct"]) for r in recs), args.out,
        "; %d files refused" % bad if bad else ""))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
