"""A realistic, complete example context: the cleaning contract of a Brussels municipality.

The Municipality of Etterbeek buys the cleaning of its buildings for four years, in three lots,
with fourteen clauses covering every placement and an anti-social-dumping block. The clauses are
written in the shape of the clause corpus (``clauses/*.yaml``) and filled in with
:func:`portal.documents.context.clause_context`, exactly as the tender builder fills pinned
versions; so the example exercises the same path as real dossiers. It feeds the tests, the
downloadable example on the help page and the benchmark (:func:`large_context`).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from portal.documents import labels
from portal.documents.context import (
    DOCUMENT_LANGS,
    Authority,
    Clause,
    Coordination,
    Cpv,
    DocumentContext,
    Dossier,
    Lot,
    Lots,
    anti_dumping_block,
    checklist,
    clause_context,
    group_clauses,
    weights_table,
)

T = dict[str, str]

CPV_LABELS: dict[str, T] = {
    "90910000-9": {"fr": "Services de nettoyage", "nl": "Reinigingsdiensten"},
    "90919200-4": {"fr": "Services de nettoyage de bureaux", "nl": "Schoonmaken van kantoren"},
    "90911200-8": {"fr": "Services de nettoyage de bâtiments", "nl": "Reiniging van gebouwen"},
    "90911300-9": {"fr": "Services de nettoyage de vitres", "nl": "Wassen van ramen"},
    "39830000-9": {"fr": "Produits de nettoyage", "nl": "Reinigingsmiddelen"},
    "33760000-5": {
        "fr": "Papier hygiénique, mouchoirs, essuie-mains et serviettes de table",
        "nl": "Toiletpapier, zakdoekjes, handdoeken en servetten",
    },
    "79993000-1": {
        "fr": "Services de gestion d'immeubles et d'installations",
        "nl": "Gebouwen- en faciliteitenbeheer",
    },
}


def _cpv(code: str, lang: str) -> Cpv:
    return Cpv(code=code, label=CPV_LABELS[code][lang])


# ----------------------------------------------------------------------------------------------
# Clauses, in the shape of the corpus files (French and Dutch only: the templates' languages)

CLAUSES: list[dict[str, Any]] = [
    {
        "code": "GEN-SME-008",
        "version": 1,
        "family": "pro_sme",
        "placement": "procedure",
        "ambition": "base",
        "title": {
            "fr": "Visite des lieux annoncée à l'avance et réponses publiées pour tous",
            "nl": "Vooraf aangekondigd plaatsbezoek en antwoorden bekendgemaakt voor iedereen",
        },
        "text": {
            "fr": "Une visite des bâtiments de chaque lot est organisée à {{ visit_slots }} dates "
            "différentes, annoncées dans l'avis de marché. La participation à la visite "
            "{{ visit_mandatory }}.\n\n"
            "Les questions posées lors des visites et les réponses du pouvoir adjudicateur sont "
            "publiées de manière anonyme sur la plateforme de publication du marché, au plus "
            "tard six jours avant la date limite de réception des offres.",
            "nl": "De gebouwen van elk perceel kunnen op {{ visit_slots }} verschillende data "
            "worden bezocht; die data staan in de aankondiging van de opdracht. Het "
            "plaatsbezoek {{ visit_mandatory }}.\n\n"
            "De vragen die tijdens de bezoeken worden gesteld en de antwoorden van de "
            "aanbestedende overheid worden anoniem bekendgemaakt op het publicatieplatform van "
            "de opdracht, uiterlijk zes dagen vóór de uiterste datum voor de ontvangst van de "
            "offertes.",
        },
        "parameters": [
            {"name": "visit_slots", "type": "integer", "min": 1, "max": 5, "default": 2},
            {
                "name": "visit_mandatory",
                "type": "choice",
                "options": [
                    {
                        "value": "optional",
                        "label": {
                            "fr": "est facultative : une offre peut être remise sans visite",
                            "nl": "is facultatief: een offerte kan zonder bezoek worden ingediend",
                        },
                    },
                    {
                        "value": "mandatory",
                        "label": {
                            "fr": "est obligatoire, sous peine d'irrégularité de l'offre",
                            "nl": "is verplicht, op straffe van onregelmatigheid van de offerte",
                        },
                    },
                ],
                "default": "optional",
            },
        ],
        "values": {"visit_slots": 3, "visit_mandatory": "optional"},
        "verification": [
            {
                "evidence": "declaration",
                "stage": "award",
                "what": {
                    "fr": "Dans le formulaire d'offre, la déclaration que le soumissionnaire a "
                    "pris connaissance des réponses publiées et, si la visite est obligatoire, "
                    "l'attestation de visite.",
                    "nl": "In het offerteformulier de verklaring dat de inschrijver kennis heeft "
                    "genomen van de bekendgemaakte antwoorden en, als het bezoek verplicht is, het "
                    "bezoekattest.",
                },
                "how": {
                    "fr": "Vérifier, avant l'ouverture des offres, que les dates de visite "
                    "figuraient dans l'avis de marché et que chaque réponse a été publiée au "
                    "moins six jours avant la date limite.",
                    "nl": "Vóór de opening van de offertes nagaan of de bezoekdata in de "
                    "aankondiging stonden en of elk antwoord minstens zes dagen vóór de "
                    "uiterste datum werd bekendgemaakt.",
                },
            }
        ],
        "legal_basis": [{"instrument": "dir_2014_24", "article": "art. 47(2)"}],
    },
    {
        "code": "GEN-ASD-001",
        "version": 1,
        "family": "anti_social_dumping",
        "placement": "exclusion",
        "ambition": "base",
        "title": {
            "fr": "Dettes sociales et fiscales du soumissionnaire et de ses sous-traitants",
            "nl": "Sociale en fiscale schulden van de inschrijver en zijn onderaannemers",
        },
        "text": {
            "fr": "Le pouvoir adjudicateur vérifie au moyen de l'application Telemarc si le "
            "soumissionnaire a des dettes sociales supérieures à 3 000 € ou des dettes "
            "fiscales supérieures à 3 000 €. Le soumissionnaire en défaut est invité à "
            "régulariser sa situation dans les conditions de l'article 68 de la loi du "
            "17 juin 2016 ; à défaut, il est exclu.\n\n"
            "La même vérification est faite pour chaque sous-traitant, à quelque niveau que ce "
            "soit, avant le début de ses prestations.",
            "nl": "De aanbestedende overheid gaat met de toepassing Telemarc na of de inschrijver "
            "sociale schulden van meer dan € 3.000 of fiscale schulden van meer dan € 3.000 "
            "heeft. Een inschrijver die in gebreke is, krijgt de kans zijn toestand te "
            "regulariseren onder de voorwaarden van artikel 68 van de wet van 17 juni 2016; "
            "doet hij dat niet, dan wordt hij uitgesloten.\n\n"
            "Dezelfde controle gebeurt voor elke onderaannemer, in welke schakel ook, vóór hij "
            "met zijn prestaties begint.",
        },
        "verification": [
            {
                "evidence": "register",
                "stage": "award",
                "what": {
                    "fr": "Aucun document : le pouvoir adjudicateur consulte lui-même les bases "
                    "de données fédérales.",
                    "nl": "Geen document: de aanbestedende overheid raadpleegt zelf de federale "
                    "databanken.",
                },
                "how": {
                    "fr": "Consulter Telemarc pour chaque soumissionnaire dans les 20 jours qui "
                    "suivent la date limite de réception des offres.",
                    "nl": "Telemarc raadplegen voor elke inschrijver binnen 20 dagen na de "
                    "uiterste datum voor de ontvangst van de offertes.",
                },
            },
            {
                "evidence": "register",
                "stage": "execution",
                "what": {
                    "fr": "L'identité et le numéro d'entreprise de chaque sous-traitant.",
                    "nl": "De identiteit en het ondernemingsnummer van elke onderaannemer.",
                },
                "how": {
                    "fr": "Consulter Telemarc pour chaque sous-traitant avant son intervention.",
                    "nl": "Telemarc raadplegen voor elke onderaannemer vóór hij tussenkomt.",
                },
            },
        ],
        "legal_basis": [{"instrument": "law_2016", "article": "art. 68"}],
    },
    {
        "code": "GEN-SME-001",
        "version": 1,
        "family": "pro_sme",
        "placement": "selection",
        "ambition": "base",
        "title": {
            "fr": "Chiffre d'affaires minimal proportionné à la valeur du lot",
            "nl": "Minimale omzet in verhouding tot de waarde van het perceel",
        },
        "text": {
            "fr": "Le soumissionnaire justifie, pour chaque lot auquel il soumissionne, d'un "
            "chiffre d'affaires annuel moyen sur les trois derniers exercices disponibles au "
            "moins égal à {{ turnover_ratio }} fois la valeur annuelle estimée du lot, hors "
            "TVA.\n\n"
            "Lorsque le soumissionnaire remet offre pour plusieurs lots, l'exigence s'applique "
            "à la somme des valeurs annuelles des lots qui lui seraient attribués. Une "
            "entreprise créée depuis moins de trois ans justifie du chiffre d'affaires réalisé "
            "depuis sa création.\n\n"
            "Aucun chiffre d'affaires spécifique tiré de marchés publics antérieurs n'est exigé.",
            "nl": "De inschrijver toont voor elk perceel waarvoor hij inschrijft een gemiddelde "
            "jaaromzet over de laatste drie beschikbare boekjaren aan die minstens "
            "{{ turnover_ratio }} keer de geraamde jaarwaarde van het perceel, exclusief btw, "
            "bedraagt.\n\n"
            "Schrijft de inschrijver in voor meerdere percelen, dan geldt de eis voor de som "
            "van de jaarwaarden van de percelen die hem zouden worden gegund. Een onderneming "
            "die minder dan drie jaar bestaat, toont de omzet aan die zij sinds haar oprichting "
            "heeft behaald.\n\n"
            "Er wordt geen specifieke omzet uit eerdere overheidsopdrachten geëist.",
        },
        "parameters": [
            {"name": "turnover_ratio", "type": "decimal", "min": 0.5, "max": 2, "default": 1.5}
        ],
        "values": {"turnover_ratio": 1},
        "verification": [
            {
                "evidence": "declaration",
                "stage": "award",
                "what": {
                    "fr": "Le DUME, partie IV, indiquant le chiffre d'affaires annuel moyen des "
                    "trois derniers exercices.",
                    "nl": "Het UEA, deel IV, met de gemiddelde jaaromzet van de laatste drie "
                    "boekjaren.",
                },
                "how": {
                    "fr": "Consulter les comptes annuels du soumissionnaire pressenti à la "
                    "Centrale des bilans de la Banque nationale de Belgique.",
                    "nl": "De jaarrekeningen van de beoogde inschrijver raadplegen bij de "
                    "Balanscentrale van de Nationale Bank van België.",
                },
            }
        ],
        "legal_basis": [
            {"instrument": "dir_2014_24", "article": "art. 58(3)"},
            {"instrument": "law_2016", "article": "art. 71"},
        ],
    },
    {
        "code": "CLEAN-ENV-002",
        "version": 1,
        "family": "environmental",
        "placement": "selection",
        "ambition": "advanced",
        "title": {
            "fr": "Mesures de gestion environnementale",
            "nl": "Milieubeheersmaatregelen",
        },
        "text": {
            "fr": "Le soumissionnaire démontre qu'il est en mesure d'appliquer, lors de "
            "l'exécution du marché, des mesures de gestion environnementale portant au moins "
            "sur {{ topics }}.\n\n"
            "Cette capacité est démontrée par un enregistrement EMAS, une certification "
            "ISO 14001, le label « Entreprise écodynamique » de Bruxelles Environnement ou tout "
            "autre moyen de preuve équivalent, notamment une description des procédures "
            "internes du soumissionnaire.",
            "nl": "De inschrijver toont aan dat hij bij de uitvoering van de opdracht "
            "milieubeheersmaatregelen kan toepassen die minstens betrekking hebben op "
            "{{ topics }}.\n\n"
            "Dat vermogen wordt aangetoond met een EMAS-registratie, een ISO 14001-certificaat, "
            "het label ‘Ecodynamische onderneming’ van Leefmilieu Brussel of elk ander "
            "gelijkwaardig bewijsmiddel, zoals een beschrijving van de interne procedures van "
            "de inschrijver.",
        },
        "parameters": [
            {
                "name": "topics",
                "type": "multichoice",
                "conjunction": "and",
                "options": [
                    {
                        "value": "products",
                        "label": {
                            "fr": "le choix et le dosage des produits de nettoyage",
                            "nl": "de keuze en de dosering van de reinigingsmiddelen",
                        },
                    },
                    {
                        "value": "waste",
                        "label": {"fr": "le tri des déchets", "nl": "het sorteren van afval"},
                    },
                    {
                        "value": "training",
                        "label": {
                            "fr": "la formation du personnel aux gestes respectueux de "
                            "l'environnement",
                            "nl": "de opleiding van het personeel in milieuvriendelijk werken",
                        },
                    },
                    {
                        "value": "energy",
                        "label": {
                            "fr": "la consommation d'eau et d'énergie",
                            "nl": "het water- en energieverbruik",
                        },
                    },
                ],
                "default": ["products", "waste"],
            }
        ],
        "values": {"topics": ["products", "waste", "training"]},
        "verification": [
            {
                "evidence": "certificate",
                "stage": "award",
                "what": {
                    "fr": "Le certificat EMAS ou ISO 14001, le label « Entreprise "
                    "écodynamique » ou la description des procédures internes.",
                    "nl": "Het EMAS- of ISO 14001-certificaat, het label ‘Ecodynamische "
                    "onderneming’ of de beschrijving van de interne procedures.",
                },
                "how": {
                    "fr": "Vérifier la validité du certificat et son champ d'application ; "
                    "pour les autres preuves, vérifier que chaque thème exigé est couvert.",
                    "nl": "De geldigheid en het toepassingsgebied van het certificaat nagaan; "
                    "bij andere bewijzen nagaan of elk gevraagd thema aan bod komt.",
                },
            }
        ],
        "legal_basis": [
            {"instrument": "dir_2014_24", "article": "art. 62(2)"},
            {"instrument": "reg_2009_1221", "article": "art. 4"},
        ],
    },
    {
        "code": "CLEAN-ENV-001",
        "version": 2,
        "family": "environmental",
        "placement": "technical_specification",
        "ambition": "base",
        "title": {
            "fr": "Produits de nettoyage porteurs d'un écolabel de type I",
            "nl": "Reinigingsmiddelen met een type I-milieukeurmerk",
        },
        "text": {
            "fr": "Au moins {{ ecolabel_share }} des produits de nettoyage utilisés pour "
            "l'exécution du marché, calculés en volume d'achat annuel, satisfont aux critères "
            "de l'un des labels suivants : {{ labels }}, ou d'un label équivalent.\n\n"
            "Un label est considéré comme équivalent lorsqu'il est délivré par un organisme "
            "indépendant, selon une procédure ouverte et transparente, et qu'il impose des "
            "exigences au moins aussi strictes en matière de toxicité pour les organismes "
            "aquatiques, de biodégradabilité, de substances exclues et d'emballages.\n\n"
            "À défaut de label, le soumissionnaire peut démontrer par tout autre moyen "
            "approprié, notamment un dossier technique du fabricant, que le produit satisfait "
            "aux critères du label demandé.",
            "nl": "Minstens {{ ecolabel_share }} van de reinigingsmiddelen die voor de "
            "uitvoering van de opdracht worden gebruikt, berekend op het jaarlijkse "
            "aankoopvolume, voldoet aan de criteria van een van de volgende keurmerken: "
            "{{ labels }}, of van een gelijkwaardig keurmerk.\n\n"
            "Een keurmerk wordt als gelijkwaardig beschouwd wanneer het door een onafhankelijke "
            "instantie wordt toegekend volgens een open en transparante procedure, en minstens "
            "even strenge eisen stelt inzake aquatische toxiciteit, biologische "
            "afbreekbaarheid, uitgesloten stoffen en verpakking.\n\n"
            "Bij gebrek aan keurmerk mag de inschrijver met elk ander passend bewijsmiddel, "
            "zoals een technisch dossier van de fabrikant, aantonen dat het product aan de "
            "criteria van het gevraagde keurmerk voldoet.",
        },
        "parameters": [
            {"name": "ecolabel_share", "type": "percentage", "min": 50, "max": 100, "default": 80},
            {
                "name": "labels",
                "type": "multichoice",
                "conjunction": "or",
                "options": [
                    {
                        "value": "eu_ecolabel",
                        "label": {
                            "fr": "EU Ecolabel (label écologique de l'Union européenne)",
                            "nl": "EU Ecolabel (Europees milieukeurmerk)",
                        },
                    },
                    {
                        "value": "nordic_swan",
                        "label": {
                            "fr": "Nordic Swan (Cygne nordique)",
                            "nl": "Nordic Swan (Noordse Zwaan)",
                        },
                    },
                    {
                        "value": "blauer_engel",
                        "label": {
                            "fr": "Blauer Engel (Ange bleu)",
                            "nl": "Blauer Engel (Blauwe Engel)",
                        },
                    },
                ],
                "default": ["eu_ecolabel", "nordic_swan"],
            },
        ],
        "values": {"ecolabel_share": 90, "labels": ["eu_ecolabel", "nordic_swan"]},
        "verification": [
            {
                "evidence": "label",
                "stage": "award",
                "what": {
                    "fr": "La liste des produits que le soumissionnaire utilisera, avec pour "
                    "chacun le label détenu ou le dossier technique démontrant l'équivalence.",
                    "nl": "De lijst van de producten die de inschrijver zal gebruiken, met voor "
                    "elk product het keurmerk of het technisch dossier dat de gelijkwaardigheid "
                    "aantoont.",
                },
                "how": {
                    "fr": "Vérifier chaque label dans la base de données publique du label et "
                    "examiner les dossiers techniques des produits non labellisés.",
                    "nl": "Elk keurmerk nakijken in de openbare databank van het keurmerk en de "
                    "technische dossiers van producten zonder keurmerk beoordelen.",
                },
            },
            {
                "evidence": "records",
                "stage": "execution",
                "what": {
                    "fr": "Chaque année, un relevé des achats de produits de nettoyage par "
                    "référence et par volume.",
                    "nl": "Jaarlijks een overzicht van de aankopen van reinigingsmiddelen per "
                    "referentie en per volume.",
                },
                "how": {
                    "fr": "Calculer la part de produits labellisés dans le volume acheté et "
                    "contrôler les produits présents lors d'une visite inopinée des locaux de "
                    "stockage.",
                    "nl": "Het aandeel producten met keurmerk in het aangekochte volume "
                    "berekenen en bij een onaangekondigd bezoek aan de opslagruimten de "
                    "aanwezige producten controleren.",
                },
            },
        ],
        "legal_basis": [
            {"instrument": "law_2016", "article": {"fr": "art. 53 et 54", "nl": "art. 53 en 54"}},
            {"instrument": "ord_2014_env", "article": "art. 4"},
        ],
    },
    {
        "code": "CLEAN-ENV-003",
        "version": 1,
        "family": "environmental",
        "placement": "technical_specification",
        "ambition": "advanced",
        "title": {
            "fr": "Microfibres, systèmes de dosage et produits agressifs",
            "nl": "Microvezels, doseersystemen en agressieve producten",
        },
        "text": {
            "fr": "Le nettoyage courant des sols et des surfaces est réalisé avec des textiles "
            "en microfibres réutilisables, lavés à {{ wash_temperature }} °C au plus. Les "
            "produits concentrés sont dilués au moyen de systèmes de dosage automatiques ou de "
            "flacons doseurs.\n\n"
            "Les produits dont le pH est < 2 ou > 11,5 ne sont employés que pour les usages "
            "pour lesquels il n'existe aucune alternative, décrits dans l'offre.",
            "nl": "De dagelijkse reiniging van vloeren en oppervlakken gebeurt met herbruikbare "
            "microvezeldoeken die op maximaal {{ wash_temperature }} °C worden gewassen. "
            "Geconcentreerde producten worden verdund met automatische doseersystemen of "
            "doseerflessen.\n\n"
            "Producten met een pH < 2 of > 11,5 worden alleen gebruikt voor toepassingen "
            "waarvoor geen alternatief bestaat, zoals beschreven in de offerte.",
        },
        "parameters": [
            {"name": "wash_temperature", "type": "integer", "min": 30, "max": 90, "default": 60}
        ],
        "values": {"wash_temperature": 60},
        "verification": [
            {
                "evidence": "technical_file",
                "stage": "award",
                "what": {
                    "fr": "La fiche technique des textiles et des systèmes de dosage, et la "
                    "liste des usages qui exigent des produits agressifs.",
                    "nl": "De technische fiche van de doeken en doseersystemen, en de lijst van "
                    "toepassingen die agressieve producten vereisen.",
                },
                "how": {
                    "fr": "Vérifier les fiches techniques et le caractère exceptionnel des "
                    "usages déclarés.",
                    "nl": "De technische fiches nakijken en nagaan of de opgegeven toepassingen "
                    "werkelijk uitzonderlijk zijn.",
                },
            },
            {
                "evidence": "inspection",
                "stage": "execution",
                "what": {
                    "fr": "L'accès aux locaux techniques et au matériel de nettoyage.",
                    "nl": "Toegang tot de technische lokalen en het schoonmaakmateriaal.",
                },
                "how": {
                    "fr": "Contrôler sur place le matériel et les produits employés, au moins "
                    "deux fois par an.",
                    "nl": "Het gebruikte materiaal en de producten minstens twee keer per jaar "
                    "ter plaatse controleren.",
                },
            },
        ],
        "legal_basis": [{"instrument": "law_2016", "article": "art. 53"}],
    },
    {
        "code": "CLEAN-ENV-004",
        "version": 1,
        "family": "environmental",
        "placement": "technical_specification",
        "ambition": "base",
        "title": {
            "fr": "Papier hygiénique et essuie-mains recyclés",
            "nl": "Gerecycleerd toiletpapier en gerecycleerde handdoekjes",
        },
        "text": {
            "fr": "Le papier hygiénique et les essuie-mains en papier fournis dans le cadre du "
            "marché sont fabriqués à partir de {{ recycled_share }} au moins de fibres "
            "recyclées et satisfont aux critères de l'EU Ecolabel applicables aux produits en "
            "papier tissu, ou d'un label équivalent.",
            "nl": "Het toiletpapier en de papieren handdoekjes die in het kader van de opdracht "
            "worden geleverd, bestaan voor minstens {{ recycled_share }} uit gerecycleerde "
            "vezels en voldoen aan de criteria van het EU Ecolabel voor tissuepapier, of van "
            "een gelijkwaardig keurmerk.",
        },
        "parameters": [
            {"name": "recycled_share", "type": "percentage", "min": 50, "max": 100, "default": 80}
        ],
        "values": {"recycled_share": 80},
        "verification": [
            {
                "evidence": "label",
                "stage": "award",
                "what": {
                    "fr": "La fiche produit avec le label ou la preuve de la teneur en fibres "
                    "recyclées.",
                    "nl": "De productfiche met het keurmerk of het bewijs van het aandeel "
                    "gerecycleerde vezels.",
                },
                "how": {
                    "fr": "Vérifier la licence du label dans le catalogue EU Ecolabel.",
                    "nl": "De licentie van het keurmerk nakijken in de EU Ecolabel-catalogus.",
                },
            }
        ],
        "legal_basis": [{"instrument": "law_2016", "article": "art. 54"}],
    },
    {
        "code": "CLEAN-ENV-005",
        "version": 1,
        "family": "environmental",
        "placement": "award",
        "ambition": "advanced",
        "title": {
            "fr": "Plan de réduction des produits chimiques",
            "nl": "Plan ter vermindering van chemische producten",
        },
        "text": {
            "fr": "Le soumissionnaire joint à son offre un plan de réduction de l'usage des "
            "produits chimiques pour la durée du marché. Le plan précise les produits, les "
            "quantités annuelles estimées par bâtiment et les mesures de réduction, notamment "
            "le nettoyage à l'eau seule ou à la vapeur lorsque c'est possible.\n\n"
            "Le plan vise une réduction d'au moins {{ reduction_target }} des quantités "
            "consommées dès la première année d'exécution.",
            "nl": "De inschrijver voegt bij zijn offerte een plan om het gebruik van chemische "
            "producten tijdens de looptijd van de opdracht te verminderen. Het plan vermeldt "
            "de producten, de geraamde jaarlijkse hoeveelheden per gebouw en de "
            "verminderingsmaatregelen, zoals reinigen met enkel water of met stoom waar dat "
            "kan.\n\n"
            "Het plan beoogt een vermindering van de verbruikte hoeveelheden met minstens "
            "{{ reduction_target }} vanaf het eerste uitvoeringsjaar.",
        },
        "parameters": [
            {"name": "reduction_target", "type": "percentage", "min": 5, "max": 50, "default": 20}
        ],
        "values": {"reduction_target": 25},
        "award": {
            "scoring": {
                "fr": "Le plan est coté sur 10 points : 4 points pour la précision des produits "
                "et des quantités, 4 points pour l'ambition et le réalisme des mesures, 2 points "
                "pour le dispositif de suivi.\n\n"
                "Un plan sans aucune mesure concrète obtient 0 point.",
                "nl": "Het plan wordt op 10 punten beoordeeld: 4 punten voor de nauwkeurigheid "
                "van de producten en hoeveelheden, 4 punten voor de ambitie en de "
                "haalbaarheid van de maatregelen, 2 punten voor de opvolging.\n\n"
                "Een plan zonder enige concrete maatregel krijgt 0 punten.",
            }
        },
        "weight": 10,
        "verification": [
            {
                "evidence": "plan",
                "stage": "award",
                "what": {
                    "fr": "Le plan de réduction, joint à l'offre.",
                    "nl": "Het verminderingsplan, bij de offerte gevoegd.",
                },
                "how": {
                    "fr": "Coter le plan selon la méthode décrite ; le plan devient une "
                    "obligation contractuelle.",
                    "nl": "Het plan volgens de beschreven methode beoordelen; het plan wordt "
                    "een contractuele verbintenis.",
                },
            },
            {
                "evidence": "report",
                "stage": "execution",
                "what": {
                    "fr": "Un rapport annuel des quantités de produits consommées par bâtiment.",
                    "nl": "Een jaarverslag van de verbruikte hoeveelheden per gebouw.",
                },
                "how": {
                    "fr": "Comparer les quantités aux engagements du plan et appliquer les "
                    "pénalités prévues en cas d'écart non justifié.",
                    "nl": "De hoeveelheden vergelijken met de verbintenissen uit het plan en bij "
                    "een onverantwoorde afwijking de voorziene straffen toepassen.",
                },
            },
        ],
        "legal_basis": [{"instrument": "law_2016", "article": "art. 81"}],
    },
    {
        "code": "CLEAN-SOC-001",
        "version": 1,
        "family": "social",
        "placement": "award",
        "ambition": "advanced",
        "title": {"fr": "Nettoyage en journée", "nl": "Schoonmaak overdag"},
        "text": {
            "fr": "Le soumissionnaire précise la part des prestations qu'il exécutera pendant "
            "les heures d'ouverture des bâtiments, entre {{ day_start }} et 19 heures, et "
            "l'organisation prévue pour ne pas gêner les occupants.\n\n"
            "Le travail en journée améliore les conditions de travail et la sécurité du "
            "personnel de nettoyage et limite les horaires coupés.",
            "nl": "De inschrijver vermeldt welk deel van de prestaties hij uitvoert tijdens de "
            "openingsuren van de gebouwen, tussen {{ day_start }} en 19 uur, en hoe hij het "
            "werk organiseert om de gebruikers niet te storen.\n\n"
            "Overdag werken verbetert de arbeidsomstandigheden en de veiligheid van het "
            "schoonmaakpersoneel en beperkt onderbroken werktijden.",
        },
        "parameters": [
            {
                "name": "day_start",
                "type": "choice",
                "options": [
                    {"value": "7", "label": {"fr": "7 heures", "nl": "7 uur"}},
                    {"value": "8", "label": {"fr": "8 heures", "nl": "8 uur"}},
                ],
                "default": "7",
            }
        ],
        "values": {"day_start": "7"},
        "award": {
            "scoring": {
                "fr": "La part des heures prestées en journée est cotée proportionnellement : "
                "10 points pour 80 % des heures ou plus, 0 point pour aucune heure.",
                "nl": "Het aandeel van de uren die overdag worden gepresteerd, wordt "
                "evenredig beoordeeld: 10 punten voor 80% van de uren of meer, 0 punten voor "
                "geen enkel uur.",
            }
        },
        "weight": 10,
        "verification": [
            {
                "evidence": "plan",
                "stage": "award",
                "what": {
                    "fr": "Le planning type des prestations par bâtiment.",
                    "nl": "De standaardplanning van de prestaties per gebouw.",
                },
                "how": {
                    "fr": "Calculer la part des heures en journée à partir du planning.",
                    "nl": "Het aandeel van de uren overdag berekenen op basis van de planning.",
                },
            },
            {
                "evidence": "inspection",
                "stage": "execution",
                "what": {
                    "fr": "Les feuilles de présence du personnel.",
                    "nl": "De aanwezigheidslijsten van het personeel.",
                },
                "how": {
                    "fr": "Comparer les présences constatées lors de visites inopinées au "
                    "planning de l'offre.",
                    "nl": "De aanwezigheden bij onaangekondigde bezoeken vergelijken met de "
                    "planning uit de offerte.",
                },
            },
        ],
        "legal_basis": [
            {"instrument": "law_2016", "article": "art. 81"},
            {"instrument": "ord_2014_social", "article": "art. 3"},
        ],
    },
    {
        "code": "CLEAN-SOC-003",
        "version": 1,
        "family": "social",
        "placement": "award",
        "ambition": "base",
        "title": {"fr": "Formation du personnel", "nl": "Opleiding van het personeel"},
        "text": {
            "fr": "Le soumissionnaire décrit le programme de formation qu'il offrira au "
            "personnel affecté au marché : au moins {{ training_hours }} heures par travailleur "
            "et par an, notamment sur l'utilisation sûre des produits, l'ergonomie et les "
            "techniques de nettoyage écologiques. Les formations ont lieu pendant le temps de "
            "travail rémunéré.",
            "nl": "De inschrijver beschrijft het opleidingsprogramma dat hij het personeel van "
            "de opdracht aanbiedt: minstens {{ training_hours }} uur per werknemer per jaar, "
            "onder meer over het veilig gebruik van producten, ergonomie en ecologische "
            "schoonmaaktechnieken. De opleidingen vinden plaats tijdens de betaalde werktijd.",
        },
        "parameters": [
            {"name": "training_hours", "type": "integer", "min": 4, "max": 40, "default": 8}
        ],
        "values": {"training_hours": 12},
        "award": {
            "scoring": {
                "fr": "Le programme est coté sur 5 points selon le nombre d'heures, le contenu "
                "et la reconnaissance des formations, par exemple par le fonds de formation "
                "sectoriel.",
                "nl": "Het programma wordt op 5 punten beoordeeld volgens het aantal uren, de "
                "inhoud en de erkenning van de opleidingen, bijvoorbeeld door het sectorale "
                "opleidingsfonds.",
            }
        },
        "weight": 5,
        "verification": [
            {
                "evidence": "plan",
                "stage": "award",
                "what": {
                    "fr": "Le programme de formation, joint à l'offre.",
                    "nl": "Het opleidingsprogramma, bij de offerte gevoegd.",
                },
                "how": {
                    "fr": "Coter le programme selon la méthode décrite.",
                    "nl": "Het programma volgens de beschreven methode beoordelen.",
                },
            },
            {
                "evidence": "records",
                "stage": "execution",
                "what": {
                    "fr": "Les attestations de participation aux formations.",
                    "nl": "De deelnameattesten van de opleidingen.",
                },
                "how": {
                    "fr": "Contrôler chaque année le nombre d'heures suivies par travailleur.",
                    "nl": "Jaarlijks het aantal gevolgde uren per werknemer controleren.",
                },
            },
        ],
        "legal_basis": [{"instrument": "ord_2014_social", "article": "art. 3"}],
    },
    {
        "code": "CLEAN-SOC-004",
        "version": 3,
        "family": "social",
        "placement": "performance",
        "ambition": "advanced",
        "title": {
            "fr": "Insertion de demandeurs d'emploi",
            "nl": "Inschakeling van werkzoekenden",
        },
        "text": {
            "fr": "Pendant toute la durée du marché, au moins {{ insertion_share }} des heures "
            "de prestation sont effectuées par des demandeurs d'emploi inscrits chez Actiris "
            "et engagés pour l'exécution du marché, ou par des personnes en formation ou en "
            "insertion. L'adjudicataire peut aussi remplir cette obligation en sous-traitant "
            "une partie des prestations à une entreprise sociale d'insertion agréée.\n\n"
            "La cellule Clauses sociales d'Actiris accompagne gratuitement l'adjudicataire "
            "dans le recrutement.",
            "nl": "Tijdens de hele looptijd van de opdracht wordt minstens {{ insertion_share }} "
            "van de gepresteerde uren uitgevoerd door werkzoekenden die bij Actiris zijn "
            "ingeschreven en voor de uitvoering van de opdracht worden aangeworven, of door "
            "personen in opleiding of inschakeling. De opdrachtnemer kan deze verplichting ook "
            "nakomen door een deel van de prestaties toe te vertrouwen aan een erkende "
            "sociale inschakelingsonderneming.\n\n"
            "De cel Sociale clausules van Actiris begeleidt de opdrachtnemer kosteloos bij de "
            "aanwerving.",
        },
        "parameters": [
            {"name": "insertion_share", "type": "percentage", "min": 2, "max": 30, "default": 5}
        ],
        "values": {"insertion_share": 10},
        "verification": [
            {
                "evidence": "staff_list",
                "stage": "execution",
                "what": {
                    "fr": "La liste des personnes engagées avec leur attestation d'inscription "
                    "chez Actiris ou leur contrat de formation.",
                    "nl": "De lijst van de aangeworven personen met hun inschrijvingsattest bij "
                    "Actiris of hun opleidingsovereenkomst.",
                },
                "how": {
                    "fr": "Vérifier les attestations avec la cellule Clauses sociales d'Actiris.",
                    "nl": "De attesten nagaan met de cel Sociale clausules van Actiris.",
                },
            },
            {
                "evidence": "report",
                "stage": "execution",
                "what": {
                    "fr": "Un relevé trimestriel des heures prestées par ces personnes.",
                    "nl": "Een driemaandelijks overzicht van de uren die deze personen presteren.",
                },
                "how": {
                    "fr": "Calculer la part des heures et appliquer les pénalités prévues si "
                    "elle reste inférieure à l'engagement.",
                    "nl": "Het aandeel van de uren berekenen en de voorziene straffen toepassen "
                    "als het onder de verbintenis blijft.",
                },
            },
        ],
        "legal_basis": [
            {"instrument": "ord_2014_social", "article": "art. 3"},
            {"instrument": "law_2016", "article": "art. 87"},
        ],
    },
    {
        "code": "GEN-ASD-002",
        "version": 1,
        "family": "anti_social_dumping",
        "placement": "performance",
        "ambition": "base",
        "title": {
            "fr": "Limitation de la chaîne de sous-traitance",
            "nl": "Beperking van de onderaannemingsketen",
        },
        "text": {
            "fr": "L'adjudicataire ne sous-traite pas l'exécution du marché au-delà de "
            "{{ max_levels }} niveaux de sous-traitance. Avant le début des prestations, il "
            "communique au pouvoir adjudicateur le nom, les coordonnées et le numéro "
            "d'entreprise de chaque sous-traitant, à quelque niveau que ce soit, ainsi que la "
            "part du marché qui lui est confiée.\n\n"
            "Chaque sous-traitant signe, avant le début de ses prestations, la déclaration sur "
            "l'honneur jointe en annexe.",
            "nl": "De opdrachtnemer besteedt de uitvoering van de opdracht niet verder uit dan "
            "{{ max_levels }} schakels van onderaanneming. Vóór de aanvang van de prestaties "
            "deelt hij de aanbestedende overheid de naam, de contactgegevens en het "
            "ondernemingsnummer mee van elke onderaannemer, in welke schakel ook, en het deel "
            "van de opdracht dat hem wordt toevertrouwd.\n\n"
            "Elke onderaannemer ondertekent vóór de aanvang van zijn prestaties de verklaring "
            "op erewoord in bijlage.",
        },
        "parameters": [{"name": "max_levels", "type": "integer", "min": 1, "max": 3, "default": 2}],
        "values": {"max_levels": 2},
        "verification": [
            {
                "evidence": "declaration",
                "stage": "execution",
                "what": {
                    "fr": "La déclaration signée par l'adjudicataire et par chaque sous-traitant.",
                    "nl": "De verklaring ondertekend door de opdrachtnemer en door elke "
                    "onderaannemer.",
                },
                "how": {
                    "fr": "Tenir à jour la liste des sous-traitants et refuser toute "
                    "intervention d'un sous-traitant qui n'a pas signé.",
                    "nl": "De lijst van onderaannemers bijhouden en elke tussenkomst weigeren "
                    "van een onderaannemer die niet heeft ondertekend.",
                },
            }
        ],
        "legal_basis": [
            {
                "instrument": "rd_2013_execution",
                "article": {"fr": "art. 12 à 12/4", "nl": "art. 12 tot 12/4"},
            }
        ],
    },
    {
        "code": "CLEAN-ASD-001",
        "version": 1,
        "family": "anti_social_dumping",
        "placement": "performance",
        "ambition": "base",
        "title": {
            "fr": "Respect des barèmes du secteur du nettoyage",
            "nl": "Naleving van de loonschalen van de schoonmaaksector",
        },
        "text": {
            "fr": "Le personnel affecté à l'exécution du marché, y compris celui des "
            "sous-traitants, est rémunéré au moins selon les barèmes des conventions "
            "collectives de travail de la Commission paritaire pour le nettoyage (CP 121). Les "
            "travailleurs détachés font l'objet d'une déclaration Limosa préalable et "
            "bénéficient des conditions de travail et de rémunération prévues par la loi du "
            "5 mars 2002.\n\n"
            "L'adjudicataire transmet au pouvoir adjudicateur, dans les {{ response_days }} "
            "jours ouvrables de sa demande, les fiches de paie et les horaires du personnel "
            "affecté au marché.",
            "nl": "Het personeel dat de opdracht uitvoert, ook dat van de onderaannemers, wordt "
            "minstens betaald volgens de loonschalen van de collectieve "
            "arbeidsovereenkomsten van het Paritair Comité voor de schoonmaak (PC 121). Voor "
            "gedetacheerde werknemers wordt vooraf een Limosa-melding gedaan en zij genieten "
            "de arbeids- en loonvoorwaarden van de wet van 5 maart 2002.\n\n"
            "De opdrachtnemer bezorgt de aanbestedende overheid binnen {{ response_days }} "
            "werkdagen na haar verzoek de loonfiches en de uurroosters van het personeel van "
            "de opdracht.",
        },
        "parameters": [
            {"name": "response_days", "type": "integer", "min": 2, "max": 15, "default": 5}
        ],
        "values": {"response_days": 5},
        "verification": [
            {
                "evidence": "records",
                "stage": "execution",
                "what": {
                    "fr": "Les fiches de paie et les horaires d'un échantillon de travailleurs.",
                    "nl": "De loonfiches en uurroosters van een steekproef van werknemers.",
                },
                "how": {
                    "fr": "Comparer les salaires horaires aux barèmes de la CP 121 ; en cas de "
                    "doute, saisir l'Observatoire des prix de référence ou l'inspection "
                    "sociale.",
                    "nl": "De uurlonen vergelijken met de loonschalen van PC 121; bij twijfel "
                    "het Observatorium van de referentieprijzen of de sociale inspectie "
                    "inschakelen.",
                },
            },
            {
                "evidence": "register",
                "stage": "execution",
                "what": {
                    "fr": "La liste des travailleurs détachés.",
                    "nl": "De lijst van de gedetacheerde werknemers.",
                },
                "how": {
                    "fr": "Vérifier les déclarations Limosa de chaque travailleur détaché.",
                    "nl": "De Limosa-meldingen van elke gedetacheerde werknemer nagaan.",
                },
            },
        ],
        "legal_basis": [
            {"instrument": "law_1965_wages", "article": "art. 35/1"},
            {"instrument": "law_2002_posting", "article": "art. 5"},
            {"instrument": "programme_law_2006", "article": "art. 139"},
        ],
    },
    {
        "code": "GEN-SME-002",
        "version": 1,
        "family": "pro_sme",
        "placement": "performance",
        "ambition": "base",
        "title": {
            "fr": "Paiement rapide de l'adjudicataire et de ses sous-traitants",
            "nl": "Snelle betaling van de opdrachtnemer en zijn onderaannemers",
        },
        "text": {
            "fr": "Les prestations sont facturées {{ invoicing }}. Le pouvoir adjudicateur paie "
            "les montants dus dans les {{ payment_days }} jours qui suivent la fin de la "
            "vérification des prestations.\n\n"
            "L'adjudicataire paie ses sous-traitants dans le même délai à compter de la "
            "réception de leur facture conforme.",
            "nl": "De prestaties worden {{ invoicing }} gefactureerd. De aanbestedende overheid "
            "betaalt de verschuldigde bedragen binnen {{ payment_days }} dagen na het einde "
            "van de verificatie van de prestaties.\n\n"
            "De opdrachtnemer betaalt zijn onderaannemers binnen dezelfde termijn na "
            "ontvangst van hun regelmatige factuur.",
        },
        "parameters": [
            {"name": "payment_days", "type": "integer", "min": 15, "max": 30, "default": 30},
            {
                "name": "invoicing",
                "type": "choice",
                "options": [
                    {"value": "monthly", "label": {"fr": "mensuellement", "nl": "maandelijks"}},
                    {
                        "value": "quarterly",
                        "label": {"fr": "trimestriellement", "nl": "driemaandelijks"},
                    },
                ],
                "default": "monthly",
            },
        ],
        "values": {"payment_days": 30, "invoicing": "monthly"},
        "verification": [
            {
                "evidence": "records",
                "stage": "execution",
                "what": {
                    "fr": "Sur demande, la preuve du paiement des factures des sous-traitants.",
                    "nl": "Op verzoek, het bewijs van betaling van de facturen van de "
                    "onderaannemers.",
                },
                "how": {
                    "fr": "Suivre les délais de paiement du pouvoir adjudicateur et contrôler "
                    "par sondage les paiements aux sous-traitants.",
                    "nl": "De betalingstermijnen van de aanbestedende overheid opvolgen en de "
                    "betalingen aan onderaannemers steekproefsgewijs controleren.",
                },
            }
        ],
        "legal_basis": [
            {"instrument": "rd_2013_execution", "article": "art. 127"},
            {"instrument": "law_2002_late_payment", "article": "art. 4"},
        ],
    },
]

#: The statements of the contractor's and subcontractors' declaration on honour.
DECLARATION: dict[str, list[str]] = {
    "fr": [
        "Je suis en règle avec mes obligations en matière de cotisations de sécurité sociale "
        "et d'impôts, et je n'ai pas de dettes sociales ou fiscales supérieures à 3 000 €.",
        "Je rémunère le personnel affecté au marché au moins selon les barèmes de la "
        "Commission paritaire pour le nettoyage (CP 121) et je paie les salaires aux échéances "
        "convenues.",
        "Je n'occupe pas de ressortissants de pays tiers en séjour illégal.",
        "Pour tout travailleur détaché, j'ai fait la déclaration Limosa préalable et "
        "j'applique les conditions de travail et de rémunération belges.",
        "Je ne confie aucune partie du marché à un sous-traitant au-delà du nombre de "
        "niveaux autorisé, et je communique l'identité de chaque sous-traitant avant le début "
        "de ses prestations.",
        "J'accepte les contrôles sur place du pouvoir adjudicateur et je lui remets, à sa "
        "demande, les fiches de paie et les horaires du personnel affecté au marché.",
    ],
    "nl": [
        "Ik ben in orde met mijn verplichtingen inzake socialezekerheidsbijdragen en "
        "belastingen en heb geen sociale of fiscale schulden van meer dan € 3.000.",
        "Ik betaal het personeel van de opdracht minstens volgens de loonschalen van het "
        "Paritair Comité voor de schoonmaak (PC 121) en betaal de lonen op de afgesproken "
        "tijdstippen.",
        "Ik stel geen illegaal verblijvende onderdanen van derde landen tewerk.",
        "Voor elke gedetacheerde werknemer heb ik vooraf een Limosa-melding gedaan en pas ik "
        "de Belgische arbeids- en loonvoorwaarden toe.",
        "Ik besteed geen enkel deel van de opdracht uit voorbij het toegestane aantal schakels "
        "van onderaanneming en ik deel de identiteit van elke onderaannemer mee vóór hij met "
        "zijn prestaties begint.",
        "Ik aanvaard de controles ter plaatse van de aanbestedende overheid en bezorg haar op "
        "verzoek de loonfiches en de uurroosters van het personeel van de opdracht.",
    ],
}

LOTS: list[dict[str, Any]] = [
    {
        "number": 1,
        "title": {
            "fr": "Hôtel communal & bâtiments administratifs",
            "nl": "Gemeentehuis & administratieve gebouwen",
        },
        "description": {
            "fr": "Nettoyage quotidien de l'Hôtel communal, de la bibliothèque et des quatre "
            "bâtiments administratifs (environ 14 000 m²), pendant quatre ans.",
            "nl": "Dagelijkse schoonmaak van het gemeentehuis, de bibliotheek en de vier "
            "administratieve gebouwen (ongeveer 14.000 m²), gedurende vier jaar.",
        },
        "cpv": "90919200-4",
        "value": Decimal("640000"),
        "small": True,
    },
    {
        "number": 2,
        "title": {
            "fr": "Écoles communales et crèches",
            "nl": "Gemeentescholen en kinderdagverblijven",
        },
        "description": {
            "fr": "Nettoyage des sept écoles communales et des trois crèches, en dehors des "
            "heures de classe et pendant les congés scolaires, pendant quatre ans.",
            "nl": "Schoonmaak van de zeven gemeentescholen en de drie kinderdagverblijven, "
            "buiten de lesuren en tijdens de schoolvakanties, gedurende vier jaar.",
        },
        "cpv": "90911200-8",
        "value": Decimal("880000"),
        "small": True,
    },
    {
        "number": 3,
        "title": {"fr": "Vitres et surfaces vitrées", "nl": "Ramen en glasoppervlakken"},
        "description": {
            "fr": "Nettoyage trimestriel des vitres intérieures et extérieures de tous les "
            "bâtiments, y compris les travaux en hauteur, pendant quatre ans.",
            "nl": "Driemaandelijkse reiniging van de binnen- en buitenramen van alle gebouwen, "
            "inclusief werken op hoogte, gedurende vier jaar.",
        },
        "cpv": "90911300-9",
        "value": Decimal("96000"),
        "small": True,
    },
]

SME_REASONS: dict[str, T] = {
    "small": {
        "fr": "La valeur annuelle du lot permet à une petite entreprise de le porter seule.",
        "nl": "Met de jaarwaarde van het perceel kan een kleine onderneming het alleen dragen.",
    },
    "micro": {
        "fr": "Lot de faible valeur, à la portée d'une micro-entreprise.",
        "nl": "Perceel met een beperkte waarde, haalbaar voor een micro-onderneming.",
    },
    "large": {
        "fr": "La valeur annuelle du lot dépasse ce qu'une petite entreprise peut porter.",
        "nl": "De jaarwaarde van het perceel overstijgt wat een kleine onderneming kan dragen.",
    },
}

AWARD_RULE: T = {
    "fr": "Un même soumissionnaire peut se voir attribuer au maximum {max} lots. Lorsqu'il "
    "remet l'offre économiquement la plus avantageuse pour un plus grand nombre de lots, les "
    "lots lui sont attribués dans l'ordre décroissant de leur valeur estimée ; chaque lot "
    "restant est attribué au soumissionnaire suivant dans le classement de ce lot.",
    "nl": "Eenzelfde inschrijver kan maximaal {max} percelen gegund krijgen. Dient hij voor "
    "meer percelen de economisch meest voordelige offerte in, dan worden de percelen hem "
    "gegund in dalende volgorde van hun geraamde waarde; elk overblijvend perceel wordt "
    "gegund aan de volgende inschrijver in de rangschikking van dat perceel.",
}

#: Years the example contract runs; lot values are for the whole duration.
YEARS = 4


def _lot(data: dict[str, Any], lang: str) -> Lot:
    value: Decimal = data["value"]
    yearly = value / YEARS
    size = "micro" if yearly <= Decimal(50000) else "small" if data["small"] else "large"
    return Lot(
        number=data["number"],
        title=data["title"][lang],
        description=data["description"][lang],
        cpv=_cpv(data["cpv"], lang),
        value=value,
        yearly_value=yearly,
        # As the lot-split advisor suggests: 2x the yearly value at most, 1x for SMEs.
        turnover_max=min(2 * value, 2 * yearly),
        turnover_sme=yearly,
        sme_suitable=size != "large",
        sme_label=labels.label("sme_suitability", "yes" if size != "large" else "no", lang),
        sme_reason=SME_REASONS[size][lang],
    )


def _clauses(lang: str) -> list[Clause]:
    return [
        clause_context(
            data,
            data.get("values", {}),
            version=data["version"],
            lang=lang,
            weight=data.get("weight"),
        )
        for data in CLAUSES
    ]


def example_context(lang: str = "fr") -> DocumentContext:
    """Return the complete example: Etterbeek's cleaning contract, 3 lots and 14 clauses."""
    if lang not in DOCUMENT_LANGS:
        raise ValueError(f"the example exists in {', '.join(DOCUMENT_LANGS)}, not {lang!r}")
    groups = group_clauses(_clauses(lang))
    lots = tuple(_lot(data, lang) for data in LOTS)
    total = sum((lot.value for lot in lots), Decimal(0))
    fr = lang == "fr"
    return DocumentContext(
        lang=lang,
        generated_on=date(2027, 1, 20),
        authority=Authority(
            name="Commune d'Etterbeek" if fr else "Gemeente Etterbeek",
            name_fr="Commune d'Etterbeek",
            name_nl="Gemeente Etterbeek",
        ),
        dossier=Dossier(
            title="Nettoyage des bâtiments communaux 2027-2030"
            if fr
            else "Schoonmaak van de gemeentelijke gebouwen 2027-2030",
            reference="ETT/2027/SC-014",
            subject="Nettoyage quotidien des bâtiments administratifs, des écoles et des "
            "crèches de la Commune d'Etterbeek, et nettoyage périodique des vitres, pour une "
            "durée de quatre ans."
            if fr
            else "Dagelijkse schoonmaak van de administratieve gebouwen, de scholen en de "
            "kinderdagverblijven van de Gemeente Etterbeek, en periodieke reiniging van de "
            "ramen, voor een looptijd van vier jaar.",
            category="Services de nettoyage" if fr else "Schoonmaakdiensten",
            contract_type="services",
            contract_type_label=labels.label("contract_type", "services", lang),
            procedure="open",
            procedure_label=labels.label("procedure", "open", lang),
            estimated_value=total,
            main_cpv=_cpv("90910000-9", lang),
            additional_cpv=tuple(
                _cpv(code, lang) for code in ("90919200-4", "90911200-8", "90911300-9")
            ),
            publication_date=date(2027, 2, 15),
        ),
        clauses=groups,
        weights=weights_table(75, groups.award),
        lots=Lots(
            divided=True,
            lots=lots,
            total_value=total,
            max_lots_per_tenderer=None,
            max_lots_awarded=2,
            award_rule=AWARD_RULE[lang].format(max=2),
            combined_bids=False,
            combined_bids_text="",
            coordination=Coordination(),
            justification=(),
            contract_turnover_max=2 * total / YEARS,
            contract_turnover_sme=total / YEARS,
        ),
        checklist=checklist(groups),
        anti_dumping=anti_dumping_block(groups, DECLARATION[lang]),
    )


