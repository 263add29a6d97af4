"""Pages of the clause library: the public catalogue, clause pages, permalinks and diffs, the
draft editor and review actions, buyer feedback, the helpdesk workspace and the coordinator's
mandatory base criteria.

Views stay thin: they read a form, call one service, commit, and redirect or render.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlmodel import select

from portal.accounts.permissions import PUBLIC, Permission, access, can
from portal.clauses import forms, services
from portal.clauses.content import LANGS, LANGUAGE_TITLES, legal_reference
from portal.clauses.diff import diff_data
from portal.clauses.models import (
    PUBLIC_STATUSES,
    Clause,
    ClauseVersion,
    Contribution,
    FeedbackStatus,
    VersionStatus,
)
from portal.clauses.rendering import format_value, paragraphs, render_text
from portal.clauses.vocabulary import (
    Ambition,
    CostEffect,
    Evidence,
    Family,
    MarketReadiness,
    ParamType,
    Placement,
    Stage,
)
from portal.db import get_session
from portal.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationError
from portal.forms import choices
from portal.i18n import _, colon, current_lang, localized
from portal.pagination import page_number
from portal.reference.services import cpv_label, list_categories
from portal.reference.views import CATEGORY_PANELS

bp = Blueprint("clauses", __name__, template_folder="templates")


@bp.app_template_global("tag_titles")
def tag_titles() -> dict[str, Any]:
    """Translated titles of families, placements and ambition levels, looked up once per page
    (translating inside a loop of 25 results costs more than the search itself)."""
    return {
        "classification": _("Classification"),
        "family_label": _("Family"),
        "placement_label": _("Placement"),
        "ambition_label": _("Ambition level"),
        "family": {f: f.title for f in Family},
        "placement": {p: p.title for p in Placement},
        "ambition": {a: a.title for a in Ambition},
        "marks": {
            a: Markup('<span aria-hidden="true">{}</span>').format(
                "●" * a.rank + "○" * (len(Ambition) - a.rank)
            )
            for a in Ambition
        },
    }


@bp.app_template_global("clause_value")
def clause_value(parameter: dict[str, Any], value: Any, lang: str | None = None) -> str:
    """A parameter value as it appears in a clause text of ``lang`` (80 %, 1,5, €…)."""
    lang = lang or current_lang()
    if isinstance(value, dict):
        value = value.get(lang) or value.get("fr", "")
    try:
        return format_value(parameter, value, lang)
    except (ValueError, KeyError, TypeError, ArithmeticError):
        return str(value)


@bp.app_template_filter("clause_paragraphs")
def _paragraphs_filter(text: str | None) -> list[str]:
    """Split a plain clause text into paragraphs (blank-line separated) for ``<p>`` elements."""
    return paragraphs(text or "")


# ------------------------------------------------------------------------------------------------
# Catalogue


@bp.get("/clauses")
@access(PUBLIC)
def catalogue():  # type: ignore[no-untyped-def]
    session = get_session()
    query, errors = services.parse_search(request.args)
    result = services.search_versions(
        session,
        query,
        page=page_number(request.args.get("page")),
        per_page=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "clauses/catalogue.html",
        query=query,
        errors=errors,
        result=result,
        categories=list_categories(session),
        families=list(Family),
        placements=list(Placement),
        ambitions=list(Ambition),
        can_propose=can(current_user, Permission.propose_clause),
    )


# ------------------------------------------------------------------------------------------------
# Clause pages


@bp.get("/clauses/<code>")
@access(PUBLIC)
def detail(code: str):  # type: ignore[no-untyped-def]
    session = get_session()
    clause = services.get_clause(session, code)
    if clause.code != code:
        return redirect(url_for("clauses.detail", code=clause.code), 301)
    version = services.current_version(session, clause)
    if version is None:
        draft = services.open_draft(session, clause.id)
        if draft is not None and services.can_read(current_user, draft):
            return redirect(url_for("clauses.draft", version_id=draft.id))
        raise NotFound(_("There is no clause “%(code)s”.", code=code[:20]))
    return _render_version(clause, version, current_page=True)


@bp.get("/clauses/<code>/v/<int:number>")
@access(PUBLIC)
def version(code: str, number: int):  # type: ignore[no-untyped-def]
    session = get_session()
    found = services.get_version(session, code, number)
    if found.code != code:
        return redirect(url_for("clauses.version", code=found.code, number=number), 301)
    return _render_version(services.get_clause(session, code), found)


@bp.get("/clauses/drafts/<int:version_id>")
@access(Permission.use_helpdesk_workspace)
def draft(version_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    found = services.get_version_by_id(session, version_id)
    if found.status in PUBLIC_STATUSES:
        return redirect(url_for("clauses.version", code=found.code, number=found.number))
    if not services.can_read(current_user, found):
        raise PermissionDenied(_("This draft belongs to another theme."))
    clause = session.get(Clause, found.clause_id)
    return _render_version(clause, found)


def _preview(version: ClauseVersion) -> tuple[Any, dict[str, str], dict[str, list[str]]]:
    """The parameter form of the clause page and the texts filled with its values."""
    params = version.parameters or []
    lang = current_lang()
    asked = any(k.startswith("p-") for k in request.args)
    form = forms.parameter_form(params, lang, formdata=request.args if asked else None)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if asked:
        try:
            values = services.parameter_values(version, forms.parameter_raw_values(form, params))
        except ValidationError as exc:
            errors = exc.as_json()
            for name, messages in errors.items():
                if name in form:
                    form[name].errors = list(messages)
    texts = {
        lang_: render_text(version.text("text", lang_), params, values, lang_) for lang_ in LANGS
    }
    return form, texts, errors


def _render_version(clause: Clause, version: ClauseVersion, current_page: bool = False):  # type: ignore[no-untyped-def]
    session = get_session()
    data = services.data_of(session, version)
    history = services.history(session, clause)
    current = services.current_version(session, clause)
    pending = services.open_draft(session, clause.id)
    show = request.args.get("show", "")
    show = show if show in LANGS else ""
    form, texts, preview_errors = _preview(version)
    helpdesk = (
        services.can_read(current_user, pending)
        if pending
        else (
            can(current_user, Permission.use_helpdesk_workspace)
            and services.in_theme(current_user, clause.family)
        )
    )
    version_ids = [v.id for v in history] + ([version.id] if version.status.is_open else [])
    feedback = services.feedback_for_version(session, version_ids) if helpdesk else []
    own_feedback = (
        services.feedback_by_author(session, current_user, clause.id)
        if can(current_user, Permission.give_feedback)
        else []
    )
    comments = services.comments(session, version.id)
    contributors = services.contributors(session, version.id)
    editors = [i for i in contributors[Contribution.editor] if i != version.author_id]
    submitters = contributors[Contribution.submitter]
    user_ids = [version.author_id, version.reviewer_id, *(c.author_id for c in comments)]
    user_ids += [*editors, *submitters]
    user_ids += [f.author_id for f in feedback]
    base = session.get(ClauseVersion, version.based_on_id) if version.based_on_id else None
    can_retire = (
        current is not None
        and current.status == VersionStatus.published
        and can(current_user, Permission.retire_clause)
        and services.in_theme(current_user, clause.family)
    )
    blockers = (
        [c for _r, c in services.mandatory_rules_standing(session, clause.id, on=date.today())]
        if can_retire and current_page
        else []
    )
    return render_template(
        "clauses/version.html",
        clause=clause,
        version=version,
        data=data,
        current=current,
        current_page=current_page,
        base=base,
        pending=pending if helpdesk else None,
        history=history,
        categories=services.version_categories(session, version.id),
        cpv=[(c, cpv_label(c, current_lang())) for c in data.get("cpv", [])],
        mandatory=services.mandatory_for_clause(session, clause.id),
        show=show,
        langs=LANGS if not show else (show,),
        language_titles=LANGUAGE_TITLES,
        texts=texts,
        paragraphs=paragraphs,
        preview_form=form,
        preview_errors=preview_errors,
        legal_reference=legal_reference,
        param_types=ParamType,
        comments=comments,
        feedback=feedback,
        own_feedback=own_feedback,
        users=services.users_by_id(session, user_ids),
        helpdesk=helpdesk,
        can_edit=services.can_edit(current_user, version),
        can_submit=(
            version.status == VersionStatus.draft
            and can(current_user, Permission.edit_clause)
            and services.in_theme(current_user, version.family)
        ),
        can_publish=services.can_publish(current_user, version),
        can_review=(
            version.status == VersionStatus.in_review
            and can(current_user, Permission.review_clause)
            and services.in_theme(current_user, version.family)
        ),
        can_comment=(
            version.status.is_open
            and can(current_user, Permission.comment_clause)
            and services.in_theme(current_user, version.family)
        ),
        can_start=(
            pending is None
            and current is not None
            and can(current_user, Permission.propose_clause)
            and services.in_theme(current_user, clause.family)
        ),
        can_retire=can_retire,
        retire_blockers=blockers,
        retire_blocker_names=services.CategoryNames(blockers),
        can_feedback=version.status.is_public and can(current_user, Permission.give_feedback),
        editors=editors,
        submitters=submitters,
        is_contributor=services.is_contributor(current_user, version),
        comment_form=forms.CommentForm(),
        publish_form=forms.PublishForm(
            formdata=None, data={"lock_version": str(version.lock_version)}
        ),
        reject_form=forms.RejectForm(
            formdata=None, data={"lock_version": str(version.lock_version)}
        ),
        retire_form=forms.RetireForm(),
        evidence_title=lambda v: Evidence(v).title,
        stage_title=lambda v: Stage(v).title,
        readiness_title=lambda v: MarketReadiness(v).title,
        cost_title=lambda v: CostEffect(v).title,
    )


# ------------------------------------------------------------------------------------------------
# Diffs


def _version_number(raw: Any) -> int | None:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 100_000 else None


@bp.get("/clauses/<code>/diff")
@access(PUBLIC)
def diff(code: str):  # type: ignore[no-untyped-def]
    session = get_session()
    clause = services.get_clause(session, code)
    history = services.history(session, clause)
    if not history:
        raise NotFound(_("There is no clause “%(code)s”.", code=code[:20]))
    numbers = [v.number for v in history]
    errors = []
    new_n = _version_number(request.args.get("to")) or numbers[0]
    old_n = _version_number(request.args.get("from"))
    if old_n is None:
        old_n = max((n for n in numbers if n < new_n), default=new_n)
    for n in (old_n, new_n):
        if n not in numbers:
            errors.append(
                _("Clause %(code)s has no version %(number)s.", code=clause.code, number=n)
            )
    rows = []
    old = new = None
    if not errors:
        old = next(v for v in history if v.number == old_n)
        new = next(v for v in history if v.number == new_n)
        if old.id == new.id:
            errors.append(_("Choose two different versions to compare."))
        else:
            rows = services.diff_versions(session, old, new)
    return _render_diff(clause, history, old, new, rows, errors)


@bp.get("/clauses/drafts/<int:version_id>/diff")
@access(Permission.use_helpdesk_workspace)
def draft_diff(version_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    new = services.get_version_by_id(session, version_id)
    if not services.can_read(current_user, new):
        raise PermissionDenied(_("This draft belongs to another theme."))
    clause = session.get(Clause, new.clause_id)
    old = session.get(ClauseVersion, new.based_on_id) if new.based_on_id else None
    errors = []
    rows = []
    if old is None:
        errors.append(_("This draft is a new clause: there is no earlier version to compare."))
    else:
        rows = diff_data(services.data_of(session, old), services.data_of(session, new))
    return _render_diff(clause, services.history(session, clause), old, new, rows, errors)


def _render_diff(clause, history, old, new, rows, errors):  # type: ignore[no-untyped-def]
    show_all = request.args.get("all") == "1"
    sections = []
    for lang in (None, *LANGS):
        items = [r for r in rows if r.lang == lang and (show_all or r.changed)]
        if items:
            sections.append((lang, items))
    return render_template(
        "clauses/diff.html",
        clause=clause,
        history=history,
        old=old,
        new=new,
        sections=sections,
        changed=sum(1 for r in rows if r.changed),
        errors=errors,
        show_all=show_all,
        language_titles=LANGUAGE_TITLES,
    )


# ------------------------------------------------------------------------------------------------
# Editing drafts


def _editor_choices(form: Any, families: list[Family]) -> None:
    forms.set_choices(form, families=families, categories=list_categories(get_session()))


def _list_buttons(form: Any) -> bool:
    """Handle the editor's "add" and "remove" buttons; True when one was pressed."""
    add = request.form.get("add", "")
    remove = request.form.get("remove", "")
    if add in forms.LISTS:
        entry = form[add].append_entry()
        if add == "legal_basis":
            entry.form.instrument.choices = form.instrument_choices
        return True
    if remove:
        name, _sep, index = remove.rpartition("-")
        if name in forms.LISTS and index.isdigit():
            entries = form[name].entries
            form[name].entries = [e for e in entries if e.name != f"{name}-{index}"]
        return True
    return False


