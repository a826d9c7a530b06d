"""What the tests share: the repository, the CLI binary CI built (`FORFAIT_BIN`), and a
deterministic batch of declarations written as CSV, evaluated by the CLI to compare with."""

from __future__ import annotations

import csv
import os
import random
import subprocess
from pathlib import Path

import pytest

import forfait

ROOT = Path(__file__).resolve().parents[2]
RULEBOOKS = sorted((ROOT / "rulebooks").glob("*/*.forfait"))


@pytest.fixture(scope="session")
def forfait_bin() -> str:
    path = os.environ.get("FORFAIT_BIN") or str(ROOT / "target" / "debug" / "forfait")
    if not Path(path).is_file():
        pytest.fail(f"no forfait binary at {path}: build it and set FORFAIT_BIN")
    return path


def cell(rng: random.Random, kind: str, choices: list[str]) -> str:
    """A CSV cell of this type: mostly right, sometimes blank, now and then wrong."""
    roll = rng.random()
    if roll < 0.04:
        return ""
    if roll < 0.05:
        return {"count": "-3", "decimal": "1,5,0", "date": "2024-02-30"}.get(kind, "peut-être")
    if kind == "yes_no":
        return rng.choice(["oui", "non", "true", "false", "1", "0"])
    if kind == "count":
        return str(rng.choice([0, 1, 3, 4, 69, 70, 700, 1000, rng.randrange(0, 2000)]))
    if kind == "decimal":
        return rng.choice(["0", "1.5", "1.99", "2", "2.01", "14.21", "3,25"])
    if kind == "date":
        return rng.choice(["2024-12-31", "31/01/2020", "2019-06-30"])
    if kind == "choice":
        return rng.choice(choices)
    return rng.choice(["texte", "Cabinet « Les Lilas »"])


def write_declarations(rulebook: forfait.Rulebook, path: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    types = rulebook.input_types
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["id"] + [name for name, *_ in types])
        for i in range(rows):
            ident = "" if rng.random() < 0.01 else f"PS-{i}"
            out.writerow([ident] + [cell(rng, kind, choices) for _, kind, choices, _ in types])


def cli_rows(forfait_bin: str, rulebook: Path, declarations: Path) -> list[dict[str, str]]:
    """The CLI's full CSV result rows for a file."""
    done = subprocess.run(
        [forfait_bin, "eval", str(rulebook), str(declarations), "--format", "csv"],
        capture_output=True,
        text=True,
    )
    assert done.returncode in (0, 1), done.stderr
    return list(csv.DictReader(done.stdout.splitlines()))


@pytest.fixture(scope="session")
def batches(tmp_path_factory, forfait_bin):
    """For every shipped rulebook: the rulebook, a CSV of 3 000 declarations, and what the
    CLI makes of it."""
    folder = tmp_path_factory.mktemp("declarations")
    made = {}
    for i, path in enumerate(RULEBOOKS):
        rulebook = forfait.Rulebook.from_path(path)
        declarations = folder / f"{path.stem}.csv"
        write_declarations(rulebook, declarations, 3000, seed=42 + i)
        made[path.stem] = (path, rulebook, declarations, cli_rows(forfait_bin, path, declarations))
    return made
