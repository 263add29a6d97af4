"""dossier dutch title and subject

Revision ID: 5b1e0c7d9a42
Revises: 84305a90a073
Create Date: 2026-12-04 22:20:00

``dossiers.title_nl`` and ``dossiers.subject_nl`` (portal/tenders/models.py): the Dutch title
and subject of a bilingual dossier, printed in its Dutch documents (``title`` and ``subject``
are then the French ones).

Existing bilingual dossiers are filled in on upgrade from their single title and subject, so
that they keep generating; the documents tab warns while the Dutch text equals the French one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
import sqlmodel.sql.sqltypes
from alembic import op


revision: str = "5b1e0c7d9a42"
down_revision: str | None = "84305a90a073"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "title_nl",
                sqlmodel.sql.sqltypes.AutoString(length=300),
                server_default="",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("subject_nl", sa.Text(), server_default="", nullable=False))
    op.execute("UPDATE dossiers SET title_nl = title, subject_nl = subject WHERE language = 'both'")


def downgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_column("subject_nl")
        batch_op.drop_column("title_nl")
