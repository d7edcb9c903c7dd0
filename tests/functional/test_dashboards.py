"""Team-lead dashboards: numbers equal the scoring engine's on a hand-built set (N/A answers and a critical failure
included), period change, pass rate, confirmation rate, operational numbers, CSV = table, drill-down = the reviews
behind the number, scoping (other team's lead, reviewer, agent)."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from qa_app.models import Dispute, Flag, Review, ReviewFlagVerdict, TranscriptAnalysis
from qa_app.services import analysis, coaching, reviews, revisions, rubrics, scoring
from qa_app.services.dashboards import flags, followthrough, quality, reviewers
from qa_app.services.dashboards.params import parse_filters
from qa_app.services.dashboards.scope import Scope, scope_for
from tests import factories

WEEK1, WEEK2 = datetime(2026, 3, 3, 12, 0), datetime(2026, 3, 10, 12, 0)  # Tuesdays: weeks of 2 and 9 March
RANGE = {"from": "2026-03-02", "to": "2026-03-15"}
GOOD = {"greeting_and_closing": 1, "respectful_tone": 1, "correct_answer": 3, "timely": 1, "data_protected": 1}
# Each: (agent key, week, answers). "na" is N/A; data_protected 0 is a critical failure (overall 0, fails).
PLAN = [
    ("ana", WEEK1, GOOD),
    ("ana", WEEK1, {**GOOD, "respectful_tone": 0, "timely": "na"}),
    ("bo", WEEK1, {**GOOD, "data_protected": 0}),
    ("ana", WEEK2, {**GOOD, "correct_answer": 2, "timely": "na"}),
    ("bo", WEEK2, {**GOOD, "greeting_and_closing": 0}),
    ("cy", WEEK1, {**GOOD, "correct_answer": 1}),
]


def engine(document, answers):
    """The scoring engine's result for stored answers (N/A as None)."""
    return scoring.score_document(document, {k: None if v == "na" else v for k, v in answers.items()})


def publish_review(session, reviewer, transcript, version, answers, when, verdicts=()):
    review = factories.published_review(session, reviewer, transcript, version,
                                        {k: str(v) for k, v in answers.items()}, publish=False)
    for flag_id, verdict in verdicts:
        reviews.set_verdict(session, reviewer, review, flag_id, verdict)
    coaching.publish(session, reviewer, review.note)
    review.published_at = review.note.published_at = when
    review.created_at, review.submitted_at = when - timedelta(minutes=10), when - timedelta(minutes=5)
    revisions.write_rollup(session, review)
    session.commit()
    return review


@pytest.fixture()
def dash_world(make, session):
    rubrics.sync_rubrics(session)
    version = rubrics.get_by_key(session, "quick-check").latest
    reviewer = make.user("reviewer")
    other_reviewer = make.user("reviewer")
    lead = make.user("lead", teams=["Billing"])
    shipping_lead = make.user("lead", teams=["Shipping"])
    admin = make.user("admin")
    agent_user = make.user("agent")
    agents = {"ana": make.agent(name="Ana Ruiz", team="Billing", user=agent_user),
              "bo": make.agent(name="Bo Berg", team="Billing"),
              "cy": make.agent(name="Cy Chen", team="Shipping")}
    made = []
    for i, (who, when, answers) in enumerate(PLAN):
        t = make.transcript(agents[who], external_id=f"D-{i}", started_at=when - timedelta(hours=2))
        # started_at: the copies that services.analysis writes with every analysis and flag
        stored = TranscriptAnalysis(transcript_id=t.id, analyzer_version="1", policy_version="p", flag_count=1,
                                    max_severity=3, started_at=t.started_at)
        stored.flags = [Flag(transcript_id=t.id, rule="tone.rude", category="tone", severity="high",
                             message_index=1, start=0, end=2, evidence="Hi", explanation="x",
                             started_at=t.started_at)]
        session.add(stored)
        session.commit()
        verdict = "confirmed" if i % 2 == 0 else "dismissed"
        made.append(publish_review(session, reviewer if i != 3 else other_reviewer, t, version, answers, when,
                                   [(stored.flags[0].id, verdict)]))
    return dict(version=version, document=version.document, reviewer=reviewer, other_reviewer=other_reviewer,
                lead=lead, shipping_lead=shipping_lead, admin=admin, agent_user=agent_user, agents=agents,
                reviews=made)


