"""Demo data of the tender builder: realistic dossiers of several Brussels authorities.

- Commune d'Ixelles: the cleaning of its offices and schools (``IXL-2027-CLEAN-01``), with a
  clause in every part of the tender (procedure and lots, exclusion, selection, technical
  specifications, award, contract performance, anti-social dumping), its mandatory criterion
  accepted, and the complete document generated in French and Dutch; the lot-split advisor's
  demo adds its lots;
- Commune d'Ixelles: the energy renovation of a school (works);
- CPAS de Schaerbeek: the meals of a rest home (catering);
- Bruxelles Environnement: the renewal of its laptops and screens (IT hardware);
- an Ixelles house template for the complete document, uploaded by the authority manager.

Every dossier is made through the services, as its buyer, so its history reads as if the buyer
had clicked through the pages. Running the loader again changes nothing: a dossier is looked up
by its authority and internal reference first. Clauses missing from the library (a corpus being
edited) are skipped, and the price takes the points left, so the weights still total 100.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import click
from sqlmodel import Session, select

from portal.accounts.demo import demo_user
from portal.documents import builtin
from portal.errors import ValidationError
from portal.reference.services import get_authority
from portal.tenders import services
from portal.tenders.models import AuthorityTemplate, Dossier, GeneratedDocument

#: The dossier the lot-split advisor's demo divides into lots.
CLEANING_REFERENCE = "IXL-2027-CLEAN-01"


@dataclass
class DemoClause:
    code: str
    values: dict[str, Any] = field(default_factory=dict)
    weight: int | None = None


@dataclass
class DemoDossier:
    buyer: str
    authority: str
    reference: str
    data: dict[str, Any]
    #: Wanted publication date (moved to a date ahead when the demo is loaded too late).
    publication: date
    clauses: list[DemoClause]
    generate: bool = False


DOSSIERS = [
    DemoDossier(
        buyer="buyer.ixelles@demo.clausier.brussels",
        authority="commune-ixelles",
        reference=CLEANING_REFERENCE,
        data={
            "title": "Nettoyage des bâtiments administratifs et des écoles communales 2027-2030",
            "subject": "Nettoyage quotidien des bâtiments administratifs, des écoles fondamentales "
            "et des crèches de la Commune d'Ixelles, nettoyage périodique des vitres et "
            "fourniture des produits d'entretien et du papier hygiénique, pour une durée de "
            "quatre ans.",
            "title_nl": "Schoonmaak van de administratieve gebouwen en de gemeentescholen "
            "2027-2030",
            "subject_nl": "Dagelijkse schoonmaak van de administratieve gebouwen, de "
            "basisscholen en de kinderdagverblijven van de gemeente Elsene, periodieke "
            "glazenwassing en levering van de onderhoudsproducten en het toiletpapier, voor een "
            "duur van vier jaar.",
            "category": "cleaning",
            "main_cpv": "90910000-9",
            "additional_cpv": ["90919200-4", "90911300-9", "39830000-9", "33760000-5"],
            # The total of the lot plan of the lot-split advisor's demo (portal/lots/demo.py).
            "estimated_value": "2509600",
            "contract_type": "services",
            "procedure": "open",
            "language": "both",
        },
        publication=date(2027, 3, 15),
        clauses=[
            DemoClause("GEN-SOC-006", {"grounds": ["law_breach", "misconduct"], "years": 3}),
            DemoClause("CLEAN-SME-002", {"ref_count": 2, "ref_volume_share": 40}),
            DemoClause("GEN-SME-001", {"turnover_ratio": 1}),
            DemoClause("CLEAN-ENV-001", {"ecolabel_share": 90}),
            DemoClause("CLEAN-ENV-002", {"microfibre_share": 95, "dosing_system": "calibrated"}),
            # The lot plan keeps window cleaning in the building lots (1-4) and puts the
            # cleaning products and hygiene supplies in lots of their own (6 and 7).
            DemoClause(
                "CLEAN-SME-001", {"max_weekly_hours": 150, "separate_lots": ["consumables"]}
            ),
            DemoClause("CLEAN-ENV-003", {"tolerance": 10}, weight=15),
            DemoClause(
                "CLEAN-SOC-001",
                {"daytime_share": 80, "start_hour": 7, "end_hour": 19, "min_weekly_hours": 25},
            ),
            DemoClause(
                "CLEAN-SOC-003",
                {"insertion_persons": 3, "contract_months": 12, "monthly_penalty": 500},
            ),
            DemoClause(
                "CLEAN-ASD-001",
                {
                    "specialised_tasks": ["height_windows", "carpets"],
                    "max_levels": 1,
                    "penalty": 400,
                },
            ),
            DemoClause("CLEAN-ASD-002", {"proof_days": 5}),
            DemoClause("CLEAN-ASD-003", {"register_form": "electronic", "penalty": 500}),
            DemoClause("GEN-SME-005", {"billing_period": "monthly"}),
        ],
        generate=True,
    ),
    DemoDossier(
        buyer="buyer.ixelles@demo.clausier.brussels",
        authority="commune-ixelles",
        reference="IXL-2027-RENO-07",
        data={
            "title": "Rénovation énergétique de l'école fondamentale n° 7 (toiture, châssis et "
            "ventilation)",
            "subject": "Isolation de la toiture et des façades, remplacement des châssis, "
            "ventilation double flux et pompe à chaleur de l'école fondamentale n° 7, rue de la "
            "Cuve, en site occupé pendant les vacances scolaires.",
            "category": "renovation-energy",
            "main_cpv": "45321000-3",
            "additional_cpv": ["45421100-5", "45331000-6", "45261410-1"],
            "estimated_value": "2350000",
            "contract_type": "works",
            "procedure": "open",
            "language": "fr",
        },
        publication=date(2027, 5, 3),
        clauses=[
            DemoClause("RENO-SME-001"),
            DemoClause("RENO-ENV-001", {"indicator": "primary", "energy_target": 90}),
            DemoClause("RENO-ENV-007"),
            DemoClause("CONST-ENV-003", {"plan_modules": ["off_peak", "neighbours"]}),
            DemoClause("CONST-ENV-007", {"tvoc_limit": 500}),
            DemoClause("RENO-ENV-002", {"biobased_min": 75}, weight=10),
            DemoClause("CONST-ENV-006", {"product_groups": 4}, weight=10),
            DemoClause("RENO-ENV-003", {"v50_target": 3, "penalty_step": 1500}),
            DemoClause("RENO-SOC-001", {"trainee_count": 2, "training_days": 30}),
            DemoClause("RENO-ASD-001", {"notice_days": 5, "penalty": 500}),
            DemoClause("CONST-ASD-002", {"penalty": 500}),
            DemoClause("CONST-ASD-005", {"proof_days": 15}),
        ],
    ),
    DemoDossier(
        buyer="buyer.cpas@demo.clausier.brussels",
        authority="cpas-schaerbeek",
        reference="CPAS-SCH-2027-REPAS",
        data={
            "title": "Préparation et livraison des repas de la maison de repos « Les Tilleuls »",
            "subject": "Préparation sur place des repas des 180 résidents de la maison de repos "
            "et de soins « Les Tilleuls » (petit-déjeuner, dîner, souper et collations), régimes "
            "et textures adaptés compris, pour une durée de trois ans renouvelable une fois.",
            "category": "catering",
            "main_cpv": "55321000-6",
            "additional_cpv": ["55320000-9", "55512000-2"],
            "estimated_value": "2160000",
            "contract_type": "services",
            "procedure": "open",
            "language": "fr",
        },
        publication=date(2027, 4, 1),
        clauses=[
            DemoClause("CATER-ENV-005", {"references": 1}),
            DemoClause("CATER-ENV-001", {"seasonal_share": 80, "ready_meal_share": 10}),
            DemoClause(
                "CATER-ENV-002",
                {
                    "organic_share": 25,
                    "basis": "value",
                    "product_groups": ["fruit_veg", "dairy", "eggs"],
                },
            ),
            DemoClause("CATER-ENV-003", {"veggie_days": 2, "daily_option": "vegetarian"}),
            DemoClause(
                "CATER-ETH-001",
                {"products": ["coffee", "tea", "bananas"], "labels": ["fairtrade", "wfto"]},
            ),
            DemoClause(
                "CATER-ENV-008",
                {"product_groups": ["fruit_veg", "dairy", "bread"], "max_intermediaries": 1},
                weight=15,
            ),
            DemoClause(
                "CATER-ENV-004",
                {"weighing_days": 5, "reduction_target": 20, "penalty": 250},
            ),
            DemoClause("CATER-SOC-001", {"insertion_share": 5, "hourly_penalty": 25}),
            DemoClause("CATER-ASD-002", {"update_days": 5}),
        ],
    ),
    DemoDossier(
        buyer="buyer.env@demo.clausier.brussels",
        authority="bruxelles-environnement",
        reference="BE-2027-IT-LAPTOPS",
        data={
            "title": "Renouvellement du parc d'ordinateurs portables et d'écrans",
            "subject": "Fourniture de 600 ordinateurs portables et de 400 écrans, avec leur "
            "garantie, leur réparation et la reprise des appareils remplacés en vue de leur "
            "réemploi.",
            "title_nl": "Vernieuwing van het park draagbare computers en beeldschermen",
            "subject_nl": "Levering van 600 draagbare computers en 400 beeldschermen, met hun "
            "garantie, hun herstelling en de terugname van de vervangen toestellen met het oog "
            "op hergebruik.",
            "category": "it-hardware",
            "main_cpv": "30213100-6",
            "additional_cpv": ["30231310-3", "50312000-5"],
            "estimated_value": "780000",
            "contract_type": "supplies",
            "procedure": "open",
            "language": "both",
        },
        publication=date(2027, 2, 22),
        clauses=[
            DemoClause("ITHW-ETH-001", {"audit_years": 2}),
            DemoClause(
                "ITHW-ENV-001",
                {"labels": ["tco", "epeat"], "device_types": ["laptops", "monitors"]},
            ),
            DemoClause("ITHW-ENV-003", {"spare_parts_years": 7, "update_years": 6}),
            DemoClause("ITHW-ENV-004", {"battery_cycles": 800}),
            DemoClause("ITHW-SME-001", {"lots": ["computers", "monitors", "refurbished"]}),
            DemoClause("ITHW-ENV-002", {"min_years": 3, "max_years": 6}, weight=20),
            DemoClause("ITHW-ENV-006", {"certificate_days": 10, "reuse_target": 70}),
            DemoClause("ITHW-SOC-001", {"social_share": 50, "penalty_per_device": 50}),
        ],
        generate=True,
    ),
]

TEMPLATE_NAME = "Modèle de la Commune d'Ixelles"


def _planned(wanted: date, today: date) -> date:
    # The services accept a publication date at most a year back; a demo loaded years later
    # moves its dossiers ahead instead of failing.
    return wanted if wanted >= today else today + timedelta(days=60)


def load(session: Session) -> int:
    today = services.brussels_today()
    created = 0
    for spec in DOSSIERS:
        created += _dossier(session, spec, today)
    created += _template(session)
    return created


def _dossier(session: Session, spec: DemoDossier, today: date) -> int:
    authority = get_authority(session, spec.authority)
    exists = session.exec(
        select(Dossier).where(
            Dossier.authority_id == authority.id, Dossier.reference == spec.reference
        )
    ).first()
    if exists is not None:
        return 0
    buyer = demo_user(session, spec.buyer)
    data = {
        **spec.data,
        "reference": spec.reference,
        "publication_date": _planned(spec.publication, today),
    }
    dossier = services.create_dossier(session, actor=buyer, data=data, today=today)
    board = services.clause_board(session, actor=buyer, dossier_id=dossier.id, with_diffs=False)
    choices: dict[str, services.ClauseChoice] = {}
    award_points = 0
    for wanted in spec.clauses:
        item = board.item(wanted.code)
        if item is None:
            continue  # not in the library (yet): the demo goes on without it
        weight = wanted.weight if item.is_award else None
        if item.is_award:
            weight = weight or item.version.award_weight_suggested
            award_points += weight or 0
        choices[wanted.code] = services.ClauseChoice(
            version_id=item.version.id, include=True, values=dict(wanted.values), weight=weight
        )
    # Mandatory criteria of the category that the spec does not list are kept as pre-selected.
    for item in board.items:
        if item.is_mandatory and item.code not in choices:
            choices[item.code] = services.ClauseChoice(
                version_id=item.version.id,
                include=True,
                values=dict(item.values),
                weight=item.weight if item.is_award else None,
            )
            if item.is_award:
                award_points += item.weight or 0
    try:
        services.save_selection(
            session,
            actor=buyer,
            dossier_id=dossier.id,
            lock_version=dossier.lock_version,
            price_weight=100 - award_points,
            choices=choices,
            today=today,
        )
    except ValidationError as exc:
        # A clause's parameters changed in the corpus since this demo was written: its
        # defaults stand in for the values it no longer accepts, and the demo still loads.
        click.echo(f"demo dossier {spec.reference}: {exc.as_json()}", err=True)
        for key in exc.errors:
            for code, choice in choices.items():
                prefix = services.field_name(code, "p-")
                if key.startswith(prefix):
                    choice.values.pop(key[len(prefix) :], None)
        services.save_selection(
            session,
            actor=buyer,
            dossier_id=dossier.id,
            lock_version=dossier.lock_version,
            price_weight=100 - award_points,
            choices=choices,
            today=today,
        )
    return 1


def generate_documents(session: Session) -> int:
    """Generate the complete documents of the demo dossiers that want them.

    A separate loader that runs after the lots' loader, so that the documents already show the
    saved lot plans. Dossiers that have documents are left alone (idempotent).
    """
    today = services.brussels_today()
    created = 0
    for spec in DOSSIERS:
        if not spec.generate:
            continue
        authority = get_authority(session, spec.authority)
        dossier = session.exec(
            select(Dossier).where(
                Dossier.authority_id == authority.id, Dossier.reference == spec.reference
            )
        ).first()
        if dossier is None or services.generation_problems(session, dossier, today):
            continue
        has_documents = session.exec(
            select(GeneratedDocument.id).where(GeneratedDocument.dossier_id == dossier.id)
        ).first()
        if has_documents is None:
            buyer = demo_user(session, spec.buyer)
            services.generate_documents(
                session, actor=buyer, dossier_id=dossier.id, kind=builtin.COMPLETE.key
            )
            created += 1
    return created


def _template(session: Session) -> int:
    manager = demo_user(session, "manager.ixelles@demo.clausier.brussels")
    exists = session.exec(
        select(AuthorityTemplate.id).where(
            AuthorityTemplate.authority_id == manager.authority_id,
            AuthorityTemplate.name == TEMPLATE_NAME,
        )
    ).first()
    if exists is not None:
        return 0
    # The authority starts from Clausier's own complete template, as the help page suggests.
    data = builtin.template_path(builtin.COMPLETE.key, "fr").read_bytes()
    services.upload_template(
        session,
        actor=manager,
        name=TEMPLATE_NAME,
        kind=builtin.COMPLETE.key,
        filename="modele-ixelles-complet.docx",
        data=data,
        max_bytes=5 * 1024 * 1024,
    )
    return 1
