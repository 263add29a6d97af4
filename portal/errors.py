"""Domain errors raised by services, and the handlers that answer them in the user's language.

Services raise these; views let them propagate (or catch :class:`ValidationError` to show a form
again). Messages are lazy strings (``_l``), so they are translated when rendered, in the locale of
the request that shows them.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.i18n import _l


class DomainError(Exception):
    """Base of the errors a service may raise. ``status`` is the HTTP status it maps to."""

    status = 400
    code = "domain_error"
    default_message = _l("The request could not be carried out.")

    def __init__(self, message: Any = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _l("This page or item does not exist.")


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"
    default_message = _l("You do not have permission to do this.")


class InvalidTransition(DomainError):
    status = 409
    code = "invalid_transition"
    default_message = _l("This change of status is not allowed.")


class Conflict(DomainError):
    """Someone else changed the item in the meantime (optimistic locking)."""

    status = 409
    code = "conflict"
    default_message = _l("Someone else changed this item in the meantime. Reload it and try again.")


class ValidationError(DomainError):
    """Invalid input, with messages per field (``""`` for errors about the whole input)."""

    status = 400
    code = "validation_error"
    default_message = _l("Some values are not valid.")

    def __init__(self, errors: dict[str, list[Any]] | None = None, message: Any = None) -> None:
        self.errors: dict[str, list[Any]] = errors or {}
        super().__init__(message)

    @classmethod
    def single(cls, field: str, message: Any) -> ValidationError:
        return cls({field: [message]})

    def as_json(self) -> dict[str, list[str]]:
        return {field: [str(m) for m in msgs] for field, msgs in self.errors.items()}


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_response(
    status: int, code: str, message: Any, fields: dict[str, list[str]] | None = None
) -> tuple[Response | str, int]:
    if wants_json():
        body: dict[str, Any] = {"error": {"code": code, "message": str(message)}}
        if fields:
            body["error"]["fields"] = fields
        return jsonify(body), status
    return (
        render_template("errors/error.html", status=status, message=message, fields=fields),
        status,
    )


# Messages for HTTP errors raised by Flask/Werkzeug themselves.
HTTP_MESSAGES = {
    400: _l("The request was malformed. Check what you entered and try again."),
    401: _l("Please log in to see this page."),
    403: _l("You do not have permission to see this page."),
    404: _l("This page does not exist. Check the address or use the search."),
    405: _l("This page cannot be used that way."),
    409: _l("This change conflicts with the current state of the item."),
    413: _l("The file or form you sent is too large."),
    415: _l("This type of content is not accepted here."),
    429: _l("Too many attempts. Wait a minute and try again."),
    500: _l("Something went wrong on our side. The error has been logged; please try again later."),
}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(exc: DomainError):  # type: ignore[no-untyped-def]
        fields = exc.as_json() if isinstance(exc, ValidationError) else None
        return error_response(exc.status, exc.code, exc.message, fields)

    @app.errorhandler(CSRFError)
    def _csrf_error(_exc: CSRFError):  # type: ignore[no-untyped-def]
        from portal.i18n import _

        return error_response(
            400,
            "csrf",
            _("The form expired or was sent from elsewhere. Reload the page and send it again."),
        )

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        status = exc.code or 500
        # Flask-Limiter describes a 429 by its limit in English ("10 per 1 minute"): say it plainly.
        custom = exc.description != type(exc).description and status != 429
        message = exc.description if custom else HTTP_MESSAGES.get(status, exc.description)
        response = error_response(status, exc.name.lower().replace(" ", "_"), message)
        if status == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
            body, code = response
            resp = app.make_response((body, code))
            resp.headers["Allow"] = ", ".join(exc.valid_methods)
            return resp
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        if isinstance(exc, HTTPException):  # pragma: no cover - handled above
            return _http_error(exc)
        if app.config["TESTING"]:
            raise exc  # tests see the real traceback instead of a 500 page
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", HTTP_MESSAGES[500])
