"""Build Clausier's Word templates (``templates/<lang>/*.docx``) with python-docx.

Run ``python -m portal.documents.build_templates`` after changing this file, and commit the
script and the .docx files together: buyers copy the .docx files as the start of their own
templates, so they are source files. The build is reproducible (same script, same bytes).

Rules the builder follows, because they are what makes docxtpl templates work in Word:

* every Jinja tag is written in a run of its own, so no tag is ever split across runs;
* loops over paragraphs use ``{%p ... %}`` in a paragraph of their own, loops over table rows
  use ``{%tr ... %}`` in a row of their own; nothing else shares those paragraphs and rows;
* numbered lists (List Number) are used only where one list runs through the whole document
  (the declaration), because Word does not restart numbering inside a loop; clause texts use
  plain paragraphs and List Bullet;
* real styles only: Title, Subtitle, Heading 1-3, List Bullet, List Number, Table Grid with a
  repeated header row, and two styles of our own: ``Reference`` (small grey code and version
  of each clause) and ``Table Text`` / ``Table Heading`` for table cells.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from portal.documents.builtin import BY_KEY, COMPLETE, SECTIONS, TEMPLATE_DIR
from portal.documents.context import DOCUMENT_LANGS
from portal.documents.package import normalise_package

#: Date stamped in the templates' core properties (rendering replaces it).
BUILD_DATE = datetime(2027, 1, 1, tzinfo=UTC)
GREY = RGBColor(0x59, 0x59, 0x59)
HEADER_FILL = "D9E2F3"
LANG_TAGS = {"fr": "fr-BE", "nl": "nl-BE"}

# A paragraph is written as a list of pieces: a plain string is a run; a (text, "b") pair is a
# bold run. Each Jinja tag is one piece, hence one run.
Piece = str | tuple[str, str]

# ----------------------------------------------------------------------------------------------
# The fixed texts, in correct administrative French and Dutch

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "subtitle": "Clauses durables, sociales et d'accès des PME du cahier spécial des charges",
        "authority": "Pouvoir adjudicateur : ",
        "reference": "Référence du dossier : ",
        "generated": "Généré par Clausier le ",
        "page": "page ",
        "general": "Informations générales",
        "general_intro": "Le présent document rassemble les clauses environnementales, sociales, "
        "éthiques, de lutte contre le dumping social et d'accès des PME retenues pour ce "
        "marché. Chaque clause porte en petits caractères son code et sa version dans la "
        "bibliothèque Clausier. L'annexe « liste de contrôle des preuves » est réservée au "
        "pouvoir adjudicateur : retirez-la avant de publier le cahier spécial des charges.",
        "row_authority": "Pouvoir adjudicateur",
        "row_reference": "Référence",
        "row_subject": "Objet du marché",
        "row_category": "Catégorie",
        "row_type": "Nature du marché",
        "row_procedure": "Procédure envisagée",
        "row_value": "Montant estimé (hors TVA)",
        "row_main_cpv": "Code CPV principal",
        "row_more_cpv": "Codes CPV complémentaires",
        "row_publication": "Publication prévue",
        "dash": "—",
        "field": "Rubrique",
        "value": "Contenu",
        # 1. technical specifications
        "ts_title": "Spécifications techniques : exigences environnementales et sociales",
        "ts_intro": "Les exigences ci-dessous font partie des spécifications techniques du "
        "présent cahier spécial des charges. Une offre qui ne les respecte pas est "
        "substantiellement irrégulière.",
        "ts_none": "Aucune exigence environnementale ou sociale n'est retenue dans les "
        "spécifications techniques.",
        "evidence": "Moyens de preuve",
        "legal": "Base légale : ",
        # Between two legal bases: French typography puts a space before the semicolon.
        "legal_sep": " ; ",
        "stage_end": ") : ",
        # 2. exclusion, selection, award
        "sa_title": "Motifs d'exclusion, critères de sélection et critères d'attribution",
        "excl_title": "Motifs d'exclusion",
        "excl_intro": "Outre les motifs d'exclusion prévus aux articles 67 à 69 de la loi du "
        "17 juin 2016 relative aux marchés publics, les dispositions suivantes s'appliquent.",
        "sel_title": "Critères de sélection",
        "sel_intro": "Le soumissionnaire satisfait aux critères de sélection suivants. Il en "
        "atteste dans le document unique de marché européen (DUME) ; le pouvoir adjudicateur "
        "vérifie les preuves du soumissionnaire pressenti.",
        "sel_none": "Aucun critère de sélection lié à la durabilité ou à l'accès des PME n'est "
        "retenu.",
        "aw_title": "Critères d'attribution",
        "aw_intro": "Le marché est attribué au soumissionnaire qui a remis l'offre "
        "économiquement la plus avantageuse, déterminée sur la base des critères suivants, "
        "pondérés sur 100 points.",
        "col_criterion": "Critère",
        "col_reference": "Référence",
        "col_weight": "Pondération",
        "price": "Prix",
        "points": " points",
        "total": "Total",
        "price_rule": "Le critère « prix » est coté selon la formule : points = pondération du "
        "prix × prix de l'offre régulière la plus basse / prix de l'offre examinée.",
        "scoring": "Méthode de cotation",
        # 3. performance
        "pf_title": "Clauses d'exécution du marché",
        "pf_intro": "Les conditions suivantes s'appliquent à l'exécution du marché. Elles lient "
        "l'adjudicataire et, le cas échéant, ses sous-traitants. Leur non-respect constitue un "
        "manquement au sens de l'article 44 de l'arrêté royal du 14 janvier 2013 et peut "
        "donner lieu aux pénalités et mesures d'office prévues par cet arrêté.",
        "pf_none": "Aucune clause d'exécution particulière n'est retenue.",
        "control": "Contrôle",
        # 4. procedure and lots
        "lots_title": "Modalités de la procédure, lots et accès des PME",
        "lots_intro_a": "Le marché est divisé en ",
        "lots_intro_b": " lots. Chaque lot fait l'objet d'une attribution distincte et peut "
        "être attribué à un soumissionnaire différent.",
        "lots_table": "Description des lots",
        "col_lot": "Lot",
        "col_lot_title": "Intitulé et description",
        "col_cpv": "Code CPV",
        "col_value": "Montant estimé (HTVA)",
        "turnover_title": "Chiffre d'affaires minimal exigé par lot",
        "turnover_intro": "Conformément à l'article 58, paragraphe 3, de la directive "
        "2014/24/UE, le chiffre d'affaires annuel minimal exigé ne dépasse jamais le double de "
        "la valeur du lot. Le tableau indique, pour chaque lot, l'exigence retenue par le "
        "présent marché et ce plafond légal.",
        "col_yearly": "Valeur annuelle estimée",
        "col_required": "Chiffre d'affaires annuel minimal exigé",
        "col_cap": "Plafond légal (2 × la valeur du lot)",
        "col_sme": "Accessibilité aux PME",
        "max_lots_title": "Nombre de lots par soumissionnaire",
        "max_lots_a": "Un soumissionnaire peut remettre offre pour ",
        "max_lots_b": " lots au maximum.",
        "max_lots_one": "Un soumissionnaire ne peut remettre offre que pour un seul lot.",
        "max_lots_none": "Un soumissionnaire peut remettre offre pour un, plusieurs ou "
        "l'ensemble des lots.",
        "combined_title": "Offres combinées",
        "coord_title": "Lot de coordination",
        "coord_a": "Le lot ",
        "coord_b": " coordonne les lots ",
        "coord_tasks": "Missions du lot de coordination",
        "coord_links": "Relations avec les titulaires des autres lots",
        "not_divided": "Le marché n'est pas divisé en lots.",
        "justification_title": "Motivation de la non-division en lots",
        "contract_turnover_title": "Chiffre d'affaires minimal exigé",
        "contract_turnover_a": "Le chiffre d'affaires annuel minimal exigé s'élève à ",
        "contract_turnover_b": ", dans la limite du plafond de ",
        "contract_turnover_c": " admis par l'article 58, paragraphe 3, de la directive 2014/24/UE.",
        "proc_title": "Modalités de la procédure",
        "proc_intro": "Les dispositions suivantes règlent le déroulement de la procédure de "
        "passation et, le cas échéant, la division du marché en lots et l'attribution des lots.",
        # 5. checklist
        "cl_title": "Annexe : liste de contrôle des preuves (à l'usage du pouvoir adjudicateur)",
        "cl_intro": "Cette annexe est destinée au seul pouvoir adjudicateur et ne fait pas "
        "partie des documents du marché publiés. Elle reprend, pour chaque clause retenue, les "
        "preuves à demander, le moment du contrôle et la manière de vérifier (mesure MPDI 7 de "
        "la stratégie régionale Shifting Economy : instruments de contrôle).",
        "cl_internal": "Document interne au pouvoir adjudicateur – ne pas publier",
        "col_clause": "Clause",
        "col_instruments": "Preuve, moment et vérification",
        "col_done": "Contrôlé le (date et visa)",
        "ask": "À demander : ",
        "check": "À vérifier : ",
        "box": "☐",
        # 6. anti-dumping declaration
        "ad_title": "Annexe : déclaration sur l'honneur relative au respect du droit social",
        "ad_intro": "À compléter, signer et remettre au pouvoir adjudicateur par l'adjudicataire "
        "avant le début de l'exécution du marché, et par chaque sous-traitant, quel que soit "
        "son niveau dans la chaîne de sous-traitance, avant le début de ses prestations.",
        "ad_contract": "Marché : ",
        "ad_who": "Identification du déclarant",
        "ad_name": "Nom et prénom du signataire",
        "ad_function": "Fonction",
        "ad_company": "Dénomination de l'entreprise",
        "ad_number": "Numéro d'entreprise (BCE) ou numéro d'identification étranger",
        "ad_capacity": "Qualité",
        "ad_capacity_value": "☐ adjudicataire    ☐ sous-traitant de niveau ……, pour le compte "
        "de ………………………………",
        "ad_statement": "Déclaration",
        "ad_statement_intro": "Je soussigné(e), agissant au nom de l'entreprise identifiée "
        "ci-dessus, déclare sur l'honneur, pour l'exécution du marché :",
        "ad_clauses": "Je déclare avoir pris connaissance des clauses suivantes du cahier "
        "spécial des charges et m'engage à les respecter :",
        "ad_warning": "Je sais que toute fausse déclaration peut entraîner l'application des "
        "mesures prévues par la réglementation relative aux marchés publics, notamment la "
        "résiliation du marché, sans préjudice des sanctions pénales.",
        "ad_signature": "Signature",
        "ad_place": "Fait à",
        "ad_date": "Le",
        "ad_sign": "Signature",
        "ad_none": "Aucune clause de lutte contre le dumping social n'est retenue pour ce "
        "marché : cette annexe est sans objet.",
    },
    "nl": {
        "subtitle": "Duurzame, sociale en kmo-vriendelijke bepalingen van het bestek",
        "authority": "Aanbestedende overheid: ",
        "reference": "Referentie van het dossier: ",
        "generated": "Aangemaakt met Clausier op ",
        "page": "pagina ",
        "general": "Algemene gegevens",
        "general_intro": "Dit document bevat de milieu-, sociale en ethische bepalingen, de "
        "bepalingen ter bestrijding van sociale dumping en de kmo-vriendelijke bepalingen die "
        "voor deze opdracht zijn gekozen. Elke bepaling vermeldt in kleine letters haar code en "
        "versie in de Clausier-bibliotheek. De bijlage ‘controlelijst van de bewijsmiddelen’ "
        "is uitsluitend bestemd voor de aanbestedende overheid: verwijder ze voordat u het "
        "bestek bekendmaakt.",
        "row_authority": "Aanbestedende overheid",
        "row_reference": "Referentie",
        "row_subject": "Voorwerp van de opdracht",
        "row_category": "Categorie",
        "row_type": "Aard van de opdracht",
        "row_procedure": "Voorgenomen procedure",
        "row_value": "Geraamd bedrag (exclusief btw)",
        "row_main_cpv": "Hoofd-CPV-code",
        "row_more_cpv": "Aanvullende CPV-codes",
        "row_publication": "Geplande bekendmaking",
        "dash": "—",
        "field": "Rubriek",
        "value": "Inhoud",
        "ts_title": "Technische specificaties: milieu- en sociale eisen",
        "ts_intro": "De onderstaande eisen maken deel uit van de technische specificaties van "
        "dit bestek. Een offerte die ze niet naleeft, is substantieel onregelmatig.",
        "ts_none": "In de technische specificaties zijn geen milieu- of sociale eisen opgenomen.",
        "evidence": "Bewijsmiddelen",
        "legal": "Rechtsgrond: ",
        "legal_sep": "; ",
        "stage_end": "): ",
        "sa_title": "Uitsluitingsgronden, selectiecriteria en gunningscriteria",
        "excl_title": "Uitsluitingsgronden",
        "excl_intro": "Naast de uitsluitingsgronden van de artikelen 67 tot 69 van de wet van "
        "17 juni 2016 inzake overheidsopdrachten gelden de volgende bepalingen.",
        "sel_title": "Selectiecriteria",
        "sel_intro": "De inschrijver voldoet aan de volgende selectiecriteria. Hij verklaart dat "
        "in het Uniform Europees Aanbestedingsdocument (UEA); de aanbestedende overheid "
        "controleert de bewijzen van de inschrijver aan wie zij de opdracht wil gunnen.",
        "sel_none": "Er zijn geen selectiecriteria in verband met duurzaamheid of toegang voor "
        "kmo's opgenomen.",
        "aw_title": "Gunningscriteria",
        "aw_intro": "De opdracht wordt gegund aan de inschrijver die de economisch meest "
        "voordelige offerte heeft ingediend, bepaald op basis van de volgende criteria, gewogen "
        "op 100 punten.",
        "col_criterion": "Criterium",
        "col_reference": "Referentie",
        "col_weight": "Weging",
        "price": "Prijs",
        "points": " punten",
        "total": "Totaal",
        "price_rule": "Het criterium ‘prijs’ wordt beoordeeld volgens de formule: punten = "
        "weging van de prijs × prijs van de laagste regelmatige offerte / prijs van de "
        "onderzochte offerte.",
        "scoring": "Beoordelingsmethode",
        "pf_title": "Uitvoeringsvoorwaarden van de opdracht",
        "pf_intro": "De volgende voorwaarden gelden voor de uitvoering van de opdracht. Ze "
        "binden de opdrachtnemer en, in voorkomend geval, zijn onderaannemers. Niet-naleving "
        "is een tekortkoming in de zin van artikel 44 van het koninklijk besluit van 14 januari "
        "2013 en kan leiden tot de straffen en maatregelen van ambtswege die dat besluit "
        "bepaalt.",
        "pf_none": "Er zijn geen bijzondere uitvoeringsvoorwaarden opgenomen.",
        "control": "Controle",
        "lots_title": "Procedureregels, percelen en toegang voor kmo's",
        "lots_intro_a": "De opdracht is verdeeld in ",
        "lots_intro_b": " percelen. Elk perceel wordt afzonderlijk gegund en kan aan een "
        "andere inschrijver worden gegund.",
        "lots_table": "Beschrijving van de percelen",
        "col_lot": "Perceel",
        "col_lot_title": "Benaming en beschrijving",
        "col_cpv": "CPV-code",
        "col_value": "Geraamd bedrag (excl. btw)",
        "turnover_title": "Vereiste minimale omzet per perceel",
        "turnover_intro": "Overeenkomstig artikel 58, lid 3, van richtlijn 2014/24/EU bedraagt "
        "de vereiste minimale jaaromzet nooit meer dan het dubbele van de waarde van het "
        "perceel. De tabel vermeldt voor elk perceel de eis die deze opdracht stelt en dat "
        "wettelijke maximum.",
        "col_yearly": "Geraamde jaarwaarde",
        "col_required": "Vereiste minimale jaaromzet",
        "col_cap": "Wettelijk maximum (2 × de waarde van het perceel)",
        "col_sme": "Toegankelijkheid voor kmo's",
        "max_lots_title": "Aantal percelen per inschrijver",
        "max_lots_a": "Een inschrijver mag een offerte indienen voor maximaal ",
        "max_lots_b": " percelen.",
        "max_lots_one": "Een inschrijver mag slechts voor één perceel een offerte indienen.",
        "max_lots_none": "Een inschrijver mag een offerte indienen voor één, meerdere of alle "
        "percelen.",
        "combined_title": "Gecombineerde offertes",
        "coord_title": "Coördinatieperceel",
        "coord_a": "Perceel ",
        "coord_b": " coördineert de percelen ",
        "coord_tasks": "Taken van het coördinatieperceel",
        "coord_links": "Verhouding tot de houders van de andere percelen",
        "not_divided": "De opdracht is niet in percelen verdeeld.",
        "justification_title": "Motivering van de niet-verdeling in percelen",
        "contract_turnover_title": "Vereiste minimale omzet",
        "contract_turnover_a": "De vereiste minimale jaaromzet bedraagt ",
        "contract_turnover_b": ", binnen het maximum van ",
        "contract_turnover_c": " dat artikel 58, lid 3, van richtlijn 2014/24/EU toestaat.",
        "proc_title": "Procedureregels",
        "proc_intro": "De volgende bepalingen regelen het verloop van de plaatsingsprocedure en, "
        "in voorkomend geval, de verdeling van de opdracht in percelen en de gunning van de "
        "percelen.",
        "cl_title": "Bijlage: controlelijst van de bewijsmiddelen (voor de aanbestedende overheid)",
        "cl_intro": "Deze bijlage is uitsluitend bestemd voor de aanbestedende overheid en maakt "
        "geen deel uit van de bekendgemaakte opdrachtdocumenten. Ze vermeldt voor elke gekozen "
        "bepaling welke bewijzen te vragen zijn, wanneer ze gecontroleerd worden en hoe "
        "(maatregel MPDI 7 van de gewestelijke strategie Shifting Economy: "
        "controle-instrumenten).",
        "cl_internal": "Intern document van de aanbestedende overheid – niet bekendmaken",
        "col_clause": "Bepaling",
        "col_instruments": "Bewijs, tijdstip en controle",
        "col_done": "Gecontroleerd op (datum en paraaf)",
        "ask": "Op te vragen: ",
        "check": "Te controleren: ",
        "box": "☐",
        "ad_title": "Bijlage: verklaring op erewoord over de naleving van het sociaal recht",
        "ad_intro": "In te vullen, te ondertekenen en aan de aanbestedende overheid te bezorgen "
        "door de opdrachtnemer vóór de aanvang van de uitvoering van de opdracht, en door elke "
        "onderaannemer, in welke schakel van de onderaannemingsketen ook, vóór de aanvang van "
        "zijn prestaties.",
        "ad_contract": "Opdracht: ",
        "ad_who": "Identificatie van de verklaarder",
        "ad_name": "Naam en voornaam van de ondertekenaar",
        "ad_function": "Functie",
        "ad_company": "Naam van de onderneming",
        "ad_number": "Ondernemingsnummer (KBO) of buitenlands identificatienummer",
        "ad_capacity": "Hoedanigheid",
        "ad_capacity_value": "☐ opdrachtnemer    ☐ onderaannemer in schakel ……, voor rekening "
        "van ………………………………",
        "ad_statement": "Verklaring",
        "ad_statement_intro": "Ik, ondergetekende, handelend namens de hierboven vermelde "
        "onderneming, verklaar op erewoord voor de uitvoering van de opdracht:",
        "ad_clauses": "Ik verklaar kennis te hebben genomen van de volgende bepalingen van het "
        "bestek en verbind mij ertoe ze na te leven:",
        "ad_warning": "Ik weet dat elke valse verklaring kan leiden tot de maatregelen die de "
        "regelgeving inzake overheidsopdrachten bepaalt, met name de verbreking van de "
        "opdracht, onverminderd strafrechtelijke sancties.",
        "ad_signature": "Ondertekening",
        "ad_place": "Opgemaakt te",
        "ad_date": "Op",
        "ad_sign": "Handtekening",
        "ad_none": "Voor deze opdracht is geen bepaling ter bestrijding van sociale dumping "
        "opgenomen: deze bijlage is zonder voorwerp.",
    },
}

# ----------------------------------------------------------------------------------------------
# Low-level writing helpers


def paragraph(
    where: Document | _Cell, pieces: Sequence[Piece] | str, style: str | None = None
) -> Paragraph:
    """Add a paragraph made of ``pieces``, one run each (so each tag is one run)."""
    para = where.add_paragraph(style=style)
    for piece in [pieces] if isinstance(pieces, str) else pieces:
        text, bold = (piece[0], True) if isinstance(piece, tuple) else (piece, False)
        run = para.add_run(text)
        if bold:
            run.bold = True
    return para


def tag(where: Document | _Cell, statement: str) -> Paragraph:
    """Add a paragraph holding only a ``{%p ... %}`` tag (docxtpl removes the paragraph)."""
    return paragraph(where, f"{{%p {statement} %}}")


def heading(doc: Document, pieces: Sequence[Piece] | str, level: int) -> Paragraph:
    """Add a heading of ``level`` made of pieces."""
    return paragraph(doc, pieces, f"Heading {level}")


def keep_with_next(
    where: Document, pieces: Sequence[Piece] | str, style: str | None = None
) -> Paragraph:
    """Add a paragraph that stays on the page of the next one (a clause's reference line)."""
    para = paragraph(where, pieces, style)
    para.paragraph_format.keep_with_next = True
    return para


def section_heading(doc: Document, text: str, standalone: bool) -> Paragraph:
    """Add a section's Heading 1; in the complete document each section starts a page."""
    para = heading(doc, text, 1)
    if not standalone:
        para.paragraph_format.page_break_before = True
    return para


def _fill_cell(cell: _Cell, content: Sequence[Piece] | str, style: str) -> None:
    # A new cell holds one empty paragraph: write into it rather than leave it blank above.
    first = cell.paragraphs[0]
    first.style = cell.part.document.styles[style]
    for piece in [content] if isinstance(content, str) else content:
        text, bold = (piece[0], True) if isinstance(piece, tuple) else (piece, False)
        run = first.add_run(text)
        if bold:
            run.bold = True


def _shade(cell: _Cell, fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def _repeat_header(row_index: int, table: Table) -> None:
    row_props = table.rows[row_index]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    row_props.append(header)
    cant_split = OxmlElement("w:cantSplit")
    row_props.append(cant_split)


CellWriter = Callable[[_Cell], None]
Cell = Sequence[Piece] | str | CellWriter


def table(
    doc: Document,
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    row_height: float | None = None,
    numeric: Sequence[int] = (),
) -> Table:
    """Add a Table Grid table with a shaded, repeated header row.

    A row whose only cell is a string starting with ``{%tr`` becomes a docxtpl row tag.
    A cell is text, pieces, or a function that writes the cell's paragraphs. Columns listed
    in ``numeric`` (amounts, weights) are right-aligned.
    """
    grid = doc.add_table(rows=1, cols=len(headers))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        _fill_cell(cell, text, "Table Heading")
        _shade(cell, HEADER_FILL)
    _repeat_header(0, grid)
    for row in rows:
        cells = grid.add_row().cells
        if len(row) == 1 and isinstance(row[0], str) and row[0].startswith("{%tr"):
            _fill_cell(cells[0], row[0], "Table Text")
            continue
        for cell, content in zip(cells, row, strict=True):
            if callable(content):
                cell.paragraphs[0].style = doc.styles["Table Text"]
                content(cell)
            else:
                _fill_cell(cell, content, "Table Text")
    for row in grid.rows:
        for column in numeric:
            for para in row.cells[column].paragraphs:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if row_height:
        # Rows of a form to fill in by hand.
        for row in grid.rows[1:]:
            row.height = Cm(row_height)
    # Word reads the cell widths, LibreOffice the grid columns: set both.
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    return grid


def cell_paragraphs(*blocks: tuple[Sequence[Piece] | str, str]) -> CellWriter:
    """Return a cell writer adding paragraphs ``(pieces, style)``; the first fills the cell."""

    def write(cell: _Cell) -> None:
        first = True
        for pieces, style in blocks:
            if first:
                _fill_cell(cell, pieces, style)
                first = False
            else:
                paragraph(cell, pieces, style)

    return write


# ----------------------------------------------------------------------------------------------
# Document set-up: page, styles, language, header and footer


def _style(doc: Document, name: str, kind: WD_STYLE_TYPE, base: str) -> Any:
    style = doc.styles.add_style(name, kind)
    style.base_style = doc.styles[base]
    style.quick_style = True
    return style


def _page_number(para: Paragraph) -> None:
    run = para.add_run()
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("end", None)):
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
            continue
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)
        if kind == "separate":
            run._r.append(_text_element("1"))


