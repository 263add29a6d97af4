"""The context contract: the plain data every Word template receives.

A context builder (the tender builder) turns a dossier, its pinned clause versions and its lots
into a :class:`DocumentContext`; :meth:`DocumentContext.to_dict` gives the JSON-able dict that
:func:`portal.documents.render_docx` renders. No ORM object ever reaches a template.

The dataclasses below *are* the contract: every field is a template variable of the same name
(``dossier.title``, ``clauses.award``, ``lots.lots``...), documented by the ``doc`` of its field
(shown on the help page in the visitor's language). :func:`context_schema` and
:func:`context_variables` derive the variable tree from them; the validator of uploaded
templates checks every tag against that tree.

Value conventions in the dict form:

* texts are plain ``str`` in the document language (never markup: the renderer escapes them);
* amounts (``kind="money"``) and other numbers are JSON numbers (``int`` when whole, else
  ``float``); format them with the ``money``, ``number`` and ``percent`` filters;
* dates are ISO strings (``"2027-02-15"``); format them with the ``date`` filter;
* lists are JSON arrays; an optional value is ``null`` (test it with ``{% if ... %}``).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from portal.clauses.content import legal_reference
from portal.clauses.rendering import paragraphs, render_text
from portal.clauses.vocabulary import Family, Placement
from portal.documents import labels
from portal.i18n import _l

#: Document languages of the Word templates.
DOCUMENT_LANGS = ("fr", "nl")
#: Every language the formatting filters know (English is for previews and tests).
CONTEXT_LANGS = ("fr", "nl", "en")
#: The order in which placements appear in the documents and the checklist.
PLACEMENT_ORDER = (
    Placement.procedure,
    Placement.exclusion,
    Placement.selection,
    Placement.technical_specification,
    Placement.award,
    Placement.performance,
)


class ContextError(ValueError):
    """The data breaks the context contract (a programming error in a context builder)."""


def doc(text: Any, kind: str = "", **kwargs: Any) -> Any:
    """Declare a context field with its documentation and, for numbers, how it is formatted."""
    return field(metadata={"doc": text, "kind": kind}, **kwargs)


# ----------------------------------------------------------------------------------------------
# The records


@dataclass(frozen=True, slots=True)
class Cpv:
    """A CPV code with its label."""

    code: str = doc(_l("CPV code, such as 90910000-9."))
    label: str = doc(_l("Official label of the CPV code in the document language."))


@dataclass(frozen=True, slots=True)
class Authority:
    """The contracting authority."""

    name: str = doc(_l("Name of the contracting authority in the document language."))
    name_fr: str = doc(_l("Name of the contracting authority in French."))
    name_nl: str = doc(_l("Name of the contracting authority in Dutch."))


@dataclass(frozen=True, slots=True)
class Dossier:
    """The tender dossier."""

    title: str = doc(_l("Title of the contract."))
    reference: str = doc(_l("Internal reference of the dossier."))
    subject: str = doc(_l("Subject of the contract: what is bought, in a few sentences."))
    category: str = doc(_l("Name of the procurement category."))
    contract_type: str = doc(_l("Type of contract: works, supplies or services (code)."))
    contract_type_label: str = doc(_l("Type of contract, in words."))
    procedure: str = doc(_l("Intended award procedure (code)."))
    procedure_label: str = doc(_l("Intended award procedure, in words."))
    estimated_value: Decimal = doc(
        _l("Estimated value excluding VAT, for the whole duration (format with money)."), "money"
    )
    main_cpv: Cpv = doc(_l("Main CPV code."))
    additional_cpv: tuple[Cpv, ...] = doc(_l("Additional CPV codes (a list)."))
    publication_date: date | None = doc(
        _l("Planned publication date, or empty (format with date)."), "date"
    )


@dataclass(frozen=True, slots=True)
class Verification:
    """A control instrument (MPDI 7): what evidence, when, and how the buyer checks it."""

    evidence: str = doc(_l("Kind of evidence (code), such as label or declaration."))
    evidence_label: str = doc(_l("Kind of evidence, in words."))
    stage: str = doc(_l("When it is checked (code): award or execution."))
    stage_label: str = doc(_l("When it is checked, in words."))
    what: str = doc(_l("What the tenderer or contractor provides."))
    how: str = doc(_l("How the buyer checks it."))


@dataclass(frozen=True, slots=True)
class Clause:
    """One chosen clause, filled in with the buyer's parameters, in the document language."""

    code: str = doc(_l("Code of the clause, such as CLEAN-ENV-001."))
    version: int = doc(_l("Number of the pinned version of the clause."))
    title: str = doc(_l("Title of the clause."))
    paragraphs: tuple[str, ...] = doc(
        _l("Text of the clause, filled in with the parameters: a list of paragraphs.")
    )
    family: str = doc(_l("Family of the clause (code), such as environmental or social."))
    family_label: str = doc(_l("Family of the clause, in words."))
    ambition: str = doc(_l("Ambition level (code): base, advanced or ambitious."))
    ambition_label: str = doc(_l("Ambition level, in words."))
    placement: str = doc(_l("Where the clause goes (code), such as award or performance."))
    placement_label: str = doc(_l("Where the clause goes, in words."))
    weight: int | None = doc(
        _l("Weight of an award criterion out of 100; empty for other clauses."), "percent"
    )
    scoring: tuple[str, ...] = doc(
        _l("How offers are scored on an award criterion: a list of paragraphs (else empty).")
    )
    verification: tuple[Verification, ...] = doc(
        _l("Control instruments: what evidence, when and how it is checked (a list).")
    )
    legal_basis: tuple[str, ...] = doc(_l("Legal basis: one line per instrument and article."))
    reference: str = doc(
        _l("Discreet reference printed under the clause: code and version, such as “v2”."),
        default="",
    )

    def __post_init__(self) -> None:
        if self.version < 1:
            raise ContextError(f"{self.code}: version numbers start at 1")
        if not self.reference:
            object.__setattr__(self, "reference", f"{self.code} v{self.version}")
        if (self.placement == Placement.award) != (self.weight is not None):
            raise ContextError(f"{self.code}: award criteria, and only they, have a weight")
        if not self.paragraphs:
            raise ContextError(f"{self.code}: a clause has at least one paragraph")
        if not self.verification:
            # As in the corpus (MPDI 7): every clause says how it is checked; the checklist
            # table also needs at least one paragraph per cell.
            raise ContextError(f"{self.code}: a clause has at least one control instrument")


