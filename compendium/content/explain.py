"""Pydantic's validation errors, explained in an editor's words with positions."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from compendium.content.load import Located
from compendium.errors import Fault, KeyPath, Problem, Refused, did_you_mean, in_brackets, nearest
from compendium.messages import N_, _

ID_HINT = N_("use lower-case letters, digits and dashes")


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
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int | float):
        return _("a number")
    return _("text")


def _explain(located: Located, model: type[BaseModel], err: Any) -> Problem:
    """Turn one pydantic error into a Problem with a position and a hint."""
    loc = tuple(err["loc"])
    kind = err["type"]
    path = _data_path(located.data, loc)
    if kind == "missing":
        return located.problem(loc, _("required field is missing; add it"), hint=_("add it"))
    if kind == "extra_forbidden":
        key = str(loc[-1])
        owner = _model_at(model, path[:-1])
        fault = _unknown_field(key, list(owner.model_fields) if owner else [])
        return located.problem(path, fault.message, hint=fault.hint, key=True)
    if kind in ("string_type", "str_type") and path in located.raw:
        text, read_as = located.raw[path]
        fault = Fault.then(
            _("expected text, but YAML reads {text} as {read_as}").format(text=text, read_as=read_as),
            _('put it in quotes: "{text}"').format(text=text),
        )
    else:
        fault = _fault(kind, err, path)
    return located.problem(path, fault.message, hint=fault.hint)


def _unknown_field(key: str, fields: list[str]) -> Fault:
    """Explain an unknown key: the field it most likely means, or the fields there are."""
    hint = did_you_mean(key, fields)
    if hint:
        return Fault(_("unknown field '{key}'{hint}").format(key=key, hint=in_brackets(hint)), hint)
    if fields:
        return Fault.then(
            _("unknown field '{key}'").format(key=key), _("expected one of: {fields}").format(fields=", ".join(fields))
        )
    return Fault(_("unknown field '{key}'").format(key=key))


# What a value should have been, for pydantic's "wrong type" errors.
EXPECTED = {
    "model_type": N_("a mapping of fields"),
    "dict_type": N_("a mapping of fields"),
    "model_attributes_type": N_("a mapping of fields"),
    "list_type": N_("a list"),
    "string_type": N_("text"),
    "str_type": N_("text"),
}
# Errors whose wording needs nothing from the value.
PLAIN = {"string_too_short": N_("must not be empty"), "too_short": N_("needs at least one item")}


def _too_long(actual: int, limit: int, path: KeyPath) -> Fault:
    """Explain a list longer than its limit: a longer one would make a PDF too long to lay out."""
    what = str(path[-1]) if path and path[-1] in ("themes", "statements") else _("items")
    if what == "themes" and len(path) > 1:
        fix = _("keep the ones it matters most to")
        return Fault.then(
            _("has {actual:,} themes, more than the {limit} one item may have").format(actual=actual, limit=limit), fix
        )
    fix = _("merge related themes") if what == "themes" else _("split them, or leave some out")
    return Fault.then(
        _("has {actual:,} {what}, more than the {limit:,} allowed (the PDF would take too long to lay out)").format(
            actual=actual, what=what, limit=limit
        ),
        fix,
    )


def _fault(kind: str, err: Any, path: KeyPath) -> Fault:
    """Word any other pydantic error for an editor."""
    value = err.get("input")
    if kind == "value_error":  # a check of our own (e.g. Markdown limits), already worded for editors
        error = err["ctx"]["error"]
        return error.fault if isinstance(error, Refused) else Fault(str(error))
    if kind == "literal_error":
        expected = err["ctx"]["expected"]
        options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",")]
        hint = did_you_mean(str(value), options)
        return Fault(
            _("'{value}' is not allowed; expected {expected}{hint}").format(
                value=value, expected=expected, hint=in_brackets(hint)
            ),
            hint or _("expected {expected}").format(expected=expected),
        )
    if kind == "string_pattern_mismatch":
        return _mismatch(value, path)
    if kind in PLAIN:
        return Fault(_(PLAIN[kind]))
    if kind == "too_long":
        return _too_long(err["ctx"]["actual_length"], err["ctx"]["max_length"], path)
    if kind.startswith("date"):
        return Fault.then(_("'{value}' is not a date").format(value=value), _("expected YYYY-MM-DD, e.g. 2023-03-08"))
    if kind.startswith("bool"):
        return Fault(_("expected true or false, found {value}").format(value=_type_name(value)))
    if kind in EXPECTED:
        return Fault(
            _("expected {expected}, found {found}").format(expected=_(EXPECTED[kind]), found=_type_name(value))
        )
    return Fault(str(err["msg"]))


def _mismatch(value: Any, path: KeyPath) -> Fault:
    """Explain a text that does not have the form its field needs: a web address or an id."""
    if path and path[-1] == "url":
        return Fault.then(
            _("'{value}' is not a web address").format(value=value), _("it must start with http:// or https://")
        )
    if isinstance(value, str) and not value.strip():
        return Fault(_("must not be empty"))
    return Fault.then(_("'{value}' is not a valid id").format(value=value), _(ID_HINT))
