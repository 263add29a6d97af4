"""Company profiles: the SMEs and social-economy enterprises that use the portal."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from portal.db import UTCDateTime, enum_type, utcnow
from portal.i18n import _l


class CompanySize(enum.StrEnum):
    """Size class of Commission Recommendation 2003/361/EC."""

    #: Fewer than 10 staff and turnover or balance sheet total of at most EUR 2 million.
    micro = "micro"
    #: Fewer than 50 staff and turnover or balance sheet total of at most EUR 10 million.
    small = "small"
    #: Fewer than 250 staff; turnover up to EUR 50 million or balance sheet up to EUR 43 million.
    medium = "medium"
    #: Anything larger.
    large = "large"

    @property
    def title(self) -> str:
        return str(COMPANY_SIZE_TITLES[self])


COMPANY_SIZE_TITLES = {
    CompanySize.micro: _l("Micro-enterprise (fewer than 10 staff, up to €2 million)"),
    CompanySize.small: _l("Small enterprise (fewer than 50 staff, up to €10 million)"),
    CompanySize.medium: _l("Medium-sized enterprise (fewer than 250 staff, up to €50 million)"),
    CompanySize.large: _l("Large enterprise"),
}


class Company(SQLModel, table=True):
    __tablename__ = "companies"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    #: Belgian enterprise number (BCE/KBO), ten digits, for example 0123456749.
    enterprise_number: str | None = Field(default=None, max_length=10, unique=True)
    size: CompanySize = Field(sa_type=enum_type(CompanySize))
    #: A social-economy or sheltered-work enterprise (relevant for reserved contracts).
    is_social_economy: bool = False
    description: str = Field(default="", sa_type=sa.Text)
    website: str = Field(default="", max_length=300)
    contact_email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=40)
    #: One of the 19 Brussels municipalities (code), or empty when based elsewhere.
    municipality: str = Field(default="", max_length=40)
    #: Procurement category codes the company offers.
    sectors: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