def filters(**extra):
    return parse_filters({**RANGE, **extra})


def expected(world, pick):
    """(mean overall, passed count, n) of the plan entries `pick` selects, from the scoring engine."""
    results = [engine(world["document"], answers) for i, (who, when, answers) in enumerate(PLAN) if pick(who, when)]
    return (sum(r.overall for r in results) / len(results), sum(1 for r in results if r.passed), len(results))


def test_org_and_team_scores_equal_the_scoring_engine(session, dash_world):
    rows = quality.scores(session, Scope(teams=None), filters(), "org")
    assert [r.period for r in rows] == ["2026-03-02", "2026-03-09"]
    for row, week in zip(rows, (WEEK1, WEEK2)):
        mean, passed, n = expected(dash_world, lambda who, when: when == week)
        assert row.reviews == n and row.score == pytest.approx(mean) and row.passed == passed
        assert row.pass_rate == pytest.approx(passed / n)
    assert rows[0].change is None  # nothing the week before
    assert rows[1].change == pytest.approx(rows[1].score - rows[0].score)

    teams = {(r.group, r.period): r for r in quality.scores(session, Scope(teams=None), filters(), "team")}
    mean, passed, n = expected(dash_world, lambda who, when: who in ("ana", "bo") and when == WEEK1)
    billing = teams[("Billing", "2026-03-02")]
    assert billing.score == pytest.approx(mean) and billing.reviews == n
    assert teams[("Shipping", "2026-03-02")].score == pytest.approx(expected(dash_world, lambda w, t: w == "cy")[0])


def test_agent_scores_include_the_critical_failure_as_zero(session, dash_world):
    rows = {(r.group, r.period): r for r in quality.scores(session, Scope(teams=None), filters(), "agent")}
    bo = rows[("Bo Berg", "2026-03-02")]
    assert bo.score == 0.0 and bo.passed == 0 and bo.pass_rate == 0.0
    ana = rows[("Ana Ruiz", "2026-03-02")]
    mean, passed, n = expected(dash_world, lambda who, when: who == "ana" and when == WEEK1)
    assert (ana.score, ana.passed, ana.reviews) == (pytest.approx(mean), passed, n)
    week2 = rows[("Ana Ruiz", "2026-03-09")]
    assert week2.change == pytest.approx(week2.score - ana.score)


def test_criterion_scores_skip_na_and_count_critical_failures(session, dash_world):
    rows = {(r.group_id, r.period): r for r in quality.scores(session, Scope(teams=None), filters(), "criterion")}
    for key in ("timely", "data_protected", "correct_answer"):
        for week in (WEEK1, WEEK2):
            results = [engine(dash_world["document"], a) for _, when, a in PLAN if when == week]
            values = [r.criteria[key] for r in results if r.criteria[key] is not None]
            row = rows[(key, "2026-03-02" if week == WEEK1 else "2026-03-09")]
            assert row.reviews == len(values)  # N/A answers are not counted
            assert row.score == pytest.approx(100 * sum(values) / len(values))
            assert row.critical_failures == sum(key in r.critical_failures for r in results)
    assert rows[("timely", "2026-03-02")].reviews == 3  # one of four answered N/A
    assert rows[("data_protected", "2026-03-02")].critical_failures == 1
    assert rows[("timely", "2026-03-02")].group == "Timely replies"  # the rubric's label


def test_month_period_and_change_against_the_month_before(session, dash_world, make):
    february = datetime(2026, 2, 20, 9, 0)
    t = make.transcript(dash_world["agents"]["ana"], external_id="FEB", started_at=february)
    publish_review(session, dash_world["reviewer"], t, dash_world["version"], {**GOOD, "correct_answer": 1}, february)
    rows = quality.scores(session, Scope(teams=None), parse_filters({"from": "2026-03-01", "to": "2026-03-31",
                                                                     "period": "month"}), "org")
    assert len(rows) == 1 and rows[0].period == "2026-03-01"
    february_score = engine(dash_world["document"], {**GOOD, "correct_answer": 1}).overall
    mean, _, n = expected(dash_world, lambda who, when: True)
    assert rows[0].reviews == n and rows[0].change == pytest.approx(mean - february_score)


