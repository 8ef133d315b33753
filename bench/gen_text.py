#!/usr/bin/env python3
"""Generate one large scraped-style text document with known repeats, for bench/run.sh.

The document has one block per line and a blank line between blocks (the corpus layout). Blocks
are paragraphs of random words from a fixed vocabulary (Zipf-like frequencies, deterministic for a
seed), and on top of them the kinds of repetition paradedup removes:
  exact      a verbatim copy of an earlier paragraph                      ~8 %
  near       a copy with curly quotes, different case, entities, spaces   ~4 %
  teaser     the first words of a later paragraph cut with "..."          ~2 %
  together   two consecutive paragraphs glued into one line before them   ~1 %
  title      a heading, later repeated with " | Site Name"                ~2 %
Prints the counts of each kind to standard error. Standard library only.

With --truth FILE, writes the 1-based line numbers of the blocks that must go (one per line):
the later copy of exact and near repeats, the teaser, the run-together line and the title with
the site suffix.

usage: gen_text.py --size 100MB --out FILE [--truth FILE] [--seed N] [--lines N]
"""
import argparse
import random
import sys


def parse_size(s):
    s = s.upper()
    for unit, mult in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if s.endswith(unit):
            return int(float(s[: -len(unit)]) * mult)
    return int(s)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="100MB")
    ap.add_argument("--lines", type=int, default=0, help="stop after this many blocks instead")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--truth", help="write the line numbers of the blocks that must go here")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocab = sorted({"".join(rng.choice(letters) for _ in range(rng.randint(2, 10))) for _ in range(20000)})
    weights = [1.0 / (i + 1) ** 0.9 for i in range(len(vocab))]
    cum = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)

    def words(n):
        return [w for w in rng.choices(vocab, cum_weights=cum, k=n)]

    def sentence():
        ws = words(rng.randint(6, 22))
        ws[0] = ws[0].capitalize()
        if rng.random() < 0.3:
            ws.insert(rng.randint(1, len(ws) - 1), str(rng.randint(1, 2030)))
        if rng.random() < 0.2:
            i = rng.randint(0, len(ws) - 2)
            ws[i] = ws[i] + "'s"
        return " ".join(ws) + rng.choice([".", ".", ".", "!", "?"])

    def paragraph():
        return " ".join(sentence() for _ in range(rng.randint(1, 5)))

    def heading():
        ws = words(rng.randint(3, 9))
        return " ".join(w.capitalize() for w in ws)

    def nearify(p):
        p = p.replace("'", "\u2019")
        r = rng.random()
        if r < 0.3:
            p = p.upper()
        elif r < 0.6:
            p = p.replace(" ", "  ", 3)
        else:
            p = p.replace("\u2019", "&#8217;")
        return p

    limit = parse_size(args.size)
    counts = {"unique": 0, "exact": 0, "near": 0, "teaser": 0, "together": 0, "title": 0}
    history = []
    pending_titles = []
    size = 0
    n = 0
    must_go = []
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        def emit(block, kind):
            nonlocal size, n
            line = block + "\n\n"
            out.write(line)
            size += len(line.encode("utf-8"))
            n += 1
            counts[kind] += 1
            if kind != "unique":
                must_go.append(2 * n - 1)

        while (args.lines and n < args.lines) or (not args.lines and size < limit):
            r = rng.random()
            if r < 0.08 and history:
                emit(rng.choice(history[-2000:]), "exact")
            elif r < 0.12 and history:
                emit(nearify(rng.choice(history[-2000:])), "near")
            elif r < 0.14:
                p = paragraph()
                ws = p.split()
                if len(ws) > 14:
                    emit(" ".join(ws[: rng.randint(10, len(ws) - 2)]) + "...", "teaser")
                    emit(p, "unique")
                    history.append(p)
                else:
                    emit(p, "unique")
            elif r < 0.15:
                p1, p2 = paragraph(), paragraph()
                emit(p1 + " " + p2, "together")
                emit(p1, "unique")
                emit(p2, "unique")
                history.extend([p1, p2])
            elif r < 0.17:
                h = heading()
                emit(h, "unique")
                pending_titles.append(h)
            elif r < 0.19 and pending_titles:
                emit(pending_titles.pop(0) + " | " + rng.choice(["The Daily Wire Service", "Example News", "Site"]), "title")
            else:
                p = paragraph()
                emit(p, "unique")
                history.append(p)
            if len(history) > 4000:
                del history[:2000]
    if args.truth:
        with open(args.truth, "w") as t:
            t.write("".join(f"{x}\n" for x in must_go))
    print(" ".join(f"{k}={v}" for k, v in counts.items()) + f" blocks={n} bytes={size}", file=sys.stderr)


if __name__ == "__main__":
    main()