def _text_element(text: str) -> Any:
    element = OxmlElement("w:t")
    element.text = text
    return element


def new_document(lang: str, subject: str, header_note: str = "") -> Document:
    """Create an empty template: A4, styles, language, header, footer and core properties."""
    t = TEXTS[lang]
    doc = docx.Document()
    # The default python-docx package carries a thumbnail of an empty page, a second copy of
    # the styles and a customXml item: none belongs in a buyer's template.
    for rid, rel in list(doc.part.package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            doc.part.package.rels.pop(rid)
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            doc.part.rels.pop(rid)

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.2)
    section.left_margin = section.right_margin = Cm(2.2)

    # Spell-checking in the document's language.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    lang_el = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    lang_el.set(qn("w:val"), LANG_TAGS[lang])
    lang_el.set(qn("w:eastAsia"), LANG_TAGS[lang])

    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)

    reference = _style(doc, "Reference", WD_STYLE_TYPE.PARAGRAPH, "Normal")
    reference.font.size = Pt(8)
    reference.font.color.rgb = GREY
    reference.paragraph_format.space_after = Pt(4)

    table_text = _style(doc, "Table Text", WD_STYLE_TYPE.PARAGRAPH, "Normal")
    table_text.font.size = Pt(9.5)
    table_text.paragraph_format.space_after = Pt(2)
    table_heading = _style(doc, "Table Heading", WD_STYLE_TYPE.PARAGRAPH, "Table Text")
    table_heading.font.bold = True
    table_heading.paragraph_format.keep_with_next = True

    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for piece in ("{{ authority.name }}", " – ", "{{ dossier.reference }}"):
        header.add_run(piece)
    if header_note:
        note = section.header.add_paragraph(style="Header")
        note.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        note.add_run(header_note).bold = True
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    for piece in ("{{ dossier.title }}", " – ", t["generated"], "{{ generated_on|date }}", " – "):
        footer.add_run(piece)
    footer.add_run(t["page"])
    _page_number(footer)
    for para in (header, footer):
        for run in para.runs:
            run.font.size = Pt(8)
            run.font.color.rgb = GREY

    props = doc.core_properties
    props.title = "{{ dossier.title }}"
    props.subject = subject
    props.author = "{{ authority.name }}"
    props.language = LANG_TAGS[lang]
    props.keywords = "Clausier"
    props.comments = t["subtitle"]
    props.category = ""
    props.last_modified_by = "Clausier"
    props.revision = 1
    props.created = BUILD_DATE
    props.modified = BUILD_DATE
    return doc


