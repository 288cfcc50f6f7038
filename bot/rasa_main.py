"""``python -m bot.rasa_main run ...``: Rasa's command line, with the HTTP API
token taken from the environment (RASA_TOKEN) instead of ``--auth-token`` on
the command line, where every local user could read it in the process list;
and the per-message savings of bot/rasa_tuning.py installed (bench/README.md)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    token = os.environ.get("RASA_TOKEN", "").strip()
    if token and "--enable-api" in sys.argv and not any(a.startswith("--auth-token") for a in sys.argv):
        # Only this process's own argument list changes; /proc/<pid>/cmdline keeps the original.
        sys.argv.append(f"--auth-token={token}")
    from rasa.__main__ import main as rasa_main

    from bot import rasa_tuning

    rasa_tuning.apply()

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