# ----------------------------------------------------------------------------------------------
# A large variant for the benchmark and the tests of long documents

COORDINATION: dict[str, Any] = {
    "title": {
        "fr": "Coordination, planification et contrôle de la qualité",
        "nl": "Coördinatie, planning en kwaliteitscontrole",
    },
    "tasks": {
        "fr": [
            "Tenir le planning commun des interventions de tous les lots.",
            "Organiser chaque mois une réunion de coordination avec les titulaires des lots.",
            "Contrôler la qualité selon une grille commune et en faire rapport.",
        ],
        "nl": [
            "De gemeenschappelijke planning van de interventies van alle percelen bijhouden.",
            "Elke maand een coördinatievergadering met de houders van de percelen organiseren.",
            "De kwaliteit controleren volgens een gemeenschappelijk rooster en erover rapporteren.",
        ],
    },
    "interactions": {
        "fr": [
            "Les titulaires des lots communiquent leur planning au coordinateur chaque semaine.",
            "Le coordinateur ne donne pas d'ordres aux titulaires des lots : il signale les "
            "écarts au pouvoir adjudicateur, qui reste seul à diriger chaque marché.",
        ],
        "nl": [
            "De houders van de percelen bezorgen de coördinator elke week hun planning.",
            "De coördinator geeft de houders van de percelen geen opdrachten: hij meldt "
            "afwijkingen aan de aanbestedende overheid, die als enige elke opdracht leidt.",
        ],
    },
}


