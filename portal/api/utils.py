"""Helpers for JSON endpoints: parsing bodies and turning pydantic errors into field messages."""

from __future__ import annotations

from typing import Any

from flask import request
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from portal.errors import ValidationError
from portal.i18n import _l

_PYDANTIC_MESSAGES = {
    "missing": _l("This field is required."),
    "greater_than": None,
    "greater_than_equal": None,
    "less_than": None,
    "less_than_equal": None,
    "too_short": _l("Too short or empty."),
    "too_long": _l("Too long."),
    "string_too_short": _l("Too short or empty."),
    "string_too_long": _l("Too long."),
    "extra_forbidden": _l("Unknown field."),
    "enum": _l("Not one of the allowed values."),
    "literal_error": _l("Not one of the allowed values."),
    "bool_parsing": _l("Must be true or false."),
    "bool_type": _l("Must be true or false."),
}


def pydantic_errors(exc: PydanticValidationError) -> ValidationError:
    """Translate a pydantic error into our ValidationError with dotted field paths."""
    fields: dict[str, list[Any]] = {}
    for err in exc.errors():
        path = ".".join(str(p) for p in err.get("loc", ())) or ""
        kind = err.get("type", "")
        ctx = err.get("ctx") or {}
        limit = next((ctx[k] for k in ("gt", "ge", "lt", "le") if k in ctx), None)
        template = _PYDANTIC_MESSAGES.get(kind)
        message: Any
        if kind in _PYDANTIC_MESSAGES and template is None:
            message = _message_with_limit(kind, limit)
        elif template is not None:
            message = template
        elif kind == "value_error" and ctx.get("error") is not None:
            message = str(ctx["error"])
        elif kind.endswith("_type") or kind.endswith("_parsing"):
            message = _l("Wrong type of value.")
        else:
            message = err.get("msg", _l("Invalid value."))
        fields.setdefault(path, []).append(message)
    return ValidationError(fields)


def _message_with_limit(kind: str, limit: Any) -> Any:
    if kind == "greater_than":
        return _l("Must be greater than %(limit)s.", limit=limit)
    if kind == "greater_than_equal":
        return _l("Must be at least %(limit)s.", limit=limit)
    if kind == "less_than":
        return _l("Must be less than %(limit)s.", limit=limit)
    return _l("Must be at most %(limit)s.", limit=limit)


def json_body() -> Any:
    """Return the parsed JSON body of the request.

    :raises ValidationError: the body is not JSON (wrong content type or malformed).
    """
    if not request.is_json:
        raise ValidationError.single(
            "", _l("Send the request body as JSON with the header Content-Type: application/json.")
        )
    data = request.get_json(silent=True)
    if data is None:
        raise ValidationError.single("", _l("The request body is not valid JSON."))
    return data


def parse_body(model: type[BaseModel]) -> Any:
    """Parse and validate the JSON body against a pydantic model.

    :raises ValidationError: malformed JSON or invalid fields (messages per field).
    """
    data = json_body()
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        raise pydantic_errors(exc) from None
