"""flask qa repair-reviews"""
from __future__ import annotations

import click

from qa_app.cli import qa_cli
from qa_app.extensions import db
from qa_app.services import revisions


@qa_cli.command("repair-reviews")
def repair_reviews() -> None:
    """Give reviews published before revisions and dashboard rollups existed (databases from before migration
    7bfa48350d91) their revision 1 and criterion_scores rows. Safe to run again: it only fills what is missing."""
    report = revisions.repair_published(db.session)
    db.session.commit()
    click.echo(f"Reviews repaired: {report.snapshots} given revision 1, {report.rollups} given criterion rollups.")
