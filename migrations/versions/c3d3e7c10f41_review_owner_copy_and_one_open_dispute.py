"""review owner copy and one open dispute

reviews.agent_id/team_id: the transcript's agent and team copied onto published reviews (as criterion_scores
already holds them), indexed with published_at, so review-based dashboard numbers need no join to transcripts;
coaching_notes (status, published_at) lets follow-through read the window's notes only.
Already-published reviews are backfilled from their rollup rows (the snapshot taken at publishing or the last
revision), or from the transcript when they have none (calibration reviews).

disputes: at most one open dispute per review and criterion (two partial unique indexes: one for criteria, one for
the whole review, whose criterion_key is NULL). Duplicates a double click left before this index are merged into
the oldest (a differing reason is appended to it), or the index could not be built.

Revision ID: c3d3e7c10f41
Revises: d640487e7821
Create Date: 2026-11-28 09:05:49.067913

"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d3e7c10f41'
down_revision = 'd640487e7821'
branch_labels = None
depends_on = None


def _copied(column):
    """The rollup's copy (the snapshot criterion numbers already use), else the transcript's."""
    rollup = "FROM criterion_scores c WHERE c.review_id = reviews.id"
    return (f"{column} = CASE WHEN EXISTS (SELECT 1 {rollup}) THEN (SELECT MIN(c.{column}) {rollup}) "
            f"ELSE (SELECT t.{column} FROM transcripts t WHERE t.id = reviews.transcript_id) END")


BACKFILL = f"UPDATE reviews SET {_copied('agent_id')}, {_copied('team_id')} WHERE status = 'published'"

def merge_duplicate_open_disputes():
    """A double click could leave two open disputes on one review and criterion before the unique indexes existed.
    The oldest stays open; a newer one's reason, when it says something else, is appended to the oldest's (so no
    text is lost); then the newer one is deleted, or the index could not be built."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, review_id, COALESCE(criterion_key, ''), reason FROM disputes "
                                "WHERE status = 'open' ORDER BY id")).all()
    kept: dict[tuple, list] = {}
    for id_, review_id, key, reason in rows:
        oldest = kept.setdefault((review_id, key), [id_, reason or "", False])
        if oldest[0] == id_:
            continue
        if (reason or "").strip() and reason.strip() not in oldest[1]:
            oldest[1] += f"\n\n(From a duplicate dispute: {reason.strip()})"
            oldest[2] = True
        bind.execute(sa.text("DELETE FROM disputes WHERE id = :id"), {"id": id_})
    for id_, reason, changed in kept.values():
        if changed:
            bind.execute(sa.text("UPDATE disputes SET reason = :reason WHERE id = :id"), {"id": id_, "reason": reason})


def _only_open(condition):
    where = sa.text(f"status = 'open' AND {condition}")
    return {"sqlite_where": where, "postgresql_where": where}


@contextmanager
def _foreign_keys_off_on_sqlite():
    """SQLite adds or drops a foreign key only by rebuilding the table (batch mode), and dropping the old reviews
    table while foreign keys are enforced would cascade-delete every note, revision, verdict, dispute and rollup row
    of every review. So they are off meanwhile (a PRAGMA that only works outside a transaction). Not switched back
    on after a failure: that would commit the half-done rebuild; the failed run's connection is not reused."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        with op.get_context().autocommit_block():
            op.execute("PRAGMA foreign_keys=OFF")
    yield
    if sqlite:
        with op.get_context().autocommit_block():
            op.execute("PRAGMA foreign_keys=ON")


def upgrade():
    with _foreign_keys_off_on_sqlite(), op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('team_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_reviews_team_id_teams'), 'teams', ['team_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_reviews_agent_id_agents'), 'agents', ['agent_id'], ['id'])
    op.execute(BACKFILL)
    # Indexes after the backfill: built once, not updated row by row.
    op.create_index('ix_reviews_agent_published', 'reviews', ['agent_id', 'published_at'], unique=False)
    op.create_index('ix_reviews_team_published', 'reviews', ['team_id', 'published_at'], unique=False)
    op.create_index('ix_coaching_notes_status_published', 'coaching_notes', ['status', 'published_at'], unique=False)

    merge_duplicate_open_disputes()
    op.create_index('uq_disputes_open_criterion', 'disputes', ['review_id', 'criterion_key'], unique=True,
                    **_only_open("criterion_key IS NOT NULL"))
    op.create_index('uq_disputes_open_review', 'disputes', ['review_id'], unique=True,
                    **_only_open("criterion_key IS NULL"))


def downgrade():
    op.drop_index('uq_disputes_open_review', table_name='disputes')
    op.drop_index('uq_disputes_open_criterion', table_name='disputes')
    op.drop_index('ix_coaching_notes_status_published', table_name='coaching_notes')
    op.drop_index('ix_reviews_team_published', table_name='reviews')
    op.drop_index('ix_reviews_agent_published', table_name='reviews')
    with _foreign_keys_off_on_sqlite(), op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reviews_agent_id_agents'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_reviews_team_id_teams'), type_='foreignkey')
        batch_op.drop_column('team_id')
        batch_op.drop_column('agent_id')
