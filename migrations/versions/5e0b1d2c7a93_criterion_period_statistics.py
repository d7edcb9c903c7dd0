"""criterion period statistics (PostgreSQL only)

Extended statistics on the week and month bucket expressions of criterion_scores, so PostgreSQL knows "quality by
criterion" has a few dozen (period, criterion) groups and hash-aggregates the window's rows instead of sorting
them (which spilled to disk with the default work_mem). SQLite has no such object and needs none. The statements
are those of qa_app.models.reviews.CRITERION_PERIOD_STATISTICS at this revision.

Revision ID: 5e0b1d2c7a93
Revises: b4b4967d504a
Create Date: 2026-11-28 11:55:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5e0b1d2c7a93'
down_revision = 'b4b4967d504a'
branch_labels = None
depends_on = None

PERIODS = ("week", "month")


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    if not _postgresql():
        return
    for period in PERIODS:
        op.execute(f"CREATE STATISTICS IF NOT EXISTS criterion_scores_{period}_groups (ndistinct) "
                   f"ON (to_char(date_trunc('{period}', published_at), 'YYYY-MM-DD')), criterion_key "
                   f"FROM criterion_scores")
    op.execute("ANALYZE criterion_scores")  # built now rather than at autovacuum's next visit


def downgrade():
    if not _postgresql():
        return
    for period in PERIODS:
        op.execute(f"DROP STATISTICS IF EXISTS criterion_scores_{period}_groups")
