"""The controlled vocabulary of clauses: families, placements, ambition levels, facilitators,
evidence, legal instruments. Shared by the corpus files, the database and the pages.
"""

from __future__ import annotations

import enum

from portal.accounts.models import Theme
from portal.i18n import _l


class Family(enum.StrEnum):
    """What a clause is for."""

    #: Environmental criteria (Brussels Environment).
    environmental = "environmental"
    #: Social clauses: insertion of job seekers, training, decent work (Actiris).
    social = "social"
    #: Ethical clauses: fair trade, human rights in supply chains (Actiris).
    ethical = "ethical"
    #: Clauses against social dumping (Observatory of reference prices).
    anti_social_dumping = "anti_social_dumping"
    #: Clauses that make tenders accessible to SMEs (Brussels Economy and Employment).
    pro_sme = "pro_sme"
    #: Innovation procurement (Innoviris).
    innovation = "innovation"

    @property
    def title(self) -> str:
        return str(FAMILY_TITLES[self])

    @property
    def code_suffix(self) -> str:
        return FAMILY_CODES[self]

    @property
    def theme(self) -> Theme:
        return FAMILY_THEMES[self]


FAMILY_TITLES = {
    Family.environmental: _l("Environmental"),
    Family.social: _l("Social"),
    Family.ethical: _l("Ethical"),
    Family.anti_social_dumping: _l("Anti-social-dumping"),
    Family.pro_sme: _l("Pro-SME"),
    Family.innovation: _l("Innovation"),
}
FAMILY_CODES = {
    Family.environmental: "ENV",
    Family.social: "SOC",
    Family.ethical: "ETH",
    Family.anti_social_dumping: "ASD",
    Family.pro_sme: "SME",
    Family.innovation: "INN",
}
#: The helpdesk theme whose curators own each family.
FAMILY_THEMES = {
    Family.environmental: Theme.environmental,
    Family.social: Theme.social,
    Family.ethical: Theme.social,
    Family.anti_social_dumping: Theme.anti_dumping,
    Family.pro_sme: Theme.pro_sme,
    Family.innovation: Theme.innovation,
}


def families_for_themes(themes: frozenset[Theme] | set[Theme]) -> frozenset[Family]:
    return frozenset(f for f, t in FAMILY_THEMES.items() if t in themes)


class Placement(enum.StrEnum):
    """Where a clause goes in the tender documents, in tender order."""

    #: A provision of the procedure itself: lots and their limits, coordination lot, reserved
    #: contracts, deadlines, site visits, variants, samples, market consultation, price checks.
    procedure = "procedure"
    #: An exclusion ground.
    exclusion = "exclusion"
    #: A selection criterion (capacity of the tenderer).
    selection = "selection"
    #: A technical specification (minimum requirement on the object).
    technical_specification = "technical_specification"
    #: An award criterion, with a weight.
    award = "award"
    #: A contract performance clause (execution condition).
    performance = "performance"

    @property
    def title(self) -> str:
        return str(PLACEMENT_TITLES[self])


PLACEMENT_TITLES = {
    Placement.procedure: _l("Procedure and lots"),
    Placement.exclusion: _l("Exclusion ground"),
    Placement.selection: _l("Selection criterion"),
    Placement.technical_specification: _l("Technical specification"),
    Placement.award: _l("Award criterion"),
    Placement.performance: _l("Contract performance clause"),
}


class Ambition(enum.StrEnum):
    """Ambition level, as in the PIANOo MVI tool."""

    #: Excludes the least sustainable offers at little cost or effort.
    base = "base"
    #: Stricter requirements and award criteria that reward performance.
    advanced = "advanced"
    #: Functional or demanding criteria that pull the market forward.
    ambitious = "ambitious"

    @property
    def title(self) -> str:
        return str(AMBITION_TITLES[self])

    @property
    def rank(self) -> int:
        return list(Ambition).index(self) + 1


AMBITION_TITLES = {
    Ambition.base: _l("Base"),
    Ambition.advanced: _l("Advanced"),
    Ambition.ambitious: _l("Ambitious"),
}


