"""Positive and negative examples per rule family, including the traps."""
import pytest

from qa_app.nlp import load_policy


# --- tone ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, rule", [
    ("Calm down, I'm checking.", "tone.dismissive"),
    ("You need to relax, it's a tent.", "tone.dismissive"),
    ("As I already said, the tracking is in the email.", "tone.condescending"),
    ("That's your problem, not ours.", "tone.rude"),
    ("Are you stupid? It's in the email.", "tone.rude"),
    ("It's your fault for picking the wrong size.", "tone.blaming"),
    ("You should have checked the size chart first.", "tone.blaming"),
    ("It's not rocket science, just press the button.", "tone.condescending"),
    ("Obviously the charger goes in the port.", "tone.condescending"),
    ("Good luck with that.", "tone.sarcastic"),
    ("What the hell happened to your order?", "tone.profane"),
    ("This is bullshit from the carrier.", "tone.profane"),
    ("PLEASE READ THE EMAIL WE SENT YOU.", "tone.shouting"),
    ("Where is the receipt???", "tone.shouting"),
])
def test_tone_positive(rules_on, text, rule):
    assert rule in rules_on(text)


@pytest.mark.parametrize("text", [
    "No problem at all, happy to help!",
    "I'm not blaming you, it's not your fault at all.",
    "Deliveries are paused until the weather calms down.",
    "Once things calm down, tracking will update.",
    "Obviously we can help with that, thanks for asking!",
    "Your USPS tracking ID and PIN are in the email.",
    "You should have received a confirmation email.",
    "You must have been so frustrated, I'm sorry.",
    "When you said \"this is bullshit\", I understand why.",
    "You wrote that the agent told you to calm down; that's not okay.",
    "Thanks so much!!! Enjoy the trip!",
    "Sorry, but there's nothing more I can do on the fare.",
    "Sit back, relax and enjoy your new hammock.",
    "The error should go away after the update.",
    "Packages can get lost in transit, so I've filed a claim.",
])
def test_tone_negative(rules_on, text):
    assert not {r for r in rules_on(text) if r.startswith("tone.")}


def test_tone_flag_span_and_suggestion(analyze):
    result = analyze([("customer", "hi"), ("agent", "Hello! Calm down, please.")])
    (flag,) = [f for f in result["flags"] if f["rule"] == "tone.dismissive"]
    assert flag["evidence"] == "Calm down" and flag["suggestion"]
    assert result["messages"][1]["role"] == "agent"


def test_customers_are_never_flagged_for_tone(analyze):
    result = analyze([("customer", "WHAT THE HELL, this is bullshit!!!"), ("agent", "Hi, I'm sorry! Let me help.")])
    assert not [f for f in result["flags"] if f["message_index"] == 0]


# --- empathy ---------------------------------------------------------------------------------------------------
def test_empathy_unacknowledged(analyze):
    r = analyze([("customer", "This is ridiculous, I've been waiting for days!"),
                 ("agent", "Order number? I need it to check.")])
    (flag,) = [f for f in r["flags"] if f["rule"] == "empathy.unacknowledged"]
    assert flag["message_index"] == 1 and flag["evidence"] == "Order number?"


@pytest.mark.parametrize("reply", [
    "I'm so sorry about the wait. Let me check.",
    "I understand how frustrating that is, let me look.",
    "Thank you for your patience, I'm on it.",
])
def test_empathy_acknowledged(analyze, reply):
    r = analyze([("customer", "I'm really upset, my order is late again."), ("agent", reply)])
    assert not [f for f in r["flags"] if f["category"] == "empathy"]


def test_no_empathy_flag_for_calm_customer(analyze):
    r = analyze([("customer", "Hi, what's the status of my order?"), ("agent", "It ships tomorrow.")])
    assert not [f for f in r["flags"] if f["category"] == "empathy"]
    assert -1 <= r["messages"][0]["sentiment"] <= 1


# --- accuracy --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Refunds are accepted within 60 days of delivery.",
    "You can return it within two months.",
    "The return label costs $9.95.",
    "Standard shipping takes 7-10 business days.",
    "All gear has a 6-month warranty.",
    "The promo code gives twenty percent off.",
])
def test_policy_fact_flagged(rules_on, text):
    assert "accuracy.policy_fact" in rules_on(text)


@pytest.mark.parametrize("text", [
    "Refunds are accepted within 30 days of delivery.",
    "The warranty lasts 12 months.",
    "I refunded you 2 days ago.",
    "Your order total was $25 and the refund is on its way.",
    "You'll receive it in 2 days.",
    "Refunds are accepted within 30 days. The courier usually arrives in 2 days.",
    "Was your purchase made in the last 60 days?",
    "Standard shipping takes 4 business days.",
])
def test_policy_fact_traps(rules_on, text):
    assert "accuracy.policy_fact" not in rules_on(text)


