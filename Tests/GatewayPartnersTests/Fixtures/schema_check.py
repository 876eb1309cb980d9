#!/usr/bin/env python3
"""Checks partner profiles against PartnerProfiles/partner-profile.schema.json with an independent validator.

Usage:
  schema_check.py SCHEMA check FILE...             one JSON line per file: {"file", "valid", "errors"} (the
                                                   first error only)
  schema_check.py SCHEMA mutate SEED PROFILE...    one JSON line per variant of each profile:
                                                   {"name", "yaml", "valid", "errors", "loaderOnly"}

`check` reads YAML or JSON files (a file that is not YAML is invalid). `mutate` makes variants of sound profiles
(each key removed, an unknown key added, each list emptied, each value replaced by probes of every type and of
near-miss formats) and writes each as YAML, so GatewayPartnersTests can load the same text with
PartnerProfileLoader and compare the verdicts: the schema and the loader must accept the same profiles, except
for the few cross-checks a schema cannot express, which `loaderOnly` lists for each variant the schema accepts.

Needs PyYAML and jsonschema (4.18 or later).
"""
import copy
import json
import random
import sys

import yaml
from jsonschema import Draft202012Validator

# Values of every YAML type and near misses of the profile's formats; a fixed pool, sampled with a seed.
PROBES = [
    "", " ", "x y", "ZZ", "Z", "01", "856", "85", "DESADV", "desadv", "D96A", "D96", "004010", "00401", "0040",
    "*", "~~", "A", "+", "off", "strict", "lenient", "sync", "async", "24h", "0m", "5x", "50MiB", "5MB", "env:X_1",
    "env:1X", "file:/a", "file:", "hunter2", "/in", "in", "a.pem", "a.key", "a.map", "a.grammar", "https://a.example/x",
    "ftp://a", "S-O-P-I", "SOPI", "REF02", "REF02 where REF01 CN", "ref02", "shipment.proNumber", "Shipment.x", "UNOC",
    "UNO", "3", "5", "X12", "EDIFACT", "TA1", "997", "999", "CONTRL", "on-request", "never", "lf", "crlf", "none",
    "utf-8", "latin1", "sha256", "md5", "aes256-gcm", "3des", "production", "test", "acme-1", "acme--1",
    "SHA256:" + "A" * 43, "SHA256:" + "A" * 42, "host.example", "-host", "invalidCodeValue", "invalidCode", 22, 0, 1,
    -1, 14, 15, 9999, 10000, 65535, 65536, 70000, 99999999999999, 100000000000000, 2.5, 22.0, True, False, None,
    [], {}, ["x"], {"a": 1},
]
ALWAYS = [None, True, 7, [], {}]
# libyaml's emitter when PyYAML has it: the pure Python one takes most of the run.
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def verdict(validator, document):
    """The first error only: the verdict is what is compared, and finding every error takes most of the time."""
    error = next(validator.iter_errors(document), None)
    return [] if error is None else [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"[:200]]


def loader_only(document):
    """What the loader refuses in a profile the schema accepts: a delimiter another delimiter uses, a control number
    start wider than its width, an expected acknowledgment for a document not sent or of the other standard."""
    problems = []
    delimiters = document.get("outboundSyntax", {}).get("delimiters", {})
    values = [delimiters[key] for key in ["element", "component", "repetition", "segmentTerminator", "release"]
              if key in delimiters]
    if len(set(values)) != len(values):
        problems.append("a delimiter used twice")
    for level in document.get("controlNumbers", {}).values():
        if level["start"] > 10 ** level["width"] - 1:
            problems.append("a start wider than its width")
    standards = {entry["type"]: entry["standard"] for entry in document["documents"].get("outbound", [])}
    for expected in document.get("acknowledgments", {}).get("expect", []):
        standard = standards.get(expected["document"])
        if standard is None or (standard == "EDIFACT") != (expected["acknowledgment"] == "CONTRL"):
            problems.append("an acknowledgment for a document not sent, or of the other standard")
    return problems


def paths(node, prefix=()):
    """Every path to a value, parents first."""
    yield prefix, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, prefix + (index,))


