"""Races on one assignment end in exactly one review: two submits of the same draft (a double click, two tabs),
two first opens of a new assignment, and a second reviewer posting to someone else's assignment.

Real concurrency, not the in-process test client: separate SQLAlchemy sessions on separate connections racing in
threads, and a real threaded WSGI server (werkzeug) driven by HTTP clients in threads. Runs on the test database
(a SQLite file, or PostgreSQL with TEST_DATABASE_URL).
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from qa_app.models import Assignment, CoachingNote, Review, SamplingPlan, User
from qa_app.services import reviews, rubrics
from tests.factories import PASSWORD

ANSWERS = {"greeting_and_closing": "1", "respectful_tone": "0", "correct_answer": "2", "timely": "na",
           "data_protected": "1"}
FORM = {f"answer-{k}": v for k, v in ANSWERS.items()}


@pytest.fixture()
def desk(make, session):
    """Two reviewers of Billing and one agent's transcripts, each assigned to the first reviewer."""
    rubrics.sync_rubrics(session)
    version = rubrics.get_by_key(session, "quick-check").latest
    reviewer, other = make.user("reviewer", teams=["Billing"]), make.user("reviewer", teams=["Billing"])
    agent = make.agent(name="Ana Ruiz", team="Billing")
    plan = SamplingPlan(name="Race", strategy="random", strategy_config={}, population={})
    session.add(plan)
    session.flush()
    assignments = []
    for _ in range(6):
        t = make.transcript(agent)
        assignments.append(Assignment(transcript_id=t.id, reviewer_id=reviewer.id, plan_id=plan.id,
                                      rubric_version_id=version.id))
    session.add_all(assignments)
    session.commit()
    return dict(reviewer_id=reviewer.id, other_id=other.id, reviewer=reviewer, other=other,
                assignment_ids=[a.id for a in assignments])


def race(engine, n: int, step: Callable[[Session, threading.Barrier], object]) -> list[object]:
    """Run step in n threads, each on its own session and connection; returns each result or exception."""
    barrier = threading.Barrier(n, timeout=30)
    results: list[object] = [None] * n

    def run(i: int) -> None:
        with Session(engine, expire_on_commit=False) as s:
            try:
                results[i] = step(s, barrier)
                s.commit()
            except Exception as exc:  # noqa: BLE001 - the test inspects what each racer got
                s.rollback()
                results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def counts(session, assignment_id: int) -> tuple[int, int]:
    session.expire_all()
    n_reviews = session.scalar(select(func.count()).select_from(Review).where(Review.assignment_id == assignment_id))
    n_notes = session.scalar(select(func.count()).select_from(CoachingNote).join(Review)
                             .where(Review.assignment_id == assignment_id))
    return n_reviews, n_notes


def test_two_sessions_submitting_one_draft_store_one_review(db, session, desk):
    aid = desk["assignment_ids"][0]
    reviewer = session.get(User, desk["reviewer_id"])
    reviews.open_draft(session, reviewer, session.get(Assignment, aid))
    session.commit()

    def submit(s: Session, barrier: threading.Barrier):
        user = s.get(User, desk["reviewer_id"])
        rv = s.scalar(select(Review).where(Review.assignment_id == aid))
        assert rv.status == "draft"  # both racers saw the draft before either submitted
        barrier.wait()
        return reviews.submit(s, user, rv, ANSWERS).id

    results = race(db.engine, 2, submit)
    won = [r for r in results if isinstance(r, int)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], reviews.AlreadySubmitted), repr(lost[0])
    assert counts(session, aid) == (1, 1)
    rv = session.scalar(select(Review).where(Review.assignment_id == aid))
    assert rv.status == "submitted" and session.get(Assignment, aid).status == "done"


def test_the_unique_assignment_id_refuses_a_second_review_row(db, session, desk):
    """The database itself is the last guard: two sessions inserting a draft for one assignment, one wins."""
    aid = desk["assignment_ids"][1]

    def open_(s: Session, barrier: threading.Barrier):
        user, a = s.get(User, desk["reviewer_id"]), s.get(Assignment, aid)
        barrier.wait()
        return reviews.open_draft(s, user, a).id

    results = race(db.engine, 2, open_)
    assert sum(isinstance(r, int) for r in results) >= 1
    assert counts(session, aid) == (1, 0)