class Facilitator(enum.StrEnum):
    """The helpdesk facilitator responsible for a clause (MPDI 4)."""

    #: Brussels Environment / Bruxelles Environnement / Leefmilieu Brussel.
    brussels_environment = "brussels_environment"
    #: Actiris, the regional employment service (social clauses).
    actiris = "actiris"
    #: Brussels Economy and Employment (pro-SME clauses).
    bee = "bee"
    #: The Observatory of reference prices in public procurement (anti-dumping).
    observatory = "observatory"
    #: Innoviris (innovation procurement).
    innoviris = "innoviris"

    @property
    def title(self) -> str:
        return str(FACILITATOR_TITLES[self])


FACILITATOR_TITLES = {
    Facilitator.brussels_environment: _l("Brussels Environment"),
    Facilitator.actiris: _l("Actiris"),
    Facilitator.bee: _l("Brussels Economy and Employment"),
    Facilitator.observatory: _l("Observatory of reference prices"),
    Facilitator.innoviris: _l("Innoviris"),
}


class Evidence(enum.StrEnum):
    """What the tenderer or contractor hands over to prove a clause."""

    #: A type-I label or equivalent.
    label = "label"
    #: A certificate from an accredited body (ISO 14001, EMAS...).
    certificate = "certificate"
    #: A declaration on honour.
    declaration = "declaration"
    #: A test report from an accredited laboratory.
    test_report = "test_report"
    #: A technical file or product data sheet.
    technical_file = "technical_file"
    #: A list of staff, with qualifications or contracts.
    staff_list = "staff_list"
    #: A plan or method statement (logistics plan, insertion plan...).
    plan = "plan"
    #: Supporting records: invoices, delivery notes, purchase or staff records, logs.
    records = "records"
    #: A periodic report during execution.
    report = "report"
    #: An inspection or visit by the buyer.
    inspection = "inspection"
    #: A public register or database the buyer consults (Limosa, Checkin@Work, ONSS...).
    register = "register"

    @property
    def title(self) -> str:
        return str(EVIDENCE_TITLES[self])


EVIDENCE_TITLES = {
    Evidence.label: _l("Label"),
    Evidence.certificate: _l("Certificate"),
    Evidence.declaration: _l("Declaration on honour"),
    Evidence.test_report: _l("Test report"),
    Evidence.technical_file: _l("Technical file"),
    Evidence.staff_list: _l("Staff list"),
    Evidence.plan: _l("Plan or method statement"),
    Evidence.records: _l("Supporting records"),
    Evidence.report: _l("Periodic report"),
    Evidence.inspection: _l("Inspection by the buyer"),
    Evidence.register: _l("Public register or database"),
}


class Stage(enum.StrEnum):
    """When the buyer checks the evidence."""

    #: When tenders are evaluated, before the contract is awarded.
    award = "award"
    #: While the contract is carried out.
    execution = "execution"

    @property
    def title(self) -> str:
        return str(STAGE_TITLES[self])


STAGE_TITLES = {
    Stage.award: _l("At award"),
    Stage.execution: _l("During execution"),
}


class MarketReadiness(enum.StrEnum):
    """How easily the market meets a clause."""

    #: Most suppliers already meet it.
    widespread = "widespread"
    #: Several suppliers meet it; check competition.
    available = "available"
    #: Few suppliers meet it yet; consult the market first.
    emerging = "emerging"

    @property
    def title(self) -> str:
        return str(READINESS_TITLES[self])


READINESS_TITLES = {
    MarketReadiness.widespread: _l("Widely available"),
    MarketReadiness.available: _l("Available from several suppliers"),
    MarketReadiness.emerging: _l("Emerging: consult the market first"),
}


class CostEffect(enum.StrEnum):
    """The expected effect on cost over the life cycle."""

    #: Lower life-cycle cost.
    saving = "saving"
    #: About the same cost.
    neutral = "neutral"
    #: A small extra cost.
    slight_increase = "slight_increase"
    #: A noticeable extra cost.
    increase = "increase"

    @property
    def title(self) -> str:
        return str(COST_TITLES[self])


COST_TITLES = {
    CostEffect.saving: _l("Saves money over the life cycle"),
    CostEffect.neutral: _l("About the same cost"),
    CostEffect.slight_increase: _l("Slight extra cost"),
    CostEffect.increase: _l("Noticeable extra cost"),
}


