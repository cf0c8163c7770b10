#!/usr/bin/env python3
"""FRUS Explorer-style baseline: TEI via lxml into SQLite FTS5, and search over it.

This is the comparison point for Chancery's benchmark (issue 2, "Measured, in a
benchmark"). It does what a small Python pipeline in the manner of FRUS Explorer
does, and nothing cleverer:

* ``ingest DB PATHS...`` parses every TEI file with lxml (one full parse per
  file, no XInclude), writes one row per ``div[@type="document"]`` into an FTS5
  table ``docs_fts(heading, body, notes, source)`` with
  ``tokenize='porter unicode61'`` and one row into the plain table ``docs``
  (volume, doc id, date_min, date_max, authors, file). It prints MB/s of TEI,
  documents/s, total bytes, seconds and peak RSS.
* ``search DB QUERIES.jsonl`` translates each query (Lucene-like: words,
  ``"phrases"``, ``AND``/``OR``/``NOT``, ``-word``, ``prefix*``, parentheses)
  into FTS5 MATCH syntax, applies the volume and date filters through a join
  with ``docs``, orders by ``bm25()`` (heading 4, body 1, notes 0.5, source 2)
  or by date, takes 10 hits with ``snippet()``, and when ``facets`` is true
  counts all matches by year and by volume (top 20) with GROUP BY. Each query is timed
  with ``time.perf_counter``; p50/p95/p99/mean are printed. Queries that cannot
  be translated are listed, never silently dropped.

Volume id: the ``xml:id`` of the TEI root (``frus1936v03``), else the file stem
(frus-history documents). Document dates: ``frus:doc-dateTime-min/max`` on the
document div; else the first ``date`` in the document's dateline (``@when``,
``@from``/``@to``, ``@notBefore``/``@notAfter``); else, for single-document
files without either, the header's ``date[@type="created"]/@when``. Authors:
``persName``/``gloss`` with ``@type="from"`` in the heading.

Run ``python3 bench/baseline/fts5_baseline.py --help`` for the commands.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sqlite3
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

try:
    from lxml import etree
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit("error: lxml is not installed; run `pip install lxml`")

TEI_NS = "http://www.tei-c.org/ns/1.0"
FRUS_NS = "http://history.state.gov/frus/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
T = "{%s}" % TEI_NS
NOTE = T + "note"
LB = T + "lb"
HEAD = T + "head"
DATELINE = T + "dateline"
DATE = T + "date"
DOC_MIN = "{%s}doc-dateTime-min" % FRUS_NS
DOC_MAX = "{%s}doc-dateTime-max" % FRUS_NS

# bm25() weights, in column order: heading, body, notes, source.
BM25_WEIGHTS = (4.0, 1.0, 0.5, 2.0)
LIMIT = 10
FACET_LIMIT = 20  # volume facet: the 20 largest counts, as a search page would show

SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    id       INTEGER PRIMARY KEY,
    volume   TEXT NOT NULL,
    doc_id   TEXT NOT NULL,
    date_min TEXT,
    date_max TEXT,
    authors  TEXT,
    file     TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5(
    heading, body, notes, source,
    tokenize = 'porter unicode61'
);
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS docs_volume ON docs(volume);
CREATE INDEX IF NOT EXISTS docs_date ON docs(date_min, date_max);
"""


# --------------------------------------------------------------------------
# TEI extraction
# --------------------------------------------------------------------------

def norm(parts: list[str]) -> str:
    """Join text fragments and collapse whitespace."""
    return " ".join("".join(parts).split())


def collect(el, out: list[str], notes: list, skip_head: bool = False) -> None:
    """Append the text of ``el`` to ``out``, diverting ``note`` subtrees to ``notes``.

    Notes keep their own text out of the surrounding field; the text after a
    note (its tail) stays in place. With ``skip_head`` the element's direct
    ``head`` children are left out (their tail is kept).
    """
    if el.text:
        out.append(el.text)
    for child in el:
        tag = child.tag
        if tag == NOTE:
            notes.append(child)
        elif not isinstance(tag, str):
            pass  # comment or processing instruction: no text of its own
        elif skip_head and tag == HEAD:
            pass
        elif tag == LB:
            out.append(" ")  # a line break separates words
        else:
            collect(child, out, notes)
        if child.tail:
            out.append(child.tail)


