"""services/comments.py: add and delete one's own remark while the review is open, only on messages of the
reviewed transcript, grouped per message in conversation order, readable by whom the rules say."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qa_app.models import MessageComment
from qa_app.services import coaching, comments, reviews
from qa_app.services.errors import ServiceError
from tests.unit.test_revisions import build_review

TEXTS = [("customer", "My parcel is lost!!"), ("agent", "Calm down.\nIt will   turn up."), ("customer", "Fine.")]


def test_add_list_group_and_delete(session, make):
    rv = build_review(session, make, publish=False, texts=TEXTS)
    m = rv.transcript.messages
    later = comments.add(session, rv.reviewer, rv, m[2].id, "  Customer gave up  ")
    first = comments.add(session, rv.reviewer, rv, m[1].id, "Dismissive opener")
    second = comments.add(session, rv.reviewer, rv, m[1].id, "No next step")
    remarks = comments.comments_for_review(session, rv)
    assert [(r.position, r.body) for r in remarks] == [
        (1, "Dismissive opener"), (1, "No next step"), (2, "Customer gave up")]  # conversation order
    assert remarks[0].role == "agent" and remarks[0].author_email == rv.reviewer.email
    assert remarks[0].quote() == "Calm down. It will turn up."  # one line, for quoting
    assert {p: [r.id for r in rs] for p, rs in comments.by_position(remarks).items()} == {
        1: [first.id, second.id], 2: [later.id]}
    comments.delete(session, rv.reviewer, first)
    assert [r.body for r in comments.comments_for_review(session, rv)] == ["No next step", "Customer gave up"]


def test_the_message_must_belong_to_the_reviewed_transcript(session, make):
    rv = build_review(session, make, publish=False)
    other = make.transcript(make.agent(), external_id="T-ELSEWHERE")
    with pytest.raises(ServiceError, match=rf"Message {other.messages[0].id} is not part of transcript "
                                           rf"{rv.transcript.external_id} \(review {rv.id}\)"):
        comments.add(session, rv.reviewer, rv, other.messages[0].id, "wrong chat")
    with pytest.raises(ServiceError, match="is not part of transcript"):
        comments.add(session, rv.reviewer, rv, 987654321, "no such message")
    assert session.scalar(select(func.count()).select_from(MessageComment)) == 0


@pytest.mark.parametrize("body, message", [("", "write something"), ("  \n ", "write something"),
                                           ("x" * 2001, "at most 2000 characters")])
def test_the_body_is_checked(session, make, body, message):
    rv = build_review(session, make, publish=False)
    with pytest.raises(ServiceError, match=message):
        comments.add(session, rv.reviewer, rv, rv.transcript.messages[0].id, body)


def test_only_the_reviewer_and_only_until_published(session, make):
    rv = build_review(session, make, publish=False)
    message_id = rv.transcript.messages[1].id
    stranger, lead = make.user("reviewer"), make.user("admin")
    for user in (stranger, lead):
        with pytest.raises(ServiceError, match="Only the reviewer"):
            comments.add(session, user, rv, message_id, "hi")
    mine = comments.add(session, rv.reviewer, rv, message_id, "mine")
    with pytest.raises(ServiceError, match="Only the reviewer"):
        comments.delete(session, stranger, mine)
    coaching.publish(session, rv.reviewer, rv.note)
    with pytest.raises(ServiceError, match="is published"):
        comments.add(session, rv.reviewer, rv, message_id, "late")
    with pytest.raises(ServiceError, match="is published"):
        comments.delete(session, rv.reviewer, mine)
    assert [r.body for r in comments.comments_for_review(session, rv)] == ["mine"]


def test_who_may_read(session, make):
    rv = build_review(session, make, publish=False)
    team = rv.transcript.team.name
    agent_user = make.user("agent")
    rv.transcript.agent.user_id = agent_user.id
    lead, other_lead, admin = make.user("lead", teams=[team]), make.user("lead", teams=["Other"]), make.user("admin")
    comments.add(session, rv.reviewer, rv, rv.transcript.messages[1].id, "remark")
    readers = lambda: {u.email for u in (rv.reviewer, lead, other_lead, admin, agent_user)  # noqa: E731
                       if comments.visible_to(session, u, rv)}
    assert readers() == {rv.reviewer.email, lead.email, admin.email}  # submitted, not published
    coaching.publish(session, rv.reviewer, rv.note)
    assert readers() == {rv.reviewer.email, lead.email, admin.email, agent_user.email}


def test_a_draft_is_private_to_its_reviewer(session, make):
    rv = build_review(session, make, publish=False)
    draft = reviews.open_draft(session, rv.reviewer, rv.assignment)  # the same (submitted) review
    assert draft is rv
    assert comments.may_read(make.user("admin"), rv) is True
    rv.status = "draft"
    assert comments.may_read(make.user("admin"), rv) is False and comments.may_read(rv.reviewer, rv) is True