@dataclass(frozen=True, slots=True)
class ClauseGroups:
    """The chosen clauses, grouped by placement, in document order."""

    procedure: tuple[Clause, ...] = doc(
        _l("Provisions of the procedure: lots, deadlines, visits, variants (a list of clauses)."),
        default=(),
    )
    exclusion: tuple[Clause, ...] = doc(_l("Exclusion grounds (a list of clauses)."), default=())
    selection: tuple[Clause, ...] = doc(_l("Selection criteria (a list of clauses)."), default=())
    technical_specification: tuple[Clause, ...] = doc(
        _l("Technical specifications (a list of clauses)."), default=()
    )
    award: tuple[Clause, ...] = doc(_l("Award criteria (a list of clauses)."), default=())
    performance: tuple[Clause, ...] = doc(
        _l("Contract performance clauses (a list of clauses)."), default=()
    )

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for placement in PLACEMENT_ORDER:
            for clause in getattr(self, placement.value):
                if clause.placement != placement:
                    raise ContextError(f"{clause.code} is a {clause.placement}, not a {placement}")
                if clause.code in seen:
                    raise ContextError(f"{clause.code} is chosen twice")
                seen.add(clause.code)

    def all(self) -> list[Clause]:
        """Return every clause in document order (placements in :data:`PLACEMENT_ORDER`)."""
        return [c for p in PLACEMENT_ORDER for c in getattr(self, p.value)]


@dataclass(frozen=True, slots=True)
class WeightRow:
    """One sustainability award criterion in the weights table."""

    code: str = doc(_l("Code of the award criterion."))
    reference: str = doc(_l("Code and version of the award criterion."))
    title: str = doc(_l("Title of the award criterion."))
    weight: int = doc(_l("Weight out of 100."), "percent")


