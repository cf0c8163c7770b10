#!/usr/bin/env python3
"""Scale the real FRUS volumes to a target size by copying them under new volume ids.

    python3 bench/gen_corpus.py --source /work/shared/corpus/frus --out /tmp/frus-2g --size 2G

Each round writes one copy of every source file; rounds repeat until the output
reaches ``--size``. Copy ``k`` of a volume gets the id ``<id>x<kkkk>``
(``frus1936v03`` -> ``frus1936v03x0007``), written to ``<id>x<kkkk>.xml``:

* in whole-volume files the root ``<TEI xml:id="...">`` and the
  ``<idno type="frus">`` in the header are rewritten to the new id; every other
  byte is kept (line ends, references such as ``frus1937v03#pg_847``, ...), so
  the copies remain well-formed TEI;
* files whose TEI root has no ``xml:id`` (the frus-history documents, whose
  volume id is the file stem) are copied byte for byte under the new stem.

Streaming: only the header (up to ``</teiHeader>``) is held in memory; the rest
is copied in blocks. Idempotent: a copy that already exists with the expected
size is kept, files are written to a temporary name and renamed, and the same
arguments always give the same files. ``--source`` may be given several times
(e.g. the FRUS volumes and the frus-history documents). Files in ``--out`` that
look like copies (``*x<dddd>.xml``) but fall outside the requested size are
reported, and deleted with ``--prune``.

Each source is stream-parsed once first (``--no-check`` skips this), so a
broken file is reported with ``file:line:col`` and nothing is written.

Sizes: plain bytes or a number with K, M, G (powers of 1000; ``2G`` = 2,000,000,000
bytes). ``KiB``/``MiB``/``GiB`` mean powers of 1024.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

BLOCK = 1 << 20
HEADER_END = b"</teiHeader>"
MAX_HEADER = 4 << 20  # a TEI header larger than this is not a FRUS volume
ROOT_RE = re.compile(rb"<TEI\b[^>]*>")
ROOT_ID_RE = re.compile(rb'(\sxml:id\s*=\s*)(["\'])([^"\']*)\2')
IDNO_RE = re.compile(rb'(<idno\s+type\s*=\s*["\']frus["\']\s*>)([^<]*)(</idno>)')
COPY_NAME_RE = re.compile(r".*x\d{4}\.xml$")


class GenError(Exception):
    """A source file cannot be copied as a volume."""


@dataclass
class Source:
    """One real volume to multiply."""

    path: Path
    volume: str  # the root xml:id, or the file stem
    has_root_id: bool
    size: int
    header_len: int  # bytes of the file read to rewrite the ids (0 if none)
    delta_per_digit: int  # how the size changes with the new id


def parse_size(text: str) -> int:
    """``2G`` -> 2_000_000_000; ``512MiB`` -> 536_870_912; ``1000`` -> 1000."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(i?)B?\s*", text, re.IGNORECASE)
    if not m:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 2G, 500M, 123456)")
    num, unit, binary = float(m.group(1)), m.group(2).upper(), m.group(3)
    base = 1024 if binary else 1000
    power = " KMGT".index(unit) if unit else 0
    return int(num * base**power)


def read_header(path: Path) -> bytes:
    """The file's bytes up to and including ``</teiHeader>`` (or the whole small file)."""
    buf = b""
    with open(path, "rb") as fh:
        while HEADER_END not in buf:
            chunk = fh.read(64 * 1024)
            if not chunk:
                break
            buf += chunk
            if len(buf) > MAX_HEADER:
                raise GenError(f"{path}: no </teiHeader> in the first {MAX_HEADER} bytes")
    end = buf.find(HEADER_END)
    return buf if end < 0 else buf[: end + len(HEADER_END)]


def inspect(path: Path) -> Source:
    """Read a source file's header and find its volume id."""
    head = read_header(path)
    root = ROOT_RE.search(head)
    if not root:
        raise GenError(f"{path}: no <TEI> root element (not a TEI file?)")
    rid = ROOT_ID_RE.search(root.group(0))
    if not rid:
        return Source(path, path.stem, False, path.stat().st_size, 0, 0)
    volume = rid.group(3).decode("utf-8")
    idno = IDNO_RE.search(head)
    if idno and idno.group(2).strip() and idno.group(2).strip().decode() != volume:
        raise GenError(
            f"{path}: root xml:id {volume!r} differs from <idno type=\"frus\"> "
            f"{idno.group(2).decode()!r}"
        )
    occurrences = 1 + (1 if idno and idno.group(2).strip() else 0)
    return Source(path, volume, True, path.stat().st_size, len(head), occurrences)


def check_well_formed(path: Path) -> None:
    """Stream-parse a source once, so that copies of a broken file are never made."""
    try:
        for _ in ET.iterparse(path, events=("end",)):
            pass
    except ET.ParseError as e:
        line, col = e.position
        raise GenError(f"{path}:{line}:{col}: not well-formed XML: {e}") from None


