"""Training data, domain and rules are consistent (`rasa data validate`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_rasa_data_validate():
    rasa = Path(sys.executable).parent / "rasa"
    env = dict(os.environ, SQLALCHEMY_SILENCE_UBER_WARNING="1", PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [str(rasa), "data", "validate", "--fail-on-warnings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
