"""The words of the clause vocabulary as they appear in a tender document, per document language.

The portal's pages translate the vocabulary with gettext in the visitor's language
(:mod:`portal.clauses.vocabulary`). A document is written in the language the buyer chose for
the dossier, whatever the language of the page that generates it, and in the register of a
cahier spécial des charges / bestek; so the document words are plain data here, keyed by the
vocabulary's values. Context builders use :func:`label`.
"""

from __future__ import annotations

from collections.abc import Mapping

from portal.clauses.vocabulary import Ambition, Evidence, Family, Placement, Stage

Labels = Mapping[str, Mapping[str, str]]

FAMILY: Labels = {
    Family.environmental: {"fr": "Environnement", "nl": "Milieu", "en": "Environmental"},
    Family.social: {"fr": "Social", "nl": "Sociaal", "en": "Social"},
    Family.ethical: {"fr": "Éthique", "nl": "Ethisch", "en": "Ethical"},
    Family.anti_social_dumping: {
        "fr": "Lutte contre le dumping social",
        "nl": "Bestrijding van sociale dumping",
        "en": "Anti-social-dumping",
    },
    Family.pro_sme: {"fr": "Accès des PME", "nl": "Toegang voor kmo's", "en": "SME access"},
    Family.innovation: {"fr": "Innovation", "nl": "Innovatie", "en": "Innovation"},
}

PLACEMENT: Labels = {
    Placement.procedure: {
        "fr": "Disposition relative à la procédure",
        "nl": "Procedurebepaling",
        "en": "Procedure",
    },
    Placement.exclusion: {"fr": "Motif d'exclusion", "nl": "Uitsluitingsgrond", "en": "Exclusion"},
    Placement.selection: {
        "fr": "Critère de sélection",
        "nl": "Selectiecriterium",
        "en": "Selection criterion",
    },
    Placement.technical_specification: {
        "fr": "Spécification technique",
        "nl": "Technische specificatie",
        "en": "Technical specification",
    },
    Placement.award: {"fr": "Critère d'attribution", "nl": "Gunningscriterium", "en": "Award"},
    Placement.performance: {
        "fr": "Clause d'exécution",
        "nl": "Uitvoeringsvoorwaarde",
        "en": "Contract performance clause",
    },
}

AMBITION: Labels = {
    Ambition.base: {"fr": "Base", "nl": "Basis", "en": "Base"},
    Ambition.advanced: {"fr": "Avancé", "nl": "Gevorderd", "en": "Advanced"},
    Ambition.ambitious: {"fr": "Ambitieux", "nl": "Ambitieus", "en": "Ambitious"},
}

EVIDENCE: Labels = {
    Evidence.label: {"fr": "Label", "nl": "Keurmerk", "en": "Label"},
    Evidence.certificate: {"fr": "Certificat", "nl": "Certificaat", "en": "Certificate"},
    Evidence.declaration: {
        "fr": "Déclaration sur l'honneur",
        "nl": "Verklaring op erewoord",
        "en": "Declaration on honour",
    },
    Evidence.test_report: {"fr": "Rapport d'essai", "nl": "Testverslag", "en": "Test report"},
    Evidence.technical_file: {
        "fr": "Dossier technique",
        "nl": "Technisch dossier",
        "en": "Technical file",
    },
    Evidence.staff_list: {
        "fr": "Liste du personnel",
        "nl": "Personeelslijst",
        "en": "Staff list",
    },
    Evidence.plan: {
        "fr": "Plan ou note méthodologique",
        "nl": "Plan of methodologische nota",
        "en": "Plan or method statement",
    },
    # Generic on purpose: clauses ask for invoices, delivery notes, purchase statements,
    # payslips or attendance records under this one kind; the clause says which.
    Evidence.records: {
        "fr": "Pièces justificatives",
        "nl": "Bewijsstukken",
        "en": "Supporting records",
    },
    Evidence.report: {
        "fr": "Rapport périodique",
        "nl": "Periodiek verslag",
        "en": "Periodic report",
    },
    Evidence.inspection: {
        "fr": "Contrôle sur place",
        "nl": "Controle ter plaatse",
        "en": "Inspection by the buyer",
    },
    Evidence.register: {
        "fr": "Registre ou base de données publique",
        "nl": "Openbaar register of databank",
        "en": "Public register or database",
    },
}

STAGE: Labels = {
    Stage.award: {
        "fr": "Lors de l'analyse des offres",
        "nl": "Bij het onderzoek van de offertes",
        "en": "When evaluating tenders",
    },
    Stage.execution: {
        "fr": "En cours d'exécution",
        "nl": "Tijdens de uitvoering",
        "en": "During performance",
    },
}

