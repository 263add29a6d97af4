"""Form helpers shared by every domain."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from portal.errors import ValidationError


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Turn ``(value, label)`` pairs into WTForms choices (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (accessible, no script needed)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def apply_errors(form: Any, exc: ValidationError) -> None:
    """Show a service's ValidationError on the matching form fields (the rest at the top).

    Field names are matched as given, then by their last dotted part (``texts.fr`` -> ``fr``).
    """
    for field, messages in exc.errors.items():
        target = None
        if field:
            target = getattr(form, field, None) or getattr(form, field.split(".")[-1], None)
        texts = [str(m) for m in messages]
        if target is not None and hasattr(target, "errors"):
            target.errors = list(target.errors) + texts
        else:
            form.form_errors = list(getattr(form, "form_errors", [])) + texts


MAX_ID = 2**31 - 1


def parse_id(raw: Any) -> int | None:
    """A row id chosen in a form (a select's value), or None when it is empty, not a number or
    out of the range a database id can have; the service then refuses the unknown row."""
    try:
        value = int(str(raw or "").strip())
    except ValueError:
        return None
    return value if 0 < value <= MAX_ID else None