def new_id(volume: str, k: int) -> str:
    return f"{volume}x{k:04d}"


def rewrite_header(head: bytes, old: str, new: str) -> bytes:
    """Put ``new`` in place of ``old`` in the root xml:id and the frus idno."""
    root = ROOT_RE.search(head)
    assert root is not None
    tag = ROOT_ID_RE.sub(lambda m: m.group(1) + m.group(2) + new.encode() + m.group(2),
                         root.group(0), count=1)
    head = head[: root.start()] + tag + head[root.end():]

    def idno(m: re.Match) -> bytes:
        if m.group(2).strip().decode() != old:
            return m.group(0)
        return m.group(1) + new.encode() + m.group(3)

    return IDNO_RE.sub(idno, head, count=1)


def expected_size(src: Source, k: int) -> int:
    grow = len(new_id(src.volume, k)) - len(src.volume)
    return src.size + grow * src.delta_per_digit


def write_copy(src: Source, k: int, out_dir: Path) -> Path:
    """Write copy ``k`` of ``src`` atomically; return its path."""
    vid = new_id(src.volume, k)
    dest = out_dir / f"{vid}.xml"
    tmp = out_dir / f".{vid}.xml.tmp"
    with open(src.path, "rb") as fin, open(tmp, "wb") as fout:
        if src.has_root_id:
            head = fin.read(src.header_len)
            fout.write(rewrite_header(head, src.volume, vid))
        shutil.copyfileobj(fin, fout, BLOCK)
    os.replace(tmp, dest)
    return dest


def expand(sources: list[str]) -> list[Path]:
    """Source files: ``*.xml`` named directly or found in folders (recursively, sorted)."""
    files: list[Path] = []
    for s in sources:
        p = Path(s)
        if p.is_dir():
            found = sorted(q for q in p.rglob("*.xml") if q.is_file())
            if not found:
                raise GenError(f"{p}: no .xml files")
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            raise GenError(f"{p}: no such file or folder")
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Multiply real FRUS TEI volumes under new volume ids up to a target size.",
        epilog="Example: %(prog)s --source /work/shared/corpus/frus --out /tmp/frus-2g --size 2G",
    )
    ap.add_argument("--source", action="append", required=True, metavar="PATH",
                    help="a TEI file or a folder of them (repeatable)")
    ap.add_argument("--out", required=True, metavar="DIR", help="output folder (created)")
    ap.add_argument("--size", required=True, type=parse_size,
                    help="target total size: 2G, 500M, 1.5GiB, or bytes")
    ap.add_argument("--prune", action="store_true",
                    help="delete copies in DIR beyond the requested size")
    ap.add_argument("--no-check", action="store_true",
                    help="skip the well-formedness check of the sources")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    args = ap.parse_args(argv)

    try:
        files = expand(args.source)
        sources = [inspect(f) for f in files]
        if not args.no_check:
            for f in files:
                check_well_formed(f)
    except GenError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    vols = [s.volume for s in sources]
    dup = {v for v in vols if vols.count(v) > 1}
    if dup:
        print(f"error: several sources share the volume id(s) {sorted(dup)}", file=sys.stderr)
        return 2
    round_bytes = sum(s.size for s in sources)
    if round_bytes == 0:
        print("error: the sources are empty", file=sys.stderr)
        return 2

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    total = written = kept = 0
    wanted: set[str] = set()
    k = 0
    while total < args.size:
        k += 1
        if k > 9999:
            print("error: more than 9999 rounds needed; use fewer, larger sources",
                  file=sys.stderr)
            return 2
        for src in sources:
            if total >= args.size:
                break
            dest = out / f"{new_id(src.volume, k)}.xml"
            wanted.add(dest.name)
            size = expected_size(src, k)
            if dest.is_file() and dest.stat().st_size == size:
                kept += 1
                action = "kept"
            else:
                write_copy(src, k, out)
                if dest.stat().st_size != size:
                    print(f"error: {dest}: wrote {dest.stat().st_size} bytes, "
                          f"expected {size}", file=sys.stderr)
                    return 1
                written += 1
                action = "wrote"
            total += size
            if not args.quiet:
                print(f"{action} {dest} ({size:,} bytes, volume {new_id(src.volume, k)} "
                      f"from {src.path.name})")

    extra = sorted(p for p in out.iterdir()
                   if p.is_file() and COPY_NAME_RE.match(p.name) and p.name not in wanted)
    for p in extra:
        if args.prune:
            p.unlink()
            print(f"pruned {p}")
        else:
            print(f"note: {p} is not part of this size (use --prune to delete it)")
    print(f"{out}: {written + kept} files ({written} written, {kept} kept), {total:,} bytes "
          f"in {k} round(s) of {len(sources)} source file(s) ({round_bytes:,} bytes each round)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