def day(value: str | None) -> str | None:
    """The ``YYYY-MM-DD`` (or shorter ``YYYY[-MM]``) prefix of a TEI date value."""
    if not value:
        return None
    m = re.match(r"\d{4}(-\d{2}(-\d{2})?)?", value.strip())
    return m.group(0) if m else None


@dataclass
class Doc:
    """One row of the baseline: a ``div[@type="document"]``."""

    volume: str
    doc_id: str
    heading: str
    body: str
    notes: str
    source: str
    date_min: str | None
    date_max: str | None
    authors: str


def doc_dates(div, fallback: str | None) -> tuple[str | None, str | None]:
    """Date bounds of a document div (see the module docstring)."""
    lo, hi = day(div.get(DOC_MIN)), day(div.get(DOC_MAX))
    if lo or hi:
        return lo or hi, hi or lo
    for dl in div.iter(DATELINE):
        for d in dl.iter(DATE):
            when = day(d.get("when"))
            if when:
                return when, when
            lo = day(d.get("from") or d.get("notBefore"))
            hi = day(d.get("to") or d.get("notAfter"))
            if lo or hi:
                return lo or hi, hi or lo
        break  # only the first dateline
    return fallback, fallback


def extract(div, volume: str, ordinal: int, fallback_date: str | None) -> Doc:
    """Turn one document div into a :class:`Doc`."""
    notes: list = []
    head_parts: list[str] = []
    authors: list[str] = []
    for head in div.iterchildren(HEAD):
        collect(head, head_parts, notes)
        head_parts.append(" ")
        for el in head.iter(T + "persName", T + "gloss"):
            if el.get("type") == "from":
                authors.append(" ".join("".join(el.itertext()).split()))
    body_parts: list[str] = []
    collect(div, body_parts, notes, skip_head=True)

    source_parts: list[str] = []
    note_parts: list[str] = []
    for n in notes:
        target = source_parts if n.get("type") == "source" else note_parts
        target.extend(n.itertext())
        target.append(" ")
    lo, hi = doc_dates(div, fallback_date)
    return Doc(
        volume=volume,
        doc_id=div.get(XML_ID) or f"doc{ordinal}",
        heading=norm(head_parts),
        body=norm(body_parts),
        notes=norm(note_parts),
        source=norm(source_parts),
        date_min=lo,
        date_max=hi,
        authors="; ".join(a for a in authors if a),
    )


def parse_file(path: Path) -> Iterator[Doc]:
    """Parse one TEI file (full parse) and yield its documents."""
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)
    tree = etree.parse(str(path), parser)
    root = tree.getroot()
    volume = root.get(XML_ID) or path.stem
    created = None
    for d in root.iterfind(f"{T}teiHeader//{T}date[@type='created']"):
        created = day(d.get("when"))
        break
    divs = root.iterfind(f".//{T}div[@type='document']")
    for i, div in enumerate(divs, 1):
        yield extract(div, volume, i, created)


def expand(paths: list[str]) -> list[Path]:
    """Files named on the command line, folders searched recursively for ``*.xml``."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*.xml") if q.is_file()))
        elif p.is_file():
            files.append(p)
        else:
            raise SystemExit(f"error: {p}: no such file or folder")
    return files


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def remove_db(db: str) -> None:
    """Delete a database file and its WAL/shared-memory companions."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)


