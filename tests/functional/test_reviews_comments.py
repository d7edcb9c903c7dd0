"""Comments on single messages: the reviewer adds and deletes their own until publishing; each bubble shows its
comments (escaped) and a keyboard-reachable comment control; leads who may view the review read them; agents only
once published; the coaching draft quotes them under "Reviewer remarks"."""
from __future__ import annotations

from sqlalchemy import func, select

from qa_app.models import MessageComment, Review
from qa_app.services import comments
from tests.functional.test_reviews import FULL, HOSTILE, world  # noqa: F401  (world is a fixture)

EVIL_REMARK = 'Too curt </textarea><script>alert(3)</script> "quote\' breaking'


def _open(client, as_user, world):
    as_user(world["reviewer"])
    url = f"/reviews/assignment/{world['a1'].id}"
    assert client.get(url).status_code == 200
    return url


def _messages(world):
    return world["t"].messages  # customer 0, agent 1


def test_reviewer_comments_on_a_message_and_it_shows_under_the_bubble(client, as_user, world, session):
    url = _open(client, as_user, world)
    rv = session.scalar(select(Review).where(Review.assignment_id == world["a1"].id))
    agent_message = _messages(world)[1]
    page = client.get(url).get_data(as_text=True)
    # every bubble has a comment control that a keyboard reaches (<summary> is focusable) with a labelled field
    assert page.count('<details class="comment-control small">') == 2 and "<summary>comment</summary>" in page
    assert 'for="comment-body-1">Comment on message 2</label>' in page
    r = client.post(f"/reviews/{rv.id}/messages/{agent_message.id}/comments", data={"body": EVIL_REMARK})
    assert r.status_code == 302 and "#comment-" in r.headers["Location"]
    stored = session.scalar(select(MessageComment))
    assert stored.body == EVIL_REMARK.strip() and stored.message_id == agent_message.id
    page = client.get(url).get_data(as_text=True)
    assert "<script>alert(3)</script>" not in page and "&lt;script&gt;alert(3)&lt;/script&gt;" in page
    assert "&#34;quote&#39; breaking" in page
    block = page.split('data-position="1"')[1].split('data-position=')[0]
    assert f'id="comment-{stored.id}"' in block  # under the agent's bubble, not the customer's


def test_comment_errors_are_clear_and_write_nothing(client, as_user, world, session, make):
    _open(client, as_user, world)
    rv = session.scalar(select(Review).where(Review.assignment_id == world["a1"].id))
    elsewhere = make.transcript(world["agent"], external_id="T-OTHER").messages[0]
    r = client.post(f"/reviews/{rv.id}/messages/{elsewhere.id}/comments", data={"body": "hi"}, follow_redirects=True)
    assert f"Message {elsewhere.id} is not part of transcript T-1 (review {rv.id})." in r.get_data(as_text=True)
    r = client.post(f"/reviews/{rv.id}/messages/{_messages(world)[0].id}/comments", data={"body": "   "},
                    follow_redirects=True)
    assert "Write something before adding a comment." in r.get_data(as_text=True)
    r = client.post(f"/reviews/{rv.id}/messages/{_messages(world)[0].id}/comments", data={"body": "x" * 2001},
                    follow_redirects=True)
    assert "2000" in r.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(MessageComment)) == 0
    assert client.post(f"/reviews/999999/messages/{_messages(world)[0].id}/comments",
                       data={"body": "x"}).status_code == 404


def test_only_the_reviewer_adds_and_deletes_their_own(client, as_user, world, session):
    _open(client, as_user, world)
    rv = session.scalar(select(Review).where(Review.assignment_id == world["a1"].id))
    client.post(f"/reviews/{rv.id}/messages/{_messages(world)[1].id}/comments", data={"body": "Mine"})
    comment = session.scalar(select(MessageComment))
    for user in (world["other_reviewer"], world["lead"], world["agent_user"]):
        as_user(user)
        assert client.post(f"/reviews/{rv.id}/messages/{_messages(world)[1].id}/comments",
                           data={"body": "not mine"}).status_code == 403
        assert client.post(f"/reviews/comments/{comment.id}/delete").status_code == 403
    as_user(world["reviewer"])
    assert client.post(f"/reviews/comments/{comment.id}/delete").status_code == 302
    assert session.scalar(select(func.count()).select_from(MessageComment)) == 0


