"""Every code the pure core can emit has its own message, in French, Dutch and English: field
errors, legal checks in every variant, explanations, SME reasons, procedures, coordination tasks
and interactions, reasons for not dividing; and the document wording covers the same codes."""

from __future__ import annotations

import ast
import inspect
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask_babel import force_locale

from portal.lots import advisor, document, importing, messages, parsing, rules
from portal.lots import services as lot_services
from portal.lots.advisor import Item, Options, Strategy, advise, assess
from portal.lots.rules import (
    CheckStatus,
    ContractType,
    LotFigures,
    NonDivisionReason,
    Procedure,
    ThresholdKind,
    default_threshold_paths,
    load_thresholds,
    run_checks,
    thresholds_in_force,
)
from portal.reference.models import AuthorityKind

D = Decimal
THRESHOLDS = load_thresholds(default_threshold_paths())
LANGS = ("fr", "nl", "en")


def string_arguments(module, call_names, position):  # type: ignore[no-untyped-def]
    """The string constants passed at ``position`` to calls of ``call_names`` in a module."""
    tree = ast.parse(Path(inspect.getfile(module)).read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name in call_names and len(node.args) > position:
            arg = node.args[position]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
    return found


# ------------------------------------------------------------------------------------------------
# Field errors


def field_codes() -> set[str]:
    codes = string_arguments(advisor, {"FieldError"}, 1)
    codes |= string_arguments(parsing, {"fail"}, 1)
    codes |= string_arguments(parsing, {"InvalidValue"}, 0)
    codes |= string_arguments(importing, {"fail"}, 1)
    codes |= string_arguments(lot_services, {"fail", "FieldError"}, 1)
    return codes


def test_the_code_scan_finds_the_cores_codes():
    assert {"unknown_cpv", "not_positive", "before_start", "items_missing"} <= field_codes()


@pytest.mark.parametrize("code", sorted(field_codes()))
def test_every_field_error_code_has_a_message(app, code):
    assert messages.has_field_message(code), code
    params = {
        "max": 5,
        "min": 1,
        "code": "X",
        "id": "a",
        "ids": ("a", "b"),
        "place": "Y",
        "choices": "a, b",
    }
    for lang in LANGS:
        with app.test_request_context(), force_locale(lang):
            text = messages.field_message(advisor.FieldError("items[0].value", code, params))
        assert text and text != "Invalid value." and "%(" not in text


def test_field_messages_are_translated(app):
    error = advisor.FieldError("items[0].value", "not_positive", {})
    texts = set()
    for lang in LANGS:
        with app.test_request_context(), force_locale(lang):
            texts.add(messages.field_message(error))
    assert len(texts) == 3


@pytest.mark.parametrize(
    "code",
    sorted(string_arguments(importing, {"ImportFileError"}, 0)),
)
def test_every_unreadable_file_reason_has_a_message(app, code):
    assert messages.has_import_file_message(code)
    with app.test_request_context(), force_locale("nl"):
        text = messages.import_file_message(code, {"max": 1024, "fields": ("cpv",), "column": "B"})
    assert text and "%(" not in text


# ------------------------------------------------------------------------------------------------
# Legal checks: every code in every variant


def check_codes() -> set[str]:
    return string_arguments(rules, {"Check"}, 0)


def test_every_check_code_has_a_title():
    assert check_codes() == set(messages.CHECK_TITLES)


def in_force(ctype=ContractType.services, kind=AuthorityKind.sub_central, annex=False):  # type: ignore[no-untyped-def]
    return thresholds_in_force(
        THRESHOLDS, date(2027, 3, 15), contract_type=ctype, authority_kind=kind, annex_xiv=annex
    )


def variants():  # type: ignore[no-untyped-def]
    """Checks of structures chosen to reach every branch of every check."""
    small = [LotFigures(1, D(20000), D(5000)), LotFigures(2, D(30000), D(7500))]
    big = [
        LotFigures(1, D(50000), D(12500)),
        LotFigures(2, D(900000), D(225000)),
        LotFigures(3, D(400000), D(100000)),
    ]
    huge = [LotFigures(1, D(300000), D(300000)), LotFigures(2, D(400000), D(400000))]
    eligible_but_capped = [LotFigures(1, D(70000), D(70000)), LotFigures(2, D(250000), D(250000))]
    single_small = [LotFigures(1, D(20000), D(20000))]
    single_big = [LotFigures(1, D(900000), D(900000))]
    t = in_force()
    cases = [
        run_checks(small, t),
        run_checks(big, t, max_lots_per_tenderer=1, combined_bids_allowed=True),
        run_checks(
            big,
            t,
            max_lots_per_tenderer=2,
            combined_bids_allowed=True,
            coordination_lot=True,
            coordination_value=D(30000),
        ),
        run_checks(big, t, max_lots_per_tenderer=5),
        run_checks(big, t, max_lots_per_tenderer=0),
        run_checks(huge, t),
        run_checks(eligible_but_capped, t),
        run_checks(
            single_small,
            t,
            max_lots_per_tenderer=1,
            combined_bids_allowed=True,
            coordination_lot=True,
        ),
        run_checks(single_big, t),
        run_checks(single_big, in_force(kind=AuthorityKind.central)),
    ]
    for requirement in (None, D(1000), D(9000), D(14000), D(60000)):
        lot = LotFigures(1, D(20000), D(5000), requirement)
        cases.append(run_checks([lot, LotFigures(2, D(20000), D(5000), requirement)], t))
    verified = [
        rules.Threshold(
            x.regime,
            x.kind,
            x.contract_types,
            x.authority_kinds,
            x.amount,
            x.valid_from,
            x.valid_to,
            x.legal_act,
            "official",
            x.source,
        )
        for x in THRESHOLDS
    ]
    official = thresholds_in_force(
        verified,
        date(2027, 3, 15),
        contract_type=ContractType.services,
        authority_kind=AuthorityKind.sub_central,
    )
    cases.append(run_checks(small, official))
    cases.append(run_checks(small, in_force(annex=True)))
    return [check for case in cases for check in case]


def variant_key(check):  # type: ignore[no-untyped-def]
    p = check.params
    return (
        check.code,
        check.status.value,
        p.get("reason"),
        p.get("reached"),
        p.get("applicable"),
        bool(p.get("exempt_lots")),
        bool(p.get("eligible_lots")),
        p.get("requested"),
        p.get("suggested"),
        p.get("divided"),
        p.get("justification_required"),
        bool(p.get("unverified")),
        p.get("limited"),
        p.get("allowed"),
        p.get("requirement") is None,
        bool(p.get("lots_below_threshold")),
    )


def test_the_variants_cover_every_status_and_every_check():
    checks = variants()
    assert {c.code for c in checks} == check_codes()
    assert {c.status for c in checks} == set(CheckStatus)
    assert len({variant_key(c) for c in checks}) >= 25


@pytest.mark.parametrize("lang", LANGS)
def test_every_check_variant_has_its_own_message(app, lang):
    seen = {}
    with app.test_request_context(), force_locale(lang):
        for check in variants():
            text = messages.check_text(check)
            assert not text.is_fallback, check
            assert text.title and text.article and text.status_label
            assert text.message and "%(" not in text.message and "%%" not in text.message
            seen.setdefault(variant_key(check), set()).add(text.message.split("(")[0])
    # Different branches do not share one vague message.
    first_words = {next(iter(v)) for v in seen.values()}
    assert len(first_words) >= 20


def test_check_messages_are_translated(app):
    check = variants()[0]
    with app.test_request_context():
        words = []
        for lang in LANGS:
            with force_locale(lang):
                words.append(messages.check_text(check).message)
    assert len(set(words)) == 3


def test_articles_are_shown_in_the_visitors_language(app):
    with app.test_request_context():
        with force_locale("fr"):
            assert messages.article_text(rules.ART_DIVIDE).startswith("Loi du 17 juin 2016")
        with force_locale("nl"):
            assert messages.article_text(rules.ART_DIVIDE).startswith("Wet van 17 juni 2016")


# ------------------------------------------------------------------------------------------------
# Proposals, lots, coordination, reasons


def items():  # type: ignore[no-untyped-def]
    return [
        Item("a", "Bureaux", "90919200-4", D(300000), place="Ixelles"),
        Item("b", "Écoles", "90919300-5", D(2600000), place="Etterbeek"),
        Item("c", "Vitres", "90911300-9", D(20000)),
        Item("d", "Produits", "39830000-9", D(15000), place="École 1"),
    ]


def test_every_strategy_has_a_label_a_description_and_an_explanation(app):
    opts = Options(AuthorityKind.sub_central, ContractType.services, date(2027, 3, 15))
    proposals = list(advise(items(), opts, THRESHOLDS).proposals)
    proposals.append(assess(items(), opts, THRESHOLDS, [["a", "b"], ["c", "d"]]))
    proposals.append(assess(items(), opts, THRESHOLDS, [["a", "b", "c", "d"]]))
    assert {p.strategy for p in proposals} == set(Strategy)
    for lang in LANGS:
        with app.test_request_context(), force_locale(lang):
            for proposal in proposals:
                text = messages.explanation_text(
                    proposal.explanation.code, proposal.explanation.params
                )
                assert text and "%(" not in text


def test_every_sme_reason_has_a_message_and_document_words():
    opts = Options(
        AuthorityKind.sub_central,
        ContractType.services,
        date(2027, 3, 15),
        target_lot_size=D(100000),
    )
    reasons = set()
    for yearly in (D(10000), D(2000000), D(10000000), D(60000000)):
        reasons.update(rules.sme_capacity(yearly, D(100000))[2])
    for proposal in advise(items(), opts, THRESHOLDS).proposals:
        for lot in proposal.lots:
            reasons.update(lot.sme_reasons)
    assert "single_indivisible_item" in reasons and "exceeds_sme_capacity" in reasons
    assert reasons == set(messages.SME_REASONS) == set(document.SME_REASONS)


def test_every_procedure_kind_basis_and_reason_has_words():
    assert set(messages.PROCEDURE_LABELS) == set(Procedure) == set(messages.PROCEDURE_ARTICLES)
    assert set(messages.THRESHOLD_KIND_LABELS) == set(ThresholdKind)
    assert set(messages.NON_DIVISION_REASONS) == set(NonDivisionReason)
    assert set(messages.BASIS_LABELS) == {"aggregate", "small_lots_exemption"}
    assert set(messages.AWARD_CRITERIA) == set(rules.AwardRule(1, (1,)).criteria)
    from portal.documents import labels

    assert {p.value for p in Procedure} <= set(labels.PROCEDURE)


@pytest.mark.parametrize("ctype", [ContractType.works, ContractType.services])
def test_coordination_tasks_and_interactions_have_words(ctype):
    cpv = "45210000-2" if ctype is ContractType.works else "90919200-4"
    opts = Options(AuthorityKind.sub_central, ctype, date(2027, 3, 15), coordination_lot=True)
    two = [
        Item("a", "A", cpv, D(1000000)),
        Item("b", "B", "90911300-9" if ctype is ContractType.services else "45310000-3", D(900000)),
    ]
    proposal = assess(two, opts, THRESHOLDS, [["a"], ["b"]])
    assert proposal.coordination is not None
    for task in proposal.coordination.tasks:
        assert task in messages.COORDINATION_TASKS and task in document.COORDINATION_TASKS
    for link in proposal.coordination.interactions:
        assert link in messages.COORDINATION_INTERACTIONS
        assert link in document.COORDINATION_INTERACTIONS


def test_document_words_exist_in_three_languages():
    for table in (
        document.SME_REASONS,
        document.COORDINATION_TASKS,
        document.COORDINATION_INTERACTIONS,
    ):
        for words in table.values():
            assert set(words) == set(document.LANGS) and all(words.values())
    rule = rules.AwardRule(2, (3, 1, 2))
    assert "2 lots" in document.award_rule_text(rule, "fr")
    assert "3, 1 en 2" in document.award_rule_text(rule, "nl")
    assert re.search(r"\(1, 2 and 3\)", document.combined_bids_text([1, 2, 3], "en"))