def title_block(doc: Document, lang: str, subtitle: str) -> None:
    """Write the title, the subtitle and the authority and reference lines."""
    t = TEXTS[lang]
    paragraph(doc, "{{ dossier.title }}", "Title")
    paragraph(doc, subtitle, "Subtitle")
    paragraph(doc, [(t["authority"], "b"), "{{ authority.name }}"])
    paragraph(doc, [(t["reference"], "b"), "{{ dossier.reference }}"])


# ----------------------------------------------------------------------------------------------
# Clause blocks, shared by the sections


def evidence_list(doc: Document, lang: str, var: str) -> None:
    """Write a bulleted list of a clause's control instruments: kind, when, what."""
    t = TEXTS[lang]
    tag(doc, f"for v in {var}")
    paragraph(
        doc,
        [
            ("{{ v.evidence_label }}", "b"),
            " (",
            "{{ v.stage_label|lower }}",
            t["stage_end"],
            "{{ v.what }}",
        ],
        "List Bullet",
    )
    tag(doc, "endfor")


def clause_block(doc: Document, lang: str, var: str, level: int, proof: str) -> None:
    """Write one clause ``var``: title, reference, paragraphs, evidence and legal basis."""
    t = TEXTS[lang]
    heading(doc, f"{{{{ {var}.title }}}}", level)
    keep_with_next(
        doc,
        [
            f"{{{{ {var}.reference }}}}",
            " · ",
            f"{{{{ {var}.family_label }}}}",
            " · ",
            f"{{{{ {var}.ambition_label }}}}",
        ],
        "Reference",
    )
    tag(doc, f"for text in {var}.paragraphs")
    paragraph(doc, "{{ text }}")
    tag(doc, "endfor")
    if level < 3:
        heading(doc, t[proof], level + 1)
    else:
        paragraph(doc, [(t[proof], "b")])
    evidence_list(doc, lang, f"{var}.verification")
    paragraph(
        doc, [t["legal"], f"{{{{ {var}.legal_basis|join('{t['legal_sep']}') }}}}"], "Reference"
    )


