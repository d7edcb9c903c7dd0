"""The real Twitter customer-care sample (../shared/data) imports completely."""
from __future__ import annotations

from sqlalchemy import func, select

from qa_app.models import Agent, Message, Team, Transcript
from qa_app.services.importing import import_file
from tests.conftest import shared_file


def test_twitter_dev_set_imports(session):
    path = shared_file("twitter-customer-care/dev.jsonl")
    report = import_file(session, path, commit=session.commit, batch_size=100)
    assert report.rejected == []
    assert (report.created, report.messages) == (525, 1211)

    def count(model):
        return session.scalar(select(func.count()).select_from(model))

    assert (count(Transcript), count(Message), count(Agent), count(Team)) == (525, 1211, 101, 24)
    assert set(session.scalars(select(Transcript.source))) == {"twitter"}
    assert session.scalar(select(func.count()).select_from(Message).where(Message.sent_at.is_(None))) == 1211 - 686
    again = import_file(session, path)
    assert (again.created, again.unchanged) == (0, 525)
