"""Forms of the account pages. Labels are lazy so they follow the request's language."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from portal.accounts.models import Role, Theme
from portal.companies.models import CompanySize
from portal.forms import MultiCheckboxField, choices
from portal.i18n import LANGUAGE_NAMES, _l
from portal.reference.services import MUNICIPALITIES


def language_choices():  # type: ignore[no-untyped-def]
    return choices(LANGUAGE_NAMES.items())


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()


class RegisterCompanyForm(FlaskForm):
    company_name = StringField(
        _l("Company name"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "organization"},
    )
    enterprise_number = StringField(
        _l("Enterprise number (BCE/KBO)"),
        validators=[Optional(), Length(max=20)],
        description=_l("Ten digits, for example 0123.456.749. Leave empty if you have none yet."),
    )
    size = SelectField(_l("Size of the company"), validators=[DataRequired()])
    is_social_economy = BooleanField(
        _l("We are a social-economy enterprise or a sheltered workshop")
    )
    municipality = SelectField(_l("Brussels municipality of your seat"), validators=[Optional()])
    full_name = StringField(
        _l("Your name"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=256)],
        description=_l("At least 10 characters."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.size.choices = choices((s.value, s.title) for s in CompanySize)
        self.municipality.choices = choices(
            [("", _l("Outside Brussels / not applicable"))]
            + [
                (m.code, f"{m.name_fr} / {m.name_nl}" if m.name_fr != m.name_nl else m.name_fr)
                for m in MUNICIPALITIES
            ]
        )


class ProfileForm(FlaskForm):
    full_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    locale = SelectField(_l("Preferred language"), choices=language_choices())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired()],
        description=_l("At least 10 characters."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("The passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired()],
        description=_l("At least 10 characters."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("The passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class UserForm(FlaskForm):
    """Coordinator form to create or edit an account."""

    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    full_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    authority_id = SelectField(
        _l("Contracting authority"),
        coerce=str,
        description=_l("Required for buyers and authority managers."),
    )
    themes = MultiCheckboxField(_l("Themes"), description=_l("Required for curators and experts."))
    password = PasswordField(
        _l("Initial password"),
        validators=[Optional()],
        description=_l("At least 10 characters. Ask the person to change it after logging in."),
        render_kw={"autocomplete": "new-password"},
    )
    is_active = BooleanField(_l("Account active"), default=True)

    def __init__(self, *args, authorities=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.role.choices = choices((r.value, r.title) for r in Role if r != Role.company)
        self.authority_id.choices = choices(
            [("", _l("— none —"))]
            + [
                (str(a.id), a.name_fr if a.name_fr == a.name_nl else f"{a.name_fr} / {a.name_nl}")
                for a in authorities
            ]
        )
        self.themes.choices = choices((t.value, t.title) for t in Theme)