def award_block(doc: Document, lang: str) -> None:
    """Write one award criterion ``c``, with its weight and scoring method."""
    t = TEXTS[lang]
    heading(doc, ["{{ c.title }}", " (", "{{ c.weight }}", t["points"], ")"], 3)
    keep_with_next(
        doc,
        ["{{ c.reference }}", " · ", "{{ c.family_label }}", " · ", "{{ c.ambition_label }}"],
        "Reference",
    )
    tag(doc, "for text in c.paragraphs")
    paragraph(doc, "{{ text }}")
    tag(doc, "endfor")
    paragraph(doc, [(t["scoring"], "b")])
    tag(doc, "for text in c.scoring")
    paragraph(doc, "{{ text }}")
    tag(doc, "endfor")
    paragraph(doc, [(t["evidence"], "b")])
    evidence_list(doc, lang, "c.verification")
    paragraph(doc, [t["legal"], f"{{{{ c.legal_basis|join('{t['legal_sep']}') }}}}"], "Reference")


# ----------------------------------------------------------------------------------------------
# The sections


def technical_specifications(doc: Document, lang: str, standalone: bool) -> None:
    """Section 1: the sustainability and social requirements of the technical specifications."""
    t = TEXTS[lang]
    section_heading(doc, t["ts_title"], standalone)
    paragraph(doc, t["ts_intro"])
    tag(doc, "for c in clauses.technical_specification")
    clause_block(doc, lang, "c", 2, "evidence")
    tag(doc, "else")
    paragraph(doc, t["ts_none"])
    tag(doc, "endfor")


