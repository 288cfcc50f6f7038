"""A module-level constant is bound once. A second `_EFFECT_Q = re.compile(...)` far below the first
silently replaced it for every use above (it changed how "实施以后效果怎么样" was read); ruff does not
report a rebound assignment, so this test reads the modules."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _rebound(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    found = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        reads = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
        for target in targets:
            for name in [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]:
                # ("X = {k: v for k, v in X.items() if v}" refines X and is not a second definition)
                if name in seen and name not in reads:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name} (first bound at line {seen[name]})")
                seen.setdefault(name, node.lineno)
    return found


def test_no_module_level_name_is_bound_twice():
    files = [p for d in ("core", "actions", "bot", "scripts") for p in sorted((ROOT / d).rglob("*.py"))]
    files = [p for p in files if "node_modules" not in p.parts]
    assert files
    rebound = [line for p in files for line in _rebound(p)]
    assert rebound == []


def test_no_source_file_holds_a_stray_control_character():
    # A backspace (U+0008) stood where "\b" was meant in two patterns, so "what grade do we need" and
    # "8,000 declarations" never matched them; a regex with a control character in it matches nothing
    # a user types.
    files = [p for d in ("core", "actions", "bot", "scripts") for p in sorted((ROOT / d).rglob("*.py"))]
    files = [p for p in files if "node_modules" not in p.parts]
    stray = [
        f"{p.relative_to(ROOT)}:{n} U+{ord(ch):04X}"
        for p in files
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        for ch in line
        if ord(ch) < 32 and ch != "\t"
    ]
    assert stray == []
