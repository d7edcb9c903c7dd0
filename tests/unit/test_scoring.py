"""The scoring engine: hand-computed examples and hypothesis properties from issue 4."""
from __future__ import annotations

import dataclasses

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from qa_app.services import rubrics
from qa_app.services.scoring import Criterion, Scorecard, Section, score, score_document, scale_points


def crit(key, lo=1, hi=5, **kw):
    return Criterion(key=key, minimum=lo, maximum=hi, **kw)


# --- worked examples (computed by hand in the comments) ---------------------------------------------

def test_single_section_weighted_mean():
    # a: (4-1)/(5-1) = 0.75, weight 1;  b: binary yes = 1.0, weight 3  ->  (0.75 + 3) / 4 = 0.9375 -> 93.75
    card = Scorecard((Section("s", (crit("a"), crit("b", 0, 1, weight=3))),), pass_threshold=80)
    result = score(card, {"a": 4, "b": 1})
    assert result.overall == pytest.approx(93.75)
    assert result.passed is True and result.complete
    assert result.criteria == {"a": 0.75, "b": 1.0}


def test_sections_are_weighted_and_na_weight_is_spread():
    # s1 (weight 1): a=3 on 1-3 -> 1.0; b N/A (weight 5, drops out)        -> s1 = 100
    # s2 (weight 3): c=2 on 1-4 -> 1/3, weight 1; d=1 on 1-3 -> 0, weight 2 -> (1/3) / 3 = 11.11
    # overall = (1*100 + 3*11.11) / 4 = 33.33
    card = Scorecard((
        Section("s1", (crit("a", 1, 3), crit("b", 1, 5, weight=5, na_allowed=True)), weight=1),
        Section("s2", (crit("c", 1, 4), crit("d", 1, 3, weight=2)), weight=3),
    ), pass_threshold=50)
    result = score(card, {"a": 3, "b": None, "c": 2, "d": 1})
    assert result.sections["s1"].score == pytest.approx(100)
    assert result.sections["s2"].score == pytest.approx(100 / 9)
    assert result.overall == pytest.approx((100 + 3 * 100 / 9) / 4)
    assert result.passed is False


def test_critical_failure_zeroes_the_overall_only():
    # Without the critical failure: s1 = 100, s2 = 0 (binary no) -> 50; with it the overall is 0.
    card = Scorecard((Section("s1", (crit("a"),)), Section("s2", (crit("data", 0, 1, critical=True),))))
    result = score(card, {"a": 5, "data": 0})
    assert result.overall == 0 and result.critical_failures == ["data"]
    assert result.sections["s1"].score == 100


def test_section_fail_zeroes_its_section():
    # s1: a=5 -> 1.0 (w1), polite=no fails the section -> 0; s2: 100. Overall (0 + 100) / 2 = 50.
    card = Scorecard((Section("s1", (crit("a"), crit("polite", 0, 1, fails_section=True))),
                      Section("s2", (crit("b"),))))
    result = score(card, {"a": 5, "polite": 0, "b": 5})
    assert result.sections["s1"].score == 0 and result.sections["s1"].failed
    assert result.overall == pytest.approx(50) and result.section_failures == ["s1"]


def test_fail_point_above_the_minimum():
    # accuracy on 1-5 fails its section at 2 or below; 3 passes: (3-1)/4 = 50.
    card = Scorecard((Section("s", (crit("acc", fails_section=True, fail_at_or_below=2),)),))
    assert score(card, {"acc": 2}).overall == 0
    assert score(card, {"acc": 3}).overall == pytest.approx(50)


def test_bonus_adds_but_never_above_100():
    # regular a=3 on 1-5 -> 0.5, weight 2; bonus yes weight 1 -> +1/2 of the regular weight = +50 -> 100.
    card = Scorecard((Section("s", (crit("a", weight=2), crit("extra", 0, 1, bonus=True, na_allowed=True))),))
    assert score(card, {"a": 3, "extra": 0}).overall == pytest.approx(50)
    assert score(card, {"a": 3, "extra": 1}).overall == pytest.approx(100)
    assert score(card, {"a": 5, "extra": 1}).overall == 100  # capped
    assert score(card, {"a": 2, "extra": 1}).overall == pytest.approx(25 + 50)


def test_custom_labels_and_binary_scales():
    assert scale_points(["Poor", "Fair", "Good"]) == [(0, "Poor"), (1, "Fair"), (2, "Good")]
    assert scale_points("binary") == [(0, "No"), (1, "Yes")]
    doc = rubrics.parse_rubric(
        "key: k\nname: K\nsections:\n- key: s\n  label: S\n  criteria:\n"
        "  - {key: a, label: A, scale: [Poor, Fair, Good, Great]}\n")
    assert score_document(doc, {"a": 2}).overall == pytest.approx(200 / 3)  # (2-0)/(3-0)


def test_missing_answers_are_reported_and_scored_like_na():
    card = Scorecard((Section("s", (crit("a"), crit("b"))),))
    result = score(card, {"a": 5})
    assert result.missing == ["b"] and not result.complete and result.overall == 100


def test_nothing_answered_gives_no_score():
    card = Scorecard((Section("s", (crit("a", na_allowed=True),)),))
    result = score(card, {"a": None})
    assert result.overall is None and result.passed is None