@bp.route("/clauses/new", methods=["GET", "POST"])
@access(Permission.propose_clause)
def new():  # type: ignore[no-untyped-def]
    session = get_session()
    families = sorted(services.actor_families(current_user), key=list(Family).index)
    if not families:
        raise PermissionDenied(_("You are not assigned to any helpdesk theme."))
    form = forms.ClauseForm()
    if request.method == "GET":
        form = forms.ClauseForm(
            data={"guidance_reviewed_on": date.today(), "family": families[0].value}
        )
    _editor_choices(form, families)
    if request.method == "POST" and not _list_buttons(form) and form.validate():
        try:
            created = services.create_clause(
                session, actor=current_user, data=forms.form_to_data(form)
            )
        except ValidationError as exc:
            session.rollback()
            forms.apply_content_errors(form, exc)
        else:
            session.commit()
            if can(current_user, Permission.edit_clause):
                message = _(
                    "Draft of clause %(code)s saved. Send it to review when it is ready.",
                    code=created.code,
                )
            else:
                message = _(
                    "Draft of clause %(code)s saved. A curator of the theme will send it to "
                    "review when it is ready; they see it in their workspace.",
                    code=created.code,
                )
            flash(message, "success")
            return redirect(url_for("clauses.draft", version_id=created.id))
    return render_template("clauses/edit.html", form=form, version=None, clause=None)


