"""docs/CONTRIBUTING.md's "Where each rule lives" stays true: every file it names exists and
every function or class it names is defined in one of that row's files."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _rows() -> list[str]:
    text = (ROOT / "docs" / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Where each rule lives", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| ") and "`" in line]


def test_every_file_and_name_in_the_feature_map_exists() -> None:
    rows = _rows()
    assert len(rows) > 10
    missing = []
    for row in rows:
        where = row.rsplit("|", 2)[1]
        tokens = re.findall(r"`([^`]+)`", where)
        files = [ROOT / tok for tok in tokens if re.fullmatch(r"[\w/]+\.(py|json)", tok)]
        missing += [str(f.relative_to(ROOT)) for f in files if not f.exists()]
        sources = "\n".join(f.read_text(encoding="utf-8") for f in files if f.exists())
        for token in tokens:
            if not re.fullmatch(r"[A-Za-z_][\w.]*", token) or token.endswith((".py", ".json")):
                continue
            for name in token.split("."):
                if not re.search(rf"(def|class) {name}\b|^{name}\b.*=", sources, re.MULTILINE):
                    missing.append(f"{name} ({row[:40]}…)")
    assert missing == []
