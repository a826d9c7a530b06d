"""Rulebooks from Python: checking, one declaration as a dict, and their errors."""

from __future__ import annotations

import json
import pickle
import subprocess
from decimal import Decimal

import pytest

import forfait
from conftest import ROOT

DENTISTS = ROOT / "rulebooks/fami/2024-chirurgiens-dentistes.forfait"
EXAMPLES = sorted((ROOT / "rulebooks/fami/2024-chirurgiens-dentistes.examples").glob("*.json"))


def test_a_rulebook_checks_and_says_what_it_is():
    rulebook = forfait.Rulebook.from_path(DENTISTS)
    assert rulebook.exercice == 2024
    assert rulebook.check() == rulebook.warnings
    assert "actes_fse" in rulebook.inputs
    assert rulebook.content_hash.startswith("sha256:")


def test_errors_of_a_rulebook_carry_their_diagnostics():
    text = DENTISTS.read_text(encoding="utf-8").replace("pays 490 EUR", "pays 490 EUROS", 1)
    with pytest.raises(forfait.RulebookError) as raised:
        forfait.Rulebook.from_text(text, name="cassé.forfait")
    diagnostics = raised.value.diagnostics
    assert diagnostics and all(d["code"].startswith("forfait::") for d in diagnostics)
    first = diagnostics[0]
    assert first["severity"] == "error"
    assert isinstance(first["line"], int) and isinstance(first["column"], int)
    assert "help" in first and first["message"]
    assert str(raised.value).startswith(f"cassé.forfait:{first['line']}:{first['column']}")
    # The same as the command line's JSON diagnostics.
    with pytest.raises(forfait.RulebookError) as french:
        forfait.Rulebook.from_text(text, name="cassé.forfait", language="fr")
    assert french.value.diagnostics[0]["code"] == first["code"]
    assert french.value.diagnostics[0]["message"] != first["message"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_a_dict_gives_the_json_contract_of_the_cli(example, forfait_bin):
    rulebook = forfait.Rulebook.from_path(DENTISTS)
    declaration = json.loads(example.read_text(encoding="utf-8"))
    done = subprocess.run(
        [forfait_bin, "eval", str(DENTISTS), str(example), "--format", "json"],
        capture_output=True,
        text=True,
    )
    expected = json.loads(done.stdout)[0]
    if expected["status"] == "rejected":
        with pytest.raises(forfait.DeclarationError) as raised:
            rulebook.evaluate(declaration)
        assert raised.value.problems == expected["errors"]
        return
    got = rulebook.evaluate(declaration, source=str(example))
    expected["source"]["file"] = str(example)
    got["source"]["file"] = str(example)
    assert got == expected


def test_explain_adds_the_tree_and_its_text():
    rulebook = forfait.Rulebook.from_path(DENTISTS)
    example = ROOT / "rulebooks/fami/2024-chirurgiens-dentistes.examples/coordination-sans-socle.json"
    explained = rulebook.explain(json.loads(example.read_text(encoding="utf-8")))
    assert explained["status"] == "evaluated"
    assert explained["explanation"] and explained["explanation"][0]["text"]
    assert "children" in explained["explanation"][0]
    assert "coordination" in explained["text"]


def test_a_rejected_dict_raises_with_its_problems():
    rulebook = forfait.Rulebook.from_path(DENTISTS)
    example = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    example["actes_fse"] = "beaucoup"
    example["inconnu"] = 1
    with pytest.raises(forfait.DeclarationError) as raised:
        rulebook.evaluate(example)
    codes = {p["code"]: p for p in raised.value.problems}
    assert codes["forfait::decl::wrong_type"]["field"] == "actes_fse"
    assert codes["forfait::decl::wrong_type"]["expected"]
    assert "forfait::decl::unknown_field" in codes
    assert "actes_fse" in str(raised.value)


def test_decimals_and_dates_go_as_the_readers_read_them():
    rulebook = forfait.Rulebook.from_path(DENTISTS)
    example = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    as_text = rulebook.evaluate(example)
    example["actes_fse"] = Decimal(str(example.get("actes_fse", 0)) + ".00")
    assert rulebook.evaluate(example)["total"] == as_text["total"]


def test_a_rulebook_pickles_as_its_text():
    rulebook = forfait.Rulebook.from_path(DENTISTS)
    again = pickle.loads(pickle.dumps(rulebook))
    assert again.content_hash == rulebook.content_hash