@bp.post("/clauses/<code>/drafts")
@access(Permission.propose_clause)
def start_draft(code: str):  # type: ignore[no-untyped-def]
    session = get_session()
    clause = services.get_clause(session, code)
    existing = services.open_draft(session, clause.id)
    if existing is not None:
        flash(_("This clause already has a version being prepared: continue it."), "info")
        return redirect(url_for("clauses.draft", version_id=existing.id))
    created = services.start_draft(session, actor=current_user, code=clause.code)
    session.commit()
    flash(_("New draft of %(code)s started from the current version.", code=clause.code), "success")
    return redirect(url_for("clauses.edit", version_id=created.id))


@bp.route("/clauses/drafts/<int:version_id>/edit", methods=["GET", "POST"])
@access(Permission.propose_clause)
def edit(version_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    found = services.get_version_by_id(session, version_id)
    if found.status != VersionStatus.draft:
        flash(
            _(
                "Only drafts can be changed; this version is “%(status)s”.",
                status=found.status.title,
            ),
            "warning",
        )
        return redirect(
            url_for("clauses.draft", version_id=found.id)
            if found.status.is_open
            else url_for("clauses.version", code=found.code, number=found.number)
        )
    if not services.can_edit(current_user, found):
        raise PermissionDenied(_("You may not edit this draft."))
    clause = session.get(Clause, found.clause_id)
    if request.method == "GET":
        values = forms.data_to_form(services.data_of(session, found))
        form = forms.ClauseForm(data={**values, "lock_version": str(found.lock_version)})
    else:
        form = forms.ClauseForm()
    _editor_choices(form, [clause.family])
    if request.method == "POST" and not _list_buttons(form) and form.validate():
        try:
            lock = int(form.lock_version.data or 0)
        except ValueError:
            lock = 0
        try:
            services.update_draft(
                session,
                actor=current_user,
                version_id=found.id,
                data={**forms.form_to_data(form), "family": clause.family.value},
                lock_version=lock,
            )
        except ValidationError as exc:
            session.rollback()
            forms.apply_content_errors(form, exc)
        except Conflict as exc:
            session.rollback()
            form.form_errors = [*getattr(form, "form_errors", []), str(exc.message)]
            return render_template(
                "clauses/edit.html", form=form, version=found, clause=clause, conflict=True
            ), 409
        else:
            session.commit()
            flash(_("Draft saved."), "success")
            return redirect(url_for("clauses.draft", version_id=found.id))
    return render_template("clauses/edit.html", form=form, version=found, clause=clause)


# ------------------------------------------------------------------------------------------------
# Review actions


@bp.post("/clauses/drafts/<int:version_id>/submit")
@access(Permission.propose_clause)
def submit(version_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    if not can(current_user, Permission.edit_clause):
        # Experts propose and edit drafts; a curator of the theme sends them to review.
        flash(
            _(
                "Only a curator of the theme can send a draft to review. The curators see your "
                "draft in their workspace; ask one of them to submit it."
            ),
            "error",
        )
        return redirect(url_for("clauses.draft", version_id=version_id))
    found = services.get_version_by_id(session, version_id)
    labels_data = services.data_of(session, found) if found.status.is_open else {}
    try:
        services.submit_version(session, actor=current_user, version_id=version_id)
    except ValidationError as exc:
        session.rollback()
        labels = forms.error_labels(labels_data, exc.errors)
        for field, messages in exc.as_json().items():
            for message in messages:
                label = labels.get(field, "")
                flash(f"{label}{colon()}{message}" if label else message, "error")
        flash(_("The draft was not sent to review: complete it first."), "error")
    else:
        session.commit()
        flash(
            _(
                "Sent to review. Another curator of the theme, who did not write, edit or "
                "submit it, will publish it or send it back."
            ),
            "success",
        )
    return redirect(url_for("clauses.draft", version_id=version_id))


@bp.post("/clauses/drafts/<int:version_id>/publish")
@access(Permission.publish_clause)
def publish(version_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    form = forms.PublishForm()
    try:
        published = services.publish_version(
            session, actor=current_user, version_id=version_id, lock_version=forms.lock_of(form)
        )
    except Conflict as exc:
        session.rollback()
        flash(str(exc.message), "error")
        return redirect(url_for("clauses.draft", version_id=version_id))
    session.commit()
    flash(
        _(
            "Version %(number)s of %(code)s is published.",
            number=published.number,
            code=published.code,
        ),
        "success",
    )
    return redirect(url_for("clauses.version", code=published.code, number=published.number))


@bp.post("/clauses/drafts/<int:version_id>/reject")
@access(Permission.review_clause)
def reject(version_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    form = forms.RejectForm()
    try:
        services.reject_version(
            session,
            actor=current_user,
            version_id=version_id,
            comment=form.comment.data or "",
            lock_version=forms.lock_of(form),
        )
    except Conflict as exc:
        session.rollback()
        flash(str(exc.message), "error")
    except ValidationError:
        session.rollback()
        flash(_("Say what must change before the version can be published."), "error")
    else:
        session.commit()
        flash(_("Sent back to draft with your comment."), "success")
    return redirect(url_for("clauses.draft", version_id=version_id))


@bp.post("/clauses/drafts/<int:version_id>/comments")
@access(Permission.comment_clause)
def comment(version_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    form = forms.CommentForm()
    try:
        services.add_comment(
            session, actor=current_user, version_id=version_id, body=form.body.data or ""
        )
    except ValidationError:
        session.rollback()
        flash(_("Write a comment of at most 4,000 characters."), "error")
    else:
        session.commit()
        flash(_("Comment added."), "success")
    return redirect(url_for("clauses.draft", version_id=version_id) + "#comments")


@bp.post("/clauses/<code>/retire")
@access(Permission.retire_clause)
def retire(code: str):  # type: ignore[no-untyped-def]
    session = get_session()
    form = forms.RetireForm()
    try:
        retired = services.retire_clause(
            session, actor=current_user, code=code, reason=form.reason.data or ""
        )
    except ValidationError:
        session.rollback()
        flash(_("Say why the clause is withdrawn."), "error")
        return redirect(url_for("clauses.detail", code=code.upper()))
    except InvalidTransition as exc:
        session.rollback()
        flash(str(exc.message), "error")
        return redirect(url_for("clauses.detail", code=code.upper()))
    session.commit()
    flash(_("Clause %(code)s is retired.", code=retired.code), "success")
    return redirect(url_for("clauses.detail", code=retired.code))


# ------------------------------------------------------------------------------------------------
# Feedback


@bp.route("/clauses/<code>/v/<int:number>/feedback", methods=["GET", "POST"])
@access(Permission.give_feedback)
def feedback(code: str, number: int):  # type: ignore[no-untyped-def]
    session = get_session()
    found = services.get_version(session, code, number)
    form = forms.FeedbackForm()
    if form.validate_on_submit():
        try:
            services.give_feedback(
                session,
                actor=current_user,
                version_id=found.id,
                kind=form.kind.data,
                body=form.body.data or "",
            )
        except ValidationError as exc:
            session.rollback()
            from portal.forms import apply_errors

            apply_errors(form, exc)
        else:
            session.commit()
            flash(
                _("Thank you. The helpdesk curators of this family will read your feedback."),
                "success",
            )
            return redirect(url_for("clauses.detail", code=found.code) + "#your-feedback")
    return render_template("clauses/feedback.html", form=form, version=found)


# ------------------------------------------------------------------------------------------------
# Helpdesk workspace


@bp.get("/helpdesk/clauses")
@access(Permission.use_helpdesk_workspace)
def workspace():  # type: ignore[no-untyped-def]
    session = get_session()
    space = services.workspace(session, actor=current_user)
    return render_template(
        "clauses/workspace.html",
        space=space,
        families=sorted(services.actor_families(current_user), key=list(Family).index),
        can_process=can(current_user, Permission.process_feedback),
        language_titles=LANGUAGE_TITLES,
        feedback_status=FeedbackStatus,
        ambitions=list(Ambition),
    )


@bp.post("/helpdesk/feedback/<int:feedback_id>/close")
@access(Permission.process_feedback)
def close_feedback(feedback_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    form = forms.CloseFeedbackForm()
    try:
        services.close_feedback(
            session, actor=current_user, feedback_id=feedback_id, reply=form.reply.data or ""
        )
    except ValidationError:
        session.rollback()
        flash(_("Write a reply for the buyer before closing the feedback."), "error")
    else:
        session.commit()
        flash(_("Feedback closed; the buyer sees your reply on the clause page."), "success")
    return redirect(url_for("clauses.workspace") + "#feedback")


@bp.post("/helpdesk/feedback/<int:feedback_id>/draft")
@access(Permission.process_feedback)
def draft_from_feedback(feedback_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    created = services.start_draft_from_feedback(
        session, actor=current_user, feedback_id=feedback_id
    )
    session.commit()
    flash(
        _("The feedback is linked to this draft; it is answered when the draft is published."),
        "success",
    )
    return redirect(url_for("clauses.edit", version_id=created.id))


# ------------------------------------------------------------------------------------------------
# Mandatory base criteria


def _mandatory_choices(form: Any) -> None:
    session = get_session()
    published = session.exec(
        select(ClauseVersion)
        .where(ClauseVersion.status == VersionStatus.published)
        .order_by(ClauseVersion.code)
    ).all()
    form.clause.choices = choices(
        (v.code, f"{v.code} — {localized(v, 'title')}") for v in published
    )
    form.category.choices = choices(
        (c.code, localized(c, "name")) for c in list_categories(session)
    )


@bp.route("/helpdesk/mandatory", methods=["GET", "POST"])
@access(Permission.mark_mandatory)
def mandatory():  # type: ignore[no-untyped-def]
    session = get_session()
    form = forms.MandatoryForm()
    _mandatory_choices(form)
    if request.method == "GET":
        form.applies_from.data = date.today()
    if form.validate_on_submit():
        try:
            services.mark_mandatory(
                session,
                actor=current_user,
                code=form.clause.data,
                category=form.category.data,
                applies_from=form.applies_from.data,
            )
        except ValidationError as exc:
            session.rollback()
            from portal.forms import apply_errors

            apply_errors(form, exc)
        else:
            session.commit()
            flash(_("The clause is now a mandatory base criterion of the category."), "success")
            return redirect(url_for("clauses.mandatory"))
    rules = services.list_mandatory(session)
    today = date.today()
    return render_template(
        "clauses/mandatory.html",
        form=form,
        rules=rules,
        today=today,
        retired=services.retired_clause_ids(session, [clause.id for _r, clause, _c in rules]),
    )


@bp.post("/helpdesk/mandatory/<int:mandatory_id>/lift")
@access(Permission.mark_mandatory)
def lift_mandatory(mandatory_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    form = forms.LiftMandatoryForm()
    if not form.validate():
        flash(_("Give the last day on which the criterion applies."), "error")
        return redirect(url_for("clauses.mandatory"))
    try:
        services.lift_mandatory(
            session, actor=current_user, mandatory_id=mandatory_id, last_day=form.last_day.data
        )
    except ValidationError as exc:
        session.rollback()
        for messages in exc.as_json().values():
            for message in messages:
                flash(message, "error")
    else:
        session.commit()
        flash(_("The mandatory criterion ends on the day you gave."), "success")
    return redirect(url_for("clauses.mandatory"))


# ------------------------------------------------------------------------------------------------
# The clauses panel of a category page


def category_panel(session: Any, category: Any) -> tuple[str, dict[str, Any]]:
    return "clauses/category_panel.html", services.category_panel(session, category)


if category_panel not in CATEGORY_PANELS:
    CATEGORY_PANELS.append(category_panel)
