"""Pydantic's validation errors, explained in an editor's words with positions."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from compendium.content.load import Located
from compendium.errors import KeyPath, Problem, nearest, suggest

NOT_AN_ID = "is not a valid id; use lower-case letters, digits and dashes"


def explain_all(located: Located, model: type[BaseModel], exc: ValidationError) -> list[Problem]:
    """Explain every error of one file, dropping a 'missing' that a typo explains."""
    errors = exc.errors()
    # A misspelt key ('titel') shows up twice: unknown 'titel', missing 'title'.
    # The unknown one, with its suggestion, says all there is to say.
    explained = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            owner = _model_at(model, _data_path(located.data, tuple(err["loc"][:-1])))
            fields = list(owner.model_fields) if owner else []
            match = nearest(str(err["loc"][-1]), fields)
            if match:
                explained.add((*err["loc"][:-1], match))
    return [
        _explain(located, model, err)
        for err in errors
        if not (err["type"] == "missing" and tuple(err["loc"]) in explained)
    ]


def _data_path(data: Any, loc: tuple[Any, ...]) -> KeyPath:
    """Keep the part of a pydantic location that exists in the data."""
    path: list[str | int] = []
    for part in loc:
        in_mapping = isinstance(data, dict) and isinstance(part, str) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_mapping or in_list):
            break
        data = data[part]
        path.append(part)
    return tuple(path)


def _model_at(model: type[BaseModel], path: KeyPath) -> type[BaseModel] | None:
    """Find the model class that describes the mapping at a key path."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _unwrap(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional and list[...] from an annotation to find a model."""
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _unwrap(arg)
            if isinstance(found, type) and issubclass(found, BaseModel):
                return found
    return annotation


def _type_name(value: Any) -> str:
    """Describe a YAML value's type for a message."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return "text"


def _explain(located: Located, model: type[BaseModel], err: Any) -> Problem:
    """Turn one pydantic error into a Problem with a position and a hint."""
    loc = tuple(err["loc"])
    kind = err["type"]
    path = _data_path(located.data, loc)
    value = err.get("input")
    if kind == "missing":
        return located.problem(loc, "required field is missing; add it")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        owner = _model_at(model, path[:-1])
        fields = list(owner.model_fields) if owner else []
        expected = f"; expected one of: {', '.join(fields)}" if fields else ""
        return located.problem(path, f"unknown field '{key}'{suggest(key, fields) or expected}", key=True)
    if kind in ("string_type", "str_type") and path in located.raw:
        text, read_as = located.raw[path]
        return located.problem(path, f'expected text, but YAML reads {text} as {read_as}; put it in quotes: "{text}"')
    if kind == "value_error":  # a check of our own (e.g. Markdown limits), already worded for editors
        return located.problem(path, str(err["ctx"]["error"]))
    if kind == "literal_error":
        expected = err["ctx"]["expected"]
        options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",")]
        return located.problem(path, f"'{value}' is not allowed; expected {expected}{suggest(str(value), options)}")
    if kind == "string_pattern_mismatch" and path and path[-1] == "url":
        return located.problem(path, f"'{value}' is not a web address; it must start with http:// or https://")
    if kind == "string_pattern_mismatch" and isinstance(value, str) and not value.strip():
        return located.problem(path, "must not be empty")
    if kind == "string_pattern_mismatch":
        return located.problem(path, f"'{value}' {NOT_AN_ID}")
    if kind == "string_too_short":
        return located.problem(path, "must not be empty")
    if kind == "too_short":
        return located.problem(path, "needs at least one item")
    if kind.startswith("date"):
        return located.problem(path, f"'{value}' is not a date; expected YYYY-MM-DD, e.g. 2023-03-08")
    if kind.startswith("bool"):
        return located.problem(path, f"expected true or false, found {_type_name(value)}")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return located.problem(path, f"expected a mapping of fields, found {_type_name(value)}")
    if kind == "list_type":
        return located.problem(path, f"expected a list, found {_type_name(value)}")
    if kind in ("string_type", "str_type"):
        return located.problem(path, f"expected text, found {_type_name(value)}")
    return located.problem(path, str(err["msg"]))
