"""Translation catalogs: extract, update, compile and check (``flask --app portal i18n ...``).

Each ``translations`` folder in the portal is a catalog. A domain package that has one
(``portal/clauses/translations``) owns the strings of that package; the core catalog
(``portal/translations``) owns everything else. English is the source language: the English
catalog is filled with the source strings, and French and Dutch must be complete (the test
suite fails on any empty or fuzzy French or Dutch entry).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from flask.cli import AppGroup

PORTAL = Path(__file__).resolve().parent
LOCALES = ("fr", "nl", "en")
REQUIRED = ("fr", "nl")
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
METHOD_MAP = [("**.py", "python"), ("**.html", "jinja2")]
OPTIONS_MAP = {"**.html": {"trimmed": "true"}}


@dataclass(frozen=True)
class CatalogDir:
    name: str
    translations: Path
    sources: tuple[Path, ...]


def catalog_dirs() -> list[CatalogDir]:
    """Every catalog and the source folders it owns."""
    domains = sorted(p.parent for p in PORTAL.glob("*/translations") if p.is_dir())
    result = [CatalogDir(d.name, d / "translations", (d,)) for d in domains]
    core_sources = [PORTAL / "templates"] + [
        p
        for p in sorted(PORTAL.iterdir())
        if p.is_dir()
        and p not in domains
        and p.name not in {"translations", "static", "data", "templates", "__pycache__"}
    ]
    result.insert(0, CatalogDir("core", PORTAL / "translations", tuple(core_sources)))
    return result


def extract(cat: CatalogDir) -> Catalog:
    """Extract the messages of one catalog's sources into a template catalog."""
    template = Catalog(project="Clausier", charset="utf-8", fuzzy=False)
    for source in cat.sources:
        if not source.exists():
            continue
        for filename, lineno, message, comments, context in extract_from_dir(
            str(source), METHOD_MAP, OPTIONS_MAP, keywords=KEYWORDS, strip_comment_tags=True
        ):
            rel = os.path.relpath(os.path.join(source, filename), PORTAL.parent)
            template.add(message, None, [(rel, lineno)], auto_comments=comments, context=context)
    if cat.name == "core":
        # The portal's top-level modules (errors.py, navigation.py...), not its sub-packages.
        for filename, lineno, message, comments, context in extract_from_dir(
            str(PORTAL), [("*.py", "python")], {}, keywords=KEYWORDS, strip_comment_tags=True
        ):
            rel = os.path.relpath(PORTAL / filename, PORTAL.parent)
            template.add(message, None, [(rel, lineno)], auto_comments=comments, context=context)
    return template


def _po_path(cat: CatalogDir, locale: str) -> Path:
    return cat.translations / locale / "LC_MESSAGES" / "messages.po"


def read_catalog(cat: CatalogDir, locale: str) -> Catalog | None:
    path = _po_path(cat, locale)
    if not path.exists():
        return None
    with open(path, "rb") as fh:
        return read_po(fh, locale=locale)


def update(cat: CatalogDir) -> dict[str, int]:
    """Merge freshly extracted messages into each locale's .po; return the untranslated count."""
    template = extract(cat)
    missing = {}
    for locale in LOCALES:
        path = _po_path(cat, locale)
        catalog = read_catalog(cat, locale)
        if catalog is None:
            catalog = Catalog(locale=locale, project="Clausier", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        if locale == "en":
            for message in catalog:
                if message.id and isinstance(message.id, tuple | list):
                    if not all(message.string or ()):
                        message.string = tuple(message.id)
                elif message.id and not message.string:
                    message.string = message.id
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        write_po(
            buffer, catalog, width=100, sort_output=True, omit_header=False, include_previous=False
        )
        path.write_bytes(buffer.getvalue())
        missing[locale] = len(untranslated(catalog))
    return missing


def compile_catalogs() -> int:
    count = 0
    for cat in catalog_dirs():
        for locale in LOCALES:
            catalog = read_catalog(cat, locale)
            if catalog is None:
                continue
            mo = _po_path(cat, locale).with_suffix(".mo")
            with open(mo, "wb") as fh:
                write_mo(fh, catalog, use_fuzzy=False)
            count += 1
    return count


def untranslated(catalog: Catalog) -> list[str]:
    """Message ids of a catalog that have no usable translation (empty, partial or fuzzy)."""
    result = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy or not all(strings):
            result.append(message.id if isinstance(message.id, str) else message.id[0])
    return result


def check() -> list[str]:
    """Problems that make the catalogs incomplete: missing, untranslated or stale messages."""
    problems = []
    for cat in catalog_dirs():
        template = extract(cat)
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
        for locale in LOCALES:
            catalog = read_catalog(cat, locale)
            if catalog is None:
                if wanted:
                    problems.append(f"{cat.name}/{locale}: no catalog ({len(wanted)} messages)")
                continue
            present = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
            for msgid in sorted(wanted - present):
                problems.append(f"{cat.name}/{locale}: not in catalog: {msgid!r}")
            if locale in REQUIRED:
                for msgid in untranslated(catalog):
                    if msgid in wanted:
                        problems.append(f"{cat.name}/{locale}: untranslated: {msgid!r}")
    return problems


i18n_group = AppGroup("i18n", help="Translation catalogs (extract, update, compile, check).")


@i18n_group.command("update")
@click.option(
    "--catalog",
    "names",
    multiple=True,
    help="Only this catalog (core, clauses, tenders, ...); repeat for several. Default: all.",
)
def update_command(names: tuple[str, ...]) -> None:
    """Extract the strings of every catalog and merge them into its fr, nl and en files."""
    cats = catalog_dirs()
    unknown = set(names) - {cat.name for cat in cats}
    if unknown:
        raise click.BadParameter(
            "unknown catalog: " + ", ".join(sorted(unknown)), param_hint="--catalog"
        )
    for cat in cats:
        if names and cat.name not in names:
            continue
        missing = update(cat)
        click.echo(f"{cat.name}: untranslated " + ", ".join(f"{k}={v}" for k, v in missing.items()))


@i18n_group.command("compile")
def compile_command() -> None:
    """Compile every .po file into the .mo file the portal reads."""
    click.echo(f"Compiled {compile_catalogs()} catalogs.")


@i18n_group.command("check")
def check_command() -> None:
    """Fail when a French or Dutch string is missing, untranslated or out of date."""
    problems = check()
    for p in problems:
        click.echo(p)
    if problems:
        raise SystemExit(1)
    click.echo("All catalogs are complete.")


def main() -> None:
    """Entry point for ``python -m portal.i18n_tools compile`` (used before the app exists)."""
    import sys

    if sys.argv[1:] == ["compile"]:
        print(f"Compiled {compile_catalogs()} catalogs.")
    else:
        print("usage: python -m portal.i18n_tools compile")
        raise SystemExit(2)


if __name__ == "__main__":
    main()