# --- the same races over HTTP against a real threaded server ---------------------------------------------------

@pytest.fixture()
def live_url(app, db):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


def signed_in(base: str, user: User) -> requests.Session:
    http = requests.Session()
    page = http.get(f"{base}/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"email": user.email, "password": PASSWORD, **({"csrf_token": token.group(1)} if token else {})}
    response = http.post(f"{base}/login", data=data, allow_redirects=False)
    assert response.status_code == 302, f"login as {user.email} failed: {response.status_code}"
    return http


def clone(http: requests.Session) -> requests.Session:
    """A second browser tab: the same signed-in cookies, its own connection."""
    twin = requests.Session()
    twin.cookies.update(http.cookies)
    return twin


def fire_together(calls: list[Callable[[], requests.Response]]) -> list[requests.Response]:
    barrier = threading.Barrier(len(calls), timeout=30)
    out: list[requests.Response | BaseException] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            out[i] = calls[i]()
        except BaseException as exc:  # noqa: BLE001
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(isinstance(r, requests.Response) for r in out), out
    return out


def test_double_clicked_submit_over_http_stores_one_review_and_answers_both(live_url, session, desk):
    http = signed_in(live_url, desk["reviewer"])
    for aid in desk["assignment_ids"][:4]:
        url = f"{live_url}/reviews/assignment/{aid}"
        assert http.get(url).status_code == 200  # opens the draft
        tabs = [http, clone(http)]
        responses = fire_together([lambda h=h: h.post(url, data={**FORM, "submit": "1"}, allow_redirects=False)
                                   for h in tabs])
        assert sorted(r.status_code for r in responses) == [302, 302], [r.status_code for r in responses]
        assert counts(session, aid) == (1, 1)
        assert session.get(Assignment, aid).status == "done"
    # the loser (or any later submit) is told plainly; nothing changes
    again = http.post(url, data={**FORM, "submit": "1"})
    assert again.status_code == 200 and "already submitted; nothing was changed" in again.text


def test_two_tabs_opening_a_new_assignment_together_share_one_draft(live_url, session, desk):
    http = signed_in(live_url, desk["reviewer"])
    for aid in desk["assignment_ids"][4:]:
        url = f"{live_url}/reviews/assignment/{aid}"
        responses = fire_together([lambda h=h: h.get(url, allow_redirects=False) for h in (http, clone(http),
                                                                                             clone(http))])
        assert [r.status_code for r in responses] == [200, 200, 200]
        assert counts(session, aid) == (1, 0)


def test_a_second_reviewer_racing_the_assignee_changes_nothing(live_url, session, desk):
    aid = desk["assignment_ids"][0]
    url = f"{live_url}/reviews/assignment/{aid}"
    mine, theirs = signed_in(live_url, desk["reviewer"]), signed_in(live_url, desk["other"])
    assert mine.get(url).status_code == 200
    responses = fire_together([lambda: mine.post(url, data={**FORM, "submit": "1"}, allow_redirects=False),
                               lambda: theirs.post(url, data={**FORM, "submit": "1"}, allow_redirects=False)])
    assert responses[0].status_code == 302 and responses[1].status_code == 403
    assert counts(session, aid) == (1, 1)
    assert session.scalar(select(Review.reviewer_id).where(Review.assignment_id == aid)) == desk["reviewer_id"]


def test_reassign_racing_a_submit_leaves_one_consistent_outcome(db, session, desk):
    """A lead reassigns while the reviewer submits: either the review is submitted and the assignment stays the
    reviewer's (the reassignment is refused), or it moved and the submit is refused; never done-by-one,
    credited-to-another."""
    from qa_app.services import assignment as assignments

    aid = desk["assignment_ids"][1]
    reviews.open_draft(session, session.get(User, desk["reviewer_id"]), session.get(Assignment, aid))
    session.commit()

    def step(s: Session, barrier: threading.Barrier, who: str):
        row = s.get(Assignment, aid)
        rv = s.scalar(select(Review).where(Review.assignment_id == aid))
        assert row.status == "open" and rv.status == "draft"
        barrier.wait()
        if who == "lead":
            return assignments.reassign(s, row, s.get(User, desk["other_id"])).reviewer_id
        return reviews.submit(s, s.get(User, desk["reviewer_id"]), rv, ANSWERS).id

    roles = iter(["lead", "reviewer"])
    lock = threading.Lock()

    def racer(s: Session, barrier: threading.Barrier):
        with lock:
            who = next(roles)
        return step(s, barrier, who)

    results = race(db.engine, 2, racer)
    assert sum(isinstance(r, Exception) for r in results) == 1, results
    session.expire_all()
    row = session.get(Assignment, aid)
    stored = session.scalars(select(Review).where(Review.assignment_id == aid)).all()
    if row.reviewer_id == desk["reviewer_id"]:
        assert row.status == "done" and [r.status for r in stored] == ["submitted"]
    else:
        assert row.status == "open" and stored == []  # the old reviewer's draft left with the reassignment


def test_reassigning_hands_over_without_the_previous_draft(session, desk):
    from qa_app.services import assignment as assignments

    aid = desk["assignment_ids"][2]
    reviews.open_draft(session, session.get(User, desk["reviewer_id"]), session.get(Assignment, aid))
    row = assignments.reassign(session, session.get(Assignment, aid), session.get(User, desk["other_id"]))
    fresh = reviews.open_draft(session, session.get(User, desk["other_id"]), row)
    assert fresh.reviewer_id == desk["other_id"] and fresh.status == "draft"


@pytest.fixture()
def agents_review(make, session, desk):
    """A published review of an agent with a login (Billing)."""
    from tests.factories import published_review

    agent_user = make.user("agent")
    agent = make.agent(name="Dee Lopez", team="Billing", user=agent_user)
    version = rubrics.get_by_key(session, "quick-check").latest
    review = published_review(session, desk["reviewer"], make.transcript(agent), version,
                              {k: v if v == "na" else int(v) for k, v in ANSWERS.items()})
    return dict(review=review, review_id=review.id, agent_user=agent_user, agent_user_id=agent_user.id)


@pytest.fixture()
def disputed(make, session, agents_review):
    """That review disputed on one criterion, and two leads of the team."""
    from qa_app.services import disputes

    review = agents_review["review"]
    dispute = disputes.raise_dispute(session, agents_review["agent_user"], review, "respectful_tone", "I was polite")
    leads = [make.user("lead", teams=["Billing"]) for _ in range(2)]
    session.commit()
    return dict(review_id=review.id, dispute_id=dispute.id, lead_ids=[u.id for u in leads])


def test_two_leads_deciding_one_dispute_at_once_record_one_outcome(db, session, disputed):
    from qa_app.models import AuditEvent, Dispute, ReviewRevision
    from qa_app.services import disputes

    outcomes = iter(["uphold", "change"])
    lock = threading.Lock()

    def decide(s: Session, barrier: threading.Barrier):
        with lock:
            outcome = next(outcomes)
            lead_id = disputed["lead_ids"][0 if outcome == "uphold" else 1]
        dispute = s.get(Dispute, disputed["dispute_id"])
        lead = s.get(User, lead_id)
        assert dispute.status == "open"
        barrier.wait()
        return disputes.resolve(s, lead, dispute, outcome, "decided", changes={"respectful_tone": "1"}).status

    results = race(db.engine, 2, decide)
    assert sum(isinstance(r, Exception) for r in results) == 1, results
    session.expire_all()
    dispute = session.get(Dispute, disputed["dispute_id"])
    assert dispute.status in ("upheld", "changed") and [r for r in results if isinstance(r, str)] == [dispute.status]
    resolved = session.scalars(select(AuditEvent).where(AuditEvent.action == "dispute.resolved")).all()
    revisions_made = session.scalars(select(ReviewRevision).where(
        ReviewRevision.review_id == disputed["review_id"], ReviewRevision.source == "dispute")).all()
    assert len(resolved) == 1 and len(revisions_made) == (1 if dispute.status == "changed" else 0)


def test_two_corrections_at_once_make_one_revision(db, session, disputed):
    from qa_app.models import ReviewRevision
    from qa_app.services import revisions
    from qa_app.models import Dispute
    from qa_app.services import disputes

    # Corrections wait while a dispute is open; decide it first.
    disputes.uphold(session, session.get(User, disputed["lead_ids"][1]), session.get(Dispute, disputed["dispute_id"]),
                    "stands")
    session.commit()

    def correct(s: Session, barrier: threading.Barrier):
        review = s.get(Review, disputed["review_id"])
        lead = s.get(User, disputed["lead_ids"][0])
        seen = review.revision
        barrier.wait()
        return revisions.revise_review(s, lead, review, {"correct_answer": "1"}, f"fix after {seen}").number

    results = race(db.engine, 2, correct)
    assert sum(isinstance(r, Exception) for r in results) == 1, results
    assert all(not isinstance(r, Exception) or "meanwhile" in str(r) for r in results), results
    session.expire_all()
    numbers = session.scalars(select(ReviewRevision.number).where(
        ReviewRevision.review_id == disputed["review_id"]).order_by(ReviewRevision.number)).all()
    assert numbers == [1, 2] and session.get(Review, disputed["review_id"]).revision == 2


# --- one open dispute per review and criterion --------------------------------------------------------------

def _open_disputes(session, review_id: int, criterion_key: str | None) -> int:
    from qa_app.models import Dispute

    session.expire_all()
    key = Dispute.criterion_key.is_(None) if criterion_key is None else Dispute.criterion_key == criterion_key
    return session.scalar(select(func.count()).select_from(Dispute)
                          .where(Dispute.review_id == review_id, key, Dispute.status == "open"))


@pytest.mark.parametrize("criterion_key", ["timely", None])
def test_two_sessions_raising_one_dispute_at_once_store_one(db, session, agents_review, criterion_key):
    """Both racers pass the service's "already disputed?" read before either inserts (they meet at the barrier
    in their first flush); the partial unique index refuses the second insert, which gets the same answer as a
    later click, and its session stays usable (it then disputes another criterion)."""
    from sqlalchemy import event

    from qa_app.models import AuditEvent, Dispute
    from qa_app.services import disputes
    from qa_app.services.errors import ServiceError

    def dispute(s: Session, barrier: threading.Barrier):
        waited = []

        @event.listens_for(s, "before_flush")
        def meet(*_):
            if not waited:
                waited.append(True)
                barrier.wait()

        user, review = s.get(User, agents_review["agent_user_id"]), s.get(Review, agents_review["review_id"])
        try:
            return disputes.raise_dispute(s, user, review, criterion_key, "Not fair").id
        except ServiceError as exc:
            other = disputes.raise_dispute(s, user, review, "correct_answer", "Also this").id
            return exc, other

    results = race(db.engine, 2, dispute)
    won = [r for r in results if isinstance(r, int)]
    lost = [r for r in results if isinstance(r, tuple)]
    assert len(won) == 1 and len(lost) == 1, results
    assert "already have an open dispute" in str(lost[0][0]), results
    review_id = agents_review["review_id"]
    assert _open_disputes(session, review_id, criterion_key) == 1
    assert _open_disputes(session, review_id, "correct_answer") == 1  # the loser's session carried on
    raised = session.scalars(select(AuditEvent.target_id).where(AuditEvent.action == "dispute.raised")).all()
    stored = session.scalars(select(Dispute.id).where(Dispute.review_id == review_id)).all()
    assert sorted(raised) == sorted(str(i) for i in stored) == sorted(str(i) for i in (won[0], lost[0][1]))


def test_double_clicked_dispute_over_http_opens_one(live_url, session, agents_review):
    http = signed_in(live_url, agents_review["agent_user"])
    url = f"{live_url}/me/reviews/{agents_review['review_id']}/disputes"
    for criterion in ("respectful_tone", ""):
        responses = fire_together([lambda h=h: h.post(url, data={"criterion": criterion, "reason": "Not fair"},
                                                      allow_redirects=False) for h in (http, clone(http))])
        assert sorted(r.status_code for r in responses) == [302, 400], [r.status_code for r in responses]
        refused = next(r for r in responses if r.status_code == 400)
        assert "already have an open dispute" in refused.text
        assert _open_disputes(session, agents_review["review_id"], criterion or None) == 1
