"""The request form, derived from the request model: one input per field, labelled with the
article it rests on (the model's own description, e.g. "Summary of the relevant facts
(Art 40(15)(c))"), and marked when the kind's required contents ask for it.

Simple fields become inputs, nested objects fieldsets, lists of words one-per-line text areas,
lists of objects JSON text areas (shown pre-filled from the kind's template). Parsing only turns
the form back into JSON; the request model and `missing_contents` judge it.
"""

from __future__ import annotations

import datetime as dt
import json
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from treatydesk.cooperation.contents import requirements
from treatydesk.cooperation.kinds import RequestKind
from treatydesk.cooperation.request import KIND_FIELDS, CooperationRequest, decode_json
from treatydesk.errors import ErrorItem, TreatyDeskError

#: fields the form sets itself (hidden or chosen before)
FIXED = frozenset({"kind"})


@dataclass
class FormField:
    name: str  # the form name, e.g. "proceeding.stage"
    label: str
    widget: str  # text, textarea, date, number, checkbox, select, lines, json
    options: list[str] = field(default_factory=list)
    required_by: str = ""  # the article that asks for it for this kind
    where_possible: bool = False  # that article asks for it only where possible (40(15)(e))
    value: str = ""
    checked: bool = False
    children: list[FormField] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return "f-" + self.name.replace(".", "-").replace("_", "-")


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return _unwrap([a for a in typing.get_args(annotation) if a is not type(None)][0])
    if origin is list:
        return _unwrap(typing.get_args(annotation)[0])[0], True
    return annotation, False


def _is_model(inner: Any) -> bool:
    return isinstance(inner, type) and issubclass(inner, BaseModel)


def _widget(inner: Any, info: FieldInfo, is_list: bool) -> tuple[str, list[str]]:
    if is_list:
        return ("json", []) if _is_model(inner) else ("lines", [])
    if isinstance(inner, type) and issubclass(inner, Enum):
        return "select", [str(member.value) for member in inner]
    if inner is bool:
        return "checkbox", []
    if inner is dt.date:
        return "date", []
    if inner in (int, float):
        return "number", []
    long = any(getattr(m, "max_length", 0) and m.max_length > 300 for m in info.metadata)
    return ("textarea" if long else "text"), []


def _text(value: Any, widget: str) -> str:
    if value is None:
        return ""
    if widget == "json":
        return json.dumps(value, indent=2, ensure_ascii=False) if value else ""
    if widget == "lines":
        return "\n".join(str(v) for v in value)
    return str(value)


def _build(model: type[BaseModel], prefix: str, values: Mapping[str, Any],
           required: Mapping[str, tuple[str, bool]],
           kind: RequestKind | None = None) -> list[FormField]:
    """`kind`: leave out the fields other kinds use (KIND_FIELDS) unless they hold a value."""
    fields: list[FormField] = []
    for name, info in model.model_fields.items():
        if not prefix and name in FIXED:
            continue
        if (kind is not None and name in KIND_FIELDS and kind not in KIND_FIELDS[name]
                and not values.get(name)):
            continue
        path = f"{prefix}{name}"
        inner, is_list = _unwrap(info.annotation)
        value = values.get(name)
        label = info.description or name
        article, where_possible = required.get(path, ("", False))
        if _is_model(inner) and not is_list:
            children = _build(inner, f"{path}.", value if isinstance(value, Mapping) else {},
                              required)
            fields.append(FormField(path, label, "group", required_by=article,
                                    where_possible=where_possible, children=children))
            continue
        widget, options = _widget(inner, info, is_list)
        fields.append(FormField(
            path, label + (" (one per line)" if widget == "lines" else "")
            + (" (JSON list)" if widget == "json" else ""), widget, options,
            required_by=article, where_possible=where_possible, value=_text(value, widget),
            checked=bool(value) if widget == "checkbox" else False))
    return fields


def required_paths(kind: RequestKind) -> dict[str, tuple[str, bool]]:
    """Form name -> (article, asked only where possible), for every top-level field or object
    the kind's contents name; a field some content requires outright is marked required."""
    found: dict[str, tuple[str, bool]] = {}
    for item in requirements(kind):
        if item.only_when:
            continue  # asked of some requests only (an oral one): no mark on every form
        path = item.field_path.replace("[]", "")
        for key in (path.split(".")[0], path):
            known = found.get(key)
            if known is None or (known[1] and not item.where_possible):
                found[key] = (item.article, item.where_possible)
    return found


def _number(raw: str) -> int | float | str:
    """A number field's text as JSON would give it (the model takes numbers strictly); text
    that is no number is passed on for the model to name."""
    for convert in (int, float):
        try:
            return convert(raw)
        except ValueError:
            continue
    return raw


def form_fields(kind: RequestKind, values: Mapping[str, Any]) -> list[FormField]:
    """The form shown for a request of `kind` holding `values`."""
    return _build(CooperationRequest, "", values, required_paths(kind), kind)


def parse_form(kind: RequestKind, form: Mapping[str, str]) -> tuple[dict[str, Any],
                                                                     list[ErrorItem]]:
    """The request JSON the form describes, and the fields that are not even readable (bad
    JSON); everything else is left to the request model."""
    problems: list[ErrorItem] = []

    def read(fields: list[FormField]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for item in fields:
            key = item.name.rsplit(".", 1)[-1]
            if item.widget == "group":
                inner = read(item.children)
                if inner:
                    out[key] = inner
                continue
            raw = form.get(item.name, "")
            if item.widget == "checkbox":
                if raw:
                    out[key] = True
                continue
            raw = raw.strip()
            if not raw:
                continue
            if item.widget == "lines":
                out[key] = [line.strip() for line in raw.splitlines() if line.strip()]
            elif item.widget == "number":
                out[key] = _number(raw)
            elif item.widget == "json":
                # the API's and the CLI's strict decoder: no duplicate keys, NaN or huge numbers
                try:
                    out[key] = decode_json(raw, source=item.name)
                except TreatyDeskError as error:
                    problems.append(ErrorItem(item.name, error.message))
            else:
                out[key] = raw
        return out

    # every field is read, those the kind's form leaves out too: a value a case already
    # holds there is shown, and must come back
    data = read(_build(CooperationRequest, "", {}, required_paths(kind)))
    data["kind"] = kind.value
    return data, problems
