"""window copies for flag dashboards

flags.started_at and transcript_analyses.started_at: copies of the transcript's start, indexed, so flag trends read
only the date window's flags and analyses instead of hash-joining all of them to transcripts.
review_flag_verdicts.rule, category (the flag's, which never changes) and published_at (the review's, once
published), indexed, so the confirmation rate reads only the window's verdicts and no flags.
Existing rows are backfilled from the transcript, the flag and the review.

Only columns are added to flags, transcript_analyses and reviews' children: no table that others reference is
rebuilt (on SQLite a rebuild of flags would cascade-delete its verdicts). review_flag_verdicts, which nothing
references, is rebuilt on SQLite to make rule and category NOT NULL after the backfill.

Revision ID: b4b4967d504a
Revises: c3d3e7c10f41
Create Date: 2026-11-28 11:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4b4967d504a'
down_revision = 'c3d3e7c10f41'
branch_labels = None
depends_on = None


def _from(table: str, column: str, key: str, where: str = "") -> str:
    return f"(SELECT x.{column} FROM {table} x WHERE x.id = {key}{where})"


PUBLISHED = " AND x.status = 'published'"
BACKFILLS = (
    f"UPDATE flags SET started_at = {_from('transcripts', 'started_at', 'flags.transcript_id')}",
    f"UPDATE transcript_analyses SET started_at = "
    f"{_from('transcripts', 'started_at', 'transcript_analyses.transcript_id')}",
    f"UPDATE review_flag_verdicts SET rule = {_from('flags', 'rule', 'review_flag_verdicts.flag_id')}, "
    f"category = {_from('flags', 'category', 'review_flag_verdicts.flag_id')}, "
    f"published_at = {_from('reviews', 'published_at', 'review_flag_verdicts.review_id', PUBLISHED)}",
)


def upgrade():
    op.add_column('flags', sa.Column('started_at', sa.DateTime(), nullable=True))
    op.add_column('transcript_analyses', sa.Column('started_at', sa.DateTime(), nullable=True))
    op.add_column('review_flag_verdicts', sa.Column('rule', sa.String(length=80), nullable=True))
    op.add_column('review_flag_verdicts', sa.Column('category', sa.String(length=32), nullable=True))
    op.add_column('review_flag_verdicts', sa.Column('published_at', sa.DateTime(), nullable=True))
    for statement in BACKFILLS:
        op.execute(statement)
    with op.batch_alter_table('review_flag_verdicts', schema=None) as batch_op:
        batch_op.alter_column('rule', existing_type=sa.String(length=80), nullable=False)
        batch_op.alter_column('category', existing_type=sa.String(length=32), nullable=False)
    # Indexes after the backfill: built once, not updated row by row.
    op.create_index(op.f('ix_flags_started_at'), 'flags', ['started_at'], unique=False)
    op.create_index(op.f('ix_transcript_analyses_started_at'), 'transcript_analyses', ['started_at'], unique=False)
    op.create_index(op.f('ix_review_flag_verdicts_published_at'), 'review_flag_verdicts', ['published_at'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_review_flag_verdicts_published_at'), table_name='review_flag_verdicts')
    op.drop_index(op.f('ix_transcript_analyses_started_at'), table_name='transcript_analyses')
    op.drop_index(op.f('ix_flags_started_at'), table_name='flags')
    with op.batch_alter_table('review_flag_verdicts', schema=None) as batch_op:
        batch_op.drop_column('published_at')
        batch_op.drop_column('category')
        batch_op.drop_column('rule')
    # SQLite drops a column in place (3.35+) when nothing else refers to it; no rebuild of the referenced tables.
    op.drop_column('transcript_analyses', 'started_at')
    op.drop_column('flags', 'started_at')
