#!/usr/bin/env python3
"""Naive scraper text of an HTML page, as ../shared/corpus/README.md describes it.

The dev-set pages were made this way; new pages to label must be made the same way so that
the tool meets the same kind of text. Rules (from that README):
- Python's stdlib html.parser; script, style and template are dropped.
- Every block-level tag (p, div, li, h1-h6, td, br, ...) ends a block.
- Inline text is joined as-is: <span>End.</span><span>Next</span> gives "End.Next".
- Runs of ASCII white space collapse to one space; NBSP and soft hyphens are kept.
- Entities are decoded once.
- Block 0 is the <title>; block 1 is the og:description, or the meta description if there is
  none (many scrapers prepend these).
- One block per line, a blank line between blocks.

Usage: naive_extract.py PAGE.html[.gz] > page.txt
"""
import gzip
import re
import sys
from html.parser import HTMLParser

BLOCK = {
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "nav", "ol",
    "option", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul", "head", "title", "select", "textarea", "button", "label", "iframe",
    "legend", "menu", "center",
}
DROP = {"script", "style", "template"}
ASCII_WS = re.compile(r"[ \t\n\r\f\v]+")


class Naive(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.cur = []
        self.drop = 0
        self.in_title = False
        self.title_done = False
        self.title = []
        self.og = None
        self.desc = None

    def flush(self):
        text = ASCII_WS.sub(" ", "".join(self.cur)).strip()
        if text:
            self.blocks.append(text)
        self.cur = []

    def handle_starttag(self, tag, attrs):
        if tag in DROP:
            self.drop += 1
            return
        if tag == "title":
            # The page's own title only: an SVG's <title> later on is no page title.
            self.in_title = not self.title_done
            return
        if tag == "meta":
            a = {k.lower(): (v or "") for k, v in attrs}
            key = a.get("property", a.get("name", "")).lower()
            if key == "og:description" and self.og is None:
                self.og = a.get("content", "")
            elif key == "description" and self.desc is None:
                self.desc = a.get("content", "")
        if tag in BLOCK:
            self.flush()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in DROP:
            self.drop -= 1

    def handle_endtag(self, tag):
        if tag in DROP:
            self.drop = max(0, self.drop - 1)
            return
        if tag == "title":
            if self.in_title:
                self.title_done = True
            self.in_title = False
            return
        if tag in BLOCK:
            self.flush()

    def handle_data(self, data):
        if self.drop:
            return
        if self.in_title:
            self.title.append(data)
            return
        self.cur.append(data)


def extract(html):
    p = Naive()
    p.feed(html)
    p.close()
    p.flush()
    head = []
    title = ASCII_WS.sub(" ", "".join(p.title)).strip()
    head.append(title)
    meta = p.og if (p.og or "").strip() else p.desc
    if meta is not None:
        head.append(ASCII_WS.sub(" ", meta).strip())
    blocks = [b for b in head if b] + p.blocks
    return "\n\n".join(blocks) + "\n"


def main():
    path = sys.argv[1]
    raw = gzip.open(path, "rb").read() if path.endswith(".gz") else open(path, "rb").read()
    sys.stdout.write(extract(decode(raw)))


def decode(raw):
    """UTF-8 when the bytes are UTF-8 (test suites often save pages as UTF-8 whatever their
    meta tag says), else the declared charset, else UTF-8 with replacement characters."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = re.search(rb'<meta[^>]+charset=["\']?([A-Za-z0-9_-]+)', raw[:8192], re.I)
    enc = m.group(1).decode().lower() if m else "utf-8"
    if enc in ("gb2312", "gbk"):
        enc = "gb18030"
    try:
        return raw.decode(enc, errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


if __name__ == "__main__":
    main()
