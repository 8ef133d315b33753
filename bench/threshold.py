#!/usr/bin/env python3
"""Near-duplicate threshold bench: recall on meaning-preserving edits vs. wrong merges.

What it measures
----------------
For every similarity metric (levenshtein, sorensen-dice, jaro-winkler) and threshold
(0.70 ... 0.95) it measures, on real scraped paragraphs, how the near-duplicate matcher of
`paradedup clean` trades

* recall on `edit` pairs: a paragraph P and a copy V with 1 or 2 small wording edits that keep
  the meaning (delete one lowercase non-number non-negation word, replace one lowercase word by a
  synonym-like word from a fixed list, insert a filler word "also/now/really/then", or swap
  "said"/"says"). One of the two blocks should be removed. Any removal counts (kind `near`, or
  `contained` when e.g. a deleted word leaves V covered by P, or `exact`); the table says which.
against
* false merges on `nd` (near-but-distinct) pairs, which must keep both blocks:
  - `number`:   one number in P changed (+1 or x2),
  - `name`:     one capitalized word (not the first word, not at a sentence start) replaced by
                another capitalized word taken from the sampled paragraphs,
  - `negation`: "not" inserted after the first is/was/are/were/will/would/can/could/has/have/had.
  Any removal of either block counts as a wrong merge.

How it is built
---------------
1. Paragraphs come from the real corpus `../shared/corpus/*.txt` (relative to the repo root; one
   block per line): lines with 12 to 80 words, deduplicated, sorted, then a deterministic sample
   (`random.Random(seed)`) of `--sample` (default 400).
2. Each pair is written as its own 2-block document "P\\n\\nV\\n" under
   `bench/out/threshold/pairs/` (cleared first; bench/out is git-ignored). A paragraph without a
   place for an edit type gets no pair of that type.
3. For each (metric, threshold) the release binary runs ONCE over the whole folder:
     ./target/release/paradedup clean --metric M --threshold T --glob '*.txt' \\
         --report - --out-dir <tmp> bench/out/threshold/pairs
   (`-o /dev/null` only takes one input, so the cleaned copies go to a throw-away folder.)
   The JSON report's documents[].removed[] entries are counted per pair type.
4. It prints a markdown table (best recall at zero wrong merges marked), pair totals, and
   examples of wrong merges. Raw numbers go to `bench/out/threshold/results.json`.

How to run
----------
    cd /work/main && cargo build --release && python3 bench/threshold.py
    python3 bench/threshold.py --seed 7 --sample 400 --examples 3

Python 3 standard library only. Runs in well under a minute on 2 cores.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict

METRICS = ("levenshtein", "sorensen-dice", "jaro-winkler")
THRESHOLDS = (0.70, 0.75, 0.80, 0.85, 0.90, 0.95)
DEFAULT = ("levenshtein", 0.85)
ND_TYPES = ("number", "name", "negation")

# The engine's negation list (src/similarity.rs NEGATIONS) plus contractions as written.
NEGATIONS = {
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot",
    "t", "nt", "isnt", "dont", "doesnt", "didnt", "wont", "cant", "non", "un", "nicht", "kein",
    "pas", "nao", "não", "nunca", "нет", "не",
}
FILLERS = ("also", "now", "really", "then")
AUXILIARIES = {"is", "was", "are", "were", "will", "would", "can", "could", "has", "have", "had"}

# Synonym-like single-word replacements that keep the meaning (lowercase only).
SYNONYMS = {
    "big": "large", "large": "big", "small": "little", "little": "small",
    "start": "begin", "begin": "start", "started": "began", "began": "started",
    "buy": "purchase", "purchase": "buy", "show": "display", "shows": "displays",
    "get": "obtain", "got": "obtained", "make": "create", "made": "created",
    "quick": "fast", "fast": "quick", "quickly": "rapidly", "rapidly": "quickly",
    "often": "frequently", "frequently": "often", "many": "numerous",
    "important": "significant", "significant": "important", "need": "require",
    "needs": "requires", "think": "believe", "believe": "think", "about": "around",
    "almost": "nearly", "nearly": "almost", "maybe": "perhaps", "perhaps": "maybe",
    "answer": "reply", "very": "really", "try": "attempt", "shop": "store",
    "store": "shop", "company": "firm", "firm": "company", "hard": "difficult",
    "difficult": "hard", "easy": "simple", "simple": "easy", "whole": "entire",
    "entire": "whole", "choose": "pick", "pick": "choose", "problem": "issue",
    "problems": "issues", "issue": "problem", "issues": "problems", "area": "region",
    "mostly": "largely", "largely": "mostly", "because": "since", "although": "though",
    "though": "although", "help": "assist", "helps": "assists", "use": "employ",
    "used": "employed", "job": "position", "enough": "sufficient", "told": "informed",
    "wants": "wishes", "want": "wish", "people": "folks", "big-name": "famous",
    "recently": "lately", "currently": "presently", "however": "nevertheless",
    "also": "too", "begins": "starts", "starts": "begins", "house": "home",
}

PUNCT = "\"'()[]{}“”‘’.,;:!?—–-…*"
WORD_RE = re.compile(r"^[A-Za-z]+(?:-[A-Za-z]+)?$")
DIGITS_RE = re.compile(r"\d+")
ALNUM_RE = re.compile(r"[^\W_]")


def split_core(tok: str) -> tuple[str, str, str]:
    """Token -> (leading punctuation, core, trailing punctuation)."""
    core = tok.lstrip(PUNCT)
    lead = tok[: len(tok) - len(core)]
    core2 = core.rstrip(PUNCT)
    trail = core[len(core2):]
    return lead, core2, trail


def is_lower_word(tok: str) -> bool:
    _, core, _ = split_core(tok)
    return bool(WORD_RE.match(core)) and core.islower()


def sentence_start(tokens: list[str], i: int) -> bool:
    return i == 0 or tokens[i - 1].rstrip("\"'”’)").endswith((".", "!", "?", ":"))


def is_name(tokens: list[str], i: int) -> bool:
    """A capitalized word that is not the first word and not at a sentence start.

    "First" as the engine sees it: tokens are runs of letters and digits, so a word after a lone
    "*" or "—" is still the first. A word cut by an ellipsis is no name either.
    """
    lead, core, trail = split_core(tokens[i])
    return (
        i > 0
        and any(ALNUM_RE.search(t) for t in tokens[:i])
        and not lead
        and "…" not in trail
        and ".." not in trail
        and len(core) >= 2
        and core.isalpha()
        and core[0].isupper()
        and core[1:].islower()
        and not sentence_start(tokens, i)
    )


# --------------------------------------------------------------------------- corpus


def load_paragraphs(corpus: str, seed: int, sample: int) -> list[str]:
    seen = set()
    paras = []
    for path in sorted(glob.glob(os.path.join(corpus, "*.txt"))):
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                line = " ".join(line.split())
                n = len(line.split())
                if 12 <= n <= 80:
                    key = line.casefold()
                    if key not in seen:
                        seen.add(key)
                        paras.append(line)
    paras.sort()
    rng = random.Random(seed)
    return rng.sample(paras, min(sample, len(paras))), len(paras)


# --------------------------------------------------------------------------- edits


def edit_ops(tokens: list[str], used: set[int]) -> list[tuple]:
    """All meaning-preserving single edits applicable to tokens (skipping edited positions)."""
    ops = []
    for i, tok in enumerate(tokens):
        if i in used:
            continue
        lead, core, trail = split_core(tok)
        low = core.lower()
        if is_lower_word(tok) and low not in NEGATIONS and len(tokens) > 1:
            ops.append(("delete", i))
        if is_lower_word(tok) and low in SYNONYMS:
            ops.append(("synonym", i))
        if low in ("said", "says") and core.islower():
            ops.append(("said", i))
    for i in range(1, len(tokens)):
        if i not in used and (i - 1) not in used:
            ops.append(("filler", i))
    return ops


def apply_edit(tokens: list[str], op: tuple, rng: random.Random, used: set[int]) -> tuple:
    kind, i = op
    if kind == "delete":
        lead, core, trail = split_core(tokens[i])
        gone = tokens.pop(i)
        # Keep sentence punctuation of the deleted word on its left neighbour.
        if trail and i > 0 and not split_core(tokens[i - 1])[2]:
            tokens[i - 1] += trail
        shift(used, i, -1)
        return (kind, gone)
    if kind == "synonym":
        lead, core, trail = split_core(tokens[i])
        new = SYNONYMS[core.lower()]
        tokens[i] = lead + new + trail
        used.add(i)
        return (kind, f"{core}->{new}")
    if kind == "said":
        lead, core, trail = split_core(tokens[i])
        new = "says" if core == "said" else "said"
        tokens[i] = lead + new + trail
        used.add(i)
        return (kind, f"{core}->{new}")
    if kind == "filler":
        word = rng.choice(FILLERS)
        tokens.insert(i, word)
        shift(used, i, +1)
        used.add(i)
        return (kind, word)
    raise ValueError(kind)


def shift(used: set[int], at: int, by: int) -> None:
    moved = {u + by if u >= at else u for u in used}
    used.clear()
    used.update(moved)


def make_edit(para: str, rng: random.Random):
    tokens = para.split()
    used: set[int] = set()
    done = []
    for _ in range(rng.choice((1, 2))):
        ops = edit_ops(tokens, used)
        if not ops:
            break
        # Pick the edit kind first (so fillers, which fit anywhere, do not dominate).
        kinds = sorted({o[0] for o in ops})
        k = rng.choice(kinds)
        op = rng.choice([o for o in ops if o[0] == k])
        done.append(apply_edit(tokens, op, rng, used))
    if not done:
        return None
    return " ".join(tokens), done


def make_number(para: str, rng: random.Random):
    tokens = para.split()
    places = [i for i, t in enumerate(tokens) if DIGITS_RE.search(t)]
    if not places:
        return None
    i = rng.choice(places)
    runs = list(DIGITS_RE.finditer(tokens[i]))
    m = rng.choice(runs)
    old = int(m.group())
    how = rng.choice(("+1", "x2")) if old else "+1"
    new = old + 1 if how == "+1" else old * 2
    new_s = str(new).zfill(len(m.group()))
    tok = tokens[i]
    tokens[i] = tok[: m.start()] + new_s + tok[m.end():]
    return " ".join(tokens), [("number", f"{tok}->{tokens[i]}")]


def make_name(para: str, rng: random.Random, pool: list[str]):
    tokens = para.split()
    places = [i for i in range(len(tokens)) if is_name(tokens, i)]
    if not places:
        return None
    i = rng.choice(places)
    lead, core, trail = split_core(tokens[i])
    present = {split_core(t)[1].lower() for t in tokens}
    choices = [w for w in pool if w.lower() not in present]
    if not choices:
        return None
    new = rng.choice(choices)
    tokens[i] = lead + new + trail
    return " ".join(tokens), [("name", f"{core}->{new}")]


def make_negation(para: str):
    tokens = para.split()
    for i, tok in enumerate(tokens[:-1]):
        lead, core, trail = split_core(tok)
        if core.lower() in AUXILIARIES and not trail:
            nxt = split_core(tokens[i + 1])[1].lower()
            if nxt in NEGATIONS or nxt.endswith("n't"):
                continue
            tokens.insert(i + 1, "not")
            return " ".join(tokens), [("negation", f"{core} not")]
    return None


def build_pairs(paras: list[str], seed: int) -> list[dict]:
    # Name pool: capitalized non-sentence-start words across the sample (deterministic order).
    pool = sorted(
        {
            split_core(t[i])[1]
            for p in paras
            for t in [p.split()]
            for i in range(len(t))
            if is_name(t, i)
        }
    )
    pairs = []
    for n, para in enumerate(paras):
        rng = random.Random(f"{seed}:{n}")
        variants = [
            ("edit", make_edit(para, rng)),
            ("number", make_number(para, rng)),
            ("name", make_name(para, rng, pool)),
            ("negation", make_negation(para)),
        ]
        for kind, made in variants:
            if made is None:
                continue
            text, ops = made
            if text == para:
                continue
            pairs.append({"id": f"{n:04d}_{kind}", "type": kind, "p": para, "v": text, "ops": ops})
    return pairs


# --------------------------------------------------------------------------- diagnostics


def engine_tokens(text: str) -> list[str]:
    """Approximation of the engine's tokens: NFKC, case folded, runs of letters and digits."""
    return re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", text).casefold())


