#!/usr/bin/env python3
"""Runs `edigate parse --json` and `edigate validate` over a folder of EDI files described by a MANIFEST.tsv and
prints a table.

Each manifest row names a file and whether its source calls it valid or invalid. A valid file passes when edigate
reports no error-level syntax or envelope finding; an invalid one passes when edigate reports at least one located
finding or error. `corpus-expectations.tsv` beside this script overrides the manifest for files whose source sample
breaks the standard in a way the source did not check (or is invalid only for reasons later validation reports),
each with its reason. Any crash (signal), hang (timeout) or usage/I/O exit (1) fails.

The validation column: every transaction with a grammar under Maps/Grammars is validated. A file its source calls
valid must validate without a finding, unless `corpus-validation-expectations.tsv` says (with the reason) how the
source's sample breaks the standard; then the findings must occur. A file invalid for a reason beyond syntax
(`clean-syntax`) must get validation findings when a grammar covers it. Transactions without a grammar are counted,
not judged.

Usage: corpus_check.py EDIGATE CORPUS_DIR
Ends with the line `N passed, N failed`; exits 1 when anything failed.
"""
import csv
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load_expectations():
    path = os.path.join(HERE, "corpus-expectations.tsv")
    expectations = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0].startswith("#"):
                continue
            expectations[row[0]] = (row[1], row[2] if len(row) > 2 else "", row[3] if len(row) > 3 else "")
    return expectations


def load_validation_expectations():
    path = os.path.join(HERE, "corpus-validation-expectations.tsv")
    expectations = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if row and not row[0].startswith("#"):
                expectations[row[0]] = row[1] if len(row) > 1 else ""
    return expectations


def validate(edigate, path, reader_errors):
    """(validated transactions, validation findings, status) from `edigate validate`."""
    grammars = os.path.join(HERE, "..", "Maps", "Grammars")
    try:
        result = subprocess.run([edigate, "validate", "--grammars", grammars, path], capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return 0, 0, "hang"
    if result.returncode < 0 or result.returncode not in (0, 2):
        return 0, 0, "exit %d" % result.returncode
    lines = result.stdout.decode("utf-8", errors="replace").splitlines()
    errors = [line for line in lines if ": error: " in line and "with a known grammar" not in line]
    validated = 0
    for line in lines:
        marker = " validated"
        if line.startswith(path + ": ") and marker in line:
            validated = int(line.split(marker)[0].rsplit(", ", 1)[-1])
    return validated, max(0, len(errors) - reader_errors), "ok"


def run(edigate, path):
    try:
        result = subprocess.run([edigate, "parse", "--json", path], capture_output=True, timeout=20)
    except subprocess.TimeoutExpired:
        return "hang", None
    if result.returncode < 0:
        return "signal %d" % -result.returncode, None
    if result.returncode not in (0, 2):
        return "exit %d" % result.returncode, None
    try:
        document = json.loads(result.stdout.decode("utf-8").splitlines()[0])
    except (ValueError, IndexError):
        return "bad json", None
    return "exit %d" % result.returncode, document


def findings(document):
    found = list(document.get("findings", []))
    for interchange in document.get("interchanges", []):
        found.extend(interchange.get("findings", []))
    errors = [f for f in found if f["severity"] == "error"]
    if document.get("error"):
        errors.append(document["error"])
    return errors, [f for f in found if f["severity"] == "warning"]


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 1
    edigate, corpus = sys.argv[1], sys.argv[2]
    expectations = load_expectations()
    validation_expectations = load_validation_expectations()
    with open(os.path.join(corpus, "MANIFEST.tsv"), newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    passed = failed = 0
    print("%-6s %-8s %-9s %-13s %-24s %s" % ("result", "source", "edigate", "validation", "first finding", "file"))
    for row in rows:
        path = os.path.join(corpus, row["path"])
        label = row["valid_or_invalid"]
        status, document = run(edigate, path)
        expected, code, reason = expectations.get(row["path"], (label, "", ""))
        if document is None:
            ok, summary, first = False, status, ""
        else:
            errors, warnings = findings(document)
            located = all("location" in e and e["location"].get("byteOffset") is not None for e in errors)
            first = errors[0]["code"] if errors else ("%d warnings" % len(warnings) if warnings else "")
            if expected == "valid":
                ok = not errors
            elif expected == "finding":
                ok = bool(errors) and located and (not code or any(e["code"] == code for e in errors))
            elif expected == "invalid":
                ok = bool(errors) and located
            elif expected == "clean-syntax":
                # Invalid for a reason beyond syntax and envelopes (code values, syntax notes): reading is clean.
                ok = not errors
            else:
                ok = False
            summary = "%d errors" % len(errors)
        note = " (%s: %s)" % (expected, reason) if row["path"] in expectations else ""
        validation = ""
        if document is not None:
            validated, validation_findings, validation_status = validate(edigate, path, len(findings(document)[0]))
            if validation_status != "ok":
                ok, validation = False, validation_status
            elif validated == 0:
                validation = "n/a"
            elif row["path"] in validation_expectations:
                validation = "%d findings" % validation_findings
                ok = ok and validation_findings > 0
                note += " (validation: %s)" % validation_expectations[row["path"]]
            else:
                validation = "%d clean" % validated if validation_findings == 0 else "%d findings" % validation_findings
                if label == "valid" and validation_findings > 0:
                    ok = False
                if expected == "clean-syntax" and validation_findings == 0:
                    # Invalid for a validation reason, and a grammar covers it: validation must find it.
                    ok = False
        print(
            "%-6s %-8s %-9s %-13s %-24s %s%s"
            % ("pass" if ok else "FAIL", label, summary, validation, first[:24], row["path"], note)
        )
        if ok:
            passed += 1
        else:
            failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
