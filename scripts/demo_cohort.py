#!/usr/bin/env python
"""Load the demo cohort (labelled 演示数据) for the officers' cohort view: a few demo
enterprises with two self-assessments each, consent to share with customs and
cultivation plans. ``make demo-data`` runs this after importing the sample enterprises."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.cohort.demo import load_demo_cohort
from core.db import create_schema


def main() -> int:
    codes = load_demo_cohort(engine=create_schema())
    print(f"Demo cohort loaded: {len(codes)} demo enterprises （演示数据） with assessments, consent and plans.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
