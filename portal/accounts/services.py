"""Account services: users, passwords, company registration and password reset."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from email_validator import EmailNotValidError, validate_email
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlmodel import Session, select

from portal.accounts.models import AUTHORITY_ROLES, THEMED_ROLES, Role, Theme, User
from portal.accounts.permissions import Permission, require
from portal.audit.services import record
from portal.companies.models import Company, CompanySize
from portal.db import utcnow
from portal.errors import NotFound, PermissionDenied, ValidationError
from portal.i18n import _l
from portal.reference.models import ContractingAuthority

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so that both paths take the same time.
_DUMMY_HASH = _hasher.hash("clausier-timing-equaliser")


def use_fast_hashing() -> None:
    """Switch to cheap argon2 parameters. For the test suite only: never in production."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    _DUMMY_HASH = _hasher.hash("clausier-timing-equaliser")


LANGS = ("fr", "nl", "en")
DEFAULT_MIN_PASSWORD = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def normalise_email(raw: str, field: str = "email") -> str:
    try:
        return validate_email((raw or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise ValidationError.single(field, _l("Enter a valid e-mail address.")) from None


def check_password_strength(
    password: str, min_length: int = DEFAULT_MIN_PASSWORD, field: str = "password"
) -> None:
    """:raises ValidationError: the password is too short or too simple."""
    problems = []
    if len(password or "") < min_length:
        problems.append(_l("Use at least %(n)d characters.", n=min_length))
    elif len(set(password)) < 5:
        problems.append(_l("Use a less repetitive password."))
    if len(password or "") > 256:
        problems.append(_l("Use at most 256 characters."))
    if problems:
        raise ValidationError({field: problems})


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_l("There is no such user."))
    return user


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == (email or "").strip().lower())).first()


def load_user_from_session_id(session: Session, session_id: str) -> User | None:
    """Resolve Flask-Login's ``id:password-change`` token to an active user, or None."""
    try:
        raw_id, stamp = session_id.split(":", 1)
        user = session.get(User, int(raw_id))
    except (ValueError, TypeError):
        return None
    if user is None or not user.is_active:
        return None
    if str(int(user.password_changed_at.timestamp())) != stamp:
        return None
    return user


def authenticate(session: Session, email: str, password: str) -> User:
    """Return the active user with these credentials.

    :raises ValidationError: unknown e-mail, wrong password or disabled account (one message).
    """
    user = find_user_by_email(session, email)
    if user is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password or "x")
        ok = False
    else:
        ok = verify_password(user, password or "")
    if not ok or user is None or not user.is_active:
        raise ValidationError.single("", _l("The e-mail address or the password is not correct."))
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    record(session, actor=user, action="user.logged_in", entity_type="user", entity_id=user.id)
    return user


def _check_role_links(
    session: Session,
    role: Role,
    authority_id: int | None,
    themes: list[str],
    company_id: int | None,
) -> tuple[int | None, list[str], int | None]:
    errors: dict[str, list[Any]] = {}
    if role in AUTHORITY_ROLES:
        if authority_id is None or session.get(ContractingAuthority, authority_id) is None:
            errors["authority_id"] = [_l("Choose the contracting authority of this buyer.")]
    else:
        authority_id = None
    clean_themes: list[str] = []
    if role in THEMED_ROLES:
        for theme in themes or []:
            if theme not in Theme.__members__:
                errors.setdefault("themes", []).append(_l("Unknown theme “%(t)s”.", t=theme[:30]))
            elif theme not in clean_themes:
                clean_themes.append(theme)
        if not clean_themes and "themes" not in errors:
            errors["themes"] = [_l("Choose at least one theme.")]
    if role == Role.company:
        if company_id is None:
            errors["company_id"] = [_l("A company account needs a company profile.")]
    else:
        company_id = None
    if errors:
        raise ValidationError(errors)
    return authority_id, clean_themes, company_id


