"""Demo accounts: one or more per role, with realistic Brussels names. Password: see README."""

from __future__ import annotations

from sqlmodel import Session, select

from portal.accounts.models import Role, User
from portal.accounts.services import create_user, find_user_by_email
from portal.companies.models import Company, CompanySize
from portal.reference.services import get_authority

DEMO_PASSWORD = "Clausier-demo-2026"  # noqa: S105 - documented demo password

#: email, name, role, authority code, themes, locale
DEMO_USERS = [
    ("coordinator@demo.clausier.brussels", "Sophie Janssens", Role.coordinator, None, [], "fr"),
    (
        "curator.env@demo.clausier.brussels",
        "Marc Dubois",
        Role.curator,
        None,
        ["environmental"],
        "fr",
    ),
    (
        "curator.env2@demo.clausier.brussels",
        "Lotte Peeters",
        Role.curator,
        None,
        ["environmental", "innovation"],
        "nl",
    ),
    (
        "curator.social@demo.clausier.brussels",
        "Nadia El Amrani",
        Role.curator,
        None,
        ["social"],
        "fr",
    ),
    (
        "curator.sme@demo.clausier.brussels",
        "Pieter Vermeulen",
        Role.curator,
        None,
        ["pro_sme"],
        "nl",
    ),
    (
        "curator.dumping@demo.clausier.brussels",
        "Claire Lambert",
        Role.curator,
        None,
        ["anti_dumping", "social"],
        "fr",
    ),
    (
        "expert@demo.clausier.brussels",
        "Jan De Smet",
        Role.expert,
        None,
        ["anti_dumping", "social"],
        "nl",
    ),
    (
        "buyer.ixelles@demo.clausier.brussels",
        "Thomas Leroy",
        Role.buyer,
        "commune-ixelles",
        [],
        "fr",
    ),
    (
        "manager.ixelles@demo.clausier.brussels",
        "Isabelle Claes",
        Role.authority_manager,
        "commune-ixelles",
        [],
        "fr",
    ),
    (
        "buyer.cpas@demo.clausier.brussels",
        "Youssef Benali",
        Role.buyer,
        "cpas-schaerbeek",
        [],
        "fr",
    ),
    (
        "buyer.env@demo.clausier.brussels",
        "Eva Wouters",
        Role.buyer,
        "bruxelles-environnement",
        [],
        "nl",
    ),
    (
        "manager.env@demo.clausier.brussels",
        "Koen Maes",
        Role.authority_manager,
        "bruxelles-environnement",
        [],
        "nl",
    ),
]

DEMO_COMPANIES = [
    (
        "company@demo.clausier.brussels",
        "Amélie Renard",
        "Atelier Vert SCRL-FS",
        CompanySize.small,
        True,
        "molenbeek-saint-jean",
        ["green-spaces", "cleaning"],
        "Entreprise d'économie sociale: entretien d'espaces verts et nettoyage écologique.",
    ),
    (
        "company2@demo.clausier.brussels",
        "Joris Van Damme",
        "Fietskoerier Brussel BV",
        CompanySize.micro,
        False,
        "saint-gilles",
        ["logistics-delivery"],
        "Leveringen per bakfiets in het Brussels Gewest, geconsolideerd vanuit een stadsdepot.",
    ),
]


def load(session: Session) -> int:
    created = 0
    for email, name, role, authority, themes, locale in DEMO_USERS:
        if find_user_by_email(session, email):
            continue
        authority_id = get_authority(session, authority).id if authority else None
        create_user(
            session,
            actor=None,
            email=email,
            full_name=name,
            role=role,
            password=DEMO_PASSWORD,
            authority_id=authority_id,
            themes=themes,
            locale=locale,
        )
        created += 1
    for email, name, company_name, size, social, muni, sectors, desc in DEMO_COMPANIES:
        if find_user_by_email(session, email):
            continue
        company = session.exec(select(Company).where(Company.name == company_name)).first()
        if company is None:
            company = Company(
                name=company_name,
                size=size,
                is_social_economy=social,
                municipality=muni,
                sectors=sectors,
                description=desc,
            )
            session.add(company)
            session.flush()
            created += 1
        create_user(
            session,
            actor=None,
            email=email,
            full_name=name,
            role=Role.company,
            password=DEMO_PASSWORD,
            company_id=company.id,
            locale="fr",
        )
        created += 1
    return created


def demo_user(session: Session, email: str) -> User:
    user = session.exec(select(User).where(User.email == email)).one()
    return user
