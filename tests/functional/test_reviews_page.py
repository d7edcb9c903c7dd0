"""The review page against hostile transcripts (highlights cover exactly the flagged characters, everything escaped,
attributes cannot be broken out of), its markup for the keyboard (static JS only, no inline script), and that an
agent reaches nothing of a review before it is published."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from qa_app.models import Assignment, Flag, Review, SamplingPlan, TranscriptAnalysis
from qa_app.services import rubrics
from tests.functional.test_reviews import FULL, world  # noqa: F401  (world is a fixture)

TEXT = 'Hi "Sam" <script>alert(1)</script> & <img src=x onerror="alert(2)"> it\'s fine\' onmouseover=\'alert(3)'


@pytest.fixture()
def hostile(make, session):
    rubrics.sync_rubrics(session)
    version = rubrics.get_by_key(session, "quick-check").latest
    reviewer = make.user("reviewer")
    agent = make.agent(name='Eve "><script>alert(4)</script>', team="Billing")
    t = make.transcript(agent, external_id='X-"><svg onload=alert(5)>',
                        texts=[("customer", "<b>bold</b> question?"), ("agent", TEXT)])
    script_at = TEXT.index("<script>")
    img_at = TEXT.index("<img")
    quote_at = TEXT.index("it's")
    spans = [(script_at, TEXT.index("</script>") + len("</script>")), (img_at, TEXT.index(">", img_at) + 1),
             (quote_at, len(TEXT))]
    analysis = TranscriptAnalysis(transcript_id=t.id, analyzer_version="1", policy_version="p", flag_count=3,
                                  max_severity=3)
    analysis.flags = [Flag(transcript_id=t.id, rule="tone.rude", category="tone", severity="high", message_index=1,
                           start=s, end=e, evidence=TEXT[s:e], explanation='Explained "><script>alert(6)</script>',
                           suggestion="'); alert(7); ('") for s, e in spans]
    session.add(analysis)
    plan = SamplingPlan(name="P", strategy="random", strategy_config={}, population={})
    session.add(plan)
    session.flush()
    a = Assignment(transcript_id=t.id, reviewer_id=reviewer.id, plan_id=plan.id, rubric_version_id=version.id)
    session.add(a)
    session.commit()
    return dict(reviewer=reviewer, a=a, spans=spans)


def test_hostile_text_is_escaped_and_highlights_keep_their_offsets(client, as_user, hostile):
    as_user(hostile["reviewer"])
    page = client.get(f"/reviews/assignment/{hostile['a'].id}").get_data(as_text=True)
    body = page.split("<main", 1)[1].split("</main>")[0]
    # nothing hostile survives as markup, in text or in attributes
    for raw in ("<script>alert", "<img src=x", "<svg", "<b>bold</b>", "onmouseover='", 'onerror="alert'):
        assert raw not in body, raw
    assert not re.search(r"<[^>]+\son\w+\s*=", body)  # no event-handler attribute anywhere in the page body
    # each highlight wraps exactly text[start:end], escaped
    marks = re.findall(r'<mark class="flag flag-tone"[^>]*>(.*?)</mark>', body, flags=re.S)

    assert [html.unescape(m) for m in marks] == [TEXT[s:e] for s, e in hostile["spans"]]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in marks[0]
    assert "it&#39;s fine&#39; onmouseover=&#39;alert(3)" in marks[2]
    # the unflagged characters between the highlights are all there too, escaped
    bubble = body.split('class="bubble bubble-agent">')[1].split("</div>")[0]
    assert html.unescape(re.sub(r"</?mark[^>]*>", "", bubble)) == TEXT
    # the title attribute (explanations) cannot be closed early
    assert 'title="tone · high: Explained &#34;&gt;&lt;script&gt;alert(6)&lt;/script&gt;' in body
    assert "Eve &#34;&gt;&lt;script&gt;alert(4)&lt;/script&gt;" in body
    assert "X-&#34;&gt;&lt;svg onload=alert(5)&gt;" in body


def test_only_static_scripts_and_the_keyboard_markup(client, as_user, world):
    as_user(world["reviewer"])
    page = client.get(f"/reviews/assignment/{world['a1'].id}").get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    assert scripts and all('src="' in attrs and not content.strip() for attrs, content in scripts)
    assert '<script src="/static/review.js" defer></script>' in page
    main = page.split("<main", 1)[1]
    assert not re.search(r"<[^>]+\son\w+\s*=", main) and not re.search(r"<[^>]+\sstyle=", main)
    tone = world["flags"][0]
    assert f'id="flag-{tone.id}" tabindex="-1" data-flag-id="{tone.id}" data-message="m1"' in page
    assert 'data-verdict="confirmed"' in page and 'data-verdict="dismissed"' in page
    assert 'id="shortcut-help"' in page and " hidden>" in page.split('id="shortcut-help"')[1][:300]
    assert 'accesskey="n"' in page and 'href="/reviews/next"' in page
    assert re.search(r'<input[^>]* name="save" type="submit" value="Save draft">', page)


def test_an_agent_reaches_nothing_before_publishing(client, as_user, world, session):
    as_user(world["reviewer"])
    url = f"/reviews/assignment/{world['a1'].id}"
    client.get(url)
    rv = session.scalar(select(Review))
    client.post(f"/reviews/{rv.id}/messages/{world['t'].messages[1].id}/comments", data={"body": "private remark"})
    client.post(url, data={**FULL, "submit": "1"})
    as_user(world["agent_user"])
    for path in (url, f"/reviews/{rv.id}/coaching", f"/reviews/{rv.id}/revise", "/reviews/queue",
                 "/reviews/calibration/cal-x"):
        assert client.get(path).status_code == 403, path
    mine = client.get("/coaching", follow_redirects=True).get_data(as_text=True)
    assert "T-1" not in mine and "private remark" not in mine
    assert client.get(f"/me/reviews/{rv.id}").status_code == 404
