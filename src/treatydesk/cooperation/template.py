"""A fillable skeleton of a request of one kind, with help for every field.

Built from the request model itself (so it never drifts from it): every field the kind needs,
with an empty value to fill, and a `_help` map of JSON path -> what to write and the article
that asks for it. `validate_request_data` ignores `_help`, so a filled template validates as is.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from treatydesk.cooperation.kinds import KIND_ARTICLES, RequestKind
from treatydesk.cooperation.request import KIND_FIELDS, CooperationRequest


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(inner type, is_list) with Optional and Annotated removed."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _unwrap(inner[0])
    if origin is list:
        inner, _ = _unwrap(typing.get_args(annotation)[0])
        return inner, True
    return annotation, False


def _help_text(info: FieldInfo, inner: Any) -> str:
    text = info.description or ""
    if isinstance(inner, type) and issubclass(inner, Enum):
        text += "; one of: " + ", ".join(str(member.value) for member in inner)
    elif inner is dt.date:
        text += "; a date YYYY-MM-DD"
    return text


def _placeholder(inner: Any, info: FieldInfo) -> Any:
    if not info.is_required():
        default = info.get_default(call_default_factory=True)
        if isinstance(default, Enum):
            return default.value
        if not isinstance(default, list):
            return default
    if inner is bool:
        return False
    if inner in (int, float):
        return None
    return ""


def _skeleton(model: type[BaseModel], prefix: str, help_map: dict[str, str],
              kind: RequestKind | None) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if kind is not None and name in KIND_FIELDS and kind not in KIND_FIELDS[name]:
            continue
        inner, is_list = _unwrap(info.annotation)
        path = f"{prefix}{name}"
        help_map[path] = _help_text(info, inner)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            child = _skeleton(inner, f"{path}{'[0]' if is_list else ''}.", help_map, None)
            result[name] = [child] if is_list else child
        elif is_list:
            result[name] = [] if inner is not str else [""]
        else:
            result[name] = _placeholder(inner, info)
    return result


def request_template(kind: RequestKind) -> dict[str, Any]:
    """A skeleton request of `kind`: fill the empty values, delete list entries you do not
    need, then `treatydesk request validate` it."""
    help_map: dict[str, str] = {}
    skeleton = _skeleton(CooperationRequest, "", help_map, kind)
    skeleton["kind"] = kind.value
    help_map["kind"] = (f"{help_map['kind']}; this template: {kind.value}, resting on Art "
                        + ", ".join(KIND_ARTICLES[kind]))
    return {"_help": help_map, **skeleton}
