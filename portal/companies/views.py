"""The company's own profile page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, Optional

from portal.accounts.permissions import Permission, access
from portal.companies import services
from portal.companies.models import CompanySize
from portal.db import get_session
from portal.errors import ValidationError
from portal.forms import MultiCheckboxField, apply_errors, choices
from portal.i18n import _, _l, localized
from portal.reference.services import MUNICIPALITIES, list_categories

bp = Blueprint("companies", __name__, template_folder="templates")


class CompanyForm(FlaskForm):
    name = StringField(_l("Company name"), validators=[DataRequired(), Length(max=200)])
    size = SelectField(_l("Size of the company"), validators=[DataRequired()])
    is_social_economy = BooleanField(
        _l("We are a social-economy enterprise or a sheltered workshop")
    )
    description = TextAreaField(
        _l("What you offer"),
        validators=[Optional(), Length(max=4000)],
        description=_l("A few sentences that buyers will read."),
    )
    sectors = MultiCheckboxField(_l("Categories you supply"))
    municipality = SelectField(_l("Brussels municipality of your seat"), validators=[Optional()])
    website = URLField(_l("Website"), validators=[Optional(), Length(max=300)])
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])


@bp.route("/company", methods=["GET", "POST"])
@access(Permission.edit_own_company)
def profile():  # type: ignore[no-untyped-def]
    session = get_session()
    company = services.get_company(session, current_user.company_id)
    form = CompanyForm(obj=company)
    form.size.choices = choices((s.value, s.title) for s in CompanySize)
    form.municipality.choices = choices(
        [("", _l("Outside Brussels / not applicable"))]
        + [
            (m.code, m.name_fr if m.name_fr == m.name_nl else f"{m.name_fr} / {m.name_nl}")
            for m in MUNICIPALITIES
        ]
    )
    form.sectors.choices = choices((c.code, localized(c, "name")) for c in list_categories(session))
    if form.validate_on_submit():
        try:
            services.update_company(
                session,
                actor=current_user,
                company_id=company.id,
                **{f: getattr(form, f).data for f in services.EDITABLE},
            )
        except ValidationError as exc:
            session.rollback()
            apply_errors(form, exc)
        else:
            session.commit()
            flash(_("Your company profile is saved."), "success")
            return redirect(url_for("companies.profile"))
    elif not form.is_submitted():
        form.size.data = company.size.value
    return render_template("companies/profile.html", form=form, company=company)
