"""Build the Hanja -> Hangul reading table (hanja.py) from the Unicode Han database.

    python -m ncb.matching.xscript.hanja_build /usr/share/unicode   (make hanja-readings)

Source: Unihan kHangul (Sino-Korean readings, Unicode 15.0 as shipped in Debian's unicode-data
package; Unicode License v3). A simplified Chinese character gets the readings of its
traditional form (kTraditionalVariant): Korean names are written in traditional characters,
Chinese records of the same person often in simplified ones (金正恩 is both; 朴 and 樸).
"""

from __future__ import annotations

import argparse
import bz2
from pathlib import Path

OUT = Path(__file__).parents[1] / "data" / "hanja_readings.tsv"
HEADER = (
    "# Hanja -> Hangul readings (Sino-Korean), one character a line: character, readings by\n"
    "# frequency. Source: Unicode Unihan database 15.0 (kHangul; simplified characters via\n"
    "# kTraditionalVariant), Unicode License v3. Made by python -m ncb.matching.xscript.hanja_build\n"
    "# (make hanja-readings); do not edit by hand.\n"
)


def _char(code: str) -> str:
    return chr(int(code.split("<")[0][2:], 16))


def _fields(path: Path, field: str) -> dict[str, str]:
    out: dict[str, str] = {}
    with bz2.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("U+"):
                code, f, value = line.rstrip("\n").split("\t", 2)
                if f == field:
                    out[_char(code)] = value
    return out


def build(unicode_dir: Path) -> dict[str, tuple[str, ...]]:
    hangul = _fields(unicode_dir / "Unihan_Readings.txt.bz2", "kHangul")
    table = {ch: tuple(r.split(":")[0] for r in v.split()) for ch, v in hangul.items()}
    trad = _fields(unicode_dir / "Unihan_Variants.txt.bz2", "kTraditionalVariant")
    for ch, v in trad.items():
        if ch in table:
            continue
        got: list[str] = []
        for t in v.split():
            got.extend(r for r in table.get(_char(t), ()) if r not in got)
        if got:
            table[ch] = tuple(got)
    return dict(sorted(table.items()))


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m ncb.matching.xscript.hanja_build")
    ap.add_argument("unicode_dir", type=Path, help="folder with Unihan_*.txt.bz2 (/usr/share/unicode)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    table = build(args.unicode_dir)
    lines = "".join(f"{ch}\t{' '.join(rs)}\n" for ch, rs in table.items())
    args.out.write_text(HEADER + lines, encoding="utf-8")
    print(f"wrote {args.out}: {len(table)} characters")


if __name__ == "__main__":
    main()
