"""verdicts outlive replaced flags

review_flag_verdicts.flag_id becomes nullable with ON DELETE SET NULL (was CASCADE): a re-analysis (a new policy
pack or analyzer) replaces a chat's flags, and a published review's verdicts on them used to vanish with them,
silently changing past confirmation rates. They now stay, detached, with the rule, category and date copied onto
them by b4b4967d504a; services.analysis deletes the verdicts of reviews not yet published itself.

On SQLite the foreign key changes by rebuilding review_flag_verdicts, which no table references (nothing cascades).

Revision ID: 5a43dbae329e
Revises: 5e0b1d2c7a93
Create Date: 2026-11-28 12:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a43dbae329e'
down_revision = '5e0b1d2c7a93'
branch_labels = None
depends_on = None

FK = 'fk_review_flag_verdicts_flag_id_flags'


def upgrade():
    with op.batch_alter_table('review_flag_verdicts', schema=None) as batch_op:
        batch_op.drop_constraint(FK, type_='foreignkey')
        batch_op.alter_column('flag_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(FK, 'flags', ['flag_id'], ['id'], ondelete='SET NULL')


def downgrade():
    # Detached verdicts cannot point at a flag again: they go, as CASCADE would have deleted them.
    op.execute("DELETE FROM review_flag_verdicts WHERE flag_id IS NULL")
    with op.batch_alter_table('review_flag_verdicts', schema=None) as batch_op:
        batch_op.drop_constraint(FK, type_='foreignkey')
        batch_op.alter_column('flag_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(FK, 'flags', ['flag_id'], ['id'], ondelete='CASCADE')