def run_coverage(a: list[str], b: list[str], k: int = 8) -> float:
    """Share of a's tokens inside a run of k or more tokens shared with b.

    The engine only compares two blocks for a near copy when this is at least 0.5 (step 3 of
    src/canonical.rs, "b alone must cover half of a through long runs"), whatever the metric.
    """
    if len(a) < k or len(b) < k:
        return 0.0
    grams = {tuple(b[j:j + k]) for j in range(len(b) - k + 1)}
    covered = [False] * len(a)
    for i in range(len(a) - k + 1):
        if tuple(a[i:i + k]) in grams:
            covered[i:i + k] = [True] * k
    return sum(covered) / len(a)


def non_latin(text: str) -> bool:
    """Most letters outside ASCII (Cyrillic, Hangul, ...)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(ord(c) > 127 for c in letters) > len(letters) / 2


# --------------------------------------------------------------------------- running


def run_engine(binary: str, pairs_dir: str, metric: str, threshold: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="paradedup-thr-") as out:
        cmd = [
            binary, "clean", "--metric", metric, "--threshold", f"{threshold:.2f}",
            "--glob", "*.txt", "--report", "-", "--out-dir", out, pairs_dir,
        ]
        res = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if res.returncode != 0:
            sys.exit(f"paradedup failed ({res.returncode}): {' '.join(cmd)}\n{res.stderr}")
        report = json.loads(res.stdout)
    removed = {}
    for doc in report["documents"]:
        pid = os.path.splitext(os.path.basename(doc["path"]))[0]
        removed[pid] = [
            {"block": r["block"], "kind": r["kind"], "score": r.get("score")}
            for r in doc["removed"]
        ]
    return removed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--corpus", default=os.path.join(root, "..", "shared", "corpus"))
    ap.add_argument("--binary", default=os.path.join(root, "target", "release", "paradedup"))
    ap.add_argument("--out", default=os.path.join(root, "bench", "out", "threshold"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sample", type=int, default=400)
    ap.add_argument("--examples", type=int, default=3, help="wrong-merge examples per nd type")
    args = ap.parse_args()

    if not os.access(args.binary, os.X_OK):
        sys.exit(f"no binary at {args.binary}: run `cargo build --release` first")
    t0 = time.time()
    paras, eligible = load_paragraphs(args.corpus, args.seed, args.sample)
    pairs = build_pairs(paras, args.seed)
    pairs_dir = os.path.join(args.out, "pairs")
    shutil.rmtree(pairs_dir, ignore_errors=True)
    os.makedirs(pairs_dir)
    for p in pairs:
        with open(os.path.join(pairs_dir, p["id"] + ".txt"), "w", encoding="utf-8") as fh:
            fh.write(f"{p['p']}\n\n{p['v']}\n")
    by_id = {p["id"]: p for p in pairs}
    totals = Counter(p["type"] for p in pairs)

    rows = []
    hits = defaultdict(list)  # pair id -> [(metric, threshold, removals)]
    for metric in METRICS:
        for thr in THRESHOLDS:
            removed = run_engine(args.binary, pairs_dir, metric, thr)
            missing = set(by_id) - set(removed)
            if missing:
                sys.exit(f"report lacks {len(missing)} pair documents, e.g. {sorted(missing)[:3]}")
            row = {"metric": metric, "threshold": thr, "edit": 0, "edit_kinds": Counter(),
                   "nd": Counter(), "nd_kinds": Counter()}
            for pid, rem in removed.items():
                if not rem:
                    continue
                kind = by_id[pid]["type"]
                hits[pid].append((metric, thr, rem))
                # One kind per pair: the kind of its first removal.
                k = rem[0]["kind"]
                if kind == "edit":
                    row["edit"] += 1
                    row["edit_kinds"][k] += 1
                else:
                    row["nd"][kind] += 1
                    row["nd_kinds"][k] += 1
            row["nd_total"] = sum(row["nd"].values())
            rows.append(row)

    # Best recall among rows with no wrong merge.
    clean = [r for r in rows if r["nd_total"] == 0]
    best = max((r["edit"] for r in clean), default=None)

    def pct(a: int, b: int) -> str:
        return f"{a}/{b} ({100.0 * a / b:.1f}%)" if b else "0/0"

    print(f"Corpus: {eligible} distinct lines of 12-80 words; sample {len(paras)} "
          f"(seed {args.seed}); {len(pairs)} pair documents.\n")
    print("Pairs per type: " + ", ".join(f"{t} {totals[t]}" for t in ("edit",) + ND_TYPES)
          + f" (nd total {sum(totals[t] for t in ND_TYPES)})\n")
    print("| metric | threshold | edit recall | via near | via contained | via exact "
          "| nd number | nd name | nd negation | nd total | |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        mark = ""
        if best is not None and r["nd_total"] == 0 and r["edit"] == best:
            mark = "**best at 0 nd**"
        if (r["metric"], r["threshold"]) == DEFAULT:
            mark = (mark + " default").strip()
        ndk = r["nd_kinds"]
        nd_total = f"{r['nd_total']}/{sum(totals[t] for t in ND_TYPES)}"
        if r["nd_total"]:
            nd_total += " (" + ", ".join(f"{k} {v}" for k, v in sorted(ndk.items())) + ")"
        print(
            f"| {r['metric']} | {r['threshold']:.2f} | {pct(r['edit'], totals['edit'])} "
            f"| {r['edit_kinds']['near']} | {r['edit_kinds']['contained']} "
            f"| {r['edit_kinds']['exact']} "
            + " ".join(f"| {r['nd'][t]}/{totals[t]}" for t in ND_TYPES)
            + f" | {nd_total} | {mark} |"
        )
    if best is None:
        print("\nNo row has zero nd removals.")

    # Edit recall by edit kind at the default setting (where the misses are).
    dm, dt = DEFAULT
    by_op = Counter()
    by_op_hit = Counter()
    for p in pairs:
        if p["type"] != "edit":
            continue
        key = "+".join(sorted(o[0] for o in p["ops"]))
        by_op[key] += 1
        if any(m == dm and t == dt for m, t, _ in hits.get(p["id"], [])):
            by_op_hit[key] += 1
    print(f"\nEdit recall by edit kind at {dm} {dt:.2f}: "
          + ", ".join(f"{k} {by_op_hit[k]}/{by_op[k]}" for k in sorted(by_op)))

    # Why edits are missed whatever the threshold: the engine's 8-token-run gate.
    def removed_at(pid: str, metric: str, thr: float) -> bool:
        return any(m == metric and t == thr for m, t, _ in hits.get(pid, []))

    edits = [p for p in pairs if p["type"] == "edit"]
    gate = {p["id"]: run_coverage(engine_tokens(p["p"]), engine_tokens(p["v"])) >= 0.5
            for p in edits}
    loosest = min(THRESHOLDS)
    print(f"\nNear gate (approx.: P at least half covered by 8+-token runs shared with V): "
          f"{sum(gate.values())}/{len(edits)} edit pairs pass it.")
    for metric in METRICS:
        parts = []
        for thr in (loosest, dt):
            ok = sum(removed_at(p["id"], metric, thr) for p in edits if gate[p["id"]])
            bad = sum(removed_at(p["id"], metric, thr) for p in edits if not gate[p["id"]])
            parts.append(f"{thr:.2f}: passing {ok}/{sum(gate.values())}, "
                         f"failing {bad}/{len(edits) - sum(gate.values())}")
        print(f"- {metric} recall " + "; ".join(parts))
    buckets = ((12, 19), (20, 39), (40, 80))
    print(f"Edit recall at {dm} {dt:.2f} by P length: " + ", ".join(
        f"{lo}-{hi} words "
        f"{sum(removed_at(p['id'], dm, dt) for p in edits if lo <= len(p['p'].split()) <= hi)}/"
        f"{sum(1 for p in edits if lo <= len(p['p'].split()) <= hi)}"
        for lo, hi in buckets))
    nl = [p for p in edits if non_latin(p["p"])]
    print(f"Edit recall on the {len(nl)} non-Latin-script edit pairs at {dt:.2f}: " + ", ".join(
        f"{m} {sum(removed_at(p['id'], m, dt) for p in nl)}/{len(nl)}" for m in METRICS))

    # Wrong-merge examples: the nd pairs removed under the most settings.
    print("\nWrong merges (nd pairs with a block removed), most settings first:")
    any_ex = False
    for t in ND_TYPES:
        bad = [(len(hits[p["id"]]), p["id"]) for p in pairs if p["type"] == t and hits.get(p["id"])]
        bad.sort(key=lambda x: (-x[0], x[1]))
        print(f"- {t}: {len(bad)} pairs removed under at least one setting")
        for n, pid in bad[: args.examples]:
            any_ex = True
            p = by_id[pid]
            first = hits[pid][0]
            settings = sorted({m for m, _, _ in hits[pid]})
            rem = ", ".join(f"block {x['block']} {x['kind']} score {x['score']}" for x in first[2])
            print(f"  - {pid} ({p['ops'][0][1]}), removed in {n}/18 settings "
                  f"({', '.join(settings)}); e.g. {first[0]} {first[1]:.2f}: {rem}")
            print(f"    P: {p['p']}")
            print(f"    V: {p['v']}")
    if not any_ex:
        print("  none")

    with open(os.path.join(args.out, "results.json"), "w", encoding="utf-8") as fh:
        json.dump(
            {
                "seed": args.seed, "sample": len(paras), "totals": totals,
                "rows": [
                    {**r, "edit_kinds": dict(r["edit_kinds"]), "nd": dict(r["nd"]),
                     "nd_kinds": dict(r["nd_kinds"])} for r in rows
                ],
                "removed": {pid: [[m, t, rem] for m, t, rem in h] for pid, h in hits.items()},
                "pairs": pairs,
            },
            fh, indent=1, ensure_ascii=False,
        )
    print(f"\nPairs in {os.path.relpath(pairs_dir, root)}, raw results in "
          f"{os.path.relpath(os.path.join(args.out, 'results.json'), root)}; "
          f"{time.time() - t0:.1f}s.")


if __name__ == "__main__":
    main()