def selection_award(doc: Document, lang: str, standalone: bool) -> None:
    """Section 2: exclusion grounds, selection criteria, award criteria and the weights."""
    t = TEXTS[lang]
    section_heading(doc, t["sa_title"], standalone)
    tag(doc, "if clauses.exclusion")
    heading(doc, t["excl_title"], 2)
    paragraph(doc, t["excl_intro"])
    tag(doc, "for c in clauses.exclusion")
    clause_block(doc, lang, "c", 3, "evidence")
    tag(doc, "endfor")
    tag(doc, "endif")

    heading(doc, t["sel_title"], 2)
    tag(doc, "if clauses.selection")
    paragraph(doc, t["sel_intro"])
    tag(doc, "for c in clauses.selection")
    clause_block(doc, lang, "c", 3, "evidence")
    tag(doc, "endfor")
    tag(doc, "else")
    paragraph(doc, t["sel_none"])
    tag(doc, "endif")

    heading(doc, t["aw_title"], 2)
    paragraph(doc, t["aw_intro"])
    table(
        doc,
        [t["col_criterion"], t["col_reference"], t["col_weight"]],
        [
            [t["price"], t["dash"], ["{{ weights.price }}", t["points"]]],
            ["{%tr for w in weights.criteria %}"],
            ["{{ w.title }}", "{{ w.reference }}", ["{{ w.weight }}", t["points"]]],
            ["{%tr endfor %}"],
            [[(t["total"], "b")], "", [("{{ weights.total }}", "b"), (t["points"], "b")]],
        ],
        [9.5, 4.5, 2.6],
        numeric=(2,),
    )
    paragraph(doc, "")
    paragraph(doc, t["price_rule"])
    tag(doc, "for c in clauses.award")
    award_block(doc, lang)
    tag(doc, "endfor")