def ingest_once(db: str, files: list[Path], optimize: bool, verbose: bool) -> dict:
    """Parse ``files`` into ``db``; return counts and timings (one run)."""
    total_bytes = sum(f.stat().st_size for f in files)
    t0 = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.executescript(SCHEMA)
    n_docs = 0
    errors: list[str] = []
    with con:
        for f in files:
            try:
                batch = list(parse_file(f))
            except etree.XMLSyntaxError as e:
                line, col = e.position if e.position else (0, 0)
                errors.append(f"{f}:{line}:{col}: {e.msg}")
                continue
            # One volume at a time: replace whatever an earlier run stored.
            for v in {d.volume for d in batch}:
                ids = [r[0] for r in con.execute("SELECT id FROM docs WHERE volume=?", (v,))]
                con.executemany("DELETE FROM docs_fts WHERE rowid=?", ((i,) for i in ids))
                con.execute("DELETE FROM docs WHERE volume=?", (v,))
            for d in batch:
                cur = con.execute(
                    "INSERT INTO docs(volume, doc_id, date_min, date_max, authors, file)"
                    " VALUES (?,?,?,?,?,?)",
                    (d.volume, d.doc_id, d.date_min, d.date_max, d.authors, str(f)),
                )
                con.execute(
                    "INSERT INTO docs_fts(rowid, heading, body, notes, source) VALUES (?,?,?,?,?)",
                    (cur.lastrowid, d.heading, d.body, d.notes, d.source),
                )
            n_docs += len(batch)
            if verbose:
                print(f"  {f}: {len(batch)} documents", file=sys.stderr)
    con.executescript(INDEXES)
    if optimize:
        con.execute("INSERT INTO docs_fts(docs_fts) VALUES('optimize')")
        con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    secs = time.perf_counter() - t0
    return {
        "files": len(files),
        "documents": n_docs,
        "bytes": total_bytes,
        "seconds": round(secs, 3),
        "mb_per_s": round(total_bytes / 1e6 / secs, 2),
        "docs_per_s": round(n_docs / secs, 1),
        "db_bytes": os.path.getsize(db),
        "errors": errors,
    }


def cmd_ingest(args: argparse.Namespace) -> int:
    files = expand(args.paths)
    if not files:
        raise SystemExit("error: no .xml files under the given paths")
    if args.runs < 1:
        raise SystemExit("error: --runs must be at least 1")
    if args.runs > 1 and not args.fresh:
        raise SystemExit("error: --runs N needs --fresh (each run starts from an empty database)")
    runs = []
    for _ in range(args.runs):
        if args.fresh:
            remove_db(args.db)
        runs.append(ingest_once(args.db, files, args.optimize, args.verbose))
    # Report the median run by time (the only run when --runs 1).
    summary = dict(sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2])
    summary = {"command": "ingest", **summary, "peak_rss_mb": round(peak_rss_mb(), 1)}
    if len(runs) > 1:
        summary["runs_seconds"] = [r["seconds"] for r in runs]
    errors = summary["errors"]
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    print(
        f"ingested {summary['files']} files, {summary['documents']} documents, "
        f"{summary['bytes']:,} bytes in {summary['seconds']:.2f} s"
        f"{' (median of %d runs)' % len(runs) if len(runs) > 1 else ''}: "
        f"{summary['mb_per_s']:.1f} MB/s, {summary['docs_per_s']:.0f} docs/s, "
        f"peak RSS {summary['peak_rss_mb']:.0f} MB, database {summary['db_bytes'] / 1e6:.1f} MB, "
        f"{len(errors)} errors"
    )
    if args.json:
        print(json.dumps(summary))
    return 1 if errors else 0


# --------------------------------------------------------------------------
# Query translation: Lucene-like syntax -> FTS5 MATCH
# --------------------------------------------------------------------------

class Untranslatable(Exception):
    """The query has no FTS5 equivalent (e.g. only negated terms)."""


TOKEN_RE = re.compile(r'\s*(?:(\()|(\))|(-?"[^"]*"\*?)|(-?[^\s()"]+))')


def tokenize(q: str) -> list[str]:
    """Split a query into words, phrases and parentheses."""
    pos, toks = 0, []
    q = q.strip()
    while pos < len(q):
        m = TOKEN_RE.match(q, pos)
        if not m or m.end() == pos:
            if q[pos:].strip() == "":
                break
            raise Untranslatable(f"cannot read the query at {q[pos:]!r} (unbalanced quote?)")
        toks.append(next(g for g in m.groups() if g is not None))
        pos = m.end()
    return toks