def create_user(
    session: Session,
    *,
    actor: User | None,
    email: str,
    full_name: str,
    role: Role | str,
    password: str,
    authority_id: int | None = None,
    themes: list[str] | None = None,
    company_id: int | None = None,
    locale: str = "fr",
    min_password_length: int = DEFAULT_MIN_PASSWORD,
) -> User:
    """Create an account. Only coordinators (or the CLI, with ``actor=None``) may do this.

    :raises PermissionDenied: the actor is not a coordinator.
    :raises ValidationError: a field is missing or invalid, or the e-mail is taken.
    """
    if actor is not None:
        require(actor, Permission.manage_users)
    errors: dict[str, list[Any]] = {}
    try:
        role = Role(role)
    except ValueError:
        errors["role"] = [_l("Unknown role.")]
    try:
        email = normalise_email(email)
        if find_user_by_email(session, email) is not None:
            errors["email"] = [_l("An account with this e-mail address already exists.")]
    except ValidationError as exc:
        errors.update(exc.errors)
    full_name = (full_name or "").strip()
    if not full_name:
        errors["full_name"] = [_l("Enter a name.")]
    elif len(full_name) > 200:
        errors["full_name"] = [_l("Use at most %(n)d characters.", n=200)]
    try:
        check_password_strength(password, min_password_length)
    except ValidationError as exc:
        errors.update(exc.errors)
    if locale not in LANGS:
        errors["locale"] = [_l("Choose French, Dutch or English.")]
    if "role" not in errors:
        try:
            authority_id, clean_themes, company_id = _check_role_links(
                session, Role(role), authority_id, themes or [], company_id
            )
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    user = User(
        email=email,
        full_name=full_name,
        password_hash=hash_password(password),
        role=Role(role),
        authority_id=authority_id,
        themes=clean_themes,
        company_id=company_id,
        locale=locale,
    )
    session.add(user)
    session.flush()
    record(
        session,
        actor=actor,
        action="user.created",
        entity_type="user",
        entity_id=user.id,
        data={"email": email, "role": role, "authority_id": authority_id, "themes": clean_themes},
    )
    return user


def update_user(
    session: Session,
    *,
    actor: User,
    user_id: int,
    full_name: str,
    role: Role | str,
    authority_id: int | None,
    themes: list[str],
    is_active: bool,
) -> User:
    """Change a user's name, role, authority, themes or active flag (coordinators only).

    :raises PermissionDenied: the actor is not a coordinator, or tries to demote themselves.
    :raises ValidationError: invalid role links.
    """
    require(actor, Permission.manage_users)
    user = get_user(session, user_id)
    try:
        role = Role(role)
    except ValueError:
        raise ValidationError.single("role", _l("Unknown role.")) from None
    if user.id == actor.id and (role != Role.coordinator or not is_active):
        raise PermissionDenied(_l("You cannot remove your own coordinator access."))
    full_name = (full_name or "").strip()
    if not full_name:
        raise ValidationError.single("full_name", _l("Enter a name."))
    authority_id, clean_themes, company_id = _check_role_links(
        session, role, authority_id, themes, user.company_id
    )
    before = {
        "full_name": user.full_name,
        "role": user.role.value,
        "authority_id": user.authority_id,
        "themes": list(user.themes),
        "is_active": user.is_active,
    }
    user.full_name = full_name
    user.role = role
    user.authority_id = authority_id
    user.themes = clean_themes
    user.company_id = company_id
    user.is_active = bool(is_active)
    after = {
        "full_name": user.full_name,
        "role": user.role.value,
        "authority_id": user.authority_id,
        "themes": list(user.themes),
        "is_active": user.is_active,
    }
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changes:
        record(
            session,
            actor=actor,
            action="user.updated",
            entity_type="user",
            entity_id=user.id,
            data=changes,
        )
    return user


def update_profile(session: Session, *, user: User, full_name: str, locale: str) -> User:
    """Let a user change their own name and preferred language.

    :raises ValidationError: empty name or unknown language.
    """
    full_name = (full_name or "").strip()
    errors: dict[str, list[Any]] = {}
    if not full_name:
        errors["full_name"] = [_l("Enter a name.")]
    if locale not in LANGS:
        errors["locale"] = [_l("Choose French, Dutch or English.")]
    if errors:
        raise ValidationError(errors)
    if (user.full_name, user.locale) != (full_name, locale):
        record(
            session,
            actor=user,
            action="user.profile_updated",
            entity_type="user",
            entity_id=user.id,
            data={"full_name": full_name, "locale": locale},
        )
    user.full_name = full_name
    user.locale = locale
    return user


def change_password(
    session: Session,
    *,
    user: User,
    current_password: str,
    new_password: str,
    min_password_length: int = DEFAULT_MIN_PASSWORD,
) -> User:
    """Change a user's password after checking the current one; ends other sessions.

    :raises ValidationError: wrong current password or weak new password.
    """
    if not verify_password(user, current_password or ""):
        raise ValidationError.single("current_password", _l("The current password is not correct."))
    check_password_strength(new_password, min_password_length, field="new_password")
    _set_password(session, user, new_password, "user.password_changed")
    return user


def _set_password(session: Session, user: User, password: str, action: str) -> None:
    user.password_hash = hash_password(password)
    # One second later at least, so that the session token changes even within the same second.
    now = utcnow()
    if int(now.timestamp()) <= int(user.password_changed_at.timestamp()):
        from datetime import timedelta

        now = user.password_changed_at + timedelta(seconds=1)
    user.password_changed_at = now
    record(session, actor=user, action=action, entity_type="user", entity_id=user.id)


