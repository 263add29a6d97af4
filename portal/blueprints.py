"""The registry of domain packages: their blueprints, CLI commands and demo-data loaders.

A domain joins the app by adding one line to each list it needs. Order matters for demo data:
a loader may rely on what earlier loaders created.
"""

from __future__ import annotations

from importlib import import_module

from flask import Flask

#: ``module:attribute`` of each blueprint.
BLUEPRINTS = [
    "portal.site.views:bp",
    "portal.accounts.views:bp",
    "portal.accounts.admin:bp",
    "portal.reference.views:bp",
    "portal.companies.views:bp",
    "portal.api:bp",
    "portal.clauses.views:bp",
    "portal.documents.views:bp",
    "portal.tenders.views:bp",
    "portal.lots.views:bp",
]

#: ``module:attribute`` of each click command or group added to ``flask --app portal``.
CLI_COMMANDS = [
    "portal.cli:db_group",
    "portal.cli:reference_group",
    "portal.cli:demo_group",
    "portal.accounts.cli:users_group",
    "portal.i18n_tools:i18n_group",
    "portal.clauses.cli:clauses_group",
    "portal.tenders.cli:documents_group",
    "portal.lots.cli:lots_group",
]

#: ``module:function`` of each idempotent demo loader, called as ``loader(session)``.
DEMO_LOADERS = [
    "portal.accounts.demo:load",
    "portal.clauses.demo:load",
    "portal.tenders.demo:load",
    "portal.lots.demo:load",
    "portal.tenders.demo:generate_documents",
]

#: Modules whose SQLModel tables make up the schema (imported by Alembic and the tests).
MODEL_MODULES = [
    "portal.audit.models",
    "portal.reference.models",
    "portal.companies.models",
    "portal.accounts.models",
    "portal.clauses.models",
    "portal.tenders.models",
    "portal.lots.models",
]


def resolve(path: str):  # type: ignore[no-untyped-def]
    module, _, attr = path.partition(":")
    return getattr(import_module(module), attr)


def import_models() -> None:
    for module in MODEL_MODULES:
        import_module(module)


def register_blueprints(app: Flask) -> None:
    import_models()
    for path in BLUEPRINTS:
        app.register_blueprint(resolve(path))