@pytest.mark.parametrize("answers, message", [
    ({"a": 6}, "not on the scale"),
    ({"a": True}, "not on the scale"),
    ({"a": None}, "N/A is not allowed"),
    ({"zz": 1}, "not in the rubric"),
])
def test_bad_answers_raise(answers, message):
    with pytest.raises(ValueError, match=message):
        score(Scorecard((Section("s", (crit("a"),)),)), answers)


def test_shipped_rubric_worked_example():
    # Quick check: greeting yes (w1), tone yes (w2), correct 2 of 1-3 -> 0.5 (w3), timely N/A, data yes (w1).
    # (1 + 2 + 1.5 + 1) / (1 + 2 + 3 + 1) = 5.5 / 7 = 78.57 -> passes at 75.
    doc = rubrics.parse_rubric((rubrics.default_directory() / "quick-check.rubric.yaml").read_text())
    result = score_document(doc, {"greeting_and_closing": 1, "respectful_tone": 1, "correct_answer": 2,
                                  "timely": None, "data_protected": 1})
    assert result.overall == pytest.approx(550 / 7) and result.passed


# --- properties --------------------------------------------------------------------------------------

SCALES = st.sampled_from([(0, 1), (1, 3), (1, 4), (1, 5), (0, 3), (0, 9)])
WEIGHTS = st.floats(min_value=0.1, max_value=10, allow_nan=False)


@st.composite
def criteria(draw, key):
    lo, hi = draw(SCALES)
    flags = draw(st.sampled_from(["plain", "plain", "critical", "fails_section", "bonus"]))
    fail_at = draw(st.integers(lo, hi - 1)) if flags in ("critical", "fails_section") and draw(st.booleans()) else None
    return Criterion(key=key, minimum=lo, maximum=hi, weight=draw(WEIGHTS), na_allowed=draw(st.booleans()),
                     critical=flags == "critical", fails_section=flags == "fails_section", bonus=flags == "bonus",
                     fail_at_or_below=fail_at)


@st.composite
def cards(draw):
    n_sections = draw(st.integers(1, 4))
    sections, n = [], 0
    for si in range(n_sections):
        items = []
        for _ in range(draw(st.integers(1, 4))):
            items.append(draw(criteria(f"c{n}")))
            n += 1
        sections.append(Section(f"s{si}", tuple(items), weight=draw(WEIGHTS)))
    return Scorecard(tuple(sections), pass_threshold=draw(st.integers(0, 100)))


@st.composite
def answered(draw, card=None):
    card = card or draw(cards())
    answers = {}
    for section in card.sections:
        for c in section.criteria:
            na = c.na_allowed and draw(st.booleans())
            answers[c.key] = None if na else draw(st.integers(c.minimum, c.maximum))
    return card, answers


@given(answered())
def test_always_within_0_and_100(case):
    card, answers = case
    result = score(card, answers)
    assert result.overall is None or 0 <= result.overall <= 100
    assert all(s.score is None or 0 <= s.score <= 100 for s in result.sections.values())


@given(answered(), st.integers(0, 3), WEIGHTS, st.sampled_from([(0, 1), (1, 5)]))
def test_adding_an_na_criterion_changes_nothing(case, section_index, weight, scale):
    card, answers = case
    section_index %= len(card.sections)
    extra = Criterion(key="extra", minimum=scale[0], maximum=scale[1], weight=weight, na_allowed=True)
    sections = list(card.sections)
    target = sections[section_index]
    sections[section_index] = dataclasses.replace(target, criteria=target.criteria + (extra,))
    before = score(card, answers)
    after = score(dataclasses.replace(card, sections=tuple(sections)), {**answers, "extra": None})
    assert after.overall == pytest.approx(before.overall) if before.overall is not None else after.overall is None


@given(answered(), st.floats(min_value=0.01, max_value=100))
def test_scaling_all_weights_changes_nothing(case, factor):
    card, answers = case
    scaled = dataclasses.replace(card, sections=tuple(
        dataclasses.replace(s, weight=s.weight * factor,
                            criteria=tuple(dataclasses.replace(c, weight=c.weight * factor) for c in s.criteria))
        for s in card.sections))
    before, after = score(card, answers).overall, score(scaled, answers).overall
    assert (before is None and after is None) or after == pytest.approx(before, abs=1e-9)


@given(answered())
def test_a_critical_failure_always_gives_0(case):
    card, answers = case
    criticals = [c for s in card.sections for c in s.criteria if c.critical]
    assume(criticals)
    failing = criticals[0]
    result = score(card, {**answers, failing.key: failing.minimum})
    assert result.overall == 0 and result.passed is False


@settings(max_examples=300)
@given(answered(), st.data())
def test_raising_one_answer_never_lowers_the_score(case, data):
    card, answers = case
    raisable = [c for s in card.sections for c in s.criteria
                if answers[c.key] is not None and answers[c.key] < c.maximum]
    assume(raisable)
    c = data.draw(st.sampled_from(raisable))
    higher = data.draw(st.integers(answers[c.key] + 1, c.maximum))
    before, after = score(card, answers).overall, score(card, {**answers, c.key: higher}).overall
    assert (before is None and after is None) or after >= before - 1e-9