def test_confirmation_rate_per_rule(session, dash_world):
    [row] = flags.confirmation(session, Scope(teams=None), filters())
    confirmed = sum(1 for i in range(len(PLAN)) if i % 2 == 0)
    assert (row.rule, row.confirmed, row.dismissed) == ("tone.rude", confirmed, len(PLAN) - confirmed)
    assert row.rate == pytest.approx(confirmed / len(PLAN))
    [billing] = flags.confirmation(session, scope_for(dash_world["lead"]), filters())
    assert billing.judged == 5  # the Shipping review is not the Billing lead's


def test_reanalysis_keeps_published_verdicts_and_drops_draft_ones(session, dash_world, make):
    """A new policy pack re-analyses chats and replaces their flags: published reviews' verdicts stay (detached,
    still counted), so past confirmation rates do not change; a draft's verdict goes (the reviewer judges the new
    flags)."""
    before = flags.confirmation(session, Scope(teams=None), filters())
    draft_chat = make.transcript(dash_world["agents"]["bo"], external_id="D-draft",
                                 texts=[("customer", "Hello?"), ("agent", "Calm down.")])
    analysis.analyze_ids(session, [draft_chat.id])
    answers = {k: str(v) for k, v in PLAN[0][2].items()}
    draft = factories.published_review(session, dash_world["reviewer"], draft_chat, dash_world["version"], answers,
                                       publish=False)
    reviews.set_verdict(session, dash_world["reviewer"], draft, draft_chat.analysis.flags[0].id, "confirmed")
    session.commit()
    analysis.analyze_ids(session, [r.transcript_id for r in dash_world["reviews"]] + [draft_chat.id])
    session.commit()
    session.expire_all()
    kept = session.scalars(select(ReviewFlagVerdict)).all()
    assert len(kept) == len(PLAN) and all(v.flag_id is None and v.rule == "tone.rude" for v in kept)
    assert flags.confirmation(session, Scope(teams=None), filters()) == before


def test_reanalysis_links_a_published_verdict_to_the_same_finding(session, dash_world, make):
    """When the new analysis flags the very same words, the published review's verdict follows the new flag (the
    review page and the agent's focus list keep showing it)."""
    chat = make.transcript(dash_world["agents"]["bo"], external_id="D-same",
                           texts=[("customer", "Hello?"), ("agent", "Calm down.")])
    analysis.analyze_ids(session, [chat.id])
    flag = next(f for f in chat.analysis.flags if f.rule == "tone.dismissive")
    answers = {k: str(v) for k, v in PLAN[0][2].items()}
    review = factories.published_review(session, dash_world["reviewer"], chat, dash_world["version"], answers,
                                        publish=False)
    reviews.set_verdict(session, dash_world["reviewer"], review, flag.id, "dismissed")
    coaching.publish(session, dash_world["reviewer"], review.note)
    session.commit()
    analysis.analyze_ids(session, [chat.id])
    session.commit()
    session.expire_all()
    new_flag = next(f for f in session.get(type(chat), chat.id).analysis.flags if f.rule == "tone.dismissive")
    assert reviews.verdicts_of(session.get(Review, review.id)) == {new_flag.id: "dismissed"}


def test_flag_trends_count_flags_and_chats(session, dash_world):
    rows = flags.trends(session, Scope(teams=None), filters(), "team", "rule")
    billing_week1 = next(r for r in rows if r.group == "Billing" and r.period == "2026-03-02")
    assert (billing_week1.key, billing_week1.flags, billing_week1.chats) == ("tone.rude", 3, 3)
    assert billing_week1.per_100 == 100.0