def performance(doc: Document, lang: str, standalone: bool) -> None:
    """Section 3: the contract performance clauses."""
    t = TEXTS[lang]
    section_heading(doc, t["pf_title"], standalone)
    tag(doc, "if clauses.performance")
    paragraph(doc, t["pf_intro"])
    tag(doc, "for c in clauses.performance")
    clause_block(doc, lang, "c", 2, "control")
    tag(doc, "endfor")
    tag(doc, "else")
    paragraph(doc, t["pf_none"])
    tag(doc, "endif")


def lots(doc: Document, lang: str, standalone: bool) -> None:
    """Section 4: the lots and SME access, then the clauses on the procedure itself."""
    t = TEXTS[lang]
    section_heading(doc, t["lots_title"], standalone)
    tag(doc, "if lots.divided")
    paragraph(doc, [t["lots_intro_a"], "{{ lots.lots|length }}", t["lots_intro_b"]])
    heading(doc, t["lots_table"], 2)
    table(
        doc,
        [t["col_lot"], t["col_lot_title"], t["col_cpv"], t["col_value"]],
        [
            ["{%tr for lot in lots.lots %}"],
            [
                "{{ lot.number }}",
                cell_paragraphs(
                    ([("{{ lot.title }}", "b")], "Table Text"),
                    ("{{ lot.description }}", "Table Text"),
                ),
                cell_paragraphs(
                    ("{{ lot.cpv.code }}", "Table Text"), ("{{ lot.cpv.label }}", "Reference")
                ),
                "{{ lot.value|money }}",
            ],
            ["{%tr endfor %}"],
            ["{%tr if lots.coordination.applies %}"],
            [
                "{{ lots.coordination.number }}",
                [("{{ lots.coordination.title }}", "b")],
                t["dash"],
                "{{ lots.coordination.value|money }}",
            ],
            ["{%tr endif %}"],
            [[(t["total"], "b")], "", "", [("{{ lots.total_value|money }}", "b")]],
        ],
        [1.6, 8.6, 3.4, 3.0],
        numeric=(3,),
    )
    heading(doc, t["turnover_title"], 2)
    paragraph(doc, t["turnover_intro"])
    table(
        doc,
        [t["col_lot"], t["col_yearly"], t["col_required"], t["col_cap"], t["col_sme"]],
        [
            ["{%tr for lot in lots.lots %}"],
            [
                "{{ lot.number }}",
                "{{ lot.yearly_value|money }}",
                [("{{ lot.turnover_required|money }}", "b")],
                "{{ lot.turnover_cap|money }}",
                cell_paragraphs(
                    ("{{ lot.sme_label }}", "Table Text"), ("{{ lot.sme_reason }}", "Reference")
                ),
            ],
            ["{%tr endfor %}"],
        ],
        [1.6, 3.2, 3.6, 3.0, 5.2],
        numeric=(1, 2, 3),
    )
    heading(doc, t["max_lots_title"], 2)
    tag(doc, "if lots.max_lots_per_tenderer == 1")
    paragraph(doc, t["max_lots_one"])
    tag(doc, "elif lots.max_lots_per_tenderer")
    paragraph(doc, [t["max_lots_a"], "{{ lots.max_lots_per_tenderer }}", t["max_lots_b"]])
    tag(doc, "else")
    paragraph(doc, t["max_lots_none"])
    tag(doc, "endif")
    tag(doc, "if lots.max_lots_awarded")
    paragraph(doc, "{{ lots.award_rule }}")
    tag(doc, "endif")
    tag(doc, "if lots.combined_bids")
    heading(doc, t["combined_title"], 2)
    paragraph(doc, "{{ lots.combined_bids_text }}")
    tag(doc, "endif")
    tag(doc, "if lots.coordination.applies")
    heading(doc, t["coord_title"], 2)
    paragraph(
        doc,
        [
            t["coord_a"],
            "{{ lots.coordination.number }}",
            " (",
            "{{ lots.coordination.title }}",
            ")",
            t["coord_b"],
            "{{ lots.coordination.coordinates|join(', ') }}",
            ".",
        ],
    )
    heading(doc, t["coord_tasks"], 3)
    tag(doc, "for task in lots.coordination.tasks")
    paragraph(doc, "{{ task }}", "List Bullet")
    tag(doc, "endfor")
    heading(doc, t["coord_links"], 3)
    tag(doc, "for link in lots.coordination.interactions")
    paragraph(doc, "{{ link }}", "List Bullet")
    tag(doc, "endfor")
    tag(doc, "endif")
    tag(doc, "else")
    paragraph(doc, t["not_divided"])
    heading(doc, t["justification_title"], 2)
    # The buyer's justification carries its own introduction (the draft starts with one): the
    # template adds none, so that the "divide or explain" introduction appears once.
    tag(doc, "for text in lots.justification")
    paragraph(doc, "{{ text }}")
    tag(doc, "endfor")
    heading(doc, t["contract_turnover_title"], 2)
    paragraph(
        doc,
        [
            t["contract_turnover_a"],
            ("{{ lots.contract_turnover_required|money }}", "b"),
            t["contract_turnover_b"],
            "{{ lots.contract_turnover_cap|money }}",
            t["contract_turnover_c"],
        ],
    )
    tag(doc, "endif")
    tag(doc, "if clauses.procedure")
    heading(doc, t["proc_title"], 2)
    paragraph(doc, t["proc_intro"])
    tag(doc, "for c in clauses.procedure")
    clause_block(doc, lang, "c", 3, "evidence")
    tag(doc, "endfor")
    tag(doc, "endif")


