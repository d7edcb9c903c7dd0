"""The learned empathy model: what it flags beyond the rules, what it leaves alone, its evidence and its settings."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_app.nlp.components.empathy_model import features, ngrams, reply_turns

HELDOUT = Path(__file__).resolve().parents[2] / "data" / "heldout"

HOME_FROM_HOSPITAL = ("Hi, I only got home from the hospital yesterday after my fall and I can't do the stairs. "
                      "The front door buzzer is broken so my carer can't get in.")


def empathy_flags(result):
    return [f for f in result["flags"] if f["category"] == "empathy"]


def test_flags_a_calm_account_of_trouble_no_rule_names(analyze):
    result = analyze([("customer", HOME_FROM_HOSPITAL),
                      ("agent", "The buzzer is on our routine maintenance list. I've logged it.")])
    (flag,) = empathy_flags(result)
    assert flag["rule"] == "empathy.likely_unacknowledged" and flag["severity"] == "low"
    assert flag["message_index"] == 1 and flag["evidence"] == "The buzzer is on our routine maintenance list."
    assert "probability" in flag["explanation"] and "'hospital'" in flag["explanation"] and flag["suggestion"]


@pytest.mark.parametrize("reply", [
    "I'm so sorry, that sounds really hard. I've logged the buzzer as urgent and a technician will come today.",
    "Oh no, I hope you're feeling better soon! I've booked the buzzer repair for this afternoon.",
])
def test_never_flags_a_reply_that_acknowledges(analyze, reply):
    assert not empathy_flags(analyze([("customer", HOME_FROM_HOSPITAL), ("agent", reply)]))


@pytest.mark.parametrize("customer, reply", [
    ("Hi, what time does the office open on Saturday?", "We open at 9 am on Saturdays."),
    ("Can I pay my rent by bank transfer?", "Yes, the details are on your tenant portal under Payments."),
    ("thanks, that's all sorted then", "Great, have a lovely weekend!"),
])
def test_leaves_calm_questions_alone(analyze, customer, reply):
    assert not empathy_flags(analyze([("customer", customer), ("agent", reply)]))


def test_one_flag_per_reply_when_the_rules_already_flag_it(analyze):
    result = analyze([("customer", "This is ridiculous, I've been waiting for days and I'm furious!"),
                      ("agent", "Order number?")])
    assert [f["rule"] for f in empathy_flags(result)] == ["empathy.unacknowledged"]


def test_reply_turns_pair_each_answer_with_the_customer_turn_before_it():
    messages = [("agent", "Hi!"), ("customer", "a"), ("customer", "b"), ("agent", "c"), ("agent", "d"),
                ("system", "transferred"), ("agent", "e"), ("customer", "f"), ("agent", "g")]
    assert reply_turns(messages) == [(3, ["a", "b"], ["c", "d"]), (8, ["f"], ["g"])]


def test_features_split_clitics_and_keep_sides_apart():
    assert ngrams("I can't cope") == ["cope", "i ca", "ca n't", "n't cope"]   # no lone function word, no "can't"
    assert ngrams("Pay 35 now") == ["pay"]                                      # no digits
    assert features(["so scared"], ["ok, fine"]) == {"c:scared", "c:so scared", "a:ok", "a:ok ,", "a:, fine", "a:fine"}


def test_explanation_names_content_words_only():
    from qa_app.nlp.pipeline import get_nlp
    model = get_nlp().get_pipe("qa_tone").empathy_model
    cues = model.cues(["I'm scared, my dad is in hospice and I can't sleep."])
    assert cues and all(any(c.isalpha() for c in cue) for cue in cues)
    assert not {"i 'm", "i", "'m"} & set(cues)


def test_empathy_model_section_is_optional_and_checked(tmp_path):
    import spacy

    from qa_app.nlp.components.tone import ToneComponent, ToneRulesError
    def component(name: str, text: str):
        path = tmp_path / name  # a new file each time: tone packs are cached by path
        path.write_text(text, encoding="utf-8")
        return ToneComponent(spacy.blank("en"), "qa_tone", str(path))

    assert component("none.yaml", "rules: []\n").empathy_model is None
    with pytest.raises(ToneRulesError, match=r"empathy_model.weights: cannot read"):
        component("missing.yaml", "rules: []\nempathy_model: {weights: missing.json}\n")
    with pytest.raises(ToneRulesError, match=r"empathy_model.threshold: must be a number between 0 and 1"):
        component("threshold.yaml", "rules: []\nempathy_model: {weights: empathy_weights.json, threshold: 1.5}\n")
    with pytest.raises(ToneRulesError, match=r"empathy_model: must be a mapping"):
        component("list.yaml", "rules: []\nempathy_model: [weights]\n")


HOSTILE = ["", "   ", "x" * 200_000, "<script>alert(1)</script>", "😭😭😭", "\x00\x07\u202e", "Ça ne marche pas",
           "I can't  cope!! it's 2am, don't", "‘quoted’ o'clock y'all'd"]


def test_fast_scoring_equals_the_string_features():
    """Run time reads the reply from the batch's token hashes and builds few strings for the customer; the fit (and
    probability_of_texts) from the strings: the same figure."""
    from qa_app.nlp.pipeline import get_nlp, pipe_texts
    model = get_nlp().get_pipe("qa_tone").empathy_model
    chats = [json.loads(line) for name in ("water", "kennel")
             for line in (HELDOUT / name / "chats.jsonl").read_text(encoding="utf-8").splitlines()[:25]]
    chats.append({"messages": [{"role": "customer", "text": t} for t in HOSTILE] +
                  [{"role": "agent", "text": t} for t in HOSTILE]})
    scored = 0
    for chat in chats:
        messages = [(m["role"], m["text"]) for m in chat["messages"]]
        docs = list(pipe_texts([t for _, t in messages]))
        for index, customer, reply in reply_turns(messages):
            fast = model.probability(customer, docs[index:index + len(reply)])
            assert fast == pytest.approx(model.probability_of_texts(customer, reply), abs=1e-9), (customer, reply)
            assert 0.0 <= fast <= 1.0
            scored += 1
    assert scored > 100


def test_the_shipped_empathy_weights_are_a_fit_of_the_labeled_chats():
    """Adding labeled chats without re-fitting (python -m qa_app.nlp.fit_empathy) fails here."""
    pytest.importorskip("sklearn")
    from qa_app.nlp import fit_empathy
    from qa_app.nlp.components.tone_model import DATA_DIR
    rows = fit_empathy.training_rows(fit_empathy.labeled_sets(with_rules=False))
    shipped = json.loads((DATA_DIR / "empathy_weights.json").read_text(encoding="utf-8"))
    assert shipped["replies"] == len(rows) and shipped["upset"] == sum(r.upset for r in rows)
    _, clf = fit_empathy.fit([sorted(r.features) for r in rows], [r.upset for r in rows], shipped["C"],
                             shipped["min_df"])
    assert round(float(clf.intercept_[0]), 4) == shipped["bias"]