def test_followthrough_before_after_acknowledged_and_disputes(session, dash_world):
    ana_reviews = [r for r, (who, _, _) in zip(dash_world["reviews"], PLAN) if who == "ana"]
    ana_reviews[0].note.acknowledged_at = WEEK1
    session.add(Dispute(review_id=ana_reviews[1].id, agent_id=dash_world["agents"]["ana"].id, reason="unfair"))
    session.commit()
    acks = {r.group: r for r in followthrough.acknowledgement(session, Scope(teams=None), filters(), "agent")}
    assert (acks["Ana Ruiz"].notes, acks["Ana Ruiz"].acknowledged, acks["Ana Ruiz"].open_disputes) == (3, 1, 1)
    assert acks["Ana Ruiz"].share == pytest.approx(1 / 3)
    effects = {(e.agent, e.criterion_key): e for e in followthrough.before_after(session, Scope(teams=None),
                                                                                 filters(), weeks=2)}
    # Ana's second week-1 review scored respectful_tone 0: coached then; her week-2 review scored it 1.
    tone = effects[("Ana Ruiz", "respectful_tone")]
    assert tone.coached_at == WEEK1 and tone.after == 100.0 and tone.after_n == 1
    # The first week-1 review has the same published_at: it is neither before nor after.
    assert tone.before is None and tone.before_n == 0


def test_reviewer_view_counts_and_median_time(session, dash_world):
    rows = {r.reviewer_id: r for r in reviewers.reviewer_stats(session, Scope(teams=None), filters())}
    assert rows[dash_world["reviewer"].id].reviews == 5 and rows[dash_world["other_reviewer"].id].reviews == 1
    assert rows[dash_world["reviewer"].id].median_seconds == pytest.approx(300)
    own = reviewers.reviewer_stats(session, Scope(teams=None, reviewer_id=dash_world["other_reviewer"].id), filters())
    assert [r.reviewer_id for r in own] == [dash_world["other_reviewer"].id]


def test_calibration_agreement_compares_answers_with_the_agreed_ones_under_the_same_filters(session, dash_world, make):
    from qa_app.models import Assignment, CalibrationConsensus, Review, SamplingPlan

    plan = SamplingPlan(name="Calibrate", strategy="random", strategy_config={}, population={})
    session.add(plan)
    session.flush()
    version, reviewer = dash_world["version"], dash_world["reviewer"]
    # On Ana's chat the reviewer matches 2 of 2 agreed answers; on Cy's (Shipping) 0 of 1.
    cases = [("ana", {"respectful_tone": 1, "timely": 0}, {"respectful_tone": "1", "timely": "0"}),
             ("cy", {"respectful_tone": 0}, {"respectful_tone": "1"})]
    for who, answers, agreed in cases:
        t = make.transcript(dash_world["agents"][who])
        a = Assignment(transcript_id=t.id, reviewer_id=reviewer.id, plan_id=plan.id, rubric_version_id=version.id,
                       calibration_key="cal-1", status="done")
        session.add(a)
        session.flush()
        session.add(Review(assignment_id=a.id, transcript_id=t.id, reviewer_id=reviewer.id,
                           rubric_version_id=version.id, status="submitted", calibration=True, answers=answers,
                           submitted_at=WEEK1))
        for key, value in agreed.items():
            session.add(CalibrationConsensus(calibration_key="cal-1", transcript_id=t.id, criterion_key=key,
                                             value=value))
    session.commit()

    def row(**extra):
        stats = reviewers.reviewer_stats(session, Scope(teams=None), filters(**extra))
        return next(r for r in stats if r.reviewer_id == reviewer.id)

    everything = row()
    assert (everything.calibration_agreed, everything.calibration_compared) == (2, 3)
    only_ana = row(agent=str(dash_world["agents"]["ana"].id))
    assert (only_ana.calibration_agreed, only_ana.calibration_compared) == (2, 2) and only_ana.agreement == 1.0
    billing_lead = reviewers.reviewer_stats(session, scope_for(dash_world["lead"]), filters())
    mine = next(r for r in billing_lead if r.reviewer_id == reviewer.id)
    assert (mine.calibration_agreed, mine.calibration_compared) == (2, 2)  # Cy's Shipping chat is not the lead's


# --- pages ------------------------------------------------------------------------------------------------

