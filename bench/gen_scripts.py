#!/usr/bin/env python3
"""Generate text in many scripts, and phrase-heavy documents, for bench/scripts.sh (issue 12).

All words are made up here from each script's letters (syllables drawn at random): no real text,
nothing copyrighted, deterministic for a seed. Standard library only.

  gen_scripts.py jsonl  --script S --size 12MB --out F [--escape] [--seed N]
      JSONL records ({"id": ..., "text": ...}) of paragraphs in script S; about 8 % of the
      paragraphs of a record repeat an earlier one of the same record (verbatim, in upper case
      where the script has case, or with curly quotes), so the dedup work is done too.
      --escape writes every non-ASCII character as a JSON \\u escape (surrogate pairs above
      U+FFFF), as many dumps do.
  gen_scripts.py mixed  --size 100MB --out F [--seed N]
      A multilingual dump: each record in one script drawn at random, half of them escaped.
  gen_scripts.py phrases --lines N --out F [--per-phrase 60] [--seed N]
      One document, one block per line, blank lines between: each line joins two 8-word phrases
      from a pool sized so that each phrase is in about --per-phrase lines (just under the
      64-block cap of the candidate index: the worst case), with a few words of its own; 12 %
      of the lines repeat an earlier line a little later (verbatim, upper case, curly quotes).
  gen_scripts.py short --lines N --out F [--same] [--seed N]
      One document of N short lines (about 24 bytes: a word, the line's number, a word), all
      distinct; with --same, N copies of one 16-byte line. The worst case for memory per byte.

Scripts: ascii, latin (diacritics, Latin Extended-A), cyrillic, greek, arabic, hebrew,
devanagari (with vowel signs and virama), thai (no spaces between words; spaces between
phrases), cjk (no spaces), hangul.
"""
import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_text import parse_size  # noqa: E402  (the same size syntax as bench/gen_text.py)

SCRIPTS = {
    # name: (onsets, nuclei, codas, spaced, cased)
    "ascii": ("b c d f g h j k l m n p r s t v w z br st tr ch sh".split(),
              "a e i o u ai ea ou".split(), ["", "", "n", "s", "r", "t", "l"], True, True),
    "latin": ("b c d f g h j k l m n p r s t v z ł ś ż č š ř ß ñ".split(),
              "a e i o u á é í ó ú à è ì ò ù â ê ô ä ö ü ő ű ą ę å ø æ œ ă î ș ț".split(),
              ["", "", "n", "s", "r", "ç", "ł"], True, True),
    "cyrillic": ("б в г д ж з к л м н п р с т ф х ц ч ш щ".split(),
                 "а е и о у ы э ю я ё і є ї".split(), ["", "", "н", "с", "р", "й", "ь"], True, True),
    "greek": ("β γ δ ζ θ κ λ μ ν ξ π ρ σ τ φ χ ψ".split(),
              "α ε η ι ο υ ω ά έ ή ί ό ύ ώ ϊ ϋ".split(), ["", "", "ν", "ς", "ρ"], True, True),
    "arabic": ("ب ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ ع غ ف ق ك ل م ن ه و ي".split(),
               ["ا", "و", "ي", "", "ة", "ى"], ["", "", "ن", "م", "ل"], True, False),
    "hebrew": ("ב ג ד ה ו ז ח ט י כ ל מ נ ס ע פ צ ק ר ש ת".split(),
               ["", "ו", "י", "א"], ["", "", "ם", "ן", "ך", "ץ", "ף"], True, False),
    "devanagari": ("क ख ग घ च छ ज झ ट ठ ड ढ त थ द ध न प फ ब भ म य र ल व श ष स ह".split(),
                   ["", "ा", "ि", "ी", "ु", "ू", "े", "ै", "ो", "ौ", "ं"],
                   ["", "", "्", "ः", "ँ"], True, False),
    "thai": ("ก ข ค ง จ ฉ ช ซ ด ต ถ ท น บ ป ผ พ ฟ ม ย ร ล ว ส ห อ".split(),
             ["ะ", "า", "ิ", "ี", "ึ", "ื", "ุ", "ู", "ำ", "่", "้", ""], ["", "", "น", "ง", "ม", "ก"],
             False, False),
    "cjk": ([chr(c) for c in range(0x4E00, 0x4E00 + 3000, 3)], [""], [""], False, False),
    "hangul": ([""], [""],
               [""], True, False),
}


def hangul_syllable(rnd):
    return chr(0xAC00 + rnd.randrange(19) * 588 + rnd.randrange(21) * 28 + rnd.randrange(28))