def fts_string(text: str) -> str:
    """An FTS5 string literal (double quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


class QueryParser:
    """Recursive descent over the tokens; returns (kind, payload) nodes.

    Grammar (default operator AND, OR binds looser than AND):
        or    := and ("OR" and)*
        and   := unary (["AND"] unary)*
        unary := ("NOT" | "-") unary | primary
        prim  := WORD | WORD* | "PHRASE" | "(" or ")"
    """

    def __init__(self, tokens: list[str]):
        self.toks = tokens
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> str:
        t = self.toks[self.i]
        self.i += 1
        return t

    def parse(self):
        if not self.toks:
            raise Untranslatable("empty query")
        node = self.or_()
        if self.peek() is not None:
            raise Untranslatable(f"unexpected {self.peek()!r}")
        return node

    def or_(self):
        kids = [self.and_()]
        while self.peek() == "OR":
            self.take()
            kids.append(self.and_())
        return kids[0] if len(kids) == 1 else ("or", kids)

    def and_(self):
        kids = [self.unary()]
        while self.peek() not in (None, ")", "OR"):
            if self.peek() == "AND":
                self.take()
            kids.append(self.unary())
        return kids[0] if len(kids) == 1 else ("and", kids)

    def unary(self):
        t = self.peek()
        if t is None:
            raise Untranslatable("query ends after an operator")
        if t == "NOT":
            self.take()
            return ("not", self.unary())
        if t.startswith("-") and len(t) > 1:
            self.take()
            self.toks.insert(self.i, t[1:])
            return ("not", self.unary())
        return self.primary()

    def primary(self):
        t = self.take()
        if t == "(":
            node = self.or_()
            if self.peek() != ")":
                raise Untranslatable("missing ')'")
            self.take()
            return node
        if t in (")", "AND", "OR"):
            raise Untranslatable(f"unexpected {t!r}")
        if t.startswith('"'):
            prefix = t.endswith("*")
            inner = t[1:-2] if prefix else t[1:-1]
            if not inner.strip():
                raise Untranslatable("empty phrase")
            return ("term", fts_string(inner) + ("*" if prefix else ""))
        if t.endswith("*"):
            stem = t.rstrip("*")
            if not re.search(r"\w", stem):
                raise Untranslatable(f"prefix {t!r} has no letters")
            return ("term", fts_string(stem) + "*")
        if ":" in t:
            raise Untranslatable(f"field syntax {t!r} is not supported by the baseline")
        if not re.search(r"\w", t):
            raise Untranslatable(f"term {t!r} has no letters or digits")
        return ("term", fts_string(t))


def to_fts(node) -> str:
    """Render a parsed node as FTS5; negations must sit beside a positive term."""
    kind = node[0]
    if kind == "term":
        return node[1]
    if kind == "not":
        raise Untranslatable("a negation needs a positive term beside it (FTS5 NOT is binary)")
    if kind == "or":
        return "(" + " OR ".join(to_fts(k) for k in node[1]) + ")"
    pos = [k for k in node[1] if k[0] != "not"]
    neg = [k[1] for k in node[1] if k[0] == "not"]
    if not pos:
        raise Untranslatable("only negated terms: FTS5 cannot match 'everything except'")
    expr = " AND ".join(to_fts(k) for k in pos)
    if len(pos) > 1:
        expr = "(" + expr + ")"
    if neg:
        expr += " NOT (" + " OR ".join(to_fts(k) for k in neg) + ")"
    return expr


def translate(q: str) -> str:
    """Translate a Lucene-like query string to an FTS5 MATCH expression."""
    return to_fts(QueryParser(tokenize(q)).parse())


# --------------------------------------------------------------------------
# Search
# --------------------------------------------------------------------------

def filters(query: dict) -> tuple[str, list]:
    """SQL conditions on ``docs d`` for the query's volume and date range."""
    sql, params = "", []
    if query.get("volume"):
        sql += " AND d.volume = ?"
        params.append(query["volume"])
    if query.get("from"):
        sql += " AND d.date_max >= ?"
        params.append(query["from"])
    if query.get("to"):
        # date_min is YYYY-MM-DD (or shorter); compare against the end of the day.
        sql += " AND d.date_min <= ?"
        params.append(query["to"] + "~")
    return sql, params


