"""Validate loaded YAML against the declarative schemas, with messages an editor can act on."""

from __future__ import annotations

import difflib
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from briefings.load.yaml_source import Document
from briefings.load.yaml_source import where as _where
from briefings.problems import Problems
from briefings.schema import DATE_PATTERN, EMAIL, ID_PATTERN, json_schema

_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}

_validators: dict[str, Draft202012Validator] = {}


def _validator(name: str) -> Draft202012Validator:
    if name not in _validators:
        _validators[name] = Draft202012Validator(json_schema(name))
    return _validators[name]


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (int, float)):
        return "a number"
    return "empty" if value is None else type(value).__name__


def validate(doc: Document, schema_name: str, problems: Problems) -> bool:
    """Validate a document; record every problem; return True when it is valid."""
    errors = sorted(_validator(schema_name).iter_errors(doc.data), key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    before = len(problems.items)
    for error in errors:
        _report(doc, error, problems)
    return len(problems.items) == before


def _report(doc: Document, error: ValidationError, problems: Problems) -> None:
    path = tuple(error.absolute_path)
    where = _where(path)
    prefix = f"{where}: " if where else ""
    kind = error.validator
    if kind == "anyOf":
        # A text item may be a string or a {text, facts} mapping: report against the form the editor chose.
        chosen = [e for e in error.context or [] if e.validator != "type"]
        if chosen:
            for sub in chosen:
                _report(doc, sub, problems)
            return
        problems.add(doc.path, *doc.at(path), f"{prefix}expected text or a mapping with 'text', found {_kind(error.instance)}")
        return
    if kind == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        for key in missing:
            problems.add(doc.path, *doc.at(path), f"{prefix}missing required key '{key}'")
        return
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        for key in error.instance:
            if key in allowed:
                continue
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "allowed keys: " + ", ".join(allowed)
            problems.add(doc.path, *doc.key_at(path + (key,)), f"{prefix}unknown key '{key}'", hint)
        return
    at = doc.at(path)
    if kind == "type":
        expected = _TYPE_NAMES.get(str(error.validator_value), str(error.validator_value))
        found = _kind(error.instance)
        if not path:
            problems.add(doc.path, *at, f"expected {expected} at the top of the file, found {found}")
        else:
            hint = "put it in quotes" if expected == "text" and found in ("a number", "true or false") else ""
            problems.add(doc.path, *at, f"{prefix}expected {expected}, found {found}", hint)
    elif kind == "pattern":
        if error.validator_value == ID_PATTERN:
            hint = "use lowercase letters, digits and single hyphens, e.g. 'linden-investigations'"
        elif error.validator_value == DATE_PATTERN:
            hint = "write dates as YYYY-MM-DD"
        elif error.validator_value == EMAIL:
            hint = "write the address alone, as name@example.org: no spaces, and none of < > \" ( ) [ ] , ; :"
        else:
            hint = error.schema.get("description", "")
        problems.add(doc.path, *at, f"{prefix}'{error.instance}' is not in the expected form", hint)
    elif kind in ("enum", "const"):
        options = error.validator_value if kind == "enum" else [error.validator_value]
        shown = ", ".join("true" if o is True else str(o) for o in options)
        problems.add(doc.path, *at, f"{prefix}'{error.instance}' is not allowed", f"expected one of: {shown}")
    elif kind == "minLength":
        problems.add(doc.path, *at, f"{prefix}must not be empty")
    elif kind == "maxLength":
        problems.add(doc.path, *at, f"{prefix}is too long ({len(error.instance)} characters; the limit is {error.validator_value})")
    elif kind == "minItems":
        problems.add(doc.path, *at, f"{prefix}needs at least {error.validator_value} item(s)")
    elif kind == "uniqueItems":
        problems.add(doc.path, *at, f"{prefix}has the same item more than once")
    else:
        problems.add(doc.path, *at, f"{prefix}{error.message}")