class Lang:
    def __init__(self, name, rnd):
        self.name = name
        self.rnd = rnd
        onsets, nuclei, codas, self.spaced, self.cased = SCRIPTS[name]
        self.onsets, self.nuclei, self.codas = onsets, nuclei, codas
        # A vocabulary with Zipf-like use, as real text has.
        self.vocab = [self.make_word() for _ in range(6000)]
        self.weights = [1.0 / (i + 1) for i in range(len(self.vocab))]

    def syllable(self):
        r = self.rnd
        if self.name == "hangul":
            return hangul_syllable(r)
        return r.choice(self.onsets) + r.choice(self.nuclei) + r.choice(self.codas)

    def make_word(self):
        n = self.rnd.choice([1, 1, 2, 2, 2, 3, 3, 4]) if self.name != "cjk" else self.rnd.choice([1, 2, 2, 3])
        return "".join(self.syllable() for _ in range(n))

    def words(self, n):
        return self.rnd.choices(self.vocab, weights=self.weights, k=n)

    def sentence(self, lo=8, hi=22):
        w = self.words(self.rnd.randint(lo, hi))
        if self.cased:
            w[0] = w[0][:1].upper() + w[0][1:]
        if self.name == "cjk":
            return "".join(w) + "。"
        if self.name == "thai":
            # Thai: words run together inside a phrase; phrases are spaced.
            out, i = [], 0
            while i < len(w):
                k = self.rnd.randint(3, 6)
                out.append("".join(w[i:i + k]))
                i += k
            return " ".join(out) + " "
        end = {"arabic": "،", "devanagari": "।"}.get(self.name, ".")
        if self.rnd.random() < 0.2:
            k = self.rnd.randrange(1, len(w))
            w[k] = "\u201c" + w[k] + "\u201d"
        return " ".join(w) + end

    def paragraph(self):
        sep = "" if self.name in ("cjk",) else " "
        return sep.join(self.sentence() for _ in range(self.rnd.randint(1, 5))).strip()


def variant(p, rnd, cased):
    r = rnd.random()
    if r < 0.5:
        return p
    if r < 0.75 and cased:
        return p.upper()
    return p.replace("\u201c", '"').replace("\u201d", '"')


def record_text(lang, rnd, target):
    paras = []
    size = 0
    while size < target:
        if paras and rnd.random() < 0.08:
            p = variant(rnd.choice(paras), rnd, lang.cased)
        else:
            p = lang.paragraph()
        paras.append(p)
        size += len(p.encode())
    return "\n\n".join(paras)


def write_record(out, i, text, escape):
    out.write(json.dumps({"id": i, "text": text}, ensure_ascii=escape))
    out.write("\n")


def cmd_jsonl(args):
    rnd = random.Random(args.seed)
    lang = Lang(args.script, rnd)
    limit = parse_size(args.size)
    with open(args.out, "w", encoding="utf-8") as out:
        i = 0
        while out.tell() < limit:
            write_record(out, i, record_text(lang, rnd, rnd.randint(800, 6000)), args.escape)
            i += 1


def cmd_mixed(args):
    rnd = random.Random(args.seed)
    langs = [Lang(name, random.Random(args.seed * 100 + k)) for k, name in enumerate(SCRIPTS)]
    limit = parse_size(args.size)
    with open(args.out, "w", encoding="utf-8") as out:
        i = 0
        while out.tell() < limit:
            lang = rnd.choice(langs)
            text = record_text(lang, rnd, rnd.randint(800, 6000))
            write_record(out, i, text, rnd.random() < 0.5)
            i += 1


def cmd_phrases(args):
    rnd = random.Random(args.seed)
    lang = Lang("ascii", rnd)
    pool = [" ".join(lang.words(8)) for _ in range(max(2, 2 * args.lines // args.per_phrase))]
    lines = []
    with open(args.out, "w", encoding="utf-8") as out:
        for n in range(args.lines):
            if lines and rnd.random() < 0.12:
                back = lines[-rnd.randint(1, min(len(lines), 200))]
                line = variant(back, rnd, True)
            else:
                a, b = rnd.choice(pool), rnd.choice(pool)
                own = " ".join(lang.words(rnd.randint(2, 6)))
                line = "%s %s, %s %s." % (a[:1].upper() + a[1:], own, b, rnd.choice(lang.vocab))
            lines.append(line)
            out.write(line)
            out.write("\n\n" if n + 1 < args.lines else "\n")


def cmd_short(args):
    rnd = random.Random(args.seed)
    lang = Lang("ascii", rnd)
    with open(args.out, "w", encoding="utf-8") as out:
        for n in range(args.lines):
            if args.same:
                out.write("the same line, x\n")
            else:
                a, b = lang.words(2)
                out.write("%s %d %s\n" % (a, n, b))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    j = sub.add_parser("jsonl")
    j.add_argument("--script", choices=sorted(SCRIPTS), required=True)
    j.add_argument("--escape", action="store_true")
    m = sub.add_parser("mixed")
    p = sub.add_parser("phrases")
    p.add_argument("--lines", type=int, required=True)
    p.add_argument("--per-phrase", type=int, default=60)
    t = sub.add_parser("short")
    t.add_argument("--lines", type=int, required=True)
    t.add_argument("--same", action="store_true")
    for s in (j, m):
        s.add_argument("--size", default="12MB")
    for s in (j, m, p, t):
        s.add_argument("--out", required=True)
        s.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    {"jsonl": cmd_jsonl, "mixed": cmd_mixed, "phrases": cmd_phrases, "short": cmd_short}[
        args.cmd
    ](args)


if __name__ == "__main__":
    sys.exit(main())
