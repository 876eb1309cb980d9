#!/usr/bin/env python3
"""Translates the corpus's valid files of the mapped documents and versions into events (issue 4).

Usage: corpus_events.py EDIGATE CORPUS OUT.jsonl

Picks from CORPUS/MANIFEST.tsv the files called valid whose document types include one edigate maps (856, 214,
210, 810, DESADV, IFTSTA, INVOIC) in a mapped version (X12 004010/005010 by GS08, EDIFACT D96A/D01B), runs
`edigate translate` on each and appends the events to OUT.jsonl (checked against Maps/Schemas by the caller).
Transactions of other types in mixed files are skipped ("no map"). A translation error fails the run unless the
file is listed in corpus-events-expectations.tsv with the reason the source's sample cannot make that event.
"""
import csv
import os
import subprocess
import sys

MAPPED = {"856", "214", "210", "810", "DESADV", "IFTSTA", "INVOIC"}


def mapped_version(version):
    if "GS08=" in version:
        gs08 = version.split("GS08=")[1].split(";")[0]
        return any(v.startswith(("004010", "005010")) for v in gs08.split(","))
    if "msg=" in version:
        return any(m.split(":")[-1] in ("D96A", "D01B") for m in version.split("msg=")[1].split(","))
    return False


def main():
    edigate, corpus, out = sys.argv[1:4]
    here = os.path.dirname(os.path.abspath(__file__))
    expected = {}
    with open(os.path.join(here, "corpus-events-expectations.tsv")) as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            path, reason = line.rstrip("\n").split("\t", 1)
            expected[path] = reason
    failures = 0
    files = 0
    with open(os.path.join(corpus, "MANIFEST.tsv")) as handle, open(out, "a") as events:
        for row in csv.DictReader(handle, delimiter="\t"):
            types = set(row["doctypes"].split(","))
            if row["valid_or_invalid"] != "valid" or not types & MAPPED or not mapped_version(row["version"]):
                continue
            files += 1
            result = subprocess.run(
                [edigate, "translate", os.path.join(corpus, row["path"])], capture_output=True, text=True
            )
            events.write(result.stdout)
            errors = [line for line in result.stderr.splitlines() if "no map for" not in line and "no grammar" not in line]
            if errors and row["path"] not in expected:
                failures += 1
                print(f"fail   {row['path']}: {errors[0]}")
            elif not errors and row["path"] in expected:
                failures += 1
                print(f"fail   {row['path']}: translates now; remove it from corpus-events-expectations.tsv")
            else:
                print(f"pass   {row['path']}: {len(result.stdout.splitlines())} events")
    print(f"{files} corpus files translated, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
