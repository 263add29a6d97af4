"""The tender builder's tables: dossiers, their clause selections, the documents generated from
them, and the Word templates authorities upload.

A :class:`Dossier` belongs to one contracting authority; only that authority's buyers and
managers (and the regional coordinator) see it. Its clause selection pins exact clause
versions (:class:`DossierClause.version_id`): a newer published version never replaces a pinned
one by itself, the buyer upgrades with one click after reading the diff.

Every generated file is kept (:class:`GeneratedDocument`) with its SHA-256, the template and
its checksum, and the clause versions it used, so the history can be downloaded again and
proven. Uploaded templates (:class:`AuthorityTemplate`) are append-only versions per name.

Who changed what and when is not stored here but in the audit trail (``portal.audit``), with
``entity_type="dossier"`` for everything that concerns one dossier.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from portal.db import UTCDateTime, enum_type, utcnow
from portal.i18n import _l
from portal.lots.rules import ContractType

__all__ = [
    "AuthorityTemplate",
    "ContractType",
    "Dossier",
    "DossierClause",
    "DocumentLanguage",
    "GeneratedDocument",
    "IntendedProcedure",
]


class DocumentLanguage(enum.StrEnum):
    """The language(s) of a dossier's documents (the Brussels Region publishes in both)."""

    #: French only.
    fr = "fr"
    #: Dutch only.
    nl = "nl"
    #: French and Dutch: each generation makes two files.
    both = "both"

    @property
    def title(self) -> str:
        return str(DOCUMENT_LANGUAGE_TITLES[self])

    @property
    def langs(self) -> tuple[str, ...]:
        """The document languages to generate, in order."""
        return ("fr", "nl") if self == DocumentLanguage.both else (self.value,)


DOCUMENT_LANGUAGE_TITLES = {
    DocumentLanguage.fr: _l("French"),
    DocumentLanguage.nl: _l("Dutch"),
    DocumentLanguage.both: _l("French and Dutch"),
}


class IntendedProcedure(enum.StrEnum):
    """The award procedure the buyer intends to follow (law of 17 June 2016).

    The values are keys of :data:`portal.documents.labels.PROCEDURE`, which words them in the
    documents.
    """

    #: Open procedure (art. 36).
    open = "open"
    #: Restricted procedure (art. 37).
    restricted = "restricted"
    #: Competitive procedure with negotiation (art. 38).
    competitive_negotiated = "competitive_negotiated"
    #: Negotiated procedure with prior publication, below the EU thresholds (art. 41).
    negotiated_with_publication = "negotiated_with_publication"
    #: Negotiated procedure without prior publication (art. 42).
    negotiated_without_publication = "negotiated_without_publication"
    #: Low-value contract on accepted invoice (art. 92).
    accepted_invoice = "accepted_invoice"
    #: Light regime for social and other specific services (art. 88-91).
    light_regime = "light_regime"

    @property
    def title(self) -> str:
        return str(PROCEDURE_TITLES[self])


PROCEDURE_TITLES = {
    IntendedProcedure.open: _l("Open procedure"),
    IntendedProcedure.restricted: _l("Restricted procedure"),
    IntendedProcedure.competitive_negotiated: _l("Competitive procedure with negotiation"),
    IntendedProcedure.negotiated_with_publication: _l(
        "Negotiated procedure with prior publication"
    ),
    IntendedProcedure.negotiated_without_publication: _l(
        "Negotiated procedure without prior publication"
    ),
    IntendedProcedure.accepted_invoice: _l("Low-value contract (accepted invoice)"),
    IntendedProcedure.light_regime: _l("Light regime (social and other specific services)"),
}

CONTRACT_TYPE_TITLES = {
    ContractType.works: _l("Works"),
    ContractType.supplies: _l("Supplies"),
    ContractType.services: _l("Services"),
}