# --------------------------------------------------------------------------------------------
# Password reset

_RESET_SALT = "clausier.password-reset"


def _reset_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_RESET_SALT)


def make_reset_token(user: User, secret_key: str) -> str:
    # The token is bound to the current hash, so it stops working once used.
    return _reset_serializer(secret_key).dumps({"uid": user.id, "h": user.password_hash[-16:]})


def request_password_reset(
    session: Session, email: str, secret_key: str
) -> tuple[User, str] | None:
    """Return the user and a reset token, or None when no active account has this e-mail.

    The caller shows the same message in both cases, so accounts cannot be discovered.
    """
    user = find_user_by_email(session, email)
    if user is None or not user.is_active:
        return None
    record(
        session,
        actor=None,
        action="user.password_reset_requested",
        entity_type="user",
        entity_id=user.id,
    )
    return user, make_reset_token(user, secret_key)


def user_for_reset_token(session: Session, token: str, secret_key: str, max_age: int) -> User:
    """:raises ValidationError: the link is invalid, used or expired."""
    invalid = ValidationError.single(
        "", _l("This reset link is invalid or has expired. Ask for a new one.")
    )
    try:
        data = _reset_serializer(secret_key).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        raise invalid from None
    user = session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or not user.is_active or user.password_hash[-16:] != data.get("h"):
        raise invalid
    return user


def reset_password(
    session: Session,
    *,
    token: str,
    new_password: str,
    secret_key: str,
    max_age: int,
    min_password_length: int = DEFAULT_MIN_PASSWORD,
) -> User:
    """Set a new password from a reset link.

    :raises ValidationError: bad link or weak password.
    """
    user = user_for_reset_token(session, token, secret_key, max_age)
    check_password_strength(new_password, min_password_length, field="new_password")
    _set_password(session, user, new_password, "user.password_reset")
    return user


# --------------------------------------------------------------------------------------------
# Company registration

_KBO = re.compile(r"^[01]\d{9}$")


def normalise_enterprise_number(raw: str, field: str = "enterprise_number") -> str | None:
    """Check a Belgian enterprise number (BCE/KBO): ten digits, last two = 97 - (first 8 mod 97).

    :raises ValidationError: malformed number or wrong check digits.
    """
    digits = re.sub(r"[\s.]", "", (raw or "").upper().removeprefix("BE"))
    if not digits:
        return None
    if len(digits) == 9:
        digits = "0" + digits
    if not _KBO.match(digits):
        raise ValidationError.single(
            field, _l("An enterprise number has ten digits, for example 0123.456.749.")
        )
    if 97 - int(digits[:8]) % 97 != int(digits[8:]):
        raise ValidationError.single(
            field, _l("This enterprise number is not valid (its check digits do not match).")
        )
    return digits


def register_company(
    session: Session,
    *,
    email: str,
    full_name: str,
    password: str,
    company_name: str,
    enterprise_number: str,
    size: CompanySize | str,
    is_social_economy: bool,
    municipality: str = "",
    locale: str = "fr",
    min_password_length: int = DEFAULT_MIN_PASSWORD,
) -> User:
    """Create a company profile and its account (public self-registration).

    :raises ValidationError: invalid or duplicate data; nothing is stored then.
    """
    errors: dict[str, list[Any]] = {}
    company_name = (company_name or "").strip()
    if not company_name:
        errors["company_name"] = [_l("Enter the company's name.")]
    elif len(company_name) > 200:
        errors["company_name"] = [_l("Use at most %(n)d characters.", n=200)]
    number = None
    try:
        number = normalise_enterprise_number(enterprise_number)
        if (
            number
            and session.exec(select(Company).where(Company.enterprise_number == number)).first()
        ):
            errors["enterprise_number"] = [
                _l("This enterprise is already registered. Ask its account holder to add you.")
            ]
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        size = CompanySize(size)
    except ValueError:
        errors["size"] = [_l("Choose the size of the company.")]
    if errors:
        # Check the account fields too, so that every problem is shown at once.
        try:
            normalise_email(email)
            check_password_strength(password, min_password_length)
        except ValidationError as exc:
            errors.update(exc.errors)
        raise ValidationError(errors)
    company = Company(
        name=company_name,
        enterprise_number=number,
        size=CompanySize(size),
        is_social_economy=bool(is_social_economy),
        municipality=municipality or "",
    )
    session.add(company)
    session.flush()
    user = create_user(
        session,
        actor=None,
        email=email,
        full_name=full_name,
        role=Role.company,
        password=password,
        company_id=company.id,
        locale=locale,
        min_password_length=min_password_length,
    )
    record(
        session,
        actor=user,
        action="company.registered",
        entity_type="company",
        entity_id=company.id,
        data={"name": company.name},
    )
    return user
