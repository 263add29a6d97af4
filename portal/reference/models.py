"""Reference data: CPV codes, procurement categories, NUTS regions and contracting authorities."""

from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from portal.db import enum_type
from portal.i18n import _l


class AuthorityKind(enum.StrEnum):
    """Kind of contracting authority in the sense of the EU thresholds (Dir. 2014/24/EU art. 4)."""

    #: Central government authorities listed in Annex I of the directive (federal bodies).
    central = "central"
    #: Every other contracting authority: regions, municipalities, CPAS/OCMW, public bodies.
    sub_central = "sub_central"

    @property
    def title(self) -> str:
        return str(AUTHORITY_KIND_TITLES[self])


AUTHORITY_KIND_TITLES = {
    AuthorityKind.central: _l("Central government authority"),
    AuthorityKind.sub_central: _l("Sub-central contracting authority"),
}


class AuthorityType(enum.StrEnum):
    """What sort of body a contracting authority is."""

    #: The Brussels Regional Public Service and its administrations.
    regional_administration = "regional_administration"
    #: Regional public-interest bodies and agencies.
    regional_body = "regional_body"
    #: One of the 19 municipalities.
    municipality = "municipality"
    #: A public social welfare centre (CPAS/OCMW).
    cpas = "cpas"
    #: A federal body seated in Brussels.
    federal = "federal"

    @property
    def title(self) -> str:
        return str(AUTHORITY_TYPE_TITLES[self])


AUTHORITY_TYPE_TITLES = {
    AuthorityType.regional_administration: _l("Regional administration"),
    AuthorityType.regional_body: _l("Regional public body"),
    AuthorityType.municipality: _l("Municipality"),
    AuthorityType.cpas: _l("Public social welfare centre (CPAS/OCMW)"),
    AuthorityType.federal: _l("Federal body"),
}


class CpvCode(SQLModel, table=True):
    """One code of the CPV 2008 main vocabulary, with its labels in three languages."""

    __tablename__ = "cpv_codes"

    #: The full code with its check digit, for example ``45000000-7``.
    code: str = Field(primary_key=True, max_length=10)
    #: The eight digits without the check digit.
    digits: str = Field(max_length=8, index=True, unique=True)
    #: 2 = division, 3 = group, 4 = class, 5 = category, 6-8 = sub-categories.
    level: int
    parent_code: str | None = Field(default=None, max_length=10, index=True)
    label_en: str = Field(max_length=400)
    label_fr: str = Field(max_length=400)
    label_nl: str = Field(max_length=400)
    #: Lower-case, accent-free code and labels in all languages, for searching.
    search_text: str = Field(sa_type=sa.Text)


class ProcurementCategory(SQLModel, table=True):
    """A procurement category buyers recognise (catering, cleaning, IT hardware...)."""

    __tablename__ = "procurement_categories"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    position: int = 0
    name_fr: str = Field(max_length=200)
    name_nl: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    description_fr: str = Field(default="", sa_type=sa.Text)
    description_nl: str = Field(default="", sa_type=sa.Text)
    description_en: str = Field(default="", sa_type=sa.Text)


class CategoryCpv(SQLModel, table=True):
    """A CPV code that a category covers, with all the codes below it."""

    __tablename__ = "category_cpv_codes"

    category_id: int = Field(foreign_key="procurement_categories.id", primary_key=True)
    cpv_code: str = Field(foreign_key="cpv_codes.code", primary_key=True, max_length=10)


class NutsRegion(SQLModel, table=True):
    """A Belgian NUTS region (eForms/TED list)."""

    __tablename__ = "nuts_regions"

    code: str = Field(primary_key=True, max_length=5)
    level: int
    parent_code: str | None = Field(default=None, max_length=5)
    label: str = Field(max_length=200)


class ContractingAuthority(SQLModel, table=True):
    """A contracting authority: a regional body, a municipality, a CPAS/OCMW or a federal body."""

    __tablename__ = "contracting_authorities"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=60, unique=True, index=True)
    name_fr: str = Field(max_length=300)
    name_nl: str = Field(max_length=300)
    name_en: str = Field(default="", max_length=300)
    kind: AuthorityKind = Field(sa_type=enum_type(AuthorityKind))
    type: AuthorityType = Field(sa_type=enum_type(AuthorityType))
    nuts_code: str = Field(foreign_key="nuts_regions.code", max_length=5)
    #: For municipalities and CPAS/OCMW: the municipality (French name) they belong to.
    municipality: str | None = Field(default=None, max_length=80)