@dataclass(frozen=True, slots=True)
class Weights:
    """The award weights: price plus the sustainability criteria, 100 in all."""

    price: int = doc(_l("Weight of the price out of 100."), "percent")
    criteria: tuple[WeightRow, ...] = doc(_l("Sustainability award criteria with their weights."))
    total: int = doc(_l("Sum of the weights: always 100."), "percent")

    def __post_init__(self) -> None:
        if self.price < 0 or any(row.weight <= 0 for row in self.criteria):
            raise ContextError("weights are positive")
        if self.total != self.price + sum(row.weight for row in self.criteria):
            raise ContextError("the total is not the sum of the weights")
        if self.total != 100:
            raise ContextError(f"the weights total {self.total}, not 100")


@dataclass(frozen=True, slots=True)
class Lot:
    """One lot of a divided contract."""

    number: int = doc(_l("Number of the lot."))
    title: str = doc(_l("Title of the lot."))
    description: str = doc(_l("Description of the lot."))
    cpv: Cpv = doc(_l("Main CPV code of the lot."))
    value: Decimal = doc(_l("Estimated value of the lot excluding VAT, whole duration."), "money")
    yearly_value: Decimal = doc(_l("Estimated yearly value of the lot excluding VAT."), "money")
    turnover_max: Decimal = doc(
        _l("Highest minimum yearly turnover that may be required (at most twice the value)."),
        "money",
    )
    turnover_sme: Decimal = doc(
        _l("Lower, SME-friendly minimum yearly turnover requirement."), "money"
    )
    sme_suitable: bool = doc(_l("True when small and medium-sized enterprises can carry it."))
    sme_label: str = doc(_l("Whether the lot suits SMEs, in words."))
    sme_reason: str = doc(_l("Why the lot does or does not suit SMEs."))
    turnover_cap: Decimal = doc(
        _l("Legal cap on the minimum yearly turnover: twice the lot's value (art. 58(3))."),
        "money",
        default=None,
    )
    turnover_required: Decimal = doc(
        _l(
            "Minimum yearly turnover this contract requires for the lot (from the turnover "
            "clause when one is chosen, else the buyer's figure, else the SME-friendly one)."
        ),
        "money",
        default=None,
    )

    def __post_init__(self) -> None:
        if self.turnover_sme > self.turnover_max:
            raise ContextError(f"lot {self.number}: the SME turnover is above the maximum")
        if self.turnover_max > 2 * self.value:
            raise ContextError(f"lot {self.number}: turnover above twice the value (art. 58(3))")
        # Derived defaults (frozen dataclass: set through object.__setattr__).
        if self.turnover_cap is None:
            object.__setattr__(self, "turnover_cap", 2 * self.value)
        if self.turnover_required is None:
            object.__setattr__(self, "turnover_required", self.turnover_sme)
        if self.turnover_cap != 2 * self.value:
            raise ContextError(f"lot {self.number}: the legal cap is twice the value")
        if not 0 <= self.turnover_required <= self.turnover_cap:
            raise ContextError(f"lot {self.number}: the required turnover is above the cap")


@dataclass(frozen=True, slots=True)
class Coordination:
    """The optional coordination lot that smaller lot holders work around (MPDI 5)."""

    applies: bool = doc(_l("True when the contract has a coordination lot."), default=False)
    number: int | None = doc(_l("Number of the coordination lot, or empty."), default=None)
    title: str = doc(_l("Title of the coordination lot."), default="")
    coordinates: tuple[int, ...] = doc(
        _l("Numbers of the lots it coordinates (a list)."), default=()
    )
    value: Decimal | None = doc(
        _l("Estimated value of the coordination lot, or empty."), "money", default=None
    )
    tasks: tuple[str, ...] = doc(_l("What the coordination lot does (a list)."), default=())
    interactions: tuple[str, ...] = doc(
        _l("How the other lot holders work with it (a list)."), default=()
    )

    def __post_init__(self) -> None:
        if self.applies and (self.number is None or not self.title or not self.tasks):
            raise ContextError("a coordination lot needs a number, a title and tasks")


