#!/usr/bin/python3
"""Validates relaymon's JSON output against its published schemas.

    validate_json.py SCHEMA_DIR snapshot FILE   one --snapshot --json document
    validate_json.py SCHEMA_DIR watch FILE      --watch --json lines, one per line
    validate_json.py SCHEMA_DIR check           every schema against the draft 2020-12 metaschema

Uses Debian's python3-jsonschema (run it with /usr/bin/python3: a test
dependency only, installed by scripts/install-deps). Every schema file in
SCHEMA_DIR is registered under its $id (urn:relaymon:schema:...), so the
watch schema's references to the per-line schemas resolve offline. Exit 0
when everything is valid; 1 with one line per error (line number, path,
message); 2 on bad usage or unreadable input.
"""
import glob
import json
import os
import sys
import warnings

import jsonschema

# jsonschema >= 4.18 deprecates RefResolver in favour of `referencing`;
# Debian 12 ships 4.10, where RefResolver is the way.
warnings.filterwarnings("ignore", category=DeprecationWarning)


def load_schemas(directory):
    store = {}
    for path in sorted(glob.glob(os.path.join(directory, "relaymon-*.schema.json"))):
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        store[schema["$id"]] = schema
    if not store:
        sys.exit(f"validate_json.py: no relaymon-*.schema.json in {directory}")
    return store


def validator(store, schema_id):
    schema = store[schema_id]
    resolver = jsonschema.RefResolver(base_uri=schema_id, referrer=schema, store=store)
    return jsonschema.Draft202012Validator(schema, resolver=resolver)


def report(where, errors):
    failed = False
    for error in sorted(errors, key=lambda e: list(e.absolute_path)):
        path = "/".join(str(p) for p in error.absolute_path) or "(root)"
        print(f"{where}: {path}: {error.message}")
        failed = True
    return failed


def main(argv):
    if len(argv) < 3 or argv[2] not in ("snapshot", "watch", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    store = load_schemas(argv[1])
    kind = argv[2]
    if kind == "check":
        failed = False
        for schema_id, schema in store.items():
            failed |= report(schema_id, jsonschema.Draft202012Validator(
                jsonschema.Draft202012Validator.META_SCHEMA).iter_errors(schema))
        print(f"{len(store)} schemas checked")
        return 1 if failed else 0
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[3], encoding="utf-8") as f:
        text = f.read()
    failed = False
    if kind == "snapshot":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as e:
            print(f"document: not JSON: {e}")
            return 1
        failed = report("document", validator(store, "urn:relaymon:schema:snapshot").iter_errors(document))
    else:
        check = validator(store, "urn:relaymon:schema:watch")
        lines = 0
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            lines += 1
            try:
                document = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"line {number}: not JSON: {e}")
                failed = True
                continue
            failed |= report(f"line {number}", check.iter_errors(document))
        if lines == 0:
            print("no lines to validate")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