#: Contract types (law of 17 June 2016, art. 2, 17°-19°).
CONTRACT_TYPE: Labels = {
    "works": {"fr": "Marché de travaux", "nl": "Opdracht voor werken", "en": "Works contract"},
    "supplies": {
        "fr": "Marché de fournitures",
        "nl": "Opdracht voor leveringen",
        "en": "Supply contract",
    },
    "services": {
        "fr": "Marché de services",
        "nl": "Opdracht voor diensten",
        "en": "Service contract",
    },
}

#: Award procedures (the values of :class:`portal.lots.rules.Procedure` and the usual ones).
PROCEDURE: Labels = {
    "open": {"fr": "Procédure ouverte", "nl": "Openbare procedure", "en": "Open procedure"},
    "restricted": {
        "fr": "Procédure restreinte",
        "nl": "Niet-openbare procedure",
        "en": "Restricted procedure",
    },
    "competitive_negotiated": {
        "fr": "Procédure concurrentielle avec négociation",
        "nl": "Mededingingsprocedure met onderhandeling",
        "en": "Competitive procedure with negotiation",
    },
    "negotiated_with_publication": {
        "fr": "Procédure négociée directe avec publication préalable",
        "nl": "Vereenvoudigde onderhandelingsprocedure met voorafgaande bekendmaking",
        "en": "Negotiated procedure with prior publication",
    },
    "negotiated_without_publication": {
        "fr": "Procédure négociée sans publication préalable",
        "nl": "Onderhandelingsprocedure zonder voorafgaande bekendmaking",
        "en": "Negotiated procedure without prior publication",
    },
    "accepted_invoice": {
        "fr": "Marché de faible montant (facture acceptée)",
        "nl": "Opdracht van beperkte waarde (aanvaarde factuur)",
        "en": "Low-value contract (accepted invoice)",
    },
    "national_publication": {
        "fr": "Procédure ouverte avec publication au Bulletin des Adjudications",
        "nl": "Openbare procedure met bekendmaking in het Bulletin der Aanbestedingen",
        "en": "Open procedure published in the Belgian Bulletin",
    },
    "eu_publication": {
        "fr": "Procédure ouverte avec publication au Journal officiel de l'Union européenne",
        "nl": "Openbare procedure met bekendmaking in het Publicatieblad van de Europese Unie",
        "en": "Open procedure published in the Official Journal of the EU",
    },
    "light_regime": {
        "fr": "Régime assoupli (services sociaux et autres services spécifiques)",
        "nl": "Versoepeld regime (sociale en andere specifieke diensten)",
        "en": "Light regime (social and other specific services)",
    },
    "eu_light_regime": {
        "fr": "Régime assoupli avec publication européenne",
        "nl": "Versoepeld regime met Europese bekendmaking",
        "en": "Light regime with EU publication",
    },
}

#: Size classes of Recommendation 2003/361/EC.
COMPANY_SIZE: Labels = {
    "micro": {"fr": "Micro-entreprise", "nl": "Micro-onderneming", "en": "Micro-enterprise"},
    "small": {"fr": "Petite entreprise", "nl": "Kleine onderneming", "en": "Small enterprise"},
    "medium": {
        "fr": "Moyenne entreprise",
        "nl": "Middelgrote onderneming",
        "en": "Medium-sized enterprise",
    },
    "large": {"fr": "Grande entreprise", "nl": "Grote onderneming", "en": "Large enterprise"},
}

#: Whether a lot suits SMEs, as written in the lot table.
SME_SUITABILITY: Labels = {
    "yes": {"fr": "Accessible aux PME", "nl": "Toegankelijk voor kmo's", "en": "Suits SMEs"},
    "no": {
        "fr": "Peu accessible aux PME",
        "nl": "Weinig toegankelijk voor kmo's",
        "en": "Hard for SMEs",
    },
}

TABLES: Mapping[str, Labels] = {
    "family": FAMILY,
    "placement": PLACEMENT,
    "ambition": AMBITION,
    "evidence": EVIDENCE,
    "stage": STAGE,
    "contract_type": CONTRACT_TYPE,
    "procedure": PROCEDURE,
    "company_size": COMPANY_SIZE,
    "sme_suitability": SME_SUITABILITY,
}


def label(table: str, value: str, lang: str) -> str:
    """Return the document word for ``value`` of a vocabulary ``table`` in ``lang``.

    :raises KeyError: an unknown table, value or language (a programming error, not user input).
    """
    return TABLES[table][value][lang]