def test_remarks_reach_the_coaching_draft_and_are_frozen_after_publishing(client, as_user, world, session):
    url = _open(client, as_user, world)
    rv = session.scalar(select(Review).where(Review.assignment_id == world["a1"].id))
    client.post(f"/reviews/{rv.id}/messages/{_messages(world)[1].id}/comments",
                data={"body": "Acknowledge the refund worry first."})
    client.post(url, data={**FULL, "submit": "1"})
    session.expire_all()
    body = session.get(Review, rv.id).note.body
    remarks = body.split("Reviewer remarks\n")[1]
    assert remarks.startswith('- Message 2 (agent): "Calm down. <script>alert(1)</script>')
    assert "  Acknowledge the refund worry first." in remarks
    # the coaching page (plain text, escaped) lists them too
    page = client.get(f"/reviews/{rv.id}/coaching").get_data(as_text=True)
    assert "Acknowledge the refund worry first." in page and "<script>alert(1)" not in page
    # a submitted review still takes comments; a published one does not
    client.post(f"/reviews/{rv.id}/messages/{_messages(world)[0].id}/comments", data={"body": "Late remark"})
    assert session.scalar(select(func.count()).select_from(MessageComment)) == 2
    client.post(f"/reviews/{rv.id}/coaching", data={"body": "Well done.", "publish": "1"})
    r = client.post(f"/reviews/{rv.id}/messages/{_messages(world)[0].id}/comments", data={"body": "Too late"},
                    follow_redirects=True)
    assert "is published; its message comments can no longer change" in r.get_data(as_text=True)
    first = session.scalar(select(MessageComment).order_by(MessageComment.id))
    r = client.post(f"/reviews/comments/{first.id}/delete", follow_redirects=True)
    assert "can no longer change" in r.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(MessageComment)) == 2
    page = client.get(url).get_data(as_text=True)
    assert "Acknowledge the refund worry first." in page and "comment-control" not in page  # read-only now


def test_who_reads_comments(client, as_user, world, session):
    url = _open(client, as_user, world)
    rv = session.scalar(select(Review).where(Review.assignment_id == world["a1"].id))
    client.post(f"/reviews/{rv.id}/messages/{_messages(world)[1].id}/comments", data={"body": "Remark for the lead"})
    session.expire_all()
    rv = session.get(Review, rv.id)
    # a draft: only its reviewer
    assert comments.visible_to(session, world["reviewer"], rv)
    for user in (world["lead"], world["other_reviewer"], world["agent_user"]):
        assert comments.visible_to(session, user, rv) == []
    client.post(url, data={**FULL, "submit": "1"})
    session.expire_all()
    rv = session.get(Review, rv.id)
    as_user(world["lead"])  # the team's lead may view the submitted review, comments included
    assert "Remark for the lead" in client.get(url).get_data(as_text=True)
    assert [r.body for r in comments.visible_to(session, world["lead"], rv)] == ["Remark for the lead"]
    assert comments.visible_to(session, world["other_lead"], rv) == []
    assert comments.visible_to(session, world["agent_user"], rv) == []  # not published yet
    as_user(world["reviewer"])
    client.post(f"/reviews/{rv.id}/coaching", data={"body": "Well done.", "publish": "1"})
    session.expire_all()
    rv = session.get(Review, rv.id)
    remarks = comments.visible_to(session, world["agent_user"], rv)
    assert [(r.position, r.role, r.body) for r in remarks] == [(1, "agent", "Remark for the lead")]
    assert comments.visible_to(session, world["other_agent_user"], rv) == []
    assert comments.comments_for_review(session, rv) == remarks