@pytest.mark.parametrize("question, answer", [
    ("How long is the warranty on the tent?", "It's 6 months."),
    ("what's the warranty like", "Six months from purchase, so you're covered."),
    ("Is there a promo code for first orders?", "Yes, 20% off with WELCOME."),
    ("how long do I have to send it back?", "You've got 60 days!"),
    ("What's the max I can put in one order, items per order?", "Up to 12 a time."),
])
def test_policy_fact_in_an_answer_to_the_customers_question(rules_on, question, answer):
    """A value in a reply that names no fact is read as the answer about the one fact of its kind the customer
    asked about."""
    assert "accuracy.policy_fact" in rules_on(answer, question)


@pytest.mark.parametrize("question, answer", [
    ("How long is the warranty on the tent?", "It's 1 year from purchase."),  # the policy value
    ("How long is the warranty on the tent?", "Give me 2 minutes to check."),  # not the warranty's scale
    ("How long is the warranty?", "It's 1 year, not 2 years."),  # a correction
    ("how long do I have to send it back?", "Whoever told you 14 days got it wrong, it's 30 days."),
    ("how long do I have to send it back?", "I'm sorry you've waited 3 days for an answer. It's 30 days."),
    ("Is there a promo code?", "Your order total was $25, so nothing more to pay."),  # no percent named or stated
    ("What's the max items per order?", "It's 10. I see 3 items in your cart."),  # items in the cart, not the limit
    ("What's the max items per order?", "It's 10. Your order is #84213 by the way."),
    ("Can I use a promo code and a refund together? How long is the warranty?", "It's 15% and 1 year."),
    ("hi", "It's 45 days."),  # nothing asked
    ("How long is the warranty on the tent?", "Is it 6 months you were told?"),  # a question
    ("how long do I have to send it back? and how fast is express shipping?", "Express takes 1-2 business days."),
])
def test_answer_traps(rules_on, question, answer):
    assert "accuracy.policy_fact" not in rules_on(answer, question)


def test_an_answer_is_not_held_to_an_earlier_statement(analyze):
    """Answers are read loosely (from the question), so they never make a self-contradiction; their own flag
    names the fact asked about."""
    r = analyze([("customer", "hi"), ("agent", "Hi! The warranty is 1 year."),
                 ("customer", "and the warranty on tents?"), ("agent", "6 months.")])
    assert [(f["rule"], f["message_index"]) for f in r["flags"] if f["category"] == "accuracy"] == \
        [("accuracy.policy_fact", 3)]
    (flag,) = [f for f in r["flags"] if f["category"] == "accuracy"]
    assert "warranty" in flag["explanation"] and flag["evidence"] == "6 months"


def test_a_stay_in_nights_is_not_a_window_in_days(analyze):
    r = analyze([("customer", "can I get a refund for the nights I missed?"),
                 ("agent", "I can request a refund for those 3 nights. Refunds can be requested within 30 days.")])
    assert not [f for f in r["flags"] if f["category"] == "accuracy"]


def test_policy_fact_explanation_names_allowed_value(analyze):
    r = analyze([("customer", "hi"), ("agent", "Hi! Refunds are possible within 45 days.")])
    (flag,) = [f for f in r["flags"] if f["rule"] == "accuracy.policy_fact"]
    assert "30 days" in flag["explanation"] and flag["evidence"] == "45 days"


def test_customer_statements_never_flagged(analyze):
    r = analyze([("customer", "Your site says refunds within 90 days, call me at 555-123-4567"), ("agent", "Hi! Sure.")])
    assert not [f for f in r["flags"] if f["message_index"] == 0]


def test_wrong_identifier(analyze):
    r = analyze([("customer", "My order is #A12345"), ("agent", "Hi! Order #A12354 is on its way.")])
    (flag,) = [f for f in r["flags"] if f["rule"] == "accuracy.wrong_identifier"]
    assert flag["evidence"] == "#A12354"
    r = analyze([("customer", "My order is #A12345"), ("agent", "Hi! Order #A12345 is on its way.")])
    assert not [f for f in r["flags"] if f["rule"] == "accuracy.wrong_identifier"]


@pytest.mark.parametrize("ids", [("TE48213", "TE48214"), ("TE48214", "TE48213")])
def test_wrong_identifier_names_the_closest_customer_id(ids):
    """Two ids within two edits: the explanation names the nearer one (a transposition), in any order."""
    from qa_app.nlp.components.accuracy import near_miss
    assert near_miss("TE-48241", set(ids)) == "TE48214"
    assert near_miss("TE-48241", {"TE48213"}) == "TE48213"


def test_self_contradiction(analyze):
    r = analyze([("customer", "hi"), ("agent", "Hi! Refunds are accepted within 45 days."),
                 ("customer", "ok"), ("agent", "So yes, refunds within 60 days of delivery.")])
    assert [f["message_index"] for f in r["flags"] if f["rule"] == "accuracy.self_contradiction"] == [3]


