"""Login, logout, company registration, profile, password change and password reset."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_login import current_user, login_user, logout_user

from portal.accounts import services
from portal.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RegisterCompanyForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from portal.accounts.permissions import AUTHENTICATED, PUBLIC, access
from portal.db import get_session
from portal.errors import ValidationError
from portal.extensions import limiter
from portal.forms import apply_errors
from portal.i18n import _, current_lang
from portal.mail import send_mail
from portal.security import is_safe_next

bp = Blueprint("accounts", __name__, template_folder="templates")


def _auth_limit() -> str:
    return current_app.config["AUTH_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(_auth_limit, methods=["POST"])
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        session = get_session()
        try:
            user = services.authenticate(session, form.email.data, form.password.data)
        except ValidationError as exc:
            session.rollback()
            apply_errors(form, exc)
        else:
            session.commit()
            login_user(user, remember=form.remember.data)
            flash(_("Welcome, %(name)s.", name=user.full_name), "success")
            target = form.next.data
            return redirect(target if is_safe_next(target) else url_for("site.home"))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@access(AUTHENTICATED)
def logout():  # type: ignore[no-untyped-def]
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("site.home"))


@bp.route("/register", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(_auth_limit, methods=["POST"])
def register():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    form = RegisterCompanyForm()
    if form.validate_on_submit():
        session = get_session()
        try:
            user = services.register_company(
                session,
                email=form.email.data,
                full_name=form.full_name.data,
                password=form.password.data,
                company_name=form.company_name.data,
                enterprise_number=form.enterprise_number.data or "",
                size=form.size.data,
                is_social_economy=form.is_social_economy.data,
                municipality=form.municipality.data or "",
                locale=current_lang(),
                min_password_length=current_app.config["PASSWORD_MIN_LENGTH"],
            )
        except ValidationError as exc:
            session.rollback()
            apply_errors(form, exc)
        else:
            session.commit()
            login_user(user)
            flash(
                _("Your company account is ready. Complete your profile so buyers can find you."),
                "success",
            )
            return redirect(url_for("companies.profile"))
    return render_template("accounts/register.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@access(AUTHENTICATED)
def account():  # type: ignore[no-untyped-def]
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        session = get_session()
        try:
            services.update_profile(
                session, user=current_user, full_name=form.full_name.data, locale=form.locale.data
            )
        except ValidationError as exc:
            session.rollback()
            apply_errors(form, exc)
        else:
            session.commit()
            response = redirect(url_for("accounts.account"))
            response.set_cookie(
                current_app.config["LANGUAGE_COOKIE"],
                current_user.locale,
                max_age=365 * 24 * 3600,
                samesite="Lax",
                httponly=True,
                secure=current_app.config["SESSION_COOKIE_SECURE"],
            )
            with force_locale(current_user.locale):
                flash(_("Your profile is saved."), "success")
            return response
    return render_template("accounts/account.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@access(AUTHENTICATED)
def change_password():  # type: ignore[no-untyped-def]
    form = ChangePasswordForm()
    if form.validate_on_submit():
        session = get_session()
        try:
            services.change_password(
                session,
                user=current_user,
                current_password=form.current_password.data,
                new_password=form.new_password.data,
                min_password_length=current_app.config["PASSWORD_MIN_LENGTH"],
            )
        except ValidationError as exc:
            session.rollback()
            apply_errors(form, exc)
        else:
            session.commit()
            login_user(current_user._get_current_object())  # refresh the session token
            flash(_("Your password is changed. Other sessions have been logged out."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/password/reset", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(_auth_limit, methods=["POST"])
def reset_request():  # type: ignore[no-untyped-def]
    form = ResetRequestForm()
    if form.validate_on_submit():
        session = get_session()
        found = services.request_password_reset(
            session, form.email.data, current_app.config["SECRET_KEY"]
        )
        if found:
            user, token = found
            session.commit()
            link = url_for("accounts.reset_password", token=token, _external=True)
            minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
            with force_locale(user.locale):
                send_mail(
                    user.email,
                    _("Reset your Clausier password"),
                    _(
                        "Hello %(name)s,\n\nSomeone (probably you) asked to reset the password "
                        "of your Clausier account. Open this link within %(minutes)d minutes to "
                        "choose a new password:\n\n%(link)s\n\nIf you did not ask for this, "
                        "ignore this message: your password stays as it is.\n\nClausier",
                        name=user.full_name,
                        minutes=minutes,
                        link=link,
                    ),
                )
        flash(
            _(
                "If an account exists for this address, we have sent it a link to reset the "
                "password. Check your mailbox."
            ),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(_auth_limit, methods=["POST"])
def reset_password(token: str):  # type: ignore[no-untyped-def]
    session = get_session()
    cfg = current_app.config
    try:
        services.user_for_reset_token(
            session, token, cfg["SECRET_KEY"], cfg["PASSWORD_RESET_MAX_AGE"]
        )
    except ValidationError as exc:
        flash(str(exc.errors[""][0]), "error")
        return redirect(url_for("accounts.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(
                session,
                token=token,
                new_password=form.new_password.data,
                secret_key=cfg["SECRET_KEY"],
                max_age=cfg["PASSWORD_RESET_MAX_AGE"],
                min_password_length=cfg["PASSWORD_MIN_LENGTH"],
            )
        except ValidationError as exc:
            session.rollback()
            apply_errors(form, exc)
        else:
            session.commit()
            logout_user()
            flash(_("Your password is changed. You can log in now."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)