def run_query(con: sqlite3.Connection, query: dict, match: str) -> dict:
    """Run one translated query: top hits with snippets, and facets if asked."""
    where, params = filters(query)
    w = ", ".join(str(x) for x in BM25_WEIGHTS)
    if query.get("sort", "relevance") == "date":
        order = f"d.date_min IS NULL, d.date_min, bm25(docs_fts, {w})"
    else:
        order = f"bm25(docs_fts, {w})"
    sql = (
        "SELECT d.volume, d.doc_id, d.date_min, docs_fts.heading,"
        " snippet(docs_fts, -1, '[', ']', '…', 24)"
        " FROM docs_fts JOIN docs d ON d.id = docs_fts.rowid"
        f" WHERE docs_fts MATCH ?{where} ORDER BY {order} LIMIT {LIMIT}"
    )
    hits = [
        {"volume": v, "id": i, "date": dt, "heading": h, "snippet": s}
        for v, i, dt, h, s in con.execute(sql, [match, *params])
    ]
    out: dict = {"hits": hits}
    if query.get("facets"):
        base = (
            " FROM docs_fts JOIN docs d ON d.id = docs_fts.rowid"
            f" WHERE docs_fts MATCH ?{where}"
        )
        years = con.execute(
            f"SELECT substr(d.date_min, 1, 4) AS y, count(*){base} GROUP BY y ORDER BY y",
            [match, *params],
        ).fetchall()
        vols = con.execute(
            f"SELECT d.volume, count(*){base} GROUP BY d.volume"
            f" ORDER BY count(*) DESC, d.volume LIMIT {FACET_LIMIT}",
            [match, *params],
        ).fetchall()
        out["facets"] = {"year": years, "volume": vols}
        out["total"] = sum(c for _, c in years)
    return out