def verification_checklist(doc: Document, lang: str, standalone: bool) -> None:
    """Section 5: the buyer's verification checklist (MPDI 7 control instruments)."""
    t = TEXTS[lang]
    section_heading(doc, t["cl_title"], standalone)
    paragraph(doc, t["cl_intro"])

    def instruments(cell: _Cell) -> None:
        _fill_cell(cell, "{%p for i in row.instruments %}", "Table Text")
        paragraph(
            cell, [("{{ i.evidence_label }}", "b"), " – ", "{{ i.stage_label }}"], "Table Text"
        )
        paragraph(cell, [(t["ask"], "b"), "{{ i.what }}"], "Table Text")
        paragraph(cell, [(t["check"], "b"), "{{ i.how }}"], "Table Text")
        paragraph(cell, "{%p endfor %}", "Table Text")

    table(
        doc,
        [t["col_clause"], t["col_instruments"], t["col_done"]],
        [
            ["{%tr for row in checklist %}"],
            [
                cell_paragraphs(
                    ([("{{ row.title }}", "b")], "Table Text"),
                    (["{{ row.reference }}", " · ", "{{ row.placement_label }}"], "Reference"),
                ),
                instruments,
                t["box"],
            ],
            ["{%tr endfor %}"],
        ],
        [4.6, 9.4, 2.6],
    )


