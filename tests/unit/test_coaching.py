"""The coaching draft on fixed reviews: what went well, what to work on lowest first, each with the quoted
evidence, the tone rule's better phrasing and the rubric's tip; dismissed flags left out; the reviewer's message
comments quoted under "Reviewer remarks"; the same review always gives the same text."""
from __future__ import annotations

from qa_app.models import Flag
from qa_app.services import coaching, comments
from tests.unit.test_revisions import build_review

TEXTS = [("customer", "Where is my refund?!"), ("agent", "Calm down. It's coming."), ("agent", "Email me at a@b.co")]
# greeting 1 (Yes), tone 0 (No), correct 2 of 1-3 (0.5), timely N/A, data 1 (Yes)
ANSWERS = {"greeting_and_closing": "1", "respectful_tone": "0", "correct_answer": "2", "timely": "na",
           "data_protected": "1"}


def flags():
    return [
        Flag(rule="tone.dismissive", category="tone", severity="high", message_index=1, start=0, end=10,
             evidence="Calm down.", explanation="Dismissive", suggestion="I understand how frustrating this is."),
        Flag(rule="accuracy.policy_fact", category="accuracy", severity="medium", message_index=1, start=11,
             end=23, evidence="It's coming.", explanation="Vague", suggestion=None),
        Flag(rule="compliance.email_exposed", category="compliance", severity="medium", message_index=2, start=12,
             end=18, evidence="a@b.co", explanation="E-mail shared", suggestion="Keep contact details private."),
    ]


def sections(body: str) -> tuple[str, str]:
    head, work_on = body.split("What to work on\n")
    return head.split("What went well\n")[1], work_on.split("\n\nReviewer remarks")[0]


def test_went_well_and_work_on_lowest_first_with_evidence_phrasing_and_tips(session, make):
    rv = build_review(session, make, ANSWERS, publish=False, texts=TEXTS, flags=flags())
    body = rv.note.body
    assert body.startswith(f"Review of {rv.transcript.external_id}: {rv.overall:.1f}")
    went_well, work_on = sections(body)
    assert went_well.splitlines() == ["- Greets and closes the chat properly", "- Protects customer data", ""]
    lines = work_on.splitlines()
    # lowest score first: tone (0.0) before the correct answer (0.5); N/A criteria are in neither list
    assert lines[0] == "- Respectful, professional tone" and "Timely" not in body
    tone = work_on.split("- Correct answer")[0]
    assert '  You wrote: "Calm down."' in tone
    assert "  Try instead: I understand how frustrating this is." in tone
    assert "  Tip: Describe the situation, never the customer; acknowledge frustration before solving." in tone
    correct = work_on.split("- Correct answer, issue resolved")[1]
    assert '  You wrote: "It\'s coming."' in correct and "Try instead" not in correct
    assert "  Tip: Check the help centre before quoting policy" in correct
    # a high-scoring criterion's flags are not coached as problems
    assert "a@b.co" not in work_on


def test_dismissed_flags_are_left_out(session, make):
    rv = build_review(session, make, ANSWERS, publish=False, texts=TEXTS, flags=flags(), dismiss={"tone.dismissive"})
    assert "Calm down." not in rv.note.body and "I understand how frustrating" not in rv.note.body
    assert "- Respectful, professional tone" in rv.note.body and "Tip: Describe the situation" in rv.note.body


def test_criterion_comments_and_message_remarks_are_quoted(session, make):
    rv = build_review(session, make, ANSWERS, publish=False, texts=TEXTS, flags=flags())
    rv.comments = {"respectful_tone": "Open with empathy."}
    comments.add(session, rv.reviewer, rv, rv.transcript.messages[2].id, "Never share addresses in chat.")
    comments.add(session, rv.reviewer, rv, rv.transcript.messages[1].id, "This is where it went wrong.")
    body = coaching.draft_text(rv, comments.comments_for_review(session, rv))
    assert "  Reviewer: Open with empathy." in sections(body)[1].split("- Correct answer")[0]
    remarks = body.split("\nReviewer remarks\n")[1].splitlines()
    assert remarks == ['- Message 2 (agent): "Calm down. It\'s coming."', "  This is where it went wrong.",
                       '- Message 3 (agent): "Email me at a@b.co"', "  Never share addresses in chat."]
    assert "Reviewer remarks" not in coaching.draft_text(rv)  # no remarks, no heading


def test_the_draft_is_deterministic_and_says_when_nothing_stands_out(session, make):
    perfect = {"greeting_and_closing": "1", "respectful_tone": "1", "correct_answer": "3", "timely": "1",
               "data_protected": "1"}
    rv = build_review(session, make, perfect, publish=False, texts=TEXTS)
    assert coaching.draft_text(rv) == coaching.draft_text(rv) == rv.note.body
    assert "What to work on\n- Nothing stood out; keep it up." in rv.note.body and "(pass)" in rv.note.body
    worst = {"greeting_and_closing": "0", "respectful_tone": "0", "correct_answer": "1", "timely": "0",
             "data_protected": "0"}
    low = build_review(session, make, worst, publish=False, texts=TEXTS)
    assert "- (nothing scored high this time)" in low.note.body and "(below the pass mark)" in low.note.body
    # ties keep the rubric's order
    work_on = [line for line in sections(low.note.body)[1].splitlines() if line.startswith("- ")]
    assert work_on == ["- Greets and closes the chat properly", "- Respectful, professional tone",
                       "- Correct answer, issue resolved", "- Timely replies", "- Protects customer data"]
