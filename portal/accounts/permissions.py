"""Who may do what: one mapping from role to permissions, checked by services and views.

Services call :func:`require` before they change anything; object-level rules (a buyer sees only
their authority's dossiers, a curator edits only the families of their themes) live in the
services of each domain, on top of these role permissions. Views declare the permission a route
needs with :func:`access`, which the route/role matrix test reads.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, redirect, request, url_for
from flask_login import current_user

from portal.accounts.models import Role
from portal.errors import PermissionDenied
from portal.i18n import _l


class Permission(enum.StrEnum):
    # accounts and administration
    manage_users = "manage_users"
    view_audit = "view_audit"
    manage_reference_data = "manage_reference_data"
    edit_own_company = "edit_own_company"
    # clause library
    propose_clause = "propose_clause"
    comment_clause = "comment_clause"
    edit_clause = "edit_clause"
    review_clause = "review_clause"
    publish_clause = "publish_clause"
    retire_clause = "retire_clause"
    mark_mandatory = "mark_mandatory"
    give_feedback = "give_feedback"
    process_feedback = "process_feedback"
    use_helpdesk_workspace = "use_helpdesk_workspace"
    # tender builder and lots
    manage_dossiers = "manage_dossiers"
    manage_templates = "manage_templates"
    # action plans
    approve_action_plan = "approve_action_plan"


_BUYER = {Permission.manage_dossiers, Permission.give_feedback}
_CURATOR = {
    Permission.propose_clause,
    Permission.comment_clause,
    Permission.edit_clause,
    Permission.review_clause,
    Permission.publish_clause,
    Permission.retire_clause,
    Permission.process_feedback,
    Permission.use_helpdesk_workspace,
}

#: The single source of truth for role permissions.
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.company: frozenset({Permission.edit_own_company}),
    Role.buyer: frozenset(_BUYER),
    Role.authority_manager: frozenset(
        _BUYER | {Permission.manage_templates, Permission.approve_action_plan}
    ),
    Role.curator: frozenset(_CURATOR),
    Role.expert: frozenset(
        {Permission.propose_clause, Permission.comment_clause, Permission.use_helpdesk_workspace}
    ),
    Role.coordinator: frozenset(Permission) - {Permission.edit_own_company},
}


def can(actor: Any, permission: Permission) -> bool:
    """True when ``actor`` (a User, or None for an anonymous visitor) holds ``permission``."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if not getattr(actor, "is_active", False):
        return False
    return permission in ROLE_PERMISSIONS.get(actor.role, frozenset())


def require(actor: Any, permission: Permission, message: Any = None) -> None:
    """Raise PermissionDenied unless ``actor`` holds ``permission``.

    :raises PermissionDenied: the actor lacks the permission.
    """
    if not can(actor, permission):
        raise PermissionDenied(message or _l("You do not have permission to do this."))


def roles_with(permission: Permission) -> frozenset[Role]:
    return frozenset(role for role, perms in ROLE_PERMISSIONS.items() if permission in perms)


# --------------------------------------------------------------------------------------------
# Route access declarations

#: Anyone, logged in or not.
PUBLIC = "public"
#: Any logged-in user.
AUTHENTICATED = "authenticated"

F = TypeVar("F", bound=Callable[..., Any])


def access(policy: str | Permission) -> Callable[[F], F]:
    """Declare and enforce who may open a route: PUBLIC, AUTHENTICATED or a Permission.

    Anonymous visitors are sent to the login page (or get a 401 on the API); logged-in users
    without the permission get a 403 page.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if policy != PUBLIC:
                if not current_user.is_authenticated:
                    if request.path.startswith("/api/"):
                        abort(401)
                    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
                if isinstance(policy, Permission) and not can(current_user, policy):
                    abort(403)
            return view(*args, **kwargs)

        wrapped.access_policy = policy  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator
