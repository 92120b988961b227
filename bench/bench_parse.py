"""Ingest parsing: MB/s through ``parse_page`` for large pages of two kinds.

A live blog's page only grows, so a parser that is quadratic in the page shows up on
a big one. Two pages of ~2 MB, written here (invented places): plain text in the
timestamp-marker form, and HTML of headline-led blocks with no markup. Baselines are
the cheapest pass that still reads every byte, measured in the same run:
- for text, decoding and cutting the page at its blank lines (``str.split``);
- for HTML, selectolax (lexbor) building the tree, the first step of the generic HTML parser.
Rounds alternate between parser and baseline; medians of CPU-time rates.
"""

from __future__ import annotations

import os
import time
from typing import Any

from bench.bench_common import median, row

ROUNDS = 2 if os.environ.get("BENCH_QUICK") else 5
SIZE = 2 * 1024 * 1024


def _text_page(size: int) -> bytes:
    parts, total, n = ["Live: the coast, day 300\n\n"], 0, 0
    while total < size:
        piece = (f"UPDATE {n % 24:02d}{n % 60:02d} GMT:\n\nShelling hit the port of Varnok overnight, "
                 f"damaging warehouse {n} and a fuel depot, the regional governor said. "
                 "No casualties were reported.\n\n")
        parts.append(piece)
        total += len(piece)
        n += 1
    return "".join(parts).encode()


def _html_page(size: int) -> bytes:
    parts, total, n = [], 0, 0
    while total < size:
        piece = (f"<h2>Drone attack on depot {n} repelled</h2><p>Air defence units shot down drones "
                 f"approaching depot {n} near Olsk, the military said on Monday.</p>")
        parts.append(piece)
        total += len(piece)
        n += 1
    return f"<html><body><main>{''.join(parts)}</main></body></html>".encode()


def _cpu_rate(fn: Any, page: bytes) -> float:
    started = time.process_time()
    fn(page)
    return len(page) / 1e6 / max(time.process_time() - started, 1e-9)


def run() -> list[dict[str, Any]]:
    from selectolax.lexbor import LexborHTMLParser

    from services.ingest.parsers import parse_page

    text, html = _text_page(SIZE), _html_page(SIZE)
    entries = {"text": len(parse_page(text).entries), "html": len(parse_page(html).entries)}
    rates: dict[str, list[float]] = {"text": [], "text_base": [], "html": [], "html_base": []}
    for _ in range(ROUNDS):
        rates["text"].append(_cpu_rate(parse_page, text))
        rates["text_base"].append(_cpu_rate(lambda b: b.decode().split("\n\n"), text))
        rates["html"].append(_cpu_rate(parse_page, html))
        rates["html_base"].append(_cpu_rate(lambda b: LexborHTMLParser(b.decode()).body, html))
    return [
        row("ingest_parse_text_mb_per_s", median(rates["text"]), "MB/s",
            "decode + split at blank lines", median(rates["text_base"]), runs=rates["text"],
            entries=entries["text"], page_mb=len(text) / 1e6),
        row("ingest_parse_html_mb_per_s", median(rates["html"]), "MB/s",
            "selectolax tree only", median(rates["html_base"]), runs=rates["html"],
            entries=entries["html"], page_mb=len(html) / 1e6),
    ]