@dataclass(frozen=True, slots=True)
class Lots:
    """The lots and SME access section (from the lot-split advisor)."""

    divided: bool = doc(_l("True when the contract is divided into lots."))
    lots: tuple[Lot, ...] = doc(_l("The lots (a list, empty when not divided)."))
    total_value: Decimal = doc(_l("Value of all lots together excluding VAT."), "money")
    max_lots_per_tenderer: int | None = doc(
        _l("Largest number of lots a tenderer may bid for, or empty.")
    )
    max_lots_awarded: int | None = doc(
        _l("Largest number of lots one tenderer may be awarded, or empty.")
    )
    award_rule: str = doc(
        _l("Objective rule that decides which lots a tenderer gets when it wins too many.")
    )
    combined_bids: bool = doc(_l("True when combined bids for several lots are allowed."))
    combined_bids_text: str = doc(_l("How combined bids work (empty when not allowed)."))
    coordination: Coordination = doc(_l("The coordination lot."))
    justification: tuple[str, ...] = doc(
        _l("Why the contract is not divided (paragraphs; empty when divided).")
    )
    contract_turnover_max: Decimal = doc(
        _l("Highest minimum yearly turnover for the whole contract."), "money"
    )
    contract_turnover_sme: Decimal = doc(
        _l("SME-friendly minimum yearly turnover for the whole contract."), "money"
    )
    contract_turnover_cap: Decimal = doc(
        _l("Legal cap on the minimum yearly turnover for the whole contract (twice its value)."),
        "money",
        default=None,
    )
    contract_turnover_required: Decimal = doc(
        _l("Minimum yearly turnover this contract requires when it is not divided."),
        "money",
        default=None,
    )

    def __post_init__(self) -> None:
        numbers = [lot.number for lot in self.lots]
        if len(set(numbers)) != len(numbers):
            raise ContextError("lot numbers are unique")
        if self.divided and len(self.lots) < 2:
            raise ContextError("a divided contract has at least two lots")
        if not self.divided and (self.lots or not self.justification):
            raise ContextError("an undivided contract has no lots and a justification")
        if self.max_lots_awarded and not self.award_rule:
            raise ContextError("a maximum of lots awarded needs the objective award rule")
        if self.combined_bids and not self.combined_bids_text:
            raise ContextError("combined bids need their explanation")
        if self.contract_turnover_cap is None:
            object.__setattr__(self, "contract_turnover_cap", 2 * self.total_value)
        if self.contract_turnover_required is None:
            object.__setattr__(self, "contract_turnover_required", self.contract_turnover_sme)
        if not 0 <= self.contract_turnover_required <= self.contract_turnover_cap:
            raise ContextError("the required turnover is above the legal cap")


@dataclass(frozen=True, slots=True)
class ChecklistRow:
    """One row of the buyer's verification checklist: one chosen clause."""

    code: str = doc(_l("Code of the clause."))
    reference: str = doc(_l("Code and version of the clause."))
    title: str = doc(_l("Title of the clause."))
    placement_label: str = doc(_l("Where the clause goes, in words."))
    instruments: tuple[Verification, ...] = doc(_l("Control instruments of the clause (a list)."))


@dataclass(frozen=True, slots=True)
class AntiDumping:
    """The anti-social-dumping block and the contractor's declaration annex."""

    applies: bool = doc(_l("True when anti-dumping clauses were chosen."))
    clauses: tuple[Clause, ...] = doc(_l("The anti-dumping clauses (a list of clauses)."))
    declaration: tuple[str, ...] = doc(
        _l("Statements of the declaration the contractor and each subcontractor sign (a list).")
    )

    def __post_init__(self) -> None:
        if self.applies != bool(self.clauses):
            raise ContextError("the anti-dumping block applies exactly when it has clauses")
        if self.applies and not self.declaration:
            raise ContextError("the anti-dumping declaration needs its statements")
        if any(c.family != Family.anti_social_dumping for c in self.clauses):
            raise ContextError("only anti-social-dumping clauses belong to this block")


