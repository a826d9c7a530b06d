#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets from the repository's own files.

    python3 fuzz/seed_corpora.py        # from anywhere; writes fuzz/corpus/<target>/seed-*
    python3 fuzz/seed_corpora.py DIR    # writes DIR/<target>/seed-* instead

- rulebook: every rulebooks/**/*.forfait and tests/cases/**/*.forfait;
- declaration_json: every example declaration (rulebooks/**/*.examples/*.json), the
  situations (rulebooks/situations/*.json) and tests/cases/eval/**/*.json;
- declaration_jsonl: the same declarations, one JSON object a line (each file alone, then
  every declaration of a rulebook in one file);
- declaration_csv: tests/cases/eval/**/*.csv, and each rulebook's examples as one CSV
  (a column per field, `,` and `;` separated);
- declaration_structure: the forfait structure examples, as JSON, JSON lines and CSV.

Seeds are named seed-<where they come from>; files the fuzzer added are left alone.
Python's standard library only.
"""

import csv
import io
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = pathlib.Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT / "fuzz" / "corpus"


def name(path):
    return "seed-" + str(path.relative_to(ROOT)).replace("/", "__")


def write(target, file_name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    (folder / file_name).write_bytes(data)


def objects(value):
    return value if isinstance(value, list) else [value]


def as_jsonl(declarations):
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in declarations)


def as_csv(declarations, delimiter):
    fields = ["id"]
    for d in declarations:
        for key in d:
            if key not in fields:
                fields.append(key)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(fields)
    for d in declarations:
        row = []
        for key in fields:
            value = d.get(key, "")
            if value is None:
                value = ""
            elif value is True:
                value = "oui"
            elif value is False:
                value = "non"
            row.append(str(value))
        writer.writerow(row)
    return out.getvalue()


def main():
    for pattern in ("rulebooks/**/*.forfait", "tests/cases/**/*.forfait"):
        for path in sorted(ROOT.glob(pattern)):
            write("rulebook", name(path), path.read_bytes())

    for pattern in ("tests/cases/eval/**/*.json", "rulebooks/situations/*.json"):
        for path in sorted(ROOT.glob(pattern)):
            write("declaration_json", name(path), path.read_bytes())
    for path in sorted(ROOT.glob("tests/cases/eval/**/*.csv")):
        write("declaration_csv", name(path), path.read_bytes())

    for examples in sorted(ROOT.glob("rulebooks/**/*.examples")):
        structure = "forfait-structure" in str(examples)
        json_target = "declaration_structure" if structure else "declaration_json"
        declarations = []
        for path in sorted(examples.glob("*.json")):
            write(json_target, name(path), path.read_bytes())
            try:
                parsed = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                continue  # a broken example is a seed as it is, not converted
            declarations.extend(objects(parsed))
            if not structure:
                write("declaration_jsonl", name(path) + "l", as_jsonl(objects(parsed)))
        base = name(examples)
        jsonl_target = "declaration_structure" if structure else "declaration_jsonl"
        csv_target = "declaration_structure" if structure else "declaration_csv"
        write(jsonl_target, base + ".jsonl", as_jsonl(declarations))
        write(csv_target, base + ".csv", as_csv(declarations, ","))
        write(csv_target, base + ".semicolon.csv", as_csv(declarations, ";"))

    for path in sorted(ROOT.glob("rulebooks/situations/*.json")):
        parsed = json.loads(path.read_text(encoding="utf-8"))
        write("declaration_jsonl", name(path) + "l", as_jsonl(objects(parsed)))
        write("declaration_csv", name(path) + ".csv", as_csv(objects(parsed), ","))


if __name__ == "__main__":
    main()