def anti_dumping_declaration(doc: Document, lang: str, standalone: bool) -> None:
    """Section 6: the contractor's and subcontractors' declaration, when it applies."""
    t = TEXTS[lang]
    tag(doc, "if anti_dumping.applies")
    section_heading(doc, t["ad_title"], standalone)
    paragraph(doc, [(t["ad_intro"], "b")])
    paragraph(doc, [t["ad_contract"], "{{ dossier.title }}", " (", "{{ dossier.reference }}", ")"])
    paragraph(doc, [t["authority"], "{{ authority.name }}"])
    heading(doc, t["ad_who"], 2)
    table(
        doc,
        [t["field"], t["value"]],
        [
            [t["ad_name"], ""],
            [t["ad_function"], ""],
            [t["ad_company"], ""],
            [t["ad_number"], ""],
            [t["ad_capacity"], t["ad_capacity_value"]],
        ],
        [6.0, 10.6],
        row_height=0.9,
    )
    heading(doc, t["ad_statement"], 2)
    paragraph(doc, t["ad_statement_intro"])
    tag(doc, "for item in anti_dumping.declaration")
    paragraph(doc, "{{ item }}", "List Number")
    tag(doc, "endfor")
    paragraph(doc, t["ad_clauses"])
    tag(doc, "for c in anti_dumping.clauses")
    paragraph(doc, ["{{ c.title }}", " (", "{{ c.reference }}", ")"], "List Bullet")
    tag(doc, "endfor")
    paragraph(doc, t["ad_warning"])
    heading(doc, t["ad_signature"], 2)
    signature = table(
        doc,
        [t["field"], t["value"]],
        [[t["ad_place"], ""], [t["ad_date"], ""], [t["ad_sign"], ""]],
        [6.0, 10.6],
        row_height=0.9,
    )
    signature.rows[-1].height = Cm(2.5)
    if standalone:
        tag(doc, "else")
        paragraph(doc, t["ad_none"])
    tag(doc, "endif")


def general_information(doc: Document, lang: str) -> None:
    """The first part of the complete document: what the contract is."""
    t = TEXTS[lang]
    heading(doc, t["general"], 1)
    paragraph(doc, t["general_intro"])
    table(
        doc,
        [t["field"], t["value"]],
        [
            [t["row_authority"], "{{ authority.name }}"],
            [t["row_reference"], "{{ dossier.reference }}"],
            [t["row_subject"], "{{ dossier.subject }}"],
            [t["row_category"], "{{ dossier.category }}"],
            [t["row_type"], "{{ dossier.contract_type_label }}"],
            [t["row_procedure"], "{{ dossier.procedure_label }}"],
            [t["row_value"], "{{ dossier.estimated_value|money }}"],
            [
                t["row_main_cpv"],
                ["{{ dossier.main_cpv.code }}", " – ", "{{ dossier.main_cpv.label }}"],
            ],
            [
                t["row_more_cpv"],
                cell_paragraphs(
                    ("{%p for cpv in dossier.additional_cpv %}", "Table Text"),
                    (["{{ cpv.code }}", " – ", "{{ cpv.label }}"], "Table Text"),
                    ("{%p else %}", "Table Text"),
                    (t["dash"], "Table Text"),
                    ("{%p endfor %}", "Table Text"),
                ),
            ],
            [
                t["row_publication"],
                "{{ dossier.publication_date|date if dossier.publication_date else '—' }}",
            ],
        ],
        [5.0, 11.6],
    )


SECTION_WRITERS: dict[str, Callable[[Document, str, bool], None]] = {
    "technical_specifications": technical_specifications,
    "selection_award": selection_award,
    "performance": performance,
    "lots": lots,
    "verification_checklist": verification_checklist,
    "anti_dumping_declaration": anti_dumping_declaration,
}


def build_section(key: str, lang: str) -> Document:
    """Build the template of one section."""
    section = BY_KEY[key]
    note = TEXTS[lang]["cl_internal"] if key == "verification_checklist" else ""
    doc = new_document(lang, section.titles[lang], note)
    title_block(doc, lang, section.titles[lang])
    SECTION_WRITERS[key](doc, lang, True)
    return doc


def build_complete(lang: str) -> Document:
    """Build the complete document: general information, then every section in order."""
    doc = new_document(lang, COMPLETE.titles[lang])
    title_block(doc, lang, COMPLETE.titles[lang])
    general_information(doc, lang)
    for section in SECTIONS:
        SECTION_WRITERS[section.key](doc, lang, False)
    return doc


def to_bytes(doc: Document) -> bytes:
    """Serialise a document reproducibly."""
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise_package(buffer.getvalue())


def build_all(target: Path = TEMPLATE_DIR) -> list[Path]:
    """Write every template into ``target/<lang>/`` and return the paths written."""
    written = []
    for lang in DOCUMENT_LANGS:
        folder = target / lang
        folder.mkdir(parents=True, exist_ok=True)
        for section in SECTIONS:
            path = folder / section.filename
            path.write_bytes(to_bytes(build_section(section.key, lang)))
            written.append(path)
        path = folder / COMPLETE.filename
        path.write_bytes(to_bytes(build_complete(lang)))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> None:
    """Build the templates into ``templates/`` (or the folder given as the only argument)."""
    args = list(sys.argv[1:] if argv is None else argv)
    target = Path(args[0]) if args else TEMPLATE_DIR
    for path in build_all(target):
        print(path)


if __name__ == "__main__":
    main()