@dataclass(frozen=True, slots=True)
class DocumentContext:
    """Everything a template may use. ``to_dict()`` is what the template receives."""

    lang: str = doc(_l("Language of the document: fr or nl."))
    generated_on: date = doc(_l("Date of generation (format with date)."), "date")
    authority: Authority = doc(_l("The contracting authority."))
    dossier: Dossier = doc(_l("The tender dossier."))
    clauses: ClauseGroups = doc(_l("The chosen clauses, grouped by placement."))
    weights: Weights = doc(_l("The award weights table."))
    lots: Lots = doc(_l("The lots and SME access section."))
    checklist: tuple[ChecklistRow, ...] = doc(
        _l("The buyer's verification checklist: one row per chosen clause.")
    )
    anti_dumping: AntiDumping = doc(_l("The anti-social-dumping block."))

    def __post_init__(self) -> None:
        if self.lang not in CONTEXT_LANGS:
            raise ContextError(f"unknown document language {self.lang!r}")
        award = {c.code: c.weight for c in self.clauses.award}
        rows = {row.code: row.weight for row in self.weights.criteria}
        if award != rows:
            raise ContextError("the weights table must list exactly the award criteria")
        chosen = [c.code for c in self.clauses.all()]
        if [row.code for row in self.checklist] != chosen:
            raise ContextError("the checklist has one row per chosen clause, in document order")

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-able dict form the templates receive."""
        return _plain(self)


def _plain(value: Any) -> Any:
    # Explicit recursion instead of dataclasses.asdict: asdict deep-copies every leaf, and the
    # dict form must turn Decimals and dates into JSON values anyway.
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        # StrEnum members become plain strings, so the dict survives json.dumps/loads unchanged.
        return str(value)
    return value


# ----------------------------------------------------------------------------------------------
# Helpers for context builders: they keep the invariants of the contract in one place.


def clause_context(
    data: Mapping[str, Any],
    values: Mapping[str, Any],
    *,
    version: int,
    lang: str,
    weight: int | None = None,
) -> Clause:
    """Build a :class:`Clause` from a clause version's data and the buyer's parameter values.

    ``data`` is the dict form of a clause file (:class:`portal.clauses.schema.ClauseFile`):
    code, family, placement, ambition, title, text, parameters, award, verification and
    legal_basis, with texts as ``{"fr": ..., "nl": ..., "en": ...}``. ``weight`` is the weight
    the buyer gave an award criterion.
    """
    parameters = list(data.get("parameters") or [])
    text = render_text(data["text"][lang], parameters, dict(values), lang)
    award = data.get("award")
    scoring = paragraphs(award["scoring"][lang]) if award else []
    return Clause(
        code=data["code"],
        version=version,
        title=data["title"][lang],
        paragraphs=tuple(paragraphs(text)),
        family=str(data["family"]),
        family_label=labels.label("family", data["family"], lang),
        ambition=str(data["ambition"]),
        ambition_label=labels.label("ambition", data["ambition"], lang),
        placement=str(data["placement"]),
        placement_label=labels.label("placement", data["placement"], lang),
        weight=weight,
        scoring=tuple(scoring),
        verification=tuple(
            Verification(
                evidence=str(v["evidence"]),
                evidence_label=labels.label("evidence", v["evidence"], lang),
                stage=str(v["stage"]),
                stage_label=labels.label("stage", v["stage"], lang),
                what=v["what"][lang],
                how=v["how"][lang],
            )
            for v in data["verification"]
        ),
        legal_basis=tuple(legal_line(b, lang) for b in data["legal_basis"]),
    )


def legal_line(basis: Mapping[str, Any], lang: str) -> str:
    """One legal basis in ``lang``: the instrument's official title and the article, with its
    connecting words in ``lang`` ("art. 402 et 403", "art. 402 en 403")."""
    return legal_reference(
        {"instrument": basis["instrument"], "article": _in_lang(basis.get("article") or "", lang)},
        lang,
    )


def _in_lang(value: str | Mapping[str, str], lang: str) -> str:
    # Articles are one string in the corpus ("art. 53"); a mapping allows "et" / "en".
    return value if isinstance(value, str) else value[lang]


def group_clauses(clauses: Iterable[Clause]) -> ClauseGroups:
    """Group clauses by placement, keeping their order within each placement."""
    groups: dict[str, list[Clause]] = {p.value: [] for p in PLACEMENT_ORDER}
    for clause in clauses:
        groups[clause.placement].append(clause)
    return ClauseGroups(**{k: tuple(v) for k, v in groups.items()})


def weights_table(price: int, award: Sequence[Clause]) -> Weights:
    """Build the weights table from the price weight and the award criteria."""
    rows = tuple(
        WeightRow(code=c.code, reference=c.reference, title=c.title, weight=c.weight or 0)
        for c in award
    )
    return Weights(price=price, criteria=rows, total=price + sum(r.weight for r in rows))


def checklist(groups: ClauseGroups) -> tuple[ChecklistRow, ...]:
    """Build the verification checklist: one row per chosen clause, in document order."""
    return tuple(
        ChecklistRow(
            code=c.code,
            reference=c.reference,
            title=c.title,
            placement_label=c.placement_label,
            instruments=c.verification,
        )
        for c in groups.all()
    )


def anti_dumping_block(groups: ClauseGroups, declaration: Sequence[str]) -> AntiDumping:
    """Collect the anti-social-dumping clauses and the declaration statements."""
    chosen = tuple(c for c in groups.all() if c.family == Family.anti_social_dumping)
    return AntiDumping(
        applies=bool(chosen),
        clauses=chosen,
        declaration=tuple(declaration) if chosen else (),
    )


# ----------------------------------------------------------------------------------------------
# The variable tree, derived from the dataclasses


@dataclass(frozen=True)
class Node:
    """One variable of the context tree."""

    #: ``object``, ``list``, ``text``, ``integer``, ``number``, ``money``, ``percent``,
    #: ``boolean`` or ``date``.
    kind: str
    doc: Any = ""
    #: For objects: the fields by name.
    fields: Mapping[str, Node] = field(default_factory=dict)
    #: For lists: what each item is.
    item: Node | None = None
    #: For objects: the record's name (Clause, Lot...), which the help page groups by.
    record: str = ""
    optional: bool = False


@dataclass(frozen=True)
class Variable:
    """One documented variable path, such as ``lots.lots[].value``."""

    path: str
    kind: str
    doc: Any
    #: The record the variable belongs to (``DocumentContext`` for the top level).
    record: str
    optional: bool = False
    #: For a list: the record of its items (``Clause``), else "".
    item_record: str = ""


def _node_for(annotation: Any, meta: Mapping[str, Any]) -> Node:
    doc_text = meta.get("doc", "")
    kind = meta.get("kind", "")
    optional = False
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation, optional = args[0], True
        origin = typing.get_origin(annotation)
    if origin in (tuple, list):
        item = _node_for(typing.get_args(annotation)[0], {})
        return Node("list", doc_text, item=item, optional=optional)
    if dataclasses.is_dataclass(annotation):
        node = _record_node(annotation)
        return dataclasses.replace(node, doc=doc_text, optional=optional)
    simple = {str: "text", int: "integer", bool: "boolean", Decimal: "number", date: "date"}
    base = simple[annotation]
    if kind in ("money", "percent") and base in ("number", "integer"):
        base = kind
    return Node(base, doc_text, optional=optional)


@cache
def _record_node(cls: type) -> Node:
    hints = typing.get_type_hints(cls)
    fields = {f.name: _node_for(hints[f.name], f.metadata) for f in dataclasses.fields(cls)}
    return Node("object", cls.__doc__ or "", fields=fields, record=cls.__name__)


def context_schema() -> Node:
    """Return the tree of every variable a template may use."""
    return _record_node(DocumentContext)


def context_variables() -> list[Variable]:
    """List every variable path of the context, depth first, in declaration order.

    Items of lists appear as ``list[].field`` (``clauses.award[].title``): inside
    ``{% for c in clauses.award %}`` the template writes ``c.title``.
    """
    result: list[Variable] = []

    def walk(node: Node, prefix: str, record: str) -> None:
        for name, child in node.fields.items():
            path = f"{prefix}{name}"
            item_record = child.item.record if child.item is not None else ""
            result.append(
                Variable(path, child.kind, child.doc, record, child.optional, item_record)
            )
            if child.kind == "object":
                walk(child, path + ".", child.record)
            elif child.item is not None and child.item.kind == "object":
                walk(child.item, path + "[].", child.item.record)

    walk(context_schema(), "", "DocumentContext")
    return result


def records() -> dict[str, Node]:
    """Return each record type (Clause, Lot...) by name, for the help page."""
    found: dict[str, Node] = {}

    def walk(node: Node) -> None:
        if node.kind == "object" and node.record not in found:
            found[node.record] = node
            for child in node.fields.values():
                walk(child)
        elif node.item is not None:
            walk(node.item)

    walk(context_schema())
    return found