def replaced(document, path, value):
    copy_ = copy.deepcopy(document)
    if not path:
        return value
    parent = copy_
    for step in path[:-1]:
        parent = parent[step]
    if value is REMOVE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return copy_


REMOVE = object()


def variants(document, rng):
    for path, node in paths(document):
        name = "/".join(map(str, path)) or "(root)"
        if isinstance(node, dict):
            for key in node:
                yield f"{name}: without {key}", replaced(document, path + (key,), REMOVE)
            extended = dict(node)
            extended["zzUnknown"] = "x"
            yield f"{name}: unknown key", replaced(document, path, extended)
            if "privateKey" in node and "host" in node:
                yield f"{name}: password too", replaced(document, path, {**node, "password": "env:P"})
            if "password" in node:
                yield f"{name}: private key too", replaced(document, path, {**node, "privateKey": "file:/k"})
            # What only the loader can refuse: the schema accepts these, the loader must not.
            if "element" in node and "component" in node:
                yield f"{name}: component as element", replaced(document, path, {**node, "component": node["element"]})
            if "start" in node and "width" in node:
                yield f"{name}: start too wide", replaced(document, path, {**node, "start": 10 ** node["width"]})
            if "document" in node and "within" in node:
                yield f"{name}: document not sent", replaced(document, path, {**node, "document": "850"})
            if node.get("mdn") == "sync":
                yield f"{name}: async MDN URL", replaced(document, path, {**node, "asyncMDNURL": "https://a.example"})
        elif isinstance(node, list):
            yield f"{name}: empty", replaced(document, path, [])
        else:
            for probe in unique(ALWAYS + near_misses(node) + rng.sample(PROBES, 4)):
                if probe != node or type(probe) is not type(node):
                    yield f"{name} = {probe!r}", replaced(document, path, probe)


def near_misses(value):
    """Values next to a sound one, where a format or range ends: one character less or more, another case, a
    space, a neighbouring number, the same number as text or as a float."""
    if isinstance(value, bool):
        return [not value, str(value).lower(), int(value)]
    if isinstance(value, int):
        return [value - 1, value + 1, value * 10, value * 1000000, 0, -1, 15, 65536, 100000000000000, float(value),
                value + 0.5, str(value)]
    if isinstance(value, str):
        misses = [value[:-1], value + value[-1:], value + "x", value.lower(), value.upper(), " " + value,
                  value + " ", "0" + value, "-" + value[1:], value * 2]
        if len(value) == 1:
            misses += ["A", "z", "5", " ", "\t", "é"]
        return misses + ([int(value)] if value.isdigit() else [])
    return []


def unique(values):
    seen = []
    for value in values:
        if not any(value == other and type(value) is type(other) for other in seen):
            seen.append(value)
    return seen


def main(arguments):
    if len(arguments) < 3:
        sys.stderr.write(__doc__)
        return 2
    with open(arguments[0], encoding="utf-8") as handle:
        schema = json.load(handle)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    if arguments[1] == "check":
        for path in arguments[2:]:
            try:
                errors = verdict(validator, load(path))
            except yaml.YAMLError as error:
                errors = [f"not YAML: {str(error).splitlines()[0]}"]
            print(json.dumps({"file": path, "valid": not errors, "errors": errors}))
        return 0
    if arguments[1] == "mutate":
        rng = random.Random(int(arguments[2]))
        for path in arguments[3:]:
            for name, variant in variants(load(path), rng):
                text = yaml.dump(variant, Dumper=DUMPER, sort_keys=False, width=1000, allow_unicode=False)
                errors = verdict(validator, variant)
                only = [] if errors else loader_only(variant)
                print(json.dumps({"name": f"{path}: {name}", "yaml": text, "valid": not errors, "errors": errors,
                                  "loaderOnly": only}))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