def percentile(sorted_ms: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_ms:
        return float("nan")
    k = max(0, min(len(sorted_ms) - 1, int(round(p / 100 * len(sorted_ms) + 0.5)) - 1))
    return sorted_ms[k]


def load_queries(path: str) -> list[dict]:
    """Read the JSONL query list; every line must be an object with ``q``."""
    queries = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise SystemExit(f"error: {path}:{n}: not JSON: {e}")
            if not isinstance(obj, dict) or not isinstance(obj.get("q"), str):
                raise SystemExit(f'error: {path}:{n}: expected an object with a "q" string')
            obj["_line"] = n
            queries.append(obj)
    return queries


def cmd_search(args: argparse.Namespace) -> int:
    if not os.path.exists(args.db):
        raise SystemExit(f"error: {args.db}: no such database (run `ingest` first)")
    queries = load_queries(args.queries)
    con = sqlite3.connect(args.db)
    untranslated: list[dict] = []
    plan: list[tuple[dict, str]] = []
    for q in queries:
        try:
            plan.append((q, translate(q["q"])))
        except Untranslatable as e:
            untranslated.append({"line": q["_line"], "q": q["q"], "reason": str(e)})

    failed: list[dict] = []
    for _ in range(args.warmup):
        for q, m in plan:
            try:
                run_query(con, q, m)
            except sqlite3.Error:
                pass
    times: list[float] = []
    per_query = open(args.results, "w", encoding="utf-8") if args.results else None
    zero_hits = 0
    for rep in range(args.repeat):
        for q, m in plan:
            t0 = time.perf_counter()
            try:
                res = run_query(con, q, m)
            except sqlite3.Error as e:
                if rep == 0:
                    failed.append({"line": q["_line"], "q": q["q"], "match": m, "error": str(e)})
                continue
            ms = (time.perf_counter() - t0) * 1000
            times.append(ms)
            if rep == 0:
                zero_hits += not res["hits"]
                if per_query:
                    rec = {k: v for k, v in q.items() if k != "_line"}
                    rec.update(line=q["_line"], match=m, ms=round(ms, 3), **res)
                    per_query.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if per_query:
        per_query.close()
    con.close()

    for u in untranslated:
        print(f"untranslatable: line {u['line']}: {u['q']!r}: {u['reason']}", file=sys.stderr)
    for f in failed:
        print(f"failed: line {f['line']}: {f['q']!r} -> {f['match']}: {f['error']}", file=sys.stderr)
    s = sorted(times)
    summary = {
        "command": "search",
        "queries": len(queries),
        "timed": len(plan) - len(failed),
        "repeat": args.repeat,
        "untranslatable": len(untranslated),
        "failed": len(failed),
        "zero_hits": zero_hits,
        "p50_ms": round(percentile(s, 50), 3),
        "p95_ms": round(percentile(s, 95), 3),
        "p99_ms": round(percentile(s, 99), 3),
        "mean_ms": round(statistics.fmean(s), 3) if s else None,
        "max_ms": round(s[-1], 3) if s else None,
        "untranslatable_queries": untranslated,
    }
    print(
        f"{len(queries)} queries, {summary['timed']} timed x{args.repeat}, "
        f"{len(untranslated)} untranslatable, {len(failed)} failed, {zero_hits} with no hit: "
        f"p50 {summary['p50_ms']:.2f} ms, p95 {summary['p95_ms']:.2f} ms, "
        f"p99 {summary['p99_ms']:.2f} ms, mean {summary['mean_ms']:.2f} ms, "
        f"max {summary['max_ms']:.2f} ms"
    )
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    return 1 if failed else 0


def cmd_translate(args: argparse.Namespace) -> int:
    """Print the FTS5 translation of each query (for checking the translator)."""
    rc = 0
    for q in load_queries(args.queries) if args.queries.endswith(".jsonl") else [{"q": args.queries}]:
        try:
            print(f"{q['q']}\t{translate(q['q'])}")
        except Untranslatable as e:
            print(f"{q['q']}\tUNTRANSLATABLE: {e}")
            rc = 1
    return rc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="FRUS Explorer-style baseline: lxml + SQLite FTS5 (porter unicode61, bm25, snippet).",
    )
    sub = ap.add_subparsers(dest="command", required=True)

    ing = sub.add_parser("ingest", help="parse TEI files into an FTS5 database")
    ing.add_argument("db", help="SQLite database file (created if missing)")
    ing.add_argument("paths", nargs="+", help="TEI files or folders (searched recursively for *.xml)")
    ing.add_argument("--fresh", action="store_true", help="delete the database first")
    ing.add_argument("--runs", type=int, default=1,
                     help="repeat the ingest N times (needs --fresh) and report the median run")
    ing.add_argument("--optimize", action="store_true",
                     help="merge the FTS5 b-trees after loading (counted in the time)")
    ing.add_argument("--json", action="store_true", help="also print a JSON summary line")
    ing.add_argument("-v", "--verbose", action="store_true", help="list each file")
    ing.set_defaults(func=cmd_ingest)

    se = sub.add_parser("search", help="run and time a JSONL query list")
    se.add_argument("db", help="database written by `ingest`")
    se.add_argument("queries", help="JSONL: one {q, volume, from, to, sort, facets} per line")
    se.add_argument("--warmup", type=int, default=1, help="untimed passes first (default 1)")
    se.add_argument("--repeat", type=int, default=1, help="timed passes (default 1)")
    se.add_argument("--results", metavar="FILE", help="write each query's hits/facets as JSONL")
    se.add_argument("--json", action="store_true", help="also print a JSON summary line")
    se.set_defaults(func=cmd_search)

    tr = sub.add_parser("translate", help="show the FTS5 MATCH translation of queries")
    tr.add_argument("queries", help="a JSONL query file, or one query string")
    tr.set_defaults(func=cmd_translate)

    args = ap.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
