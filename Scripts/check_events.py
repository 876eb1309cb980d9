#!/usr/bin/env python3
"""Validates canonical events against edigate's JSON Schemas (Maps/Schemas).

Usage: check_events.py SCHEMA_DIR FILE...

Each FILE holds events as JSON Lines, one event object per line, the way `edigate translate` prints them; blank
lines are skipped. A file whose whole content is one JSON object (a pretty-printed event such as those in
Maps/Schemas/examples/) is read as a single event, at the line where it starts. `-` reads standard input.

Every event names its schema in its `schema` field: `edigate.ShipNotice.v1` is checked against
SCHEMA_DIR/ShipNotice.v1.schema.json. All `*.json` files directly in SCHEMA_DIR are loaded into one offline
registry under their `$id`, so the event schemas' relative references (`common.v1.schema.json#/$defs/Party`)
resolve without the network.

Prints `FILE:LINE: message` for each problem, then `N events valid, M invalid`, where a line that is not JSON,
is not an object, or names no known schema counts as invalid. Exit status: 0 when every event is valid, 1 when
any is not, 2 when the arguments or the schema folder cannot be used.

Needs the `jsonschema` package (4.18 or later, which brings `referencing`).
"""
import json
import os
import sys

try:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError as error:  # pragma: no cover - depends on the environment
    sys.stderr.write(f"check_events.py: needs the jsonschema package (4.18 or later): {error}\n")
    sys.exit(2)

SCHEMA_PREFIX = "edigate."
SCHEMA_SUFFIX = ".schema.json"


class UsageError(Exception):
    """The arguments or the schema folder cannot be used."""


def load_schemas(folder):
    """The validators by schema name (`edigate.ShipNotice.v1`), over a registry of every schema in `folder`."""
    if not os.path.isdir(folder):
        raise UsageError(f"{folder}: not a folder")
    documents = {}
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if not name.endswith(".json") or not os.path.isfile(path):
            continue
        try:
            with open(path, encoding="utf-8") as handle:
                document = json.load(handle)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise UsageError(f"{path}: cannot read the schema: {error}") from error
        if not isinstance(document, dict) or "$id" not in document:
            raise UsageError(f"{path}: a schema file needs an object with an $id")
        try:
            Draft202012Validator.check_schema(document)
        except SchemaError as error:
            raise UsageError(f"{path}: not a valid draft 2020-12 schema: {error.message}") from error
        documents[name] = document
    if not documents:
        raise UsageError(f"{folder}: no schema files (*.json)")

    registry = Registry().with_resources(
        (document["$id"], Resource.from_contents(document, default_specification=DRAFT202012))
        for document in documents.values()
    )
    validators = {}
    for name, document in documents.items():
        if name.endswith(SCHEMA_SUFFIX) and not name.startswith("common."):
            schema_name = SCHEMA_PREFIX + name[: -len(SCHEMA_SUFFIX)]
            validators[schema_name] = Draft202012Validator(document, registry=registry)
    return validators


def reject_constant(name):
    """JSON has no NaN or Infinity; Python's json module would read them."""
    raise ValueError(f"{name} is not JSON")


def parse(text):
    return json.loads(text, parse_constant=reject_constant)


def events_of(path):
    """(line number, the parsed event or None, a problem or None) for each event in the file."""
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as handle:
            data = handle.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]

    # A file that is one JSON object as a whole (pretty-printed or on one line) is one event.
    try:
        text = data.decode("utf-8")
        whole = parse(text) if text.strip() else None
    except ValueError:  # includes UnicodeDecodeError and JSONDecodeError
        whole = None
    if isinstance(whole, dict):
        yield text[: len(text) - len(text.lstrip())].count("\n") + 1, whole, None
        return

    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield number, None, f"not UTF-8 (byte {error.start + 1} of the line)"
            continue
        try:
            yield number, parse(line), None
        except ValueError as error:
            yield number, None, f"not JSON: {error}"


def problems(event, validators):
    """The messages for one parsed event, empty when it is valid."""
    if not isinstance(event, dict):
        return [f"expected an event object, found {type(event).__name__}"]
    name = event.get("schema")
    if not isinstance(name, str):
        return ["no schema name: the event has no string `schema` field"]
    validator = validators.get(name)
    if validator is None:
        known = ", ".join(sorted(validators))
        return [f"unknown schema {name!r} (known: {known})"]
    messages = []
    errors = sorted(
        validator.iter_errors(event), key=lambda error: ([str(part) for part in error.absolute_path], error.message)
    )
    for error in errors:
        message = error.message
        if error.validator == "pattern" and isinstance(error.schema, dict) and "title" in error.schema:
            # The pattern itself is long; the definition's title says what was expected.
            message = f"{error.instance!r} is not a valid {error.schema['title']}"
        messages.append(f"{error.json_path}: {message}")
    return messages


def main(arguments):
    if len(arguments) < 2:
        sys.stderr.write("usage: check_events.py SCHEMA_DIR FILE...\n")
        return 2
    try:
        validators = load_schemas(arguments[0])
    except UsageError as error:
        sys.stderr.write(f"check_events.py: {error}\n")
        return 2

    valid = invalid = 0
    for path in arguments[1:]:
        label = "<stdin>" if path == "-" else path
        try:
            for number, event, problem in events_of(path):
                messages = [problem] if problem else problems(event, validators)
                if messages:
                    invalid += 1
                    for message in messages:
                        print(f"{label}:{number}: {message}")
                else:
                    valid += 1
        except OSError as error:
            invalid += 1
            print(f"{label}:0: cannot read: {error.strerror or error}")
    print(f"{valid} events valid, {invalid} invalid")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