def large_context(lang: str = "fr", *, clauses: int = 60, lots: int = 10) -> DocumentContext:
    """Return a long document's context: ``clauses`` clauses, ``lots`` lots, a coordination lot.

    The example's clauses are repeated with new codes (``CLEAN-ENV-101``...) and its lots are
    repeated with new numbers; award weights are spread so that they still total 100.
    """
    base = example_context(lang)
    originals = base.clauses.all()
    made: list[Clause] = []
    for i in range(clauses):
        clause = originals[i % len(originals)]
        code = clause.code
        if i >= len(originals):
            prefix, family, number = code.rsplit("-", 2)
            code = f"{prefix}-{family}-{int(number) + 100 * (i // len(originals)):03d}"
        made.append(dataclasses.replace(clause, code=code, reference=""))
    award = [c for c in made if c.placement == "award"]
    # Sustainability criteria share 40 points; the price keeps the rest.
    share, extra = divmod(40, len(award)) if award else (0, 0)
    weighted = {c.code: share + (1 if k < extra else 0) for k, c in enumerate(award)}
    made = [
        dataclasses.replace(c, weight=weighted[c.code], reference="") if c.code in weighted else c
        for c in made
    ]
    groups = group_clauses(made)
    templates = [_lot(data, lang) for data in LOTS]
    lot_list = tuple(
        dataclasses.replace(
            templates[i % len(templates)],
            number=i + 1,
            title=f"{templates[i % len(templates)].title} ({i // len(templates) + 1})",
        )
        for i in range(lots)
    )
    total = sum((lot.value for lot in lot_list), Decimal(0))
    coordination = Coordination(
        applies=True,
        number=lots + 1,
        title=COORDINATION["title"][lang],
        coordinates=tuple(lot.number for lot in lot_list),
        value=Decimal("48000"),
        tasks=tuple(COORDINATION["tasks"][lang]),
        interactions=tuple(COORDINATION["interactions"][lang]),
    )
    return dataclasses.replace(
        base,
        clauses=groups,
        weights=weights_table(100 - sum(weighted.values()), groups.award),
        lots=dataclasses.replace(
            base.lots,
            lots=lot_list,
            total_value=total,
            max_lots_per_tenderer=4,
            max_lots_awarded=3,
            award_rule=AWARD_RULE[lang].format(max=3),
            combined_bids=True,
            combined_bids_text="Les soumissionnaires peuvent remettre une offre combinée pour "
            "plusieurs lots, avec un rabais conditionnel ; elle n'est retenue que si elle est "
            "plus avantageuse que la meilleure combinaison d'offres séparées."
            if lang == "fr"
            else "Inschrijvers mogen een gecombineerde offerte voor meerdere percelen indienen, "
            "met een voorwaardelijke korting; die wordt alleen gekozen als ze voordeliger is "
            "dan de beste combinatie van afzonderlijke offertes.",
            coordination=coordination,
            contract_turnover_max=2 * total / YEARS,
            contract_turnover_sme=total / YEARS,
        ),
        checklist=checklist(groups),
        anti_dumping=anti_dumping_block(groups, DECLARATION[lang]),
    )
