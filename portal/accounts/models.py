"""User accounts, roles and helpdesk themes."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from portal.db import UTCDateTime, enum_type, utcnow
from portal.i18n import _l


class Role(enum.StrEnum):
    """What a user does on the portal. Visitors (anonymous) have no account and no role."""

    #: An SME or social-economy enterprise, tied to one company profile.
    company = "company"
    #: A member of one contracting authority who prepares tenders.
    buyer = "buyer"
    #: A buyer who also approves the authority's action plan and uploads its Word templates.
    authority_manager = "authority_manager"
    #: A helpdesk facilitator who curates the clauses of one or more themes.
    curator = "curator"
    #: A member of a thematic working group: proposes drafts and comments, never publishes.
    expert = "expert"
    #: The regional coordination: administers everything.
    coordinator = "coordinator"

    @property
    def title(self) -> str:
        return str(ROLE_TITLES[self])


ROLE_TITLES = {
    Role.company: _l("Company"),
    Role.buyer: _l("Buyer"),
    Role.authority_manager: _l("Authority manager"),
    Role.curator: _l("Helpdesk curator"),
    Role.expert: _l("Expert"),
    Role.coordinator: _l("Coordinator"),
}

#: Roles that belong to a contracting authority.
AUTHORITY_ROLES = frozenset({Role.buyer, Role.authority_manager})
#: Roles that work on given helpdesk themes.
THEMED_ROLES = frozenset({Role.curator, Role.expert})


class Theme(enum.StrEnum):
    """A helpdesk theme, each run by one facilitator."""

    #: Environmental clauses (Brussels Environment).
    environmental = "environmental"
    #: Social and ethical clauses (Actiris).
    social = "social"
    #: Anti-social-dumping clauses (Observatory of reference prices).
    anti_dumping = "anti_dumping"
    #: Pro-SME clauses (Brussels Economy and Employment).
    pro_sme = "pro_sme"
    #: Innovation procurement (Innoviris).
    innovation = "innovation"

    @property
    def title(self) -> str:
        return str(THEME_TITLES[self])


THEME_TITLES = {
    Theme.environmental: _l("Environmental"),
    Theme.social: _l("Social and ethical"),
    Theme.anti_dumping: _l("Anti-social-dumping"),
    Theme.pro_sme: _l("Pro-SME"),
    Theme.innovation: _l("Innovation"),
}


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    #: Stored in lower case; unique.
    email: str = Field(max_length=254, unique=True, index=True)
    full_name: str = Field(max_length=200)
    #: An argon2id hash (never the password itself).
    password_hash: str = Field(max_length=255)
    role: Role = Field(sa_type=enum_type(Role))
    #: For buyers and authority managers: their contracting authority.
    authority_id: int | None = Field(
        default=None, foreign_key="contracting_authorities.id", index=True
    )
    #: For company accounts: their company profile.
    company_id: int | None = Field(default=None, foreign_key="companies.id", index=True)
    #: For curators and experts: the themes they work on (Theme values).
    themes: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    #: Preferred language (fr, nl or en).
    locale: str = Field(default="fr", max_length=5)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: Changing it logs out every other session of this user.
    password_changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    # Flask-Login protocol -------------------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        # The session carries the id and the time of the last password change, so that
        # changing or resetting a password ends every other session.
        return f"{self.id}:{int(self.password_changed_at.timestamp())}"

    # Helpers --------------------------------------------------------------------------------
    @property
    def theme_set(self) -> frozenset[Theme]:
        return frozenset(Theme(t) for t in self.themes or [] if t in Theme.__members__)

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles
