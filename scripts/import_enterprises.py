#!/usr/bin/env python
"""Import enterprise profiles into the assistant's database.

    python scripts/import_enterprises.py FILE.csv|FILE.json [--dry-run] [--lang zh|en]

Good rows are upserted (keyed by 统一社会信用代码); bad rows are listed with
their line number (CSV) or entry number (JSON) and the reason.
Exit status: 0 all rows imported, 1 some rows rejected, 2 the file could not be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.db import create_schema
from core.enterprise.importer import import_file


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", help="CSV or JSON file")
    parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    args = parser.parse_args(argv)

    engine = None if args.dry_run else create_schema()
    report = import_file(args.file, engine=engine, dry_run=args.dry_run)
    lang = args.lang
    if report.file_error:
        print(report.file_error[lang], file=sys.stderr)
        return 2
    unit = "entry" if args.file.lower().endswith(".json") else "line"
    for err in report.errors:
        where = (
            (f"第{err['line']}行" if unit == "line" else f"第{err['line']}条")
            if lang == "zh"
            else f"{unit} {err['line']}"
        )
        print(f"{where} [{err['field']}] {err['code']}: {err['reason'][lang]}", file=sys.stderr)
    if lang == "zh":
        verb = "可导入" if args.dry_run else "已导入"
        print(
            f"共{report.total_rows}行：{verb}{report.imported}行（新增{report.created}，更新{report.updated}），"
            f"错误{len(report.errors)}处。"
        )
    else:
        verb = "would import" if args.dry_run else "imported"
        print(
            f"{report.total_rows} rows: {verb} {report.imported} (new {report.created}, updated {report.updated}), "
            f"{len(report.errors)} error(s)."
        )
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