def test_quality_page_table_csv_and_chart(client, as_user, dash_world, session):
    as_user(dash_world["admin"])
    page = client.get("/dashboards/", query_string={**RANGE, "group_by": "team"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in html and "Billing" in html and "Shipping" in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<script" not in main and " style=" not in main and " onclick=" not in main  # CSP-safe
    response = client.get("/dashboards/", query_string={**RANGE, "group_by": "team", "export": "csv"})
    assert response.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    rows = quality.scores(session, Scope(teams=None), filters(), "team")
    assert len(table) == len(rows)
    for line, row in zip(table, rows):
        d = row.as_dict()
        assert line["period"] == d["period"] and line["group"] == d["group"]
        assert float(line["score"]) == d["score"] and int(line["reviews"]) == d["reviews"]
        assert f'data-period="{row.period}" data-group="{row.group_id}"' in html
        assert f">{d['score']:.2f}<" in html  # the same number is in the HTML table


def test_drill_down_lists_exactly_the_reviews_behind_a_number(client, as_user, dash_world, session):
    as_user(dash_world["lead"])
    billing = dash_world["agents"]["ana"].team_id
    response = client.get("/dashboards/reviews", query_string={**RANGE, "bucket": "2026-03-02", "group_by": "team",
                                                              "group": billing})
    html = response.get_data(as_text=True)
    behind = {r.id for r, (who, when, _) in zip(dash_world["reviews"], PLAN) if who in ("ana", "bo") and when == WEEK1}
    listed = {int(x.split('"')[0]) for x in html.split('data-review="')[1:]}
    assert response.status_code == 200 and listed == behind
    # a pass-count link lists only the passing ones
    passed = client.get("/dashboards/reviews", query_string={**RANGE, "bucket": "2026-03-02", "group_by": "team",
                                                            "group": billing, "passed": "1"}).get_data(as_text=True)
    listed = {int(x.split('"')[0]) for x in passed.split('data-review="')[1:]}
    assert listed == {r.id for r in session.scalars(select(Review).where(Review.id.in_(behind))) if r.passed}
    # the criterion drill-down omits the review that answered N/A
    timely = client.get("/dashboards/reviews", query_string={**RANGE, "bucket": "2026-03-02",
                                                            "criterion": "timely"}).get_data(as_text=True)
    listed = {int(x.split('"')[0]) for x in timely.split('data-review="')[1:]}
    expected_ids = {r.id for r, (who, when, a) in zip(dash_world["reviews"], PLAN)
                    if when == WEEK1 and a["timely"] != "na" and who != "cy"}
    assert listed == expected_ids


def test_every_dashboard_page_renders_for_a_lead(client, as_user, dash_world):
    as_user(dash_world["lead"])
    for path in ("/dashboards/", "/dashboards/flags", "/dashboards/operations", "/dashboards/reviewers",
                 "/dashboards/coaching", "/dashboards/chats", "/dashboards/reviews"):
        response = client.get(path, query_string=RANGE)
        assert response.status_code == 200, path
        assert "Cy Chen" not in response.get_data(as_text=True), path  # Shipping is not this lead's
    for path in ("/dashboards/flags", "/dashboards/operations", "/dashboards/reviewers", "/dashboards/coaching"):
        assert client.get(path, query_string={**RANGE, "export": "csv"}).mimetype == "text/csv"


def test_lead_of_another_team_sees_nothing_of_it(client, as_user, dash_world):
    as_user(dash_world["shipping_lead"])
    billing = dash_world["agents"]["ana"].team_id
    assert client.get("/dashboards/", query_string={"team": billing}).status_code == 404
    assert client.get("/dashboards/", query_string={"agent": dash_world["agents"]["ana"].id}).status_code == 404
    html = client.get("/dashboards/", query_string={**RANGE, "group_by": "agent"}).get_data(as_text=True)
    assert "Cy Chen" in html and "Ana Ruiz" not in html and "Bo Berg" not in html
    drill = client.get("/dashboards/reviews", query_string={**RANGE, "group_by": "team", "group": billing})
    assert 'data-review="' not in drill.get_data(as_text=True)


def test_agents_get_403_and_reviewers_only_their_own_reviewer_view(client, as_user, dash_world):
    as_user(dash_world["agent_user"])
    for path in ("/dashboards/", "/dashboards/reviewers", "/dashboards/reviews", "/dashboards/chats"):
        assert client.get(path).status_code == 403, path
    as_user(dash_world["other_reviewer"])
    assert client.get("/dashboards/").status_code == 403
    assert client.get("/dashboards/flags").status_code == 403
    page = client.get("/dashboards/reviewers", query_string=RANGE).get_data(as_text=True)
    assert dash_world["other_reviewer"].email in page and dash_world["reviewer"].email not in page
    drill = client.get("/dashboards/reviews", query_string=RANGE).get_data(as_text=True)
    assert drill.count('data-review="') == 1


def test_a_reviewers_drill_down_never_names_the_agent_of_a_blind_review(client, as_user, dash_world, session):
    from qa_app.models import Assignment, SamplingPlan

    own = dash_world["reviews"][3]  # other_reviewer's only review, of Bo Berg
    plan = SamplingPlan(name="Blind", strategy="random", strategy_config={}, population={}, blind=True)
    session.add(plan)
    session.flush()
    assignment = Assignment(transcript_id=own.transcript_id, reviewer_id=own.reviewer_id, plan_id=plan.id,
                            rubric_version_id=own.rubric_version_id, status="done")
    session.add(assignment)
    session.flush()
    own.assignment_id = assignment.id
    session.commit()
    as_user(dash_world["other_reviewer"])
    page = client.get("/dashboards/reviews", query_string=RANGE).get_data(as_text=True)
    csv_text = client.get("/dashboards/reviews", query_string={**RANGE, "export": "csv"}).get_data(as_text=True)
    assert 'data-review="' in page and "blind review" in page and "blind review" in csv_text
    assert "Bo Berg" not in page and "Bo Berg" not in csv_text
    by_agent = {**RANGE, "agent": dash_world["agents"]["bo"].id}
    assert client.get("/dashboards/reviews", query_string=by_agent).status_code == 404
    as_user(dash_world["admin"])  # leads and admins are not reviewers of it: they see the name
    assert "Bo Berg" in client.get("/dashboards/reviews", query_string=RANGE).get_data(as_text=True)


@pytest.mark.parametrize("args, param", [({"from": "2026-13-01"}, "from"), ({"period": "day"}, "period"),
                                         ({"team": "abc"}, "team"), ({"group_by": "planet"}, "group_by"),
                                         ({"from": "2026-03-10", "to": "2026-03-01"}, "from")])
def test_bad_filters_are_explained_with_400(client, as_user, dash_world, args, param):
    as_user(dash_world["admin"])
    response = client.get("/dashboards/", query_string=args)
    assert response.status_code == 400 and f"<code>{param}</code>" in response.get_data(as_text=True)


def _listed(html: str, attribute: str = "data-review") -> set[int]:
    return {int(x.split('"')[0]) for x in html.split(f'{attribute}="')[1:]}


def test_drill_downs_for_verdicts_notes_disputes_coaching_windows_and_flags(client, as_user, dash_world, session):
    made = dash_world["reviews"]
    made[0].note.acknowledged_at = WEEK1
    session.add(Dispute(review_id=made[2].id, agent_id=dash_world["agents"]["bo"].id, reason="no"))
    session.commit()
    as_user(dash_world["admin"])

    def drill(**args):
        return _listed(client.get("/dashboards/reviews", query_string={**RANGE, **args}).get_data(as_text=True))

    assert drill(rule="tone.rude", verdict="confirmed") == {r.id for i, r in enumerate(made) if i % 2 == 0}
    assert drill(rule="tone.rude", verdict="dismissed") == {r.id for i, r in enumerate(made) if i % 2 == 1}
    assert drill(note="acknowledged") == {made[0].id}
    assert drill(dispute="open", **{"from": "2026-04-01", "to": "2026-04-30"}) == {made[2].id}  # any date
    effect = next(e for e in followthrough.before_after(session, Scope(teams=None), filters(), weeks=2)
                  if e.agent == "Ana Ruiz" and e.criterion_key == "respectful_tone")
    after = drill(agent=dash_world["agents"]["ana"].id, criterion="respectful_tone", side="after", weeks=2,
                  at=effect.coached_at.isoformat())
    assert len(after) == effect.after_n and after == {made[3].id}
    chats = client.get("/dashboards/chats", query_string={**RANGE, "rule": "tone.rude", "bucket": "2026-03-09"})
    assert _listed(chats.get_data(as_text=True), "data-transcript") == {made[3].transcript_id, made[4].transcript_id}
    csv_text = client.get("/dashboards/reviews", query_string={**RANGE, "note": "acknowledged", "export": "csv"})
    assert list(csv.DictReader(io.StringIO(csv_text.get_data(as_text=True))))[0]["review_id"] == str(made[0].id)


# --- the review's copy of its transcript's agent and team -------------------------------------------------------

def test_channel_filter_on_review_numbers_matches_the_chats_channel(session, dash_world):
    """Review numbers read the channel from the transcript (it is not copied onto the review)."""
    from qa_app.models import Transcript
    from qa_app.services.dashboards.drilldown import parse_drill, reviews_behind

    emailed = [dash_world["reviews"][i] for i in (1, 2)]  # Ana's and Bo's week-1 reviews
    for review in emailed:
        session.get(Transcript, review.transcript_id).channel = "email"
    session.commit()
    admin = Scope(teams=None)
    [row] = quality.scores(session, admin, filters(channel="email"), "org")
    results = [engine(dash_world["document"], PLAN[i][2]) for i in (1, 2)]
    assert row.reviews == 2 and row.score == pytest.approx(sum(r.overall for r in results) / 2)
    assert sum(r.reviews for r in quality.scores(session, admin, filters(channel="chat"), "org")) == len(PLAN) - 2
    [rule] = flags.confirmation(session, admin, filters(channel="email"))
    assert (rule.confirmed, rule.dismissed) == (1, 1)  # plan entries 2 (confirmed) and 1 (dismissed)
    acks = {r.group: r.notes for r in followthrough.acknowledgement(session, admin, filters(channel="email"))}
    assert acks == {"Ana Ruiz": 1, "Bo Berg": 1}
    assert [r.reviews for r in reviewers.reviewer_stats(session, admin, filters(channel="email"))] == [2]
    behind = session.scalars(reviews_behind(session, admin, filters(channel="email"), parse_drill({}))).unique()
    assert sorted(r.id for r in behind) == sorted(r.id for r in emailed)


def test_published_reviews_keep_the_agent_and_team_of_publishing_until_revised(session, dash_world, make):
    """An import may later move a chat to another agent or team. As the criterion rollup, the review numbers keep
    the owner copied at publishing (so review and criterion numbers agree), until a revision copies it again."""
    from qa_app.models import Transcript

    ana, cy = dash_world["agents"]["ana"], dash_world["agents"]["cy"]
    review = dash_world["reviews"][0]  # Ana (Billing), week 1
    assert (review.agent_id, review.team_id) == (ana.id, ana.team_id)
    draft = factories.published_review(session, dash_world["reviewer"], make.transcript(ana), dash_world["version"],
                                       {k: str(v) for k, v in GOOD.items()}, publish=False)
    assert (draft.agent_id, draft.team_id) == (None, None)  # copied at publishing, not before

    transcript = session.get(Transcript, review.transcript_id)
    transcript.agent_id, transcript.team_id = cy.id, cy.team_id  # as an import update could
    session.commit()

    def counted(scope, group_by, group_id):
        return sum(r.reviews for r in quality.scores(session, scope, filters(), group_by) if r.group_id == group_id)

    def criterion_rows(scope):
        return sum(r.reviews for r in quality.scores(session, scope, filters(), "criterion")
                   if r.group_id == "greeting_and_closing")

    billing, shipping = scope_for(dash_world["lead"]), scope_for(dash_world["shipping_lead"])
    assert counted(Scope(teams=None), "agent", ana.id) == 3 and counted(Scope(teams=None), "agent", cy.id) == 1
    assert (criterion_rows(billing), criterion_rows(shipping)) == (5, 1)
    assert counted(billing, "team", ana.team_id) == 5 and counted(shipping, "team", cy.team_id) == 1

    revisions.revise_review(session, dash_world["lead"], review, {"timely": "0"}, "late reply")
    session.commit()
    assert (review.agent_id, review.team_id) == (cy.id, cy.team_id)
    assert counted(Scope(teams=None), "agent", ana.id) == 2 and counted(Scope(teams=None), "agent", cy.id) == 2
    assert (criterion_rows(billing), criterion_rows(shipping)) == (4, 2)
    assert counted(billing, "team", ana.team_id) == 4 and counted(shipping, "team", cy.team_id) == 2
