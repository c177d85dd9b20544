#!/usr/bin/python3
"""Validates JSON documents against the schemas in $SHARED/schemas (with
python3-jsonschema; CycloneDX's schema refers to its spdx and jsf schemas,
resolved locally).  Usage: validate-json.py SCHEMA FILE...  Exits 1 and
names the first error of each invalid file."""
import json
import os
import sys

import jsonschema

schemas = os.path.join(os.environ.get("SHARED", "/work/shared"), "schemas")
store = {}
for name in os.listdir(schemas):
    if name.endswith(".json"):
        with open(os.path.join(schemas, name), encoding="utf-8") as f:
            doc = json.load(f)
        if isinstance(doc, dict) and "$id" in doc:
            store[doc["$id"]] = doc
with open(os.path.join(schemas, sys.argv[1]), encoding="utf-8") as f:
    schema = json.load(f)
cls = jsonschema.validators.validator_for(schema)
resolver = jsonschema.RefResolver.from_schema(schema, store=store)
validator = cls(schema, resolver=resolver, format_checker=jsonschema.FormatChecker())
bad = 0
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    docs = doc if sys.argv[1] == "osv-schema.json" and isinstance(doc, list) else [doc]
    for d in docs:
        err = next(iter(sorted(validator.iter_errors(d), key=lambda e: list(e.path))), None)
        if err:
            bad += 1
            print(f"{path}: invalid at {'/'.join(str(p) for p in err.path)}: {err.message[:300]}")
            break
sys.exit(1 if bad else 0)