def test_correction_is_not_a_contradiction(analyze):
    r = analyze([("customer", "hi"), ("agent", "Hi! Refunds are accepted within 45 days."),
                 ("customer", "ok"), ("agent", "Sorry, correction: refunds are accepted within 30 days.")])
    assert not [f for f in r["flags"] if f["rule"] == "accuracy.self_contradiction"]


@pytest.mark.parametrize("text, flagged", [
    ("See http://evil.example.net/login for details.", True),
    ("Details: bit.ly/xyz", True),
    ("See https://help.acme-outfitters.example/returns.", False),
    ("See www.acme-outfitters.example today.", False),
    ("Write to support@acme-outfitters.example", False),
])
def test_unsafe_link(rules_on, text, flagged):
    assert ("accuracy.unsafe_link" in rules_on(text)) is flagged


# --- compliance ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, rule", [
    ("I've saved 4111 1111 1111 1111 as your card.", "compliance.card_number"),
    ("Card 4242-4242-4242-4242 was declined.", "compliance.card_number"),
    ("Your password is hunter2", "compliance.credentials"),
    ("Temporary password: Blue-Fox-77", "compliance.credentials"),
    ("Your PIN is 4821.", "compliance.credentials"),
    ("Email him at jo.smith@gmail.com", "compliance.email_exposed"),
    ("Call me on (303) 555-0187.", "compliance.phone_exposed"),
    ("I guarantee it will arrive Friday.", "compliance.prohibited_phrase"),
    ("I'm 100% sure it's fixed.", "compliance.prohibited_phrase"),
])
def test_compliance_positive(rules_on, text, rule):
    assert rule in rules_on(text)


@pytest.mark.parametrize("text", [
    "Your password is case-sensitive, please try again.",
    "I've sent a password reset link to your email.",
    "Tracking 9400 1000 0000 0000 0000 00 is with USPS.",
    "Order 3348917502 is confirmed.",
    "Call us at 1-800-555-0199 any time.",
    "Our email is support@acme-outfitters.example.",
    "I can't guarantee a date, sorry.",
    "I'm not 100% sure, let me check.",
    "Card ending in 4242 is on file.",
])
def test_compliance_negative(rules_on, text):
    assert not {r for r in rules_on(text) if r.startswith("compliance.")}


def test_prohibited_phrase_category_from_pack(rules_on):
    pack = load_policy("prohibited_phrases:\n  - {phrase: free upgrade, category: accuracy}\n")
    assert "compliance.prohibited_phrase" in rules_on("Enjoy a free upgrade!", pack=pack)


# --- etiquette -------------------------------------------------------------------------------------------------
def test_greeting_and_closing(analyze):
    r = analyze([("customer", "hi"), ("agent", "Order shipped."), ("agent", "It arrives Monday.")])
    rules = {f["rule"]: f for f in r["flags"] if f["message_index"] is None}
    assert {"etiquette.missing_greeting", "etiquette.missing_closing"} <= set(rules)
    assert rules["etiquette.missing_greeting"]["start"] is None
    r = analyze([("customer", "hi"), ("agent", "Hi Sam! It shipped."), ("agent", "Anything else I can help with?")])
    assert not [f for f in r["flags"] if f["category"] == "etiquette"]


def test_slow_responses(analyze):
    msgs = [{"role": "customer", "text": "hi", "sent_at": "2026-03-01T10:00:00Z"},
            {"role": "agent", "text": "Hello! Checking.", "sent_at": "2026-03-01T10:05:00Z"},
            {"role": "customer", "text": "ok", "sent_at": "2026-03-01T10:06:00Z"},
            {"role": "agent", "text": "Done, thanks!", "sent_at": "2026-03-01T10:07:00Z"},
            {"role": "customer", "text": "and?", "sent_at": "2026-03-01T10:08:00Z"},
            {"role": "agent", "text": "All set, bye!", "sent_at": "2026-03-01T10:30:00Z"}]
    r = analyze(msgs)
    slow = {(f["rule"], f["message_index"]) for f in r["flags"] if "slow" in f["rule"]}
    assert slow == {("etiquette.slow_first_response", 1), ("etiquette.slow_response", 5)}


def test_no_timestamps_no_sla_flags(analyze):
    r = analyze([("customer", "hi"), ("agent", "Hello!")])
    assert not [f for f in r["flags"] if "slow" in f["rule"]]


@pytest.mark.parametrize("text, flagged", [
    ("Hi! We will recieve your return tomorrow.", True),
    ("Hi! Acme AcmeCare covers it, pls DM us your SKU.", False),
    ("Hi! Our devs and admins are on it, rebooking now.", False),
    ("Hi Jordan, Ridgeline tents ship from Denver.", False),
    ("Hallo! Wir versenden nach Deutschland innerhalb von Tagen.", False),
])
def test_spelling(rules_on, text, flagged):
    assert ("etiquette.spelling" in rules_on(text)) is flagged