class Dossier(SQLModel, table=True):
    """A tender being prepared by a contracting authority."""

    __tablename__ = "dossiers"
    __table_args__ = (
        # An internal reference names one dossier of the authority (empty references are NULL,
        # which never collide).
        sa.UniqueConstraint("authority_id", "reference", name="uq_dossiers_authority_reference"),
    )

    id: int | None = Field(default=None, primary_key=True)
    authority_id: int = Field(foreign_key="contracting_authorities.id", index=True)
    title: str = Field(max_length=300)
    #: What is bought, in a few sentences (goes into the documents).
    subject: str = Field(default="", sa_type=sa.Text)
    #: Dutch title and subject of a bilingual dossier (``language`` "both"): the Dutch documents
    #: print them, while ``title`` and ``subject`` are then the French ones.
    title_nl: str = Field(default="", max_length=300, sa_column_kwargs={"server_default": ""})
    subject_nl: str = Field(default="", sa_type=sa.Text, sa_column_kwargs={"server_default": ""})
    category_id: int = Field(foreign_key="procurement_categories.id", index=True)
    main_cpv: str = Field(foreign_key="cpv_codes.code", max_length=10)
    #: Further CPV codes of the contract, in the buyer's order.
    additional_cpv: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    #: Estimated value excluding VAT, for the whole duration (renewals included).
    estimated_value: Decimal = Field(sa_type=sa.Numeric(14, 2))
    contract_type: ContractType = Field(sa_type=enum_type(ContractType))
    procedure: IntendedProcedure = Field(sa_type=enum_type(IntendedProcedure, 40))
    language: DocumentLanguage = Field(sa_type=enum_type(DocumentLanguage, 8))
    #: Planned publication date; it decides which mandatory criteria apply.
    publication_date: date | None = None
    #: The authority's own reference, such as ``IXL-2027-CLEAN-01`` (unique per authority).
    reference: str | None = Field(default=None, max_length=60)
    #: Weight of the price among the award criteria (0-100); price and the sustainability
    #: criteria must total 100 before a document can be generated.
    price_weight: int = Field(default=100)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    #: Incremented on every change of the dossier or its selection; a stale edit raises
    #: Conflict (optimistic locking). Generated documents record the value they were made from.
    lock_version: int = Field(default=1)

    @declared_attr  # type: ignore[misc]
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.lock_version}

    def title_in(self, lang: str) -> str:
        """The title for documents in ``lang``: the Dutch one in Dutch when bilingual."""
        if lang == "nl" and self.language == DocumentLanguage.both and self.title_nl:
            return self.title_nl
        return self.title

    def subject_in(self, lang: str) -> str:
        """The subject for documents in ``lang``: the Dutch one in Dutch when bilingual."""
        if lang == "nl" and self.language == DocumentLanguage.both and self.title_nl:
            return self.subject_nl
        return self.subject


class DossierClause(SQLModel, table=True):
    """One clause of a dossier's selection, pinned to an exact version."""

    __tablename__ = "dossier_clauses"
    __table_args__ = (
        sa.UniqueConstraint("dossier_id", "clause_code", name="uq_dossier_clauses_dossier_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossiers.id", index=True)
    #: The clause's stable code (a dossier holds each clause once).
    clause_code: str = Field(max_length=20)
    #: The pinned version: the one the documents use until the buyer upgrades.
    version_id: int = Field(foreign_key="clause_versions.id", index=True)
    #: False when the buyer removed the clause (the row keeps its values and justification).
    is_included: bool = True
    #: True when the clause was a mandatory base criterion when it was last saved.
    is_mandatory: bool = False
    #: The buyer's parameter values, checked against the pinned version's parameter types.
    parameter_values: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    #: Award criteria only: the weight out of 100.
    weight: int | None = None
    #: Why a mandatory base criterion was removed (required to remove one).
    removal_justification: str = Field(default="", sa_type=sa.Text)
    #: Order within its placement in the documents.
    position: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AuthorityTemplate(SQLModel, table=True):
    """One version of a Word template an authority manager uploaded.

    Versions are numbered per authority and name; uploading the same name again adds a version.
    Only validated files are stored; the validation report is kept with them.
    """

    __tablename__ = "authority_templates"
    __table_args__ = (
        sa.UniqueConstraint(
            "authority_id", "name", "version", name="uq_authority_templates_name_version"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    authority_id: int = Field(foreign_key="contracting_authorities.id", index=True)
    name: str = Field(max_length=120)
    version: int = 1
    #: What it produces: ``complete`` or the key of one section (portal.documents.builtin).
    kind: str = Field(default="complete", max_length=40)
    #: The name of the uploaded file.
    filename: str = Field(max_length=255)
    content: bytes = Field(sa_type=sa.LargeBinary)
    size: int
    #: SHA-256 of ``content``, in hex: the template's identity in generated documents.
    sha256: str = Field(max_length=64)
    #: What the validator found: variables used, warnings (plain data).
    report: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    #: Buyers of the authority may choose active versions when they generate a document.
    is_active: bool = True
    uploaded_by_id: int | None = Field(default=None, foreign_key="users.id")
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class GeneratedDocument(SQLModel, table=True):
    """A Word file generated from a dossier, kept so that it can be downloaded again."""

    __tablename__ = "generated_documents"
    __table_args__ = (sa.Index("ix_generated_documents_dossier_created", "dossier_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    #: Indexed with ``id`` (the history lists a dossier's documents newest first).
    dossier_id: int = Field(foreign_key="dossiers.id")
    #: ``complete`` or the key of one section (portal.documents.builtin.SECTIONS).
    kind: str = Field(max_length=40)
    lang: str = Field(max_length=2)
    #: The uploaded template used, or empty for Clausier's built-in template.
    template_id: int | None = Field(default=None, foreign_key="authority_templates.id")
    #: How the template is shown in the history (built-in, or the upload's name).
    template_name: str = Field(max_length=160)
    #: The uploaded template's version number (empty for the built-in one).
    template_version: int | None = None
    #: SHA-256 of the template file used.
    template_sha256: str = Field(max_length=64)
    #: The pinned clause versions used: ``[{"code", "number", "version_id"}]`` in document order.
    clause_versions: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    #: The dossier's ``lock_version`` at generation: a different one means it changed since.
    dossier_revision: int
    filename: str = Field(max_length=200)
    content: bytes = Field(sa_type=sa.LargeBinary)
    size: int
    #: SHA-256 of ``content``, in hex.
    sha256: str = Field(max_length=64)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
