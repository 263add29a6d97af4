"""Coordinator pages: accounts and the audit trail."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from portal.accounts import services
from portal.accounts.forms import UserForm
from portal.accounts.models import Role, User
from portal.accounts.permissions import Permission, access
from portal.audit.models import AuditEvent
from portal.db import get_session
from portal.errors import ValidationError
from portal.forms import apply_errors, choices
from portal.i18n import _
from portal.pagination import paginate
from portal.reference.models import ContractingAuthority
from portal.reference.services import list_authorities

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


def _authority_id(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


@bp.get("/users")
@access(Permission.manage_users)
def users():  # type: ignore[no-untyped-def]
    session = get_session()
    role = request.args.get("role", "")
    q = request.args.get("q", "").strip()
    stmt = select(User).order_by(User.role, User.email)
    if role in Role.__members__:
        stmt = stmt.where(User.role == Role(role))
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(
            sa.or_(sa.func.lower(User.email).like(like), sa.func.lower(User.full_name).like(like))
        )
    page = paginate(session, stmt, request.args.get("page"), current_app.config["PAGE_SIZE"])
    authorities = {a.id: a for a in session.exec(select(ContractingAuthority))}
    return render_template(
        "accounts/admin_users.html",
        page=page,
        roles=list(Role),
        role=role,
        q=q,
        authorities=authorities,
    )


@bp.route("/users/new", methods=["GET", "POST"])
@access(Permission.manage_users)
def new_user():  # type: ignore[no-untyped-def]
    session = get_session()
    form = UserForm(authorities=list_authorities(session))
    if form.validate_on_submit():
        try:
            user = services.create_user(
                session,
                actor=current_user,
                email=form.email.data,
                full_name=form.full_name.data,
                role=form.role.data,
                password=form.password.data or "",
                authority_id=_authority_id(form.authority_id.data),
                themes=form.themes.data or [],
                min_password_length=current_app.config["PASSWORD_MIN_LENGTH"],
            )
        except ValidationError as exc:
            session.rollback()
            apply_errors(form, exc)
        else:
            session.commit()
            flash(_("The account of %(email)s is created.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("accounts/admin_user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@access(Permission.manage_users)
def edit_user(user_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    user = services.get_user(session, user_id)
    form = UserForm(obj=user, authorities=list_authorities(session))
    if request.method == "GET":
        form.role.data = user.role.value
        form.authority_id.data = str(user.authority_id or "")
        form.themes.data = list(user.themes)
    del form.password
    form.email.render_kw = {"readonly": True}
    if user.role == Role.company:
        form.role.choices = choices([(Role.company.value, Role.company.title)])
    if form.validate_on_submit():
        try:
            services.update_user(
                session,
                actor=current_user,
                user_id=user.id,
                full_name=form.full_name.data,
                role=form.role.data,
                authority_id=_authority_id(form.authority_id.data),
                themes=form.themes.data or [],
                is_active=form.is_active.data,
            )
        except ValidationError as exc:
            session.rollback()
            apply_errors(form, exc)
        else:
            session.commit()
            flash(_("The account of %(email)s is saved.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("accounts/admin_user_form.html", form=form, user=user)


@bp.get("/audit")
@access(Permission.view_audit)
def audit():  # type: ignore[no-untyped-def]
    session = get_session()
    stmt = select(AuditEvent).order_by(sa.desc(AuditEvent.occurred_at), sa.desc(AuditEvent.id))
    entity = request.args.get("entity_type", "").strip()
    action = request.args.get("action", "").strip()
    if entity:
        stmt = stmt.where(AuditEvent.entity_type == entity[:40])
    if action:
        stmt = stmt.where(AuditEvent.action.startswith(action[:80]))
    page = paginate(session, stmt, request.args.get("page"), 50)
    actor_ids = {e.actor_id for e in page.items if e.actor_id}
    actors = (
        {u.id: u for u in session.exec(select(User).where(User.id.in_(actor_ids)))}
        if actor_ids
        else {}
    )
    return render_template(
        "accounts/admin_audit.html", page=page, actors=actors, entity_type=entity, action=action
    )