class ParamType(enum.StrEnum):
    """Types of clause parameters. Forms and validation are generated from them."""

    #: A whole number between min and max.
    integer = "integer"
    #: A decimal number between min and max.
    decimal = "decimal"
    #: A percentage between min and max (0-100); rendered with the % sign.
    percentage = "percentage"
    #: An amount in euro between min and max; rendered as currency.
    money = "money"
    #: A short free text typed by the buyer.
    text = "text"
    #: One option from a list.
    choice = "choice"
    #: Several options from a list (for example labels); rendered as a list.
    multichoice = "multichoice"

    @property
    def title(self) -> str:
        return str(PARAM_TYPE_TITLES[self])


PARAM_TYPE_TITLES = {
    ParamType.integer: _l("Whole number"),
    ParamType.decimal: _l("Number"),
    ParamType.percentage: _l("Percentage"),
    ParamType.money: _l("Amount in euro"),
    ParamType.text: _l("Text"),
    ParamType.choice: _l("One option"),
    ParamType.multichoice: _l("Several options"),
}

#: Legal instruments a clause may cite, with their official titles in FR, NL and EN.
LEGAL_INSTRUMENTS: dict[str, dict[str, str]] = {
    "law_2016": {
        "fr": "Loi du 17 juin 2016 relative aux marchés publics",
        "nl": "Wet van 17 juni 2016 inzake overheidsopdrachten",
        "en": "Belgian Public Procurement Act of 17 June 2016",
    },
    "rd_2017_award": {
        "fr": "Arrêté royal du 18 avril 2017 relatif à la passation des marchés publics "
        "dans les secteurs classiques",
        "nl": "Koninklijk besluit van 18 april 2017 plaatsing overheidsopdrachten in de "
        "klassieke sectoren",
        "en": "Royal Decree of 18 April 2017 on the award of public contracts in the "
        "classic sectors",
    },
    "rd_2013_execution": {
        "fr": "Arrêté royal du 14 janvier 2013 établissant les règles générales d'exécution "
        "des marchés publics",
        "nl": "Koninklijk besluit van 14 januari 2013 tot bepaling van de algemene "
        "uitvoeringsregels van de overheidsopdrachten",
        "en": "Royal Decree of 14 January 2013 on the general rules for the performance of "
        "public contracts",
    },
    "dir_2014_24": {
        "fr": "Directive 2014/24/UE sur la passation des marchés publics",
        "nl": "Richtlijn 2014/24/EU betreffende het plaatsen van overheidsopdrachten",
        "en": "Directive 2014/24/EU on public procurement",
    },
    "ord_2014_env": {
        "fr": "Ordonnance bruxelloise du 8 mai 2014 relative à l'inclusion de clauses "
        "environnementales et éthiques dans les marchés publics",
        "nl": "Brusselse ordonnantie van 8 mei 2014 betreffende de opname van milieu- en "
        "ethische clausules in de overheidsopdrachten",
        "en": "Brussels Ordinance of 8 May 2014 on environmental and ethical clauses in "
        "public procurement",
    },
    "ord_2014_social": {
        "fr": "Ordonnance bruxelloise du 8 mai 2014 relative à l'inclusion de clauses sociales "
        "dans les marchés publics",
        "nl": "Brusselse ordonnantie van 8 mei 2014 betreffende de opname van sociale clausules "
        "in de overheidsopdrachten",
        "en": "Brussels Ordinance of 8 May 2014 on social clauses in public procurement",
    },
    "law_1969_social_security": {
        "fr": "Loi du 27 juin 1969 révisant l'arrêté-loi du 28 décembre 1944 concernant la "
        "sécurité sociale des travailleurs",
        "nl": "Wet van 27 juni 1969 tot herziening van de besluitwet van 28 december 1944 "
        "betreffende de maatschappelijke zekerheid der arbeiders",
        "en": "Act of 27 June 1969 on the social security of workers",
    },
    "cir_1992": {
        "fr": "Code des impôts sur les revenus 1992",
        "nl": "Wetboek van de inkomstenbelastingen 1992",
        "en": "Income Tax Code 1992",
    },
    "law_1965_wages": {
        "fr": "Loi du 12 avril 1965 concernant la protection de la rémunération des travailleurs",
        "nl": "Wet van 12 april 1965 betreffende de bescherming van het loon der werknemers",
        "en": "Act of 12 April 1965 on the protection of workers' pay",
    },
    "programme_law_2006": {
        "fr": "Loi-programme (I) du 27 décembre 2006 (déclaration Limosa)",
        "nl": "Programmawet (I) van 27 december 2006 (Limosa-melding)",
        "en": "Programme Act (I) of 27 December 2006 (Limosa declaration)",
    },
    "law_2002_posting": {
        "fr": "Loi du 5 mars 2002 concernant les conditions de travail, de rémunération et "
        "d'emploi en cas de détachement de travailleurs en Belgique",
        "nl": "Wet van 5 maart 2002 betreffende de arbeids-, loon- en tewerkstellings"
        "voorwaarden in geval van detachering van werknemers in België",
        "en": "Act of 5 March 2002 on the working conditions of workers posted to Belgium",
    },
    "law_1996_wellbeing": {
        "fr": "Loi du 4 août 1996 relative au bien-être des travailleurs lors de l'exécution "
        "de leur travail (enregistrement des présences, Checkin@Work)",
        "nl": "Wet van 4 augustus 1996 betreffende het welzijn van de werknemers bij de "
        "uitvoering van hun werk (registratie van aanwezigheden, Checkin@Work)",
        "en": "Act of 4 August 1996 on the well-being of workers (registration of presence, "
        "Checkin@Work)",
    },
    "reg_2018_848": {
        "fr": "Règlement (UE) 2018/848 relatif à la production biologique",
        "nl": "Verordening (EU) 2018/848 inzake biologische productie",
        "en": "Regulation (EU) 2018/848 on organic production",
    },
    "reg_2017_1369": {
        "fr": "Règlement (UE) 2017/1369 établissant un cadre pour l'étiquetage énergétique",
        "nl": "Verordening (EU) 2017/1369 tot vaststelling van een kader voor energie-etikettering",
        "en": "Regulation (EU) 2017/1369 setting a framework for energy labelling",
    },
    "reg_2009_1221": {
        "fr": "Règlement (CE) n° 1221/2009 concernant le système de management "
        "environnemental et d'audit (EMAS)",
        "nl": "Verordening (EG) nr. 1221/2009 inzake het milieubeheer- en milieuauditsysteem "
        "(EMAS)",
        "en": "Regulation (EC) No 1221/2009 on the eco-management and audit scheme (EMAS)",
    },
    "rec_2003_361": {
        "fr": "Recommandation 2003/361/CE concernant la définition des micro, petites et "
        "moyennes entreprises",
        "nl": "Aanbeveling 2003/361/EG betreffende de definitie van kleine, middelgrote en "
        "micro-ondernemingen",
        "en": "Commission Recommendation 2003/361/EC on the definition of SMEs",
    },
    "ilo_core": {
        "fr": "Conventions fondamentales de l'Organisation internationale du Travail",
        "nl": "Fundamentele verdragen van de Internationale Arbeidsorganisatie",
        "en": "Fundamental conventions of the International Labour Organization",
    },
    "law_2002_late_payment": {
        "fr": "Loi du 2 août 2002 concernant la lutte contre le retard de paiement dans les "
        "transactions commerciales",
        "nl": "Wet van 2 augustus 2002 betreffende de bestrijding van de betalingsachterstand "
        "bij handelstransacties",
        "en": "Act of 2 August 2002 on combating late payment in commercial transactions",
    },
    "dir_2019_882": {
        "fr": "Directive (UE) 2019/882 relative aux exigences en matière d'accessibilité "
        "des produits et services",
        "nl": "Richtlijn (EU) 2019/882 betreffende de toegankelijkheidsvoorschriften voor "
        "producten en diensten",
        "en": "Directive (EU) 2019/882 on the accessibility requirements for products and services",
    },
    "dir_2019_1161": {
        "fr": "Directive (UE) 2019/1161 relative à la promotion de véhicules de transport "
        "routier propres et économes en énergie",
        "nl": "Richtlijn (EU) 2019/1161 inzake de bevordering van schone en energiezuinige "
        "wegvoertuigen",
        "en": "Directive (EU) 2019/1161 on the promotion of clean and energy-efficient road "
        "transport vehicles",
    },
}
