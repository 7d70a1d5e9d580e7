"""The repository stands on its own: nothing cites a specification document that is not
part of it; README and docs describe the behaviour in their own words."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".venv", ".git", "build", "dist", "node_modules"}
CITATION = re.compile(r"\b" + "SP" + r"EC\b")  # spelt apart so this file does not match


def test_no_file_cites_the_product_specification() -> None:
    found = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if path.is_dir() or SKIP & set(relative.parts) or relative.parts[0].endswith("egg-info"):
            continue
        if path.suffix not in (".py", ".md", ".toml", ".txt", ".cfg", ".example", ".json"):
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if CITATION.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
