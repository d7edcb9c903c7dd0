"""Tone rule families added in analyzer 1.1.0: positive and negative examples for each, plus severity softening."""
import pytest


def tone_flags(analyze, text):
    result = analyze([("customer", "Hi, I have a question about my order."), ("agent", text)])
    return [(f["rule"], f["severity"]) for f in result["flags"] if f["message_index"] == 1 and f["category"] == "tone"]


@pytest.mark.parametrize("text, rule", [
    # questioning whether the customer reads / listens / understands
    ("Are you even reading what I wrote?", "tone.rude"),
    ("Are you listening to me? The box has to be sealed.", "tone.rude"),
    ("Did you even look at the tracking page?", "tone.rude"),
    ("Can you actually read the label for me, or not?", "tone.rude"),
    # calling the question / request stupid
    ("That's a ridiculous question.", "tone.rude"),
    ("What a silly request, the size is on the tag.", "tone.rude"),
    ("Your request is absurd.", "tone.rude"),
    # "deal with it", "nothing I can do", "not my department"
    ("You'll just have to deal with it.", "tone.dismissive"),
    ("You need to live with it, the policy won't change.", "tone.dismissive"),
    ("Honestly, you'll have to put up with it.", "tone.dismissive"),
    ("Not much I can do about that.", "tone.dismissive"),
    ("It's out of my hands.", "tone.dismissive"),
    ("That's not my department, you'll have to email the warehouse.", "tone.dismissive"),
    ("Refunds are not my responsibility.", "tone.dismissive"),
    # "spell it out", "as I already explained", "like I said", "it's really not that hard"
    ("Let me spell it out for you", "tone.condescending"),
    ("As I already explained, the refund takes 5-7 business days.", "tone.condescending"),
    ("Like I said, the store closes at 5.", "tone.condescending"),
    ("As I've already mentioned twice, the code is in the email.", "tone.condescending"),
    ("I've already told you the label is attached.", "tone.condescending"),
    ("It's really not that complicated.", "tone.condescending"),
    ("It's honestly not that hard to reset.", "tone.condescending"),
    ("It isn't hard, you just press the button.", "tone.condescending"),
    ("Obviously you didn't check the tracking page.", "tone.condescending"),
    ("You clearly didn't read the instructions.", "tone.condescending"),
    ("As I mentioned, the refund is on its way.", "tone.condescending"),
])
def test_new_family_positive(analyze, text, rule):
    assert rule in {r for r, _ in tone_flags(analyze, text)}


@pytest.mark.parametrize("text", [
    "Are you reading this on a phone? The button is at the bottom.",
    "There are no silly questions, happy to explain!",
    "That's not a stupid question at all.",
    "It's an odd request, but we can do it.",
    "We'll deal with it on our end, no action needed.",
    "I'll help you deal with it right away.",
    "Sorry, there's not much I can do on the fare, but I can add a voucher.",
    "There's nothing I can do about the fee, but here's what I can do: a store credit.",
    "Could you spell it out for me? I want to get your name right.",
    "Of course, I'll spell it out: R-I-D-G-E-L-I-N-E.",
    "Don't worry, it's not hard: I'll walk you through the steps.",
    "You clearly put a lot of thought into this review, thank you.",
    "As I mentioned, thanks for your patience while we check.",
    "As you mentioned, the zipper is stuck.",
    "I explained the issue to the warehouse team and they're on it.",
])
def test_new_family_negative(analyze, text):
    assert tone_flags(analyze, text) == []


def test_apology_softens_as_i_explained(analyze):
    assert tone_flags(analyze, "As I already explained, the refund takes 5-7 business days.") == \
        [("tone.condescending", "medium")]
    assert tone_flags(analyze, "I'm sorry, as I already explained, the refund takes 5-7 business days.") == \
        [("tone.condescending", "low")]
    assert tone_flags(analyze, "I'm sorry, as I mentioned, the refund is on its way.") == [("tone.condescending", "low")]


def test_quoted_customer_words_are_not_flagged(analyze):
    assert tone_flags(analyze, "You wrote \"it's not that hard\" - agreed, here are the steps.") == []
