"""Rules added in analyzers 1.4.0 to 1.7.0 after measuring on blind, independently written chats
(tests/data/heldout): each construction with examples written here (not copied from those chats), the traps next to
it, and the held-out figures as a floor."""
import json
from pathlib import Path

import pytest

from qa_app.nlp import analyze_transcripts, load_policy
from qa_app.nlp.components import compliance, empathy
from qa_app.nlp.components.accuracy import find_identifiers
from qa_app.nlp.components.sentiment import sentiment_score
from qa_app.nlp.quantities import bare_amounts, find_quantities, parse_value, within, within_any

HELDOUT = Path(__file__).resolve().parents[2] / "data" / "heldout"
CATEGORIES = ("tone", "empathy", "accuracy", "compliance")


def flags_on_reply(analyze, text, customer="Hi, I have a question about my account.", pack=None):
    result = analyze([("customer", customer), ("agent", text)], pack=pack)
    return [f for f in result["flags"] if f["message_index"] == 1]


def categories(flags):
    return {f["category"] for f in flags}


def pack_of(folder: Path, facts: str):
    """A policy pack of company T with these fact lines (YAML flow mappings), written to folder and loaded."""
    path = folder / "policy.yaml"
    path.write_text(f"company: T\nfacts:\n{facts}allowed_link_domains: [t.example]\n", encoding="utf-8")
    return load_policy(path)


@pytest.mark.parametrize("text, rule", [
    ("You'd know that if you checked the app once in a while.", "tone.blaming"),
    ("If you had actually read the confirmation, this wouldn't have happened.", "tone.blaming"),
    ("You keep entering the code wrong.", "tone.blaming"),
    ("You must have pressed cancel yourself.", "tone.blaming"),
    ("That's because you never verified your number.", "tone.blaming"),
    ("Look at the plan details before you sign up next time.", "tone.blaming"),
    ("Maybe search the help pages before contacting us.", "tone.blaming"),
    ("You honestly should have kept the receipt.", "tone.blaming"),
    ("It's hardly rocket science, the toggle is on the first screen.", "tone.condescending"),
    ("Not that complicated.", "tone.condescending"),
    ("Did you even open the email we sent?", "tone.condescending"),
    ("This was answered three messages ago.", "tone.condescending"),
    ("I'm not going to repeat myself again.", "tone.condescending"),
    ("It literally says so on the invoice.", "tone.condescending"),
    ("Sounds like a you problem.", "tone.condescending"),
    ("Let me explain it nice and slowly.", "tone.condescending"),
    ("Dunno, maybe ask the courier.", "tone.dismissive"),
    ("What do you want me to do about the weather?", "tone.dismissive"),
    ("Please get to the point, there is a queue.", "tone.rude"),
    ("Ugh, fine, send the screenshot.", "tone.rude"),
    ("Never would have guessed that one.", "tone.sarcastic"),
    ("Well congratulations, you found the settings page.", "tone.sarcastic"),
    ("Sure, the parcel just teleported away 🙄", "tone.sarcastic"),
])
def test_tone_constructions_flag(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}


@pytest.mark.parametrize("text", [
    "Please check the size guide before you order, it runs small.",
    "You should receive the code right away.",
    "If you had any trouble, just reply here.",
    "Sorry to repeat myself, the refund is already on its way.",
    "Ugh, sorry, that's so annoying! Let me fix it.",
    "It's easy to miss, it's under Settings > Billing.",
    "Of course, I've refunded it.",
    "You typed it in the notes, so I've passed it to the driver.",
    "Whatever works best for you, morning or afternoon?",
    "I can explain the steps again if that helps.",
    "Congratulations on the new house! I've updated the address.",
])
def test_tone_traps_stay_clean(analyze, text):
    assert "tone" not in categories(flags_on_reply(analyze, text))


@pytest.mark.parametrize("text", [
    "We recommend reading the terms before you sign up.",
    "That's not my department, but I'll transfer you to billing right now.",
    "It's in the terms, but I'll waive it this time since it was our mistake.",
    "Check the tracking page then let me know what it says.",
    "Did you read my email about the label? It has the tracking link.",
])
def test_known_model_false_alarms_draw_no_rule(analyze, text):
    """Clean replies the learned model flags at 0.7 (README, "Known false alarms"): at most its low-severity
    tone.unfriendly, never a rule's flag."""
    tone = [f for f in flags_on_reply(analyze, text) if f["category"] == "tone"]
    assert all(f["rule"] == "tone.unfriendly" and f["severity"] == "low" for f in tone)


@pytest.mark.parametrize("text", [
    "I'm really worried, my card was charged three times",
    "wtf is this charge",
    "I've called 4 times about this and nobody fixes it",
    "I've been on hold for an hour",
    "please help urgently, my dad is in hospital and needs his phone",
    "You sent the wrong size AGAIN.",
    "where is my order??",
    "seriously?",
    "my boss is breathing down my neck about this",
])
def test_distress_is_recognised(text):
    assert empathy.is_distressed(text, sentiment_score(text))


@pytest.mark.parametrize("text", [
    "the export failed with an error",           # a fault report, not a feeling (VADER: negative)
    "I typed my card wrong and now the order is stuck",
    "can I use SPRINGSALE and FREESHIP together?",  # a code in capitals
    "the DMARC check says reject",               # an acronym
    "thanks!!",
    "is the fee $6 now??",
    "no worries at all",
    "I'm not worried, just curious",
])
def test_calm_messages_are_not_distress(text):
    assert not empathy.is_distressed(text, sentiment_score(text))


@pytest.mark.parametrize("reply", [
    "I hate to see this, let me look.",
    "That's not the kind of experience we want you to have.",
    "That's not what we like to hear. Which device is it?",
    "I can only imagine how stressful that is.",
    "That sounds really frustrating, I'm on it.",
    "That's such an annoying bug, sorry.",
])
def test_acknowledgements(reply):
    assert empathy.acknowledges(reply)


def test_ugh_alone_is_not_an_acknowledgement():
    assert not empathy.acknowledges("Ugh, what now. Give me the number.")


def test_hours_and_days_compare():
    allowed = parse_value("48 hours", "duration")
    assert within(find_quantities("two days", "duration")[0].quantity, allowed)
    assert not within(find_quantities("3 days", "duration")[0].quantity, allowed)


def test_money_in_words_with_hundreds():
    assert find_quantities("one hundred and fifty dollars", "money")[0].quantity.low == 150
    assert find_quantities("two thousand dollars", "money")[0].quantity.low == 2000


def test_count_value_with_a_unit_and_articles():
    assert parse_value("3 seats", "count").low == 3
    assert parse_value("100 requests per minute", "count").low == 100
    assert [m.quantity.low for m in find_quantities("up to 2 codes as a member", "count")] == [2]


@pytest.fixture(scope="module")
def fee_pack(tmp_path_factory):
    return pack_of(tmp_path_factory.mktemp("pack"),
                     "  - {id: fee, about: [termination fee], kind: money, allowed: [\"$150\"],"
                     " explanation: Fee is $150.}\n"
                     "  - {id: trial, about: [cancel, cancellation], kind: duration, allowed: [\"14 days\"],"
                     " explanation: Cancel within 14 days.}\n")


@pytest.mark.parametrize("text", [
    "The termination fee is $150, plus $23.40 of usage, so $173.40 in total.",   # other amounts beside the policy one
    "The termination fee is $150; with the final bill that comes to $190.",
    "You can cancel anytime, the plan is $10 a month.",                        # a billing period, not a window
])
def test_policy_sentence_with_other_amounts_is_clean(analyze, fee_pack, text):
    assert "accuracy" not in categories(flags_on_reply(analyze, text, pack=fee_pack))


@pytest.mark.parametrize("text", [
    "The termination fee is one hundred dollars.",
    "The termination fee is $200.",
    "You can cancel within 30 days.",
])
def test_policy_contradictions_still_flag(analyze, fee_pack, text):
    assert "accuracy.policy_fact" in {f["rule"] for f in flags_on_reply(analyze, text, pack=fee_pack)}


def test_multi_part_identifiers_are_found_and_compared(analyze):
    assert [t for t, _, _ in find_identifiers("ref BW-ORD-77215, case CS-77K21, code BSKT-Q7F2")] == \
        ["BW-ORD-77215", "CS-77K21", "BSKT-Q7F2"]
    flags = flags_on_reply(analyze, "Checking CS-77K12 now.", customer="my case is CS-77K21")
    assert "accuracy.wrong_identifier" in {f["rule"] for f in flags}
    assert not flags_on_reply(analyze, "Checking CS-77K21 now.", customer="my case is CS-77K21")


@pytest.mark.parametrize("text, rule", [
    ("We'll text you on 07700 900461.", "compliance.phone_exposed"),
    ("Calling you now on 0151 496 0823.", "compliance.phone_exposed"),
    ("Sent to +44 7911 123456.", "compliance.phone_exposed"),
    ("The default WiFi password for your router is Tq7-mm2x.", "compliance.credentials"),
    ("Your PUK code is 48213907.", "compliance.credentials"),
    ("Your verification code is 309 771.", "compliance.credentials"),
    ("Your security answer is 'Rover'.", "compliance.credentials"),
    ("Your backup recovery codes are 1234-5678 and 8765-4321.", "compliance.credentials"),
    ("Here is the new key: sk_live_9f8e7d6c5b4a3c2d1e.", "compliance.credentials"),
])
def test_compliance_formats(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}


@pytest.mark.parametrize("text", [
    "Your tracking ID is 9400 1000 0000 0000 0000 00.",
    "I can't promise it's 100% sure, but it should work.",
    "Try these tips if you can't get your verification code: https://help.acme-outfitters.example/2fa",
    "The snake_case field user_id_2024 must be set.",
    "Your number ending 0461 is on file.",
    "A team licence for 25 seats costs more.",
    "Your licence is valid until 2030.",
])
def test_compliance_traps_stay_clean(analyze, text):
    assert "compliance" not in categories(flags_on_reply(analyze, text))


def test_negated_prohibited_phrase_after_a_contraction():
    phrases = compliance.compile_phrases(load_policy(HELDOUT / "delivery" / "policy.yaml"))
    assert not compliance.prohibited("I can't promise it's allergen-free, sorry.", phrases)
    assert compliance.prohibited("Yes, it's allergen-free.", phrases)


def _scores(name: str) -> dict[str, tuple[float, float]]:
    d = HELDOUT / name
    transcripts = [json.loads(line) for line in (d / "chats.jsonl").read_text(encoding="utf-8").splitlines() if line]
    tp = dict.fromkeys(CATEGORIES, 0)
    fp, fn = dict(tp), dict(tp)
    for t, result in zip(transcripts, analyze_transcripts(transcripts, load_policy(d / "policy.yaml"))):
        got: dict[int, set] = {}
        for f in result["flags"]:
            got.setdefault(f["message_index"], set()).add(f["category"])
        for i, m in enumerate(t["messages"]):
            if m["role"] == "agent":
                for c in CATEGORIES:
                    e, g = c in m["expected"], c in got.get(i, set())
                    tp[c] += e and g
                    fp[c] += g and not e
                    fn[c] += e and not g
    return {c: (tp[c] / max(1, tp[c] + fp[c]), tp[c] / max(1, tp[c] + fn[c])) for c in CATEGORIES}


# Packs that name everyday words ("refund", "discount", "renewal", "plan") in facts whose chats are full of other
# refunds, discounts and renewals (the sets' own traps): accuracy precision there is 0.68-0.82.
_FLOOR_EXCEPTIONS = {**{(name, "accuracy"): (0.65, 0.55) for name in ("pharmacy", "hosting", "cowork", "eyewear",
                                                                       "music")},
                     ("wedding", "empathy"): (0.8, 0.55),
                     # its rudeness is mostly polite-sounding insinuation: the rules find 0.41, with the model 0.47
                     ("wedding", "tone"): (0.85, 0.45),
                     # a refund's processing time read as the return window, named or answered (0.83)
                     ("smarthome", "accuracy"): (0.8, 0.55),
                     # excited customers ("a puppy!") read as distressed; 0.84
                     ("vet", "empathy"): (0.8, 0.55),
                     # urgent customers answered with the urgent-repair time ("attended within 2 hours"); 0.84
                     ("appliance", "empathy"): (0.8, 0.55),
                     # plan prices and data allowances read against each other's facts; 0.83
                     ("esim", "accuracy"): (0.8, 0.55),
                     # the last blind batch, added without a round of rules of its own (README): what they measure
                     # (carsub: three curt replies the learned model calls rude and the set calls clean)
                     ("carsub", "tone"): (0.8, 0.5), ("ferry", "accuracy"): (0.7, 0.6),
                     # an admin fee read as the swap fee it is asked beside, and then said again; 0.85
                     ("carsub", "accuracy"): (0.8, 0.55),
                     ("studenthousing", "empathy"): (0.8, 0.7),
                     # distressed customers answered rudely: the sets label the tone only; 0.77 and 0.84
                     ("driving", "empathy"): (0.75, 0.55), ("bus", "empathy"): (0.8, 0.55),
                     # party sizes ("9 guests", "11 kids right now") read against a capacity fact; 0.77 and 0.84
                     ("boat", "accuracy"): (0.75, 0.55), ("codecamp", "accuracy"): (0.8, 0.55),
                     # 0.82: self-corrections and refund or repair times read against the pack's windows
                     ("pool", "accuracy"): (0.8, 0.55),
                     # routine claims that name an illness or injury ("stitches", "vomiting"), a "damn" or a "hi!!"
                     # read as distress; 0.84-0.86
                     ("rentals", "empathy"): (0.8, 0.55), ("petins", "empathy"): (0.8, 0.55),
                     # cake and party sizes ("a two-tier for 20 people") read against the tier limit; 0.82
                     ("bakery", "accuracy"): (0.8, 0.55),
                     # refund times and worked-out prices ("$109.65 a month" with the discount) read as claims; 0.83
                     ("yoga", "accuracy"): (0.8, 0.55),
                     # upset customers who thank ("thank you for staying with me, i was panicking") or say "damn ok"
                     # read as distressed; 0.81
                     ("tires", "empathy"): (0.75, 0.55),
                     # "the Hybrid is 3 foam layers", another part's warranty, a refund's processing time, times of
                     # day and notice given ("with 2 days' notice") read as the pack's facts; 0.71 and 0.71
                     ("mattress", "accuracy"): (0.65, 0.55), ("pestcontrol", "accuracy"): (0.65, 0.55),
                     # customers who push back on a rude reply ("why are you being so snippy") labeled tone only; 0.83
                     ("salon", "empathy"): (0.8, 0.55),
                     # a fee question with "??" and a late customer answered rudely (labeled tone only); 0.81
                     ("flightschool", "empathy"): (0.8, 0.55),
                     # values read against a fact named only by its words ("a flat $45 a month" on a payment plan)
                     # and worked-out amounts; 0.81 and 0.83
                     ("property", "accuracy"): (0.8, 0.55), ("kennel", "accuracy"): (0.8, 0.55),
                     # "??", a refund "still" not seen, a second contact mentioned in passing: labeled calm; 0.81
                     ("phonefix", "empathy"): (0.75, 0.55),
                     # "Ugh, that sounds infuriating" read as rude by the model, and a curt "Noted." labeled for
                     # empathy only; replies labeled only for a wrong value or phrase that ignore a nervous customer;
                     # 0.84 and 0.84
                     ("escaperoom", "tone"): (0.8, 0.55), ("escaperoom", "empathy"): (0.8, 0.55),
                     # rush prices worked out for two garments, a masked e-mail's "gmail.com" read as a link, the
                     # stamps a customer has read as the card's stamps; 0.84
                     ("tailor", "accuracy"): (0.8, 0.55),
                     # amounts worked out from the deposit and the late fee ("$30 of your deposit comes back"), an
                     # agent correcting their own slip, and alteration times read against the rental period; 0.83
                     ("costumes", "accuracy"): (0.8, 0.55),
                     # rude replies to upset players labeled tone only, and excited customers ("so excited!!") read
                     # as distressed; 0.77
                     ("paintball", "empathy"): (0.75, 0.55),
                     # hire lengths said as clock times ("a 10am drop-off, so we'd collect at 4pm"), shares worked
                     # out from an amount said earlier ("50% back, which is £50"), setup and hire times without a
                     # term ("up in twenty minutes or so"); recall 0.55
                     ("bouncy", "accuracy"): (0.85, 0.5),
                     # rude replies to upset customers labeled tone only; 0.62 and 0.84
                     ("gutters", "empathy"): (0.6, 0.55), ("surfschool", "empathy"): (0.8, 0.55),
                     # "At 14 he's well above our minimum age" (not a minimum) and agents correcting themselves
                     # ("actually 15% off, not 20%") read as claims; 0.84
                     ("surfschool", "accuracy"): (0.8, 0.55),
                     # the last blind batch, added without a round of rules of its own (README): what they measure.
                     # Bills worked out from the monthly fee and extra bins ("from $18 to $24 because a second bin
                     # was added"), order amounts; 0.76
                     ("compost", "accuracy"): (0.75, 0.55),
                     # worried customers answered with an acknowledgement the reply's first sentence lacks, and rude
                     # replies labeled tone only; 0.72-0.83
                     ("notary", "empathy"): (0.7, 0.55), ("dogtraining", "empathy"): (0.8, 0.55),
                     ("compost", "empathy"): (0.8, 0.55),
                     # children and educators in a room read against the ratio counts, then said again; 0.82
                     ("childcare", "accuracy"): (0.8, 0.55),
                     # prices worked out from the hourly rate ("about $800" for four hours), guests allowed by
                     # implication ("bring them both") and dates standing for a window ("mid-June"): recall 0.46
                     ("tattoo", "accuracy"): (0.8, 0.4),
                     # curt "Noted." replies the learned model calls rude, labeled for empathy only; 0.81
                     ("csa", "tone"): (0.75, 0.55),
                     # the same with "Noted." and "Fine.", and "Ugh, that's a miserable night" said in sympathy; 0.84
                     ("handyman", "tone"): (0.8, 0.55),
                     # guests counted for an appointment ("you could bring two adults") read against the guest
                     # limit, and an appointment moved "a day ahead" against the order's cancellation window; 0.85
                     ("bridal", "accuracy"): (0.8, 0.55),
                     # totals worked out for a family ("for three of you with shoes it's $84") and prices of other
                     # things ("the remaining $225") read as the shoe or membership price; 0.85
                     ("climbing", "accuracy"): (0.8, 0.55),
                     # shipping, trace and bank refund times ("2-3 business days") and alteration times read as the
                     # pack's production, refund or turnaround windows; 0.81 and 0.85
                     ("blinds", "accuracy"): (0.75, 0.55), ("drycleaning", "accuracy"): (0.8, 0.55),
                     # the same with refunds and a make-up session, and misses said by implication ("a day's notice",
                     # "good until the end of February", "we can squeeze a fifth on"): 0.78 / 0.49
                     ("sailing", "accuracy"): (0.75, 0.45),
                     # the last blind batch, added without a round of rules of its own (README): mileage worked out
                     # ("450 miles across three days") and a tow's ETA read against the daily allowance and the grace
                     # period (0.77); charges and refunds reported, a price per class worked out and freezes counted
                     # against the cap ("9 weeks, one over the 8-week cap") (0.74)
                     ("vanrental", "accuracy"): (0.7, 0.55), ("dance", "accuracy"): (0.7, 0.55)}
_FLOOR = (0.85, 0.55)


@pytest.mark.parametrize("name", ["telecom", "delivery", "saas", "airline", "energy", "bank", "fashion", "hotel", "games",
                                  "pharmacy", "carrental", "insurance", "furniture", "hosting", "courses", "mealkit",
                                  "gym", "tickets", "scooters", "smarthome", "movers", "pets", "cowork", "language",
                                  "eyewear", "music", "dental", "solar", "lockers", "wedding", "garage", "cleaning",
                                  "evcharge", "printing", "taxprep", "vet", "bikeshop", "coffee", "parking",
                                  "nursery", "esim", "appliance", "bookshop", "alarm", "carsub", "ferry",
                                  "studenthousing", "florist", "tutoring", "pharmacy2", "camping", "laundry",
                                  "driving", "vpn", "ski", "storage", "hearing", "giftcard", "bus", "cinema",
                                  "dogwalk", "wearable", "wineclub", "museum", "carwash", "codecamp", "boat",
                                  "craft", "pool", "photocloud", "themepark", "bakery", "fiber", "rentals",
                                  "petins", "plumbing", "ebike", "yoga", "airportpark", "tires", "locksmith",
                                  "funeral", "childcare", "eldercare", "salon", "mattress", "pestcontrol",
                                  "property", "crypto", "water", "kennel", "warranty", "phonefix", "golf", "dnakit",
                                  "escaperoom", "tailor", "ebooks", "trampoline", "ridehail", "dating", "library",
                                  "catering", "meditation", "spa", "sneakers", "summercamp", "bowling", "photostudio",
                                  "rvrental", "cookingclass", "tattoo", "translate", "csa", "karting", "handyman",
                                  "aquarium", "bridal", "climbing", "blinds", "drycleaning", "hostel", "sailing",
                                  "pottery", "vanrental", "dance", "pianotuning", "riding", "swimschool",
                                  "grooming", "lawncare", "flightschool", "axethrowing", "records", "kayak",
                                  "chimney", "winetours", "piercing", "organizer", "arborist", "paintball",
                                  "costumes", "windows", "makerspace", "icerink", "petsitting", "bouncy",
                                  "gutters", "surfschool", "carpet", "bikecourier", "pianolessons", "dogtraining",
                                  "notary", "compost"])
def test_heldout_floor(name):
    """The sets the rules were developed against (README: their figures before any rule was written for them are the
    blind ones; these floors only guard the improvement, a little below what they measure now)."""
    for category, (precision, recall) in _scores(name).items():
        min_precision, min_recall = _FLOOR_EXCEPTIONS.get((name, category), _FLOOR)
        assert precision >= min_precision, (name, category, precision)
        assert recall >= min_recall, (name, category, recall)


def test_a_bad_tone_pattern_is_refused_with_its_place(tmp_path):
    import spacy

    from qa_app.nlp.components.tone import ToneComponent, ToneRulesError
    path = tmp_path / "tone.yaml"
    path.write_text("rules:\n  - id: tone.x\n    patterns:\n      - [{LOWER: literally}, {LOWER: {IN: [in, on]}}]\n",
                    encoding="utf-8")
    with pytest.raises(ToneRulesError, match=r"rules\[0\] \(tone.x\) patterns\[0\].*quote"):
        ToneComponent(spacy.blank("en"), "qa_tone", str(path))
    path = tmp_path / "tone2.yaml"  # (packs are cached by path)
    path.write_text("rules:\n  - id: tone.x\n    patterns:\n      - [{LOWER: {INN: [a]}}]\n", encoding="utf-8")
    with pytest.raises(ToneRulesError, match=r"rules\[0\] \(tone.x\) patterns\[0\]: not a valid"):
        ToneComponent(spacy.blank("en"), "qa_tone", str(path))


@pytest.mark.parametrize("text, rule", [
    ("LATE PAYMENT. The fee applies.", "tone.shouting"),
    ("I've rebooked you. Happy now?", "tone.sarcastic"),
    ("Suit yourself.", "tone.rude"),
    ("Look, I can only do so much.", "tone.rude"),
    ("Give me a minute, I'm juggling like 30 chats here.", "tone.rude"),
    ("That's not really my problem, call the courier.", "tone.dismissive"),
    ("Two whole hours, wow.", "tone.sarcastic"),
    ("Parcels don't track themselves, you know.", "tone.condescending"),
    ("If you actually read the emails we send, you'd know.", "tone.blaming"),
])
def test_more_tone_constructions(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}


@pytest.mark.parametrize("text", [
    "THANK YOU! Your order is on its way.",
    "Ok, you should have gas back now.",
    "Look at the second photo, that's the one.",
    "No idea yet, but let me check with the warehouse.",
])
def test_more_tone_traps(analyze, text):
    assert "tone" not in categories(flags_on_reply(analyze, text))


@pytest.mark.parametrize("text, distressed", [
    ("heeeelp!!!!!!", True),
    ("thanks!!!", False),
    ("PLEASE HELP the app is down", True),
    ("my husband died last month and the account is in his name", True),
    ("I've lost my job and can't pay", True),
    ("we'll be camping around freezing", False),
    ("the website keeps failing, can I pay here?", False),
])
def test_more_distress_cues(text, distressed):
    assert empathy.is_distressed(text, sentiment_score(text)) is distressed


def test_fractions_and_measurements():
    assert find_quantities("students get a fifth off", "percent")[0].quantity.low == 20
    assert [(m.quantity.low, m.quantity.unit) for m in
            find_quantities("one bag up to 10 kg, 40 GB of data, 3 in the cart", "count")] \
        == [(10, "count kg"), (40, "count GB"), (3, "count")]
    assert parse_value("200 miles", "count").unit == "count miles"


def test_a_measurement_is_compared_only_in_its_unit(analyze, tmp_path):
    pack = pack_of(tmp_path,
                   "  - {id: bags, about: [carry-on], kind: count, allowed: [\"1\"], explanation: x}\n"
                   "  - {id: miles, about: [free miles], kind: count, allowed: [\"200 miles\"], explanation: y}\n")
    assert not flags_on_reply(analyze, "You get one carry-on up to 10 kg.", pack=pack)
    flags = flags_on_reply(analyze, "You get 150 free miles a day.", pack=pack)
    assert [(f["rule"], f["evidence"]) for f in flags if f["category"] == "accuracy"] == \
        [("accuracy.policy_fact", "150 free miles")]


@pytest.mark.parametrize("text, flagged", [
    ("The termination fee is $150; the total for leaving today would be $187.", False),
    ("A $25 termination fee gets added.", True),
])
def test_totals_and_fees_before_the_term(analyze, fee_pack, text, flagged):
    assert ("accuracy.policy_fact" in {f["rule"] for f in flags_on_reply(analyze, text, pack=fee_pack)}) is flagged


@pytest.mark.parametrize("text, rule", [
    ("For reference the code is 418 220.", "compliance.credentials"),
    ("It's 774102. It expires in 10 minutes.", "compliance.credentials"),
    ("I've added passport GA482913 to the booking.", "compliance.document_exposed"),
    ("Paid from sort code 20-45-77, account number 63849120.", "compliance.document_exposed"),
    ("I can guarantee it will arrive tomorrow.", "compliance.prohibited_phrase"),
])
def test_more_compliance(analyze, text, rule):
    pack = load_policy(HELDOUT / "telecom" / "policy.yaml")  # prohibits "I guarantee"
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text, pack=pack)}


@pytest.mark.parametrize("text", [
    "The error code is 500123.",
    "I can see the miles on account 880 412 7735.",
    "Call the emergency line on 0800 111 999.",
    "Everything now goes to j*****2@outlook.com.",
    "I can't guarantee it, sorry.",
])
def test_more_compliance_traps(analyze, text):
    pack = load_policy(HELDOUT / "telecom" / "policy.yaml")
    assert "compliance" not in categories(flags_on_reply(analyze, text, pack=pack))


def test_a_value_belongs_to_the_term_before_it(analyze, tmp_path):
    pack = pack_of(tmp_path,
                   "  - {id: dispute, about: [chargeback], kind: duration, allowed: [\"45 days\"], explanation: x}\n"
                   "  - {id: card, about: [new card], kind: duration, allowed: [\"5-7 business days\"],"
                   " explanation: y}\n")
    flags = flags_on_reply(analyze, "A chargeback takes up to 30 days and a new card arrives in 5-7 business days.",
                           pack=pack)
    assert [(f["rule"], f["evidence"]) for f in flags if f["category"] == "accuracy"] == \
        [("accuracy.policy_fact", "up to 30 days")]


@pytest.mark.parametrize("text, flagged", [
    ("Unarranged overdrafts are charged at £15 per day.", True),   # present tense: the policy
    ("You were charged £15 yesterday.", False),                    # an event
    ("You're overdrawn by £312.40 at the moment.", False),
])
def test_charged_as_policy_or_event(analyze, tmp_path, text, flagged):
    pack = pack_of(tmp_path,
                   "  - {id: od, about: [overdraft, overdrafts, overdrawn], kind: money, allowed: [\"£8\"],"
                   " explanation: x}\n")
    flags = flags_on_reply(analyze, text, pack=pack)
    assert ("accuracy.policy_fact" in {f["rule"] for f in flags}) is flagged


@pytest.mark.parametrize("text, flagged", [
    ("The termination fee is $200.", True),
    ("$200 is the termination fee.", True),
    ("The add-on is $40, and the termination fee stays as it is.", False),    # another clause
    ("Your check-in is in 5 days, so you can still cancel.", False),          # a countdown, not the window
    ("You have 2 devices registered, so you can cancel one.", False),
    ("The add-on is $40 and with the fee waived, so it'd be $40.", False),
])
def test_clauses_countdowns_and_states(analyze, fee_pack, text, flagged):
    assert ("accuracy.policy_fact" in {f["rule"] for f in flags_on_reply(analyze, text, pack=fee_pack)}) is flagged


@pytest.mark.parametrize("text, rule", [
    ("Don't take that tone with me.", "tone.rude"),          # the negation check must not cancel a reprimand
    ("The schedule is what it is.", "tone.dismissive"),
    ("Comprehensive covers you too. Got it?", "tone.condescending"),
    ("IT IS GREY. That's the colour you ordered.", "tone.shouting"),
])
def test_last_round_tone(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}


def test_anchor_quotes_and_pack_sizes(analyze, tmp_path):
    pack = pack_of(tmp_path,
                   "  - {id: delivery, about: [delivery], kind: duration, allowed: [\"2-4 days\"], explanation: x}\n"
                   "  - {id: returns, about: [return], kind: duration, allowed: [\"28 days\"], explanation: y}\n"
                   "  - {id: packs, about: [packs], kind: count, allowed: [\"2\"], explanation: z}\n")
    clean = ["Unopened items can come back within four weeks of delivery.",   # "of delivery": counted from it
             "Nine days of 'delivery' is a joke, I'm sorry.",                  # the customer's word, quoted
             "A replacement pack of 60 packs is on its way."]                   # a pack size
    for text in clean:
        assert "accuracy" not in categories(flags_on_reply(analyze, text, pack=pack)), text
    assert "accuracy.policy_fact" in {f["rule"] for f in
                                      flags_on_reply(analyze, "You have 14 days from delivery to return it.", pack=pack)}


# Seventh round (measured on the meal-kit and gym sets, then on a new blind pair).
@pytest.mark.parametrize("text, rule", [
    ("Sure, because we refund everyone who changes their mind.", "tone.sarcastic"),
    ("Right, and I suppose the parcel walked off by itself.", "tone.sarcastic"),
    ("Money doesn't grow on trees, you know.", "tone.sarcastic"),
    ("You typed your own postcode wrong 😂 I'll fix it.", "tone.sarcastic"),
    ("lol no, that's not how vouchers work.", "tone.sarcastic"),
    ("Pick the right size next time.", "tone.condescending"),
    ("And set a reminder this time.", "tone.condescending"),
    ("Read the manual, page 4 covers it.", "tone.condescending"),
    ("It's called a firmware update, look it up.", "tone.condescending"),
    ("Not everything is about you, there are other customers.", "tone.condescending"),
    ("We don't change the rota just for you.", "tone.condescending"),
    ("Typical. The rules are the rules.", "tone.dismissive"),
    ("Email them then.", "tone.dismissive"),
    ("That's between you and the courier, not me.", "tone.dismissive"),
    ("Can't promise anything, but there you go.", "tone.dismissive"),   # its own "but" does not excuse it
    ("That's just how it works.", "tone.dismissive"),
    ("Seriously, it says it on the box.", "tone.rude"),
    ("You should have kept the packaging.", "tone.blaming"),
    ("You should've been in when the engineer came.", "tone.blaming"),
])
def test_seventh_round_tone(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}


@pytest.mark.parametrize("text", [
    "Sure, and I'll add the receipt to the email too.",
    "Sure, I can do that for you.",
    "Haha 😂 glad the dog approves of the new bed!",
    "I'll look it up for you now.",
    "I've added a 10% code to your account for next time.",
    "I've waived the fee this time.",
    "Classic! Don't worry, that typo catches everyone.",
    "Nope, there's no fee for that!",
    "Nope. The limit is two bags per person.",
    "Yes, because the concert was cancelled, the booking fee comes back too.",
    "No, that's not us - we never text links.",
    "The 30 June date is your employer's deadline, not ours.",
    "Happy to send them then, just let me know.",
    "You should have received a confirmation email.",
    "You shouldn't have had to wait that long.",
])
def test_seventh_round_traps(analyze, text):
    assert "tone" not in categories(flags_on_reply(analyze, text))


@pytest.mark.parametrize("text, distressed", [
    ("the treadmill belt snapped and I'm bleeding", True),
    ("my son had an allergic reaction to the kit", True),
    ("I fell off and got hurt, nobody even cares!!", True),
    ("I asked three times. Are you even reading this?", True),
    ("can I add a bleeding-edge beta to my plan", False),
])
def test_injury_and_exasperation_are_distress(text, distressed):
    assert empathy.is_distressed(text, sentiment_score(text)) is distressed


def test_access_codes_and_sign_ins_are_credentials(analyze):
    for text in ["The code for locker 52 is 8812.", "Your door code is 4471.", "I signed in with Maple77! for you."]:
        assert "compliance.credentials" in {f["rule"] for f in flags_on_reply(analyze, text)}, text
    for text in ["You can sign in with your email address.", "I logged in with Google.",
                 "The gate code is in your booking email."]:
        assert "compliance" not in categories(flags_on_reply(analyze, text)), text


def test_a_second_mention_states_its_own_value(analyze, tmp_path):
    pack = pack_of(tmp_path,
                   "  - {id: plan, about: [Basic, Plus], kind: money, allowed: [\"$10\", \"$20\"], explanation: x}\n"
                   "  - {id: late, about: [late fee], kind: money, allowed: [\"$5\"], explanation: y}\n")
    flagged = ["Basic is $12 a month and Plus is $20.",             # both mentions state a value
               "You were late, so the $8 late fee applies."]        # "so" before the fee itself, not a sum
    for text in flagged:
        assert "accuracy.policy_fact" in {f["rule"] for f in flags_on_reply(analyze, text, pack=pack)}, text
    clean = ["Plus is $20, and with the $4.50 add-on you pay $24.50.",
             "It's $5 a day late, so $15 in all."]
    for text in clean:
        assert "accuracy" not in categories(flags_on_reply(analyze, text, pack=pack)), text


def test_a_calm_follow_up_after_an_acknowledgement_is_not_new_distress(analyze):
    opening = [("customer", "My dad passed away and I need to close his account."),
               ("agent", "I'm so sorry for your loss. I'll take care of it.")]
    calm = analyze(opening + [("customer", "Does the funeral home need a copy too?"),
                              ("agent", "No, just the certificate.")])
    assert not [f for f in calm["flags"] if f["category"] == "empathy"]
    upset = analyze(opening + [("customer", "I'm so worried about the funeral costs."),
                               ("agent", "No, just the certificate.")])
    assert [f["message_index"] for f in upset["flags"] if f["category"] == "empathy"] == [3]
    unacknowledged = analyze([("customer", "My dad passed away, can you close his account?"),
                              ("agent", "Send the certificate.")])
    assert [f["message_index"] for f in unacknowledged["flags"] if f["category"] == "empathy"] == [1]


def test_learned_tone_model_flags_what_no_rule_names(analyze):
    for text in ["Honestly, some people just can't follow simple instructions."]:
        flags = [f for f in flags_on_reply(analyze, text) if f["category"] == "tone"]
        assert [f["rule"] for f in flags] == ["tone.unfriendly"], text
        assert "probability" in flags[0]["explanation"] and flags[0]["suggestion"]
    for text in ["Happy to help! Your refund of $30 is on its way.",
                 "Thanks for waiting. I've reissued the tickets to the app, you should see them now.",
                 "You wrote that the agent told you to calm down; that's not okay."]:   # quoting the customer
        assert "tone" not in categories(flags_on_reply(analyze, text)), text


def test_learned_tone_evidence_is_the_rudest_sentence():
    from qa_app.nlp.components.tone import sentences
    from qa_app.nlp.pipeline import get_nlp
    nlp = get_nlp()
    model = nlp.get_pipe("qa_tone").model
    doc = nlp("Your booking is confirmed for Friday. Honestly, some people just can't follow simple instructions.")
    start, end, cues = model.evidence(doc, sentences(doc))
    assert doc.text[start:end].startswith("Honestly") and cues
    assert 0.0 <= model.probability(doc) <= 1.0


def test_tone_model_section_is_optional_and_checked(tmp_path):
    import spacy

    from qa_app.nlp.components.tone import ToneComponent, ToneRulesError
    path = tmp_path / "no-model.yaml"
    path.write_text("rules: []\n", encoding="utf-8")
    assert ToneComponent(spacy.blank("en"), "qa_tone", str(path)).model is None
    path = tmp_path / "bad-model.yaml"
    path.write_text("rules: []\nmodel: {weights: missing.json}\n", encoding="utf-8")
    with pytest.raises(ToneRulesError, match=r"model.weights: cannot read"):
        ToneComponent(spacy.blank("en"), "qa_tone", str(path))
    path = tmp_path / "bad-threshold.yaml"
    path.write_text("rules: []\nmodel: {weights: tone_weights.json, threshold: high}\n", encoding="utf-8")
    with pytest.raises(ToneRulesError, match=r"model.threshold: must be a number between 0 and 1"):
        ToneComponent(spacy.blank("en"), "qa_tone", str(path))


def test_tone_model_features_leave_out_lone_function_words_and_digits():
    from qa_app.nlp.components.tone_model import ngrams
    from qa_app.nlp.pipeline import get_nlp
    nlp = get_nlp()
    assert ngrams(nlp.make_doc("That's it.")) == ["that 's", "'s it", "it ."]   # pairs only: no lone "it"
    assert ngrams(nlp.make_doc("Knock yourself out")) == ["knock", "knock yourself", "yourself out"]
    assert ngrams(nlp.make_doc("Pay $35 now")) == ["pay", "pay $"]


def test_tone_model_hash_scoring_equals_the_string_features(texts_for_scoring):
    """Run time scores from the batch's token hashes; the fit (and the evidence) from strings: the same figure."""
    from qa_app.nlp.pipeline import pipe_texts
    from qa_app.nlp.pipeline import get_nlp
    model = get_nlp().get_pipe("qa_tone").model
    for doc in pipe_texts(texts_for_scoring):
        assert model.probability(doc) == pytest.approx(model.probability_of(doc), abs=1e-9), doc.text


@pytest.fixture(scope="module")
def texts_for_scoring():
    texts = ["Knock yourself out.", "Not sure what else you want from us.", "Pay $35 now  or else", "", "   ",
             "Honestly,\n\nsome people just can't follow simple instructions 🙄", "ÄÖÜ straße İstanbul"]
    for d in sorted(HELDOUT.iterdir())[:4]:
        for line in (d / "chats.jsonl").read_text(encoding="utf-8").splitlines()[:30]:
            texts += [m["text"] for m in json.loads(line)["messages"]]
    return texts


@pytest.mark.parametrize("text, rule", [
    ("It'll go back to the card you paid with, 4111 2222 3333 4445.", "compliance.card_number"),  # fails Luhn, named
    ("Your Visa 5500-1234-5678-9012 is on file.", "compliance.card_number"),
    ("I've reset your PIN to 4821.", "compliance.credentials"),
    ("The activation code sent to his phone is 552 019.", "compliance.credentials"),
    ("Here are your backup login codes: 1122-3344, 5566-7788.", "compliance.credentials"),
])
def test_eighth_round_compliance(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}


@pytest.mark.parametrize("text", [
    "Your tracking number is 1234 5678 9012 3456.",        # not named as a card, fails Luhn
    "The card ending 4421 is on file.",
    "Your PIN to unlock the locker is on the receipt.",
])
def test_eighth_round_compliance_traps(analyze, text):
    assert "compliance" not in categories(flags_on_reply(analyze, text))


@pytest.mark.parametrize("text, distressed", [
    ("I DID cancel it, check again", True),
    ("then WHY was I charged", True),
    ("it is NOT my scooter", True),
    ("I pressed it 4 times and nothing", True),
    ("I'm going to be late for work", True),
    ("honestly so done with this", True),
    ("I stood there like an idiot", True),
    ("Can I pay with code SAVE NOW?", False),
    ("The NOT gate in the manual, what does it do?", True),   # a word stressed in capitals reads as insisting
])
def test_eighth_round_distress(text, distressed):
    assert empathy.is_distressed(text, sentiment_score(text)) is distressed


# Ninth round (measured on the smart-home and movers sets, then on a new blind pair).
@pytest.mark.parametrize("text", [
    "Yes, 551204 is your login code.",
    "Is the answer to your security question still 'Rex'?",
    "Your collection code is 1234-5678.",
    "Your PIN for AB-12 is 4471.",
    "Log in with the password we set up for you: Tree2024!",
    "I've texted a code to your phone, it's 556677.",
    "I've set a temporary PIN of 8830.",
])
def test_ninth_round_credentials(analyze, text):
    assert "compliance.credentials" in {f["rule"] for f in flags_on_reply(analyze, text)}


def test_asking_the_security_question_is_not_sharing_it(analyze):
    text = "To verify, can you answer your security question: what was the name of your first pet?"
    assert "compliance" not in categories(flags_on_reply(analyze, text))


@pytest.mark.parametrize("text, distressed", [
    ("this is taking forever, I need it for rent", True),
    ("I tried everything, nothing works", True),
    ("you literally just said it was included", True),
    ("I feel sick, it was my grandmother's ring", True),
    ("someone tried to break in and I need the video for the police", True),
    ("hello??", True),
    ("I've talked to support twice about this", True),
    ("water everywhere, I need someone here NOW", True),
    ("I've moved my delivery twice because of building works, can I move it again?", False),
    ("you said 5 before? not complaining lol", False),
])
def test_ninth_round_distress(text, distressed):
    assert empathy.is_distressed(text, sentiment_score(text)) is distressed


@pytest.mark.parametrize("reply, acknowledges", [
    ("Unfortunately we can't change the date.", False),     # announces a refusal
    ("Traffic isn't really our concern.", False),
    ("I understand your concern, let me check.", True),
    ("That's really unfortunate, let me fix it.", True),
])
def test_refusals_are_not_acknowledgements(reply, acknowledges):
    assert bool(empathy.acknowledges(reply)) is acknowledges


# Tenth round (measured on the coworking set, then on a new blind pair).
@pytest.mark.parametrize("text, rule", [
    ("Most people manage to find it.", "tone.condescending"),
    ("Reading is hard, I know.", "tone.condescending"),
    ("Just log in like a normal person.", "tone.condescending"),
    ("It's in your inbox, honestly.", "tone.condescending"),
    ("Scroll up.", "tone.condescending"),
    ("Next time check the size chart.", "tone.condescending"),
    ("And don't press it twice this time.", "tone.condescending"),
    ("That's the fourth change this month.", "tone.condescending"),
    ("Did you actually try the link?", "tone.condescending"),
    ("These things happen with couriers.", "tone.dismissive"),
    ("Use the other room if it bothers you.", "tone.dismissive"),
    ("It's probably something on your end.", "tone.dismissive"),
])
def test_tenth_round_tone(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}


@pytest.mark.parametrize("text", [
    "Next time, feel free to message us directly.",
    "Most people find it under Settings > Privacy.",
    "I'm sorry, these things happen now and then - let me fix it.",
    "Honestly, you've been really patient, thank you.",
    "I can scroll down the log and check that for you.",
])
def test_tenth_round_traps(analyze, text):
    assert "tone" not in categories(flags_on_reply(analyze, text))


# Eleventh round (written from the cleaning, EV-charging, printing and tax-filing sets after their blind scoring).
@pytest.mark.parametrize("text, rule", [
    ("The delivery fee is listed, as is clearly stated on the checkout page.", "tone.condescending"),
    ("Late returns cost $10, as set out in the terms you agreed to.", "tone.condescending"),
    ("As I'm sure you can see, the button is green.", "tone.condescending"),
    ("It's all on the website if you look.", "tone.condescending"),
    ("It's in the FAQ.", "tone.condescending"),
    ("The code expires after a week. As stated.", "tone.condescending"),
    ("That isn't how shipping works.", "tone.condescending"),
    ("No offense, but the photo is blurry.", "tone.condescending"),
    ("The label was NOT attached to the box.", "tone.condescending"),
    ("That ALWAYS resets it.", "tone.condescending"),
    ("Restart then.", "tone.dismissive"),
    ("Don't know. Try the website.", "tone.dismissive"),
    ("Couldn't tell you.", "tone.dismissive"),
])
def test_eleventh_round_tone(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}


@pytest.mark.parametrize("text", [
    "Please do NOT share this code with anyone.",             # a security warning
    "THANK YOU for waiting, it's sorted!",
    "You'll find the sizes in the FAQ, and I'm happy to check one for you now.",
    "I'm sorry, that's not how it should work - let me fix it.",
    "I don't know yet, but I'll find out and message you by 3pm.",
])
def test_eleventh_round_traps(analyze, text):
    assert "tone" not in categories(flags_on_reply(analyze, text))


@pytest.mark.parametrize("text, rule, evidence", [
    ("The code that was sent is 551207, enter it now.", "compliance.credentials", "551207"),
    ("The code was generated on our side: 551 207.", "compliance.credentials", "551 207"),
    ("Code 551207 is verified, you're in.", "compliance.credentials", "551207"),
    ("The codes are going out fine, the latest one is 551207.", "compliance.credentials", "551207"),
    ("The key safe code on your booking is 7781.", "compliance.credentials", "7781"),
    ("The SSN on file is 078-05-1120.", "compliance.document_exposed", "078-05-1120"),
    ("I added military ID 4417730921 to your profile.", "compliance.document_exposed", "military ID 4417730921"),
    ("Your licence (K7731-2290-1145) is uploaded.", "compliance.document_exposed", "licence (K7731-2290-1145"),
    ("Texts now go to +44 7700 90046123.", "compliance.phone_exposed", "+44 7700 90046123"),
])
def test_eleventh_round_compliance(analyze, text, rule, evidence):
    """The evidence ends with the secret (a credential keyword rule may start it earlier, at the keyword)."""
    assert any(f["rule"] == rule and f["evidence"].endswith(evidence) for f in flags_on_reply(analyze, text))


@pytest.mark.parametrize("text", [
    "Your order code is 123456, keep it for returns.",       # an order reference, not a secret
    "The promo code 2024SPRING gives 10% off.",
    "Call us on +31 20 555 0199 any time.",                   # the company's own line
    "Give us a ring on 0330 135 2290.",
    "Error code 500 means the upload timed out.",
])
def test_eleventh_round_compliance_traps(analyze, text):
    assert "compliance" not in categories(flags_on_reply(analyze, text))


@pytest.mark.parametrize("reply", ["You're not alone, lots of people ask that!",
                                   "That's a really normal thing to feel."])
def test_reassurance_acknowledges(reply):
    assert empathy.acknowledges(reply)


# Twelfth round (veterinary, bike shop, coffee subscription and parking sets, after their blind scoring).
@pytest.mark.parametrize("text, rule", [
    ("I've sent the label twice. Not sure what else you want me to do.", "tone.dismissive"),
    ("The fee is $12. Those are the rules.", "tone.dismissive"),
    ("Weekly or monthly. Pick one.", "tone.dismissive"),
    ("If you'd read the email you wouldn't be in this position.", "tone.condescending"),
    ("As per my previous message, it ships Monday.", "tone.condescending"),
    ("It's in the confirmation, which I'm guessing you haven't opened.", "tone.condescending"),
    ("Perhaps read the size guide next time.", "tone.condescending"),
    ("You need to CHECK the spam folder.", "tone.condescending"),
    ("Cats need boosters too, believe it or not.", "tone.condescending"),
])
def test_twelfth_round_tone(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}


@pytest.mark.parametrize("text", [
    "Haha no worries at all, happy to help!",                 # friendly laughter
    "Our hills might feel like a mountain 😂 but the motor does the work.",  # the joke is on us
    "If you haven't already, try a restart. We find that this usually helps.",
    "Please CHECK IN at the front desk when you arrive, and thanks for booking!",
    "I'd suggest booking early next time you visit, the slots go fast!",
])
def test_twelfth_round_traps(analyze, text):
    assert "tone" not in categories(flags_on_reply(analyze, text))


@pytest.mark.parametrize("text, rule, evidence", [
    ("Payments will now come from 4556 7012 3344 1298.", "compliance.card_number", "4556 7012 3344 1298"),
    ("It's currently set to Luna2020! so you can log in.", "compliance.credentials", "Luna2020!"),
    ("Done, I've set it to Maple77x for now.", "compliance.credentials", "Maple77x"),
])
def test_twelfth_round_compliance(analyze, text, rule, evidence):
    assert (rule, evidence) in {(f["rule"], f["evidence"]) for f in flags_on_reply(analyze, text)}


@pytest.mark.parametrize("text", [
    "Your tracking number is 9400 1000 0000 0000 0012 34.",   # not four groups of four
    "I've set it to 11am tomorrow.",
    "The operator's line is busy; their 24/7 number: +49 89 4471 2200.",
])
def test_twelfth_round_compliance_traps(analyze, text):
    assert "compliance" not in categories(flags_on_reply(analyze, text))


def test_a_list_of_allowed_values_is_no_range():
    allowed = [parse_value(v, "duration") for v in ("3 months", "6 months", "12 months")]
    assert within_any(parse_value("6 or 12 months", "duration"), allowed)     # each end allowed
    assert not within_any(parse_value("6 or 9 months", "duration"), allowed)  # 9 months is not
    assert within_any(parse_value("6 months", "duration"), allowed)


@pytest.mark.parametrize("reply", ["Don't feel dumb, those plates look alike!", "Not silly at all! Tap My Box.",
                                   "Easy mistake, I've moved it over."])
def test_reassurance_about_a_slip_acknowledges(reply):
    assert empathy.acknowledges(reply)


# Thirteenth round (plant nursery, travel eSIM, appliance repair and bookshop sets, after their blind scoring).
@pytest.mark.parametrize("text", [
    "It's $12, which would have been clear had you looked at the options.",
    "Alaska is in the US, which I'd hope you knew.",
    "Do the maths: 25% of 20.",
    "The clue's in the name.",
    "Works for everyone else.",
    "He'll get there when he gets there.",
    "That's how banks work.",
    "Do read it.",
    "Someone over 18 HAS to be home.",
])
def test_thirteenth_round_tone(analyze, text):
    assert "tone" in categories(flags_on_reply(analyze, text))


@pytest.mark.parametrize("customer, reply, flagged", [
    ("my data ran out in 4 days lol", "Venice will do that to you 😂 Want a top-up?", False),  # banter they started
    ("my data ran out in 4 days", "Venice will do that to you 😂", True),
    ("haha my dog ate the cover", "Haha no, covers aren't sold separately.", False),
])
def test_laughing_back_at_a_joking_customer_is_banter(analyze, customer, reply, flagged):
    assert ("tone.sarcastic" in {f["rule"] for f in flags_on_reply(analyze, reply, customer)}) is flagged


@pytest.mark.parametrize("text, evidence", [
    ("I've added 06 12 47 89 33 for the driver.", "06 12 47 89 33"),
    ("Call her on 01.23.45.67.89 if needed.", "01.23.45.67.89"),
])
def test_french_phone_numbers(analyze, text, evidence):
    assert ("compliance.phone_exposed", evidence) in {(f["rule"], f["evidence"]) for f in flags_on_reply(analyze, text)}


def test_a_code_after_a_dash_is_given_out(analyze):
    flags = flags_on_reply(analyze, "The code was generated — it's 604918. Enter that.")
    assert ("compliance.credentials", "604918") in {(f["rule"], f["evidence"]) for f in flags}


@pytest.mark.parametrize("reply", ["Your wallet has my deepest sympathies!", "You're not useless at all!",
                                   "I know you're short on time, I'll be quick."])
def test_more_acknowledgements(reply):
    assert empathy.acknowledges(reply)


def test_counts_in_thousands_with_separators():
    assert parse_value("10,000 songs", "count").low == 10000
    assert [m.quantity.low for m in find_quantities("up to 10,000 songs on 5 devices", "count")] == [10000, 5]
    assert find_quantities("order 123456789", "count") == []      # a long digit run is an id, not a count


@pytest.mark.parametrize("text, rule", [
    ("Is that all, or are we done here?", "tone.dismissive"),
    ("Refunds go to the original card. Next question?", "tone.dismissive"),
    ("Fine. I'll send another one.", "tone.dismissive"),
    ("Then ask the seller.", "tone.dismissive"),
    ("Take it up with your bank.", "tone.dismissive"),
    ("Can't speak for the courier.", "tone.dismissive"),
    ("Should've read the size chart.", "tone.condescending"),
    ("Should have booked earlier.", "tone.condescending"),
    ("Next time maybe write the PIN down.", "tone.condescending"),
    ("In future, perhaps measure the door first.", "tone.condescending"),
    ("Try not to forget it this time.", "tone.condescending"),
    ("I just told you, the fee is waived.", "tone.condescending"),
    ("As previously explained, the voucher has expired.", "tone.condescending"),
    ("Let me put it simply for you: no receipt, no refund.", "tone.condescending"),
    ("Wow, you're welcome.", "tone.condescending"),
])
def test_fourteenth_round_tone(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}


@pytest.mark.parametrize("text", [
    "Fine by me! I'll book the later slot.",
    "That's fine. I'll send another one today.",
    "Then you're all set, enjoy the trip!",
    "Then we'll ship it on Monday.",
    "Next time you order, the discount applies automatically.",
    "In the future, we'll text you before the driver arrives.",
    "Try not to worry, it's easy to fix.",
    "Sure it is possible, I'll set it up now.",
    "I'm sure it is, thanks for checking.",
    "Should you need anything else, just reply here.",
])
def test_fourteenth_round_traps(analyze, text):
    assert "tone" not in categories(flags_on_reply(analyze, text))


@pytest.mark.parametrize("text, distressed", [
    ("this keeps failing and it's honestly demoralising", True),
    ("the app drove me mad all weekend", True),
    ("if this isn't sorted by 9 I'm in real trouble at work", True),
    ("I'm starting to think nobody will fix this", True),
    ("no need to be snarky about it", True),
    ("you renewed it without asking me", True),
    ("I want my money back immediately", True),
    ("I took the day off to be home for the engineer and nobody came", True),
    ("my car broke down on the way to the depot", True),
    ("it's my late husband's coat, please be careful with it", True),
    ("the tutor said she was late, traffic probably", False),
    ("what's the deadline for the final payment?", False),
    ("I'm leaving for the airport at 6, can it come before?", False),
    ("still nothing in my inbox, can you resend it?", False),
])
def test_fourteenth_round_distress(text, distressed):
    assert empathy.is_distressed(text, sentiment_score(text)) is distressed


@pytest.mark.parametrize("text, minutes_or_months", [
    ("access lasts half a year", (6, "months")),
    ("we wait half an hour at most", (30, "minutes")),
    ("the warranty runs a year and a half", (18, "months")),
    ("it takes 2 hours and a half", (150, "minutes")),
    ("a half hour slot", (30, "minutes")),
])
def test_halves_of_a_duration(text, minutes_or_months):
    (mention,) = find_quantities(text, "duration")
    assert (mention.quantity.low, mention.quantity.unit) == minutes_or_months
    assert "half" in text[mention.start:mention.end]


def test_list_numbers_are_no_counts():
    text = "Three answers: (1) it ships today. (2) returns are free. 3) You can bring up to 4 bags."
    assert [m.quantity.low for m in find_quantities(text, "count")] == [3, 4]
    assert [m.quantity.low for m in find_quantities("up to 4 bags (3 in winter)", "count")] == [4, 3]


@pytest.mark.parametrize("text, rule", [
    ("There's no need to get so upset about a parcel.", "tone.dismissive"),
    ("No need for the attitude.", "tone.dismissive"),
    ("Nobody's forcing you to renew.", "tone.dismissive"),
    ("You'll survive.", "tone.dismissive"),
    ("The courier comes on Monday. You'll have to wait.", "tone.dismissive"),
    ("No. Next.", "tone.dismissive"),
    ("If you really must, the form is online.", "tone.dismissive"),
    ("See? It was in your spam folder.", "tone.condescending"),
    ("Try to actually read the label this time.", "tone.condescending"),
    ("I'd have appreciated a photo the first time.", "tone.condescending"),
    ("Not sure how else I can say it.", "tone.condescending"),
])
def test_fifteenth_round_tone(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}


@pytest.mark.parametrize("text", [
    "No need to be sorry at all, it happens!",
    "There's no need to get a new card, I've unblocked it.",
    "You'll have to wait for the email, it comes within 5 minutes.",
    "Next Tuesday works, I've booked it.",
    "See the tracking page for live updates.",
    "You'll manage it easily from the app.",
])
def test_fifteenth_round_traps(analyze, text):
    assert "tone" not in categories(flags_on_reply(analyze, text))


@pytest.mark.parametrize("text, distressed", [
    ("a charge I never made showed up and it's freaking me out", True),
    ("I've gone back and forth with you for ages and I'm getting nowhere", True),
    ("how is that my fault, the app crashed", True),
    ("I haven't slept properly in days because of this alarm", True),
    ("been on hold 35 minutes and the line cut off", True),
    ("2 weeks?? the wedding is tomorrow", True),
    ("the gift has to be there by tomorrow, can you do that?", False),
    ("how long do you wait if I'm late?", False),
])
def test_fifteenth_round_distress(text, distressed):
    assert empathy.is_distressed(text, sentiment_score(text)) is distressed


@pytest.mark.parametrize("reply", [
    "Your booking was cancelled 5 hours before the show, so it became a credit.",
    "You booked 3 days ahead, which is fine.",
    "Your credit of $18.40 is on the account now.",
    "That service runs late less than 4% of the time.",
    "Your bags are on coach 2218 to Leeds.",
])
def test_reports_and_labels_are_not_policy_claims(analyze, reply):
    pack = load_policy("""company: Test
facts:
  - {id: cancel_window, about: [cancel, cancelled, booking, booked], kind: duration, allowed: ["24 hours"]}
  - {id: late_fee, about: [credit, fee], kind: money, allowed: ["$10"]}
  - {id: delay_refund, about: [late, delay], kind: percent, allowed: ["25%"]}
  - {id: bag_allowance, about: [bags], kind: count, allowed: ["2"]}
""")
    assert "accuracy" not in categories(flags_on_reply(analyze, reply, pack=pack))


def test_a_policy_limit_after_your_still_counts(analyze):
    pack = load_policy("company: T\nfacts:\n  - {id: switches, about: [switches], kind: count, allowed: ['3']}\n")
    assert "accuracy" in categories(flags_on_reply(analyze, "That counts towards your limit of 2 switches.", pack=pack))


@pytest.mark.parametrize("text, distressed", [
    ("Can we still cancel if the baby gets sick?", False),               # supposed, not felt
    ("what if she hates the gift?", False),
    ("I need to update my emergency contact number", False),
    ("my bank account is crying lol", False),                            # joking about it
    ("I'm so sick of chasing this refund", True),
    ("this is an emergency, the lock won't open and my dog is inside", True),
])
def test_supposed_or_joking_feelings_are_no_distress(text, distressed):
    assert empathy.is_distressed(text, sentiment_score(text)) is distressed


@pytest.mark.parametrize("reply", ["I know this is scary - I'm on it now.", "Glad you're okay! Let's sort the car.",
                                   "That's a fair point, I've refunded it.", "It's totally normal to be nervous!"])
def test_more_acknowledgements_of_fifteenth_round(reply):
    assert empathy.acknowledges(reply)


@pytest.mark.parametrize("text, rule", [
    ("Ma'am, I need you to calm down first.", "tone.dismissive"),
    ("It's only rain, you'll survive.", "tone.dismissive"),
    ("Two hours at the spa. Sounds like a real tragedy.", "tone.sarcastic"),
    ("Then by all means, enjoy the other gym.", "tone.sarcastic"),
    ("The price is the price.", "tone.sarcastic"),
    ("It's 10% of $80, which you could work out yourself.", "tone.condescending"),
    ("Are you sure you typed the code correctly?", "tone.condescending"),
    ("Done. And please actually write the PIN down this time.", "tone.condescending"),
    ("You swipe left. Like any other app.", "tone.condescending"),
    ("Then pick another date.", "tone.condescending"),
])
def test_sixteenth_round_tone(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}


@pytest.mark.parametrize("text", [
    "Sit back, relax and enjoy the show!",
    "It could work out cheaper over the year.",
    "Like you said, the tag was loose, so I've sent a new one.",
    "Then pick whichever date suits you best, thanks!",
    "We need you to calm the dog before the groomer starts, if that's okay?",
])
def test_sixteenth_round_traps(analyze, text):
    assert "tone" not in categories(flags_on_reply(analyze, text))


@pytest.mark.parametrize("text, distressed", [
    ("money's really tight this month, can I pay later?", True),
    ("we're on a tight budget and this fee hurts", True),
    ("my laptop got stolen on the train with the project on it", True),
    ("my dad was taken into hospital so we can't come", True),
    ("the tech never came, I waited all morning", True),
    ("what am i even paying for", True),
    ("how tight is the fit of the lid?", False),
])
def test_sixteenth_round_distress(text, distressed):
    assert empathy.is_distressed(text, sentiment_score(text)) is distressed


@pytest.mark.parametrize("text", [
    "It would help if you typed properly.",
    "Same answer as the last two times you asked: Friday.",
    "I'm just telling you how it works.",
    "You need to read your messages more often.",
    "If you already knew, why did you ask?",
])
def test_seventeenth_round_tone(analyze, text):
    assert "tone" in categories(flags_on_reply(analyze, text))


@pytest.mark.parametrize("text, distressed", [
    ("honestly I'm overwhelmed by all of this", True),
    ("I cried in the car after the call lol", True),                    # a laugh does not undo crying
    ("my wallet is crying lol", False),
    ("we lost our dog last night, please cancel his policy", True),
    ("the walker lost my dog's lead, can I get a refund?", False),
    ("been without internet since Tuesday", True),
    ("I had to borrow money from my brother to pay the bill", True),
])
def test_seventeenth_round_distress(text, distressed):
    assert empathy.is_distressed(text, sentiment_score(text)) is distressed


@pytest.mark.parametrize("text, distressed", [
    ("and if it clogs a third time?", False),
    ("should I book an emergency visit or wait till morning?", False),
    ("I wanted to know if I should reinstall, 2nd time this happened and I'm pretty annoyed", True),
])
def test_cues_in_a_supposition_are_no_distress(text, distressed):
    assert empathy.is_distressed(text, sentiment_score(text)) is distressed


@pytest.mark.parametrize("text, rule", [
    ("Oh sure, let me guess, you wanted it for free too?", "tone.sarcastic"),
    ("Thursday is still open, luckily for you.", "tone.sarcastic"),
    ("Refunds leave us on time. Anything after that is your bank's problem.", "tone.dismissive"),
    ("We're a funeral home, not a hardware store.", "tone.dismissive"),
    ("We've been over this. Not included.", "tone.dismissive"),
    ("You could have asked about that before the bill went past due.", "tone.condescending"),
    ("Use the reset link next time instead of guessing.", "tone.condescending"),
    ("Of course kids sit with the family, that's kind of obvious.", "tone.condescending"),
])
def test_eighteenth_round_tone(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}


@pytest.mark.parametrize("text", [
    "Let me fix your problem right away.",
    "We are a small team, not a big company, so thanks for bearing with us.",
    "You could have a refund or a replacement, whichever suits you.",
    "The larger one is the better choice for long trips, and it's on sale.",
])
def test_eighteenth_round_traps(analyze, text):
    assert "tone" not in categories(flags_on_reply(analyze, text))


@pytest.mark.parametrize("text, distressed", [
    ("I'm on my last $40 until payday, what's the cheapest option?", True),
    ("my hours got cut so we might be late this month", True),
    ("sorry again, my son was in the ER last night so I missed everything", True),
    ("My husband is in hospice and I've been handling everything on my own.", True),
    ("it's been a rough few months since the divorce", True),
    ("I have a job interview across town in 40 mins", True),
    ("will I be ready for my job interview in September?", False),
    ("she's really struggling that she wasn't here", True),
    ("My smart lock says battery 20%. Should I worry?", False),
    ("what's your ETA for emergency lockouts in Riverton?", False),
])
def test_eighteenth_round_distress(text, distressed):
    assert empathy.is_distressed(text, sentiment_score(text)) is distressed


@pytest.mark.parametrize("reply", ["Poor thing, ear infections are miserable.",
                                   "I hope the surgery goes smoothly.",
                                   "We get where you're coming from, Marc. However, ..."])
def test_eighteenth_round_acknowledgements(reply):
    assert empathy.acknowledges(reply)


@pytest.mark.parametrize("text, kind, value", [
    ("We take a quarter of the price when you order.", "percent", 25),
    ("half the total is due up front", "percent", 50),
    ("a hundred and twenty dollars", "money", 120),
    ("spare keys are a fiver each", "money", 5),
    ("up to a dozen and a half in pre-K", "count", 18),
])
def test_eighteenth_round_values(text, kind, value):
    assert [m.quantity.low for m in find_quantities(text, kind)] == [value]


def test_a_quarter_of_an_hour_is_no_percent():
    assert find_quantities("it takes a quarter of an hour", "percent") == []


@pytest.mark.parametrize("text, distressed", [
    ("My husband's pension didn't come through and I'm not sure how I'll cover this week's visits.", True),
    ("hi. I start chemo next week and I'd like my hair short before it falls out", True),
    ("My mom fell in the bathroom this morning. She's ok, just bruised.", True),
    ("we've got a newborn and we're sleeping on an air mattress", True),
    ("wed is fine. I just feel like I'm failing him", True),
    ("I want to speak to a manager", False),
    ("I paid but the portal still says unpaid", False),
])
def test_nineteenth_round_distress(text, distressed):
    assert empathy.is_distressed(text, sentiment_score(text)) is distressed


def test_the_shipped_tone_weights_are_a_fit_of_the_labeled_chats():
    """Adding labeled chats without re-fitting (python -m qa_app.nlp.fit_tone) fails here."""
    pytest.importorskip("sklearn")
    from qa_app.nlp import fit_tone
    from qa_app.nlp.components.tone_model import DATA_DIR
    from .conftest import shared_file
    shared_file("twitter-customer-care/dev.jsonl")  # skips with a reason when ../shared/data is absent
    sets = fit_tone.labeled_sets()
    negatives, _ = fit_tone.real_negatives()
    texts = [t for rows in sets.values() for t, _ in rows] + negatives
    labels = [y for rows in sets.values() for _, y in rows] + [False] * len(negatives)
    shipped = json.loads((DATA_DIR / "tone_weights.json").read_text(encoding="utf-8"))
    vectorizer, clf = fit_tone.fit(fit_tone.features(texts), labels, shipped["C"], shipped["min_df"])
    assert shipped["messages"] == len(texts) and shipped["rude"] == sum(labels)
    assert round(float(clf.intercept_[0]), 4) == shipped["bias"]


# --- twentieth round (tenth session): values in more words, facts named by their words, plural terms -----------
@pytest.mark.parametrize("text, kind, value", [
    ("Spot trades cost half a percent of the trade value.", "percent", 0.5),
    ("there's a two and a half percent convenience fee", "percent", 2.5),
    ("The second and third cats are half off.", "percent", 50),
    ("kids eat half price on Mondays", "percent", 50),
    ("Within a couple of weeks of the fix, so don't wait too long.", "duration", 14),
    ("We only need a couple of hours' notice.", "duration", 120),
    ("Bank withdrawals take a full working week to arrive.", "duration", 7),
    ("You can spread it over one whole year.", "duration", 12),
])
def test_twentieth_round_values(text, kind, value):
    assert [m.quantity.low for m in find_quantities(text, kind)] == [value]


@pytest.fixture(scope="module")
def exchange_pack(tmp_path_factory):
    return pack_of(tmp_path_factory.mktemp("pack"),
                     "  - {id: trading_fee, about: [trading fee, spot fee, maker fee], kind: percent,"
                     " allowed: [\"0.25%\"],"
                     " explanation: Trades cost 0.25%.}\n"
                     "  - {id: card_fee, about: [card purchase fee, buy with card], kind: percent, allowed: [\"1.5%\"],"
                     " explanation: Card purchases cost 1.5%.}\n"
                     "  - {id: condo_rate, about: [cat condo, cat rate], kind: money, allowed: [\"$35\"],"
                     " explanation: A cat condo is $35 a night.}\n")


@pytest.mark.parametrize("text, flagged", [
    ("Spot trades cost half a percent of the trade value.", True),   # "spot", "trade": the trading fee's words
    ("Card purchases are charged 2% on top.", True),                 # "card", "purchase"
    ("Spot trades cost a quarter of a percent.", False),             # (0.25%, allowed)
    ("Trades settle at 2% slippage at most.", False),                # one shared word says too little
    ("Trades made with a card cost 2%.", False),                     # "trade" and "card": as near one fact as the other
    ("Cat condos are $40 a night.", True),                           # a plural the lemmatizer does not know
])
def test_facts_named_by_their_words_or_in_the_plural(analyze, exchange_pack, text, flagged):
    assert ("accuracy" in categories(flags_on_reply(analyze, text, pack=exchange_pack))) is flagged, text


@pytest.mark.parametrize("reply", ["Three days of 'pending' would wear anyone's patience thin - let me dig in.",
                                   "That's such a normal feeling, and it shows how much you care about her.",
                                   "Accidents happen, and blinds are a quick replacement.",
                                   "Hi Shelley, dropped calls are no fun and our team is here to help."])
def test_twentieth_round_acknowledgements(reply):
    assert empathy.acknowledges(reply)


# --- twenty-first round (eleventh session): amounts with no currency, "it's" after a named fact, the question's
# words and days of the week in facts named by their words, reassurance -------------------------------------------
@pytest.mark.parametrize("text, kind, value", [
    ("You get half a dozen passes each season.", "count", 6),
    ("You get a couple of tune-ups a year.", "count", 2),
    ("Dropping him this late means a forty-dollar charge.", "money", 40),
])
def test_twenty_first_round_values(text, kind, value):
    assert [m.quantity.low for m in find_quantities(text, kind)] == [value]


@pytest.mark.parametrize("text, value", [
    ("Twenty-five per person.", 25), ("He's mistaken, it's forty-five.", 45), ("Complete runs sixty-nine a month.", 69),
    ("It's twelve ninety-nine a month.", 12.99), ("We'd put up to fifteen hundred toward a new one.", 1500),
])
def test_amounts_with_no_currency(text, value):
    assert [m.quantity.low for m in bare_amounts(text, "USD")] == [value]


@pytest.mark.parametrize("text", ["See you at 3.", "Meet us at gate 4.", "That is good.", "We have one.",
                                  "Some branches waive it if you're 24.", "Done, ticket 4412."])
def test_numbers_that_are_no_amounts(text):
    assert bare_amounts(text, "USD") == []


@pytest.fixture(scope="module")
def club_pack(tmp_path_factory):
    return pack_of(tmp_path_factory.mktemp("pack"),
                     "  - {id: cart_fee, about: [cart fee, golf cart, per rider], kind: money, allowed: [\"$20\"],"
                     " explanation: A cart is $20 per rider.}\n"
                     "  - {id: late_fee, about: [late cancellation fee, no-show fee], kind: money, allowed: [\"$25\"],"
                     " explanation: Late cancellations cost $25 per player.}\n"
                     "  - {id: weekday_fee, about: [weekday green fee, weekday round], kind: money, allowed: [\"$55\"],"
                     " explanation: 18 holes on a weekday cost $55.}\n"
                     "  - {id: weekend_fee, about: [weekend green fee, weekend round], kind: money, allowed: [\"$75\"],"
                     " explanation: 18 holes at the weekend cost $75.}\n"
                     "  - {id: senior_discount, about: [senior discount, seniors], kind: percent, allowed: [\"15%\"],"
                     " explanation: Seniors get 15% off.}\n"
                     "  - {id: guest_passes, about: [guest passes, bring a guest], kind: count, allowed: [\"6\"],"
                     " explanation: Members get 6 guest passes.}\n")


@pytest.mark.parametrize("customer, reply, flagged", [
    ("what's the cart fee", "Twenty-five per person.", True),            # no currency, in answer to the fee
    ("what's the cart fee", "Twenty per person.", False),
    ("what's the cart fee", "Carts leave from bay 3.", False),           # a label, not an amount
    ("Is the cart fee per cart or per person?", "It's per rider, so fifteen bucks each.", True),  # nothing to work out
    ("How much is a cart for two?", "It's $20 a rider, so $40 for the two of you.", False),      # worked out
    ("What's the charge?", "There's a late cancellation fee of thirty-five dollars per player.", True),  # "fee of"
    ("How many guest passes do I get?", "You get a total of eight guest passes.", True),              # "a total of"
    ("How many guest passes do I get?", "You get half a dozen passes each season.", False),
    ("Do seniors get a discount?", "The senior discount is weekdays only. On weekdays it's ten percent off.", True),
    ("Do seniors get a discount?", "The senior discount is weekdays only. On weekdays it's 15% off.", False),
    ("what's the fee for 18 today? it's wednesday", "Wednesday green fee is $60.", True),  # a weekday's fee
    ("what's the fee for 18 today? it's sunday", "Sunday green fee is $75.", False),
])
def test_twenty_first_round_accuracy(analyze, club_pack, customer, reply, flagged):
    found = categories(flags_on_reply(analyze, reply, customer=customer, pack=club_pack))
    assert ("accuracy" in found) is flagged, reply


@pytest.mark.parametrize("reply", ["No problem at all, we'll go step by step. First, open the app.",
                                   "Hello, I'm happy to help, and we'll take it one step at a time.",
                                   "Good luck with the interview! Same-day repairs cost $25.",
                                   "Totally okay, the pros are patient with beginners.",
                                   "Not at all! Just activate it now and the lab will match it up.",
                                   "Take whatever time you need."])
def test_twenty_first_round_acknowledgements(reply):
    assert empathy.acknowledges(reply)


@pytest.mark.parametrize("reply", ["Good luck with that, we don't take returns on worn items.",
                                   "Not at all. Is there anything else?"])
def test_brush_offs_are_no_acknowledgement(reply):
    assert not empathy.acknowledges(reply)


@pytest.mark.parametrize("text, distressed", [
    ("The garbage disposal you fixed is jamming again. Is that covered?", False),  # an appliance
    ("This service is garbage.", True),
    ("Also can the policy be moved to my name?", False),                           # a transfer
    ("I have $40 to my name until Friday.", True),
])
def test_twenty_first_round_distress_cues(text, distressed):
    assert empathy.is_distressed(text, sentiment_score(text)) is distressed


def test_a_light_verb_names_no_fact(analyze, tmp_path):
    """"take" is a word of "refund takes" alone in this pack, but "can take up to 72 hours" is about anything."""
    pack = pack_of(tmp_path, "  - {id: refund_time, about: [refund takes, refund to show, card refund], kind: duration,"
                             " allowed: [\"5 business days\"], explanation: x}\n"
                             "  - {id: returns, about: [return window], kind: duration, allowed: [\"30 days\"],"
                             " explanation: y}\n")
    customer = "I bought the card pack days ago and haven't got my money refunded"
    assert not flags_on_reply(analyze, "This bonus can take up to 72 hours to be applied.", customer, pack)
    assert "accuracy" in categories(flags_on_reply(analyze, "A card refund can show up to 10 business days later.",
                                                   customer, pack))


# --- twenty-second round (twelfth session): short answers to a question that asks for a value, a wrong value said
# again, minor units, sarcasm and blame, reassurance, spelled-out addresses -----------------------------------------
@pytest.mark.parametrize("text, value", [
    ("Four pounds fifty a month, and that's it.", 4.5), ("It's ten dollars and fifty cents.", 10.5),
    ("About 13 cents per trade.", 0.13), ("The MOT is fifty-four pounds eighty-five.", 54.85),
    ("It's ten dollars for twenty minutes.", 10), ("Five dollars and that is it.", 5),
])
def test_money_with_minor_units(text, value):
    assert [m.quantity.low for m in find_quantities(text, "money")][:1] == [value]


def test_a_cent_is_no_amount():
    assert find_quantities("I guarantee you won't lose a cent.", "money") == []


@pytest.mark.parametrize("value, kind, parsed", [("half", "percent", 50), ("a quarter", "percent", 25),
                                                  ("once", "count", 1), ("twice", "count", 2)])
def test_pack_values_in_words(value, kind, parsed):
    assert parse_value(value, kind).low == parsed


@pytest.fixture(scope="module")
def tailor_pack(tmp_path_factory):
    return pack_of(tmp_path_factory.mktemp("pack"),
                   "  - {id: rush_fee, about: [rush fee, rush surcharge], kind: money, allowed: [\"$25\"],"
                   " explanation: Rush costs $25 a garment.}\n"
                   "  - {id: hem_price, about: [hem, basic hem], kind: money, allowed: [\"$18\"], explanation: x}\n"
                   "  - {id: credit_expiry, about: [credit expiry, credits expire, how long credits last], kind: duration,"
                   " allowed: [\"12 months\"], explanation: Credits are valid for 12 months.}\n"
                   "  - {id: return_window, about: [return window, credit back], kind: duration,"
                   " allowed: [\"7 days\"], explanation: y}\n"
                   "  - {id: turnaround, about: [standard turnaround, how long alterations take], kind: duration,"
                   " allowed: [\"7 days\"], explanation: z}\n")


@pytest.mark.parametrize("customer, reply, flagged", [
    ("How much extra is rush?", "Rush is $30 per garment.", True),             # a word only the rush fee has
    ("How much extra is rush?", "Rush is $25 per garment.", False),
    ("how long do credits last anyway", "Credits are valid for 18 months.", True),  # two words of the fact
    ("and how long do normal alterations take?", "Normally 5 working days.", True),
    ("and how long do normal alterations take?", "Yep! Normally 7 days.", False),
    ("Is rush any good?", "Rush is great, we did 30 dresses last week.", False),    # asks for no amount
    ("what's the price?", "It's $40.", False),               # "price" asks for an amount but names no fact
    ("how much credit do I have?", "You have $15.00 in credit.", False),            # the customer's own account
    ("How much extra is rush?", "Honestly most people who rush a whole wedding party end up paying around $30 "
                                "more than they planned.", False),  # no short answer
])
def test_short_answers_to_a_question_asking_for_a_value(analyze, tailor_pack, customer, reply, flagged):
    found = categories(flags_on_reply(analyze, reply, customer=customer, pack=tailor_pack))
    assert ("accuracy" in found) is flagged, reply


@pytest.mark.parametrize("follow_up, flagged", [
    ("Like I said, six months.", True), ("Nope, it's six months, your friend is mistaken.", True),
    ("Sorry, my mistake: it's 12 months, not six months.", False),   # a correction
    ("I said six months, but I was wrong.", False), ("It's 12 months.", False),
])
def test_a_wrong_value_said_again(analyze, tailor_pack, follow_up, flagged):
    result = analyze([("customer", "do credits expire?"), ("agent", "Credits expire after six months."),
                      ("customer", "my friend said a year?"), ("agent", follow_up)], pack=tailor_pack)
    assert [f["message_index"] for f in result["flags"] if f["rule"] == "accuracy.policy_fact"][:1] == [1]
    assert any(f["message_index"] == 3 and f["rule"] == "accuracy.policy_fact" for f in result["flags"]) is flagged


@pytest.mark.parametrize("text, rule", [
    ("At the shop. Where else would it be?", "tone.sarcastic"),
    ("We sell them, yes. Shockingly, a trampoline park sells trampoline socks.", "tone.sarcastic"),
    ("You can walk in, sure, if you enjoy waiting two hours on a Saturday.", "tone.sarcastic"),
    ("Nope. Kinda thought that was obvious but now you know!", "tone.condescending"),
    ("The date is pretty clearly shown on the checkout page before you pay.", "tone.condescending"),
    ("Yes, just say 'play my book'. Pretty straightforward, even for non-techy folks.", "tone.condescending"),
    ("you clicked premium, so thats what you got.", "tone.blaming"),
    ("Screenshots can be edited, but fine, send it over.", "tone.blaming"),
])
def test_twenty_second_round_tone(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}, text


@pytest.mark.parametrize("text", ["That was obvious from the photos you sent, thanks!",
                                  "Surprisingly, the fix is simple: restart the app.",
                                  "I'm sorry I wasn't there to help sooner."])
def test_twenty_second_round_traps(analyze, text):
    assert "tone" not in categories(flags_on_reply(analyze, text)), text


@pytest.mark.parametrize("reply", ["Ugh, that sounds infuriating. Let me look.", "I hope your little one's feeling "
                                   "better.", "Don't panic, let me have a look.", "That's a really common worry!"])
def test_twenty_second_round_acknowledgements(reply):
    assert empathy.acknowledges(reply)


@pytest.mark.parametrize("text, distressed", [
    ("Tried calling for 40 minutes before giving up and coming here.", True),
    ("the kids are melting down in the back", True), ("ok no need to be snippy", True),
    ("Two business days. Great. I've heard that before.", True), ("That's it? An hour for 2 minutes of work.", True),
    ("thats it? great thanks", False),
])
def test_twenty_second_round_distress(text, distressed):
    assert empathy.is_distressed(text, sentiment_score(text)) is distressed


@pytest.mark.parametrize("text, exposed", [
    ("Sent it to maria_ochoa at icloud dot com.", "maria_ochoa at icloud dot com"),
    ("I'll email you at tom dot brennan at gmail dot com instead.", "tom dot brennan at gmail dot com"),
    ("Write to j (at) x (dot) org.", "j (at) x (dot) org"),
])
def test_spelled_out_email_addresses(text, exposed, policy):
    assert [text[f.start:f.end] for f in compliance.emails(text, policy)] == [exposed]


@pytest.mark.parametrize("text", ["Look at it dot by dot.", "Meet us at the dot at noon.",
                                  "Write to support at t dot example."])
def test_words_at_and_dot_are_no_address(text, tmp_path):
    pack = pack_of(tmp_path, "  - {id: fee, about: [fee], kind: money, allowed: [\"$5\"], explanation: x}\n")
    assert compliance.emails(text, pack) == []


def test_hyphenated_prohibited_phrase_and_the_shops_own_line(policy, tmp_path):
    pack_path = tmp_path / "policy.yaml"
    pack_path.write_text("company: T\nprohibited_phrases:\n  - {phrase: off the record, category: compliance}\n",
                         encoding="utf-8")
    phrases = compliance.compile_phrases(load_policy(pack_path))
    assert compliance.prohibited("Not officially, but off-the-record I can add socks.", phrases)
    assert compliance.phones("Or call the shop at (503) 555-0140.", policy, [], 0) == []
    assert compliance.phones("We'll text you at (503) 555-0140.", policy, [], 0)


# --- twenty-third round (ride-hailing, dating app, public library and catering sets) --------------------------------
@pytest.fixture(scope="module")
def catering_pack(tmp_path_factory):
    return pack_of(tmp_path_factory.mktemp("pack"),
                   "  - {id: lead_time, about: [advance notice, booking notice, lead time], kind: duration,"
                   " allowed: [\"14 days\"], explanation: Book 14 days ahead.}\n"
                   "  - {id: refund_window, about: [full refund, cancellation window], kind: duration,"
                   " allowed: [\"30 days\"], explanation: x}\n"
                   "  - {id: refund_time, about: [refund processing, refund timeline], kind: duration,"
                   " allowed: [\"5 business days\"], explanation: y}\n"
                   "  - {id: tasting_fee, about: [tasting fee, menu tasting], kind: money, allowed: [\"$75\"],"
                   " explanation: z}\n"
                   "  - {id: hold_window, about: [hold pickup, holds shelf], kind: duration, allowed: [\"7 days\"],"
                   " explanation: w}\n"
                   "  - {id: daily_fine, about: [overdue fine, late fee], kind: money,"
                   " allowed: [\"25¢\", \"a quarter\"],"
                   " explanation: v}\n")


@pytest.mark.parametrize("customer, reply, flagged", [
    ("How much notice do you need for a corporate lunch?", "Ten days.", True),       # "how much notice" asks a time
    ("How much notice do you need for a corporate lunch?", "Two weeks.", False),
    ("when will I see my refund", "Usually 7 to 10 business days.", True),  # business days: the processing time
    ("when will I see my refund", "Usually 5 business days.", False),
    ("when will I see my refund", "Usually within 10 days.", False),  # "refund" names two facts, no business days
    ("how much is a tasting?", "Fifty dollars, and it comes off your final bill if you book.", True),  # opens it
    ("how much is a tasting?", "Seventy-five dollars, and it comes off your final bill if you book.", False),
    ("how much is a tasting?", "It depends, and honestly most couples end up spending about $50 more on extras.",
     False),                                                  # the value does not open a long first sentence
    ("how long do I have to grab my hold?", "You've got 3 days from the notification.", True),  # not own state
])
def test_twenty_third_round_answers(analyze, catering_pack, customer, reply, flagged):
    found = categories(flags_on_reply(analyze, reply, customer=customer, pack=catering_pack))
    assert ("accuracy" in found) is flagged, reply


def test_pack_money_in_cents_and_quarters(catering_pack):
    fine = next(f for f in catering_pack.facts if f.id == "daily_fine")
    assert {v.low for v in fine.values} == {0.25}


@pytest.mark.parametrize("repeat, flagged", [("Yep, ten a week should be plenty!", True),
                                             ("Yep, 9 to 11 works for most people.", False)])  # a range is no repeat
def test_a_wrong_count_from_an_answer_said_again(analyze, repeat, flagged, tmp_path):
    pack = pack_of(tmp_path, "  - {id: super_likes, about: [super likes], kind: count, allowed: [\"5\"],"
                             " explanation: Five a week.}\n")
    result = analyze([("customer", "how many super likes do i get per week?"), ("agent", "You get 10 a week."),
                      ("customer", "so plenty then"), ("agent", repeat)], pack=pack)
    assert any(f["message_index"] == 1 for f in result["flags"] if f["rule"] == "accuracy.policy_fact")
    assert any(f["message_index"] == 3 for f in result["flags"] if f["rule"] == "accuracy.policy_fact") is flagged


@pytest.mark.parametrize("customer, reply, flagged", [
    ("what's the app lock PIN for my account? i set it ages ago", "It's 7734.", True),
    ("can you remind me what my 2fa backup codes are", "Sure: 8841-2290 and 1176-5503.", True),
    ("I forgot my security answer for the account", "no worries, it's 'Buttercup' — your first pet's name :)", True),
    ("what was my old password btw?", "It was sunflower22, so pick anything different.", True),
    ("what's my PIN?", "I can't see PINs, but I've sent you a reset link.", False),
    ("what's my PIN?", "It's the 4-digit number you chose at sign-up; reset it under Settings.", False),
    ("what's the wifi password at the salon?", "The guest Wi-Fi is 'Salon_Guest' and the password is on the card.",
     False),
    ("what's the card on my account?", "It's the Visa ending in 4242.", False),            # not a credential asked
    ("got the code, its 382-115", "Great, code 382-115 accepted and your number is updated.", True),  # echoed
    ("got the code, thanks", "Great, your number is updated.", False),
    ("my order is 382115", "Order 382115 is on its way.", False),          # an order number, not a code
])
def test_credentials_asked_for_and_given_back(analyze, customer, reply, flagged):
    assert ("compliance" in categories(flags_on_reply(analyze, reply, customer=customer))) is flagged, reply


@pytest.mark.parametrize("reply, rule", [
    ("Sure, the driver will call five oh three, five five five, zero one six six.", "compliance.phone_exposed"),
    ("I see the number on file is five-one-two, five-five-five, zero-one-four-eight.", "compliance.phone_exposed"),
    ("Just to confirm, that's five five zero zero, zero zero zero zero, zero zero zero zero, zero zero zero four?",
     "compliance.card_number"),
    ("I've triggered a new code. For reference it's 4 8 1 - 9 0 7, enter it on the login screen.",
     "compliance.credentials"),
    ("For the PIN, I've reset it to four-four-seven-one, so log in with that.", "compliance.credentials"),
    ("Your PIN is set to 0 9 1 4, I'd change it after logging in.", "compliance.credentials"),
    ("For your records, your security answer is set to \"Buster\".", "compliance.credentials"),
    ("Sent to sam.whitfield@ protonmail.com!", "compliance.email_exposed"),
])
def test_secrets_read_out_or_disguised(analyze, reply, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, reply)}, reply


@pytest.mark.parametrize("reply", [
    "Steps one, two, three, four are in the guide.",                   # read-out digits, but no code or phone
    "Call circulation at (555) 014-2200 and they'll do a shelf check.",  # a line of the company's
    "You can also reach us at help@rivertonlibrary.org or (555) 014-2200.",
    "We'll call you at 9 tomorrow.",
])
def test_twenty_third_round_compliance_traps(analyze, reply):
    assert "compliance" not in categories(flags_on_reply(analyze, reply)), reply


def test_a_third_partys_number_is_still_exposed(analyze):
    flags = flags_on_reply(analyze, "Got it. The tech will ring Marcus at 555-390-1177 when he's close.")
    assert "compliance.phone_exposed" in {f["rule"] for f in flags}


@pytest.mark.parametrize("text, rule", [
    ("Sorry you feel that way. Anything else?", "tone.dismissive"),
    ("Prices are what they are.", "tone.dismissive"),
    ("Honestly you're kind of overreacting, most scammers give up fast.", "tone.dismissive"),
    ("Our team reviews every photo, and photos don't lie.", "tone.blaming"),
    ("Per my earlier message, promo purchases are 7 days.", "tone.condescending"),
    ("$9.99. I already corrected that above.", "tone.condescending"),
    ("Accounts get blocked at $15. Maybe keep better track of your due dates.", "tone.condescending"),
    ("It's really quite simple, even for folks who aren't great with computers: log in and click Renew.",
     "tone.condescending"),
    ("Sure, and I'd also love free rent. No, that's a Premium feature.", "tone.sarcastic"),
    ("Which, again, is on the quote you obviously didn't read.", "tone.condescending"),  # a price quote, not quoting
])
def test_twenty_third_round_tone(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}, text


@pytest.mark.parametrize("text", ["To quote you: \"you obviously didn't read it\" - I'm sorry it came across that way.",
                                  "Photos can't show everything, so I've asked the driver too.",
                                  "Prices are listed on the quote we sent, and I'm happy to walk you through them."])
def test_twenty_third_round_tone_traps(analyze, text):
    assert "tone" not in categories(flags_on_reply(analyze, text)), text


@pytest.mark.parametrize("text, distressed", [
    ("it's just been a really bad week", True), ("that's a pain. I have 25 parents to notify", True),
    ("ok I found it, your own help page says 14 days!!", True),
    ("im literally standing at the pin", True),
    ("ok thanks, and sorry for being snippy", False),        # taking back their own tone
    ("can I book a hard day of climbing?", False),
])
def test_twenty_third_round_distress(text, distressed):
    assert empathy.is_distressed(text, sentiment_score(text)) is distressed


@pytest.mark.parametrize("reply, acknowledged", [("Sorry you feel that way. Anything else?", False),
                                                 ("No need to worry so much, it's just a car ride.", False),
                                                 ("I'm so sorry you feel let down by this.", True),
                                                 ("No need to worry, I'll sort it now.", True)])
def test_twenty_third_round_acknowledgements(reply, acknowledged):
    assert bool(empathy.acknowledges(reply)) is acknowledged


# --- twenty-fourth round (meditation app, day spa, sneaker resale and summer camp sets) ---------------------------
@pytest.mark.parametrize("text, kind, value", [
    ("Our seller fee is a tenth of the sale price.", "percent", 10),       # a share of a named price
    ("Cancelling carries a penalty of a fifth of the order total.", "percent", 20),
    ("Every fifth massage is on us!", "count", 5),                          # a loyalty card's "every Nth"
    ("every 10th coffee is free", "count", 10),
])
def test_twenty_fourth_round_values(text, kind, value):
    assert [m.quantity.low for m in find_quantities(text, kind)] == [value], text


@pytest.mark.parametrize("text", ["We're open every day.", "Come back every 2 weeks.", "It's due on the 5th.",
                                  "The fifth one on the list is ours."])  # ordinals count only after "every"
def test_twenty_fourth_round_value_traps(text):
    assert find_quantities(text, "count") == [], text


@pytest.mark.parametrize("text, value", [("Two hundred even for the both of you.", 200),
                                         ("Flat twelve ninety-five anywhere in the US.", 12.95)])
def test_bare_amounts_with_even_and_flat(text, value):
    assert [m.quantity.low for m in bare_amounts(text, "USD")] == [value]


@pytest.mark.parametrize("value, parsed", [("6th", 6), ("sixth", 6), ("10th", 10)])
def test_pack_counts_as_ordinals(value, parsed):
    assert parse_value(value, "count").low == parsed


@pytest.mark.parametrize("reply, flagged", [("Every fifth massage is on us!", True),
                                            ("Every sixth massage is on us!", False),
                                            ("We're open every day of the week.", False)])
def test_an_every_nth_loyalty_reward(analyze, reply, flagged, tmp_path):
    pack = pack_of(tmp_path, "  - {id: loyalty, about: [loyalty card, free massage], kind: count,"
                             " allowed: [\"6th\", \"sixth\"], explanation: Every 6th massage is free.}\n")
    found = categories(flags_on_reply(analyze, reply, customer="how does the loyalty card work?", pack=pack))
    assert ("accuracy" in found) is flagged, reply


@pytest.mark.parametrize("text, rule", [   # twenty-fifth round (bowling, portrait studio, RV rental, cooking school)
    ("Sure, since our system just randomly charges people for fun.", "tone.sarcastic"),
    ("Sure, let me just teleport the van back to Denver for you.", "tone.sarcastic"),
    ("Great question! I'll try to keep this simple: guests means the kids bowling.", "tone.condescending"),
    ("Read your own confirmation, you added your wife.", "tone.condescending"),
    ("Your friend must be bad at counting, we never go over 10.", "tone.condescending"),
    ("Burns are a normal part of cooking, she'll live.", "tone.dismissive"),
    ("It's fine, nobody reads these.", "tone.dismissive"),
])
def test_twenty_fifth_round_tone(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}, text


@pytest.mark.parametrize("text", ["I'll get right on that now and update you within the hour.",
                                  "Sorry, I'll try to keep this simple: two steps, then you're done.",
                                  "I hope she's okay - burns are scary. Is she alright?"])
def test_twenty_fifth_round_tone_traps(analyze, text):
    assert "tone" not in categories(flags_on_reply(analyze, text)), text


@pytest.mark.parametrize("text, rule", [   # twenty-sixth round (tattoo studio, translation, farm boxes, karting)
    ("She was following policy. Late is late.", "tone.dismissive"),
    ("That's your call, but you'd be wasting your time.", "tone.dismissive"),
    ("Great, glad you saw sense. The order's created.", "tone.condescending"),
    ("It's a vegetable. Google is your friend.", "tone.condescending"),
    ("It's honestly not that complicated, I promise.", "tone.condescending"),
    ("Honestly, most clients would just be happy we're fixing it for free.", "tone.condescending"),
    ("We can't really guess where you live.", "tone.condescending"),
    ("Oh good, another 'where's my box' on the hottest day of the year. Love that for us.", "tone.sarcastic"),
    ("Oh for f***'s sake, again?? Let me sort this out.", "tone.profane"),
])
def test_twenty_sixth_round_tone(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}, text


@pytest.mark.parametrize("text", ["Good news: the late fee is waived this time.",
                                  "You won't be wasting any time, the form takes two minutes.",
                                  "Oh good, it arrived! Enjoy the box."])
def test_twenty_sixth_round_tone_traps(analyze, text):
    assert "tone" not in categories(flags_on_reply(analyze, text)), text


@pytest.mark.parametrize("text, minutes", [("a quarter of an hour", 15), ("quarter-hour", 15), ("a quarter hour", 15),
                                           ("three quarters of an hour", 45), ("an hour", 60)])
def test_quarter_hours(text, minutes):
    assert [(m.quantity.low, m.quantity.unit) for m in find_quantities(text, "duration")] == [(minutes, "minutes")]


@pytest.mark.parametrize("value, kind, parsed", [("quarter-hour", "duration", 15), ("one guest", "count", 1),
                                                 ("two rounds", "count", 2), ("half again", "percent", 50)])
def test_pack_values_of_the_twenty_sixth_round(value, kind, parsed):
    assert parse_value(value, kind).low == parsed


def test_a_pack_count_of_several_words_is_refused():
    assert parse_value("one of them", "count") is None


@pytest.fixture(scope="module")
def studio_pack(tmp_path_factory):
    return pack_of(tmp_path_factory.mktemp("studio"),
                   "  - {id: discount, about: [first responder discount, military discount], kind: percent,"
                   " allowed: [\"10%\"], explanation: First responders get 10% off.}\n"
                   "  - {id: word_rate, about: [per word rate, price per word], kind: money,"
                   " allowed: [\"$0.14\", \"14 cents\"], explanation: Translation is $0.14 a word.}\n"
                   "  - {id: min_age, about: [age requirement, young riders], kind: count, allowed: [\"18\"],"
                   " explanation: Riders must be 18.}\n"
                   "  - {id: grace, about: [grace period], kind: duration, allowed: [\"a quarter of an hour\"],"
                   " explanation: We hold a slot for 15 minutes.}\n")


@pytest.mark.parametrize("customer, reply, flagged", [
    ("does the first responder discount apply? is it like 20%?", "It does! It's 10% rather than 20%.", False),
    ("does the first responder discount apply?", "It does, 20% off with ID.", True),
    ("what's your per word rate?", "It's 14 cents a word, with a $45 minimum per order.", False),
    ("what's your per word rate?", "It's 20 cents a word.", True),
    ("my 150 word doc at your per word rate?", "Correct, 150 x $0.14 is $21, so the minimum applies.", False),
    ("what age do riders have to be?", "Sixteen, with a parent's consent.", True),
    ("how old do riders need to be?", "twenty-one, with ID.", True),
    ("how old do riders need to be?", "18, with ID.", False),
    ("how long is the grace period?", "An hour.", True),
    ("how long is the grace period?", "A quarter of an hour.", False),
])
def test_twenty_sixth_round_accuracy(analyze, studio_pack, customer, reply, flagged):
    found = categories(flags_on_reply(analyze, reply, customer=customer, pack=studio_pack))
    assert ("accuracy" in found) is flagged, reply


@pytest.mark.parametrize("customer, reply, flagged", [
    ("cant log in. i reset my password to Tomatoes2024! and it says wrong password",
     "I've unlocked it, so try Tomatoes2024! again now.", True),
    ("the new password wont save, it says too weak. i tried Rosa2024", "Yeah, Rosa2024 is too short.", True),
    ("my order A12345 is late, and I can't reset my password", "Order A12345 ships today.", False),
    ("it says wrong code", "Codes expire after 10 minutes. I've sent a fresh one, it's 582217, just enter that.", True),
    ("is there a number i can call?", "Sure! Front desk is (503) 555-0148, open noon to 8.", False),
    ("is there a number i can text?", "Yep, you can text (802) 555-0147, same as our phone line.", False),
    ("the site keeps crashing", "You can book by phone at (503) 555-0148 instead.", False),
    ("that's harsh", "You can reach our safety line directly at (503) 862-2739.", False),
    ("can someone call me?", "I've asked our events team to call you on (503) 862-2739 this afternoon.", True),
])
def test_twenty_sixth_round_compliance(analyze, customer, reply, flagged):
    assert ("compliance" in categories(flags_on_reply(analyze, reply, customer=customer))) is flagged, reply


@pytest.fixture(scope="module")
def hourly_pack(tmp_path_factory):
    return pack_of(tmp_path_factory.mktemp("hourly"),
                   "  - {id: hourly_rate, about: [hourly rate, per hour], kind: money, allowed: [\"$180\"],"
                   " explanation: Artists charge $180 per hour.}\n"
                   "  - {id: ticket, about: [ticket price], kind: money, allowed: [\"$32\"],"
                   " explanation: Tickets cost $32 per player.}\n"
                   "  - {id: no_show, about: [no-show fee], kind: money, allowed: [\"$15\"],"
                   " explanation: A no-show costs $15 per player.}\n")


@pytest.mark.parametrize("customer, reply, flagged", [
    ("roughly what would a 4 hour session cost me", "A four-hour session would be right around $800 before tip.", True),
    ("roughly what would a 4 hour session cost me", "A four-hour session would be $720 before tip.", False),
    ("ok, two sessions then", "Two 3-hour sessions would be about $600 each.", False),  # two counts: which product?
    ("how much for 2 hours?", "Two hours would be about $400.", True),
    ("can I cancel?", "With 24 hours' notice, otherwise it's $100.", False),  # hours of notice are not billed
    ("how much overnight?", "Overnight care is a flat $240 for 10 hours.", False),
    ("how much for 4 hours?", "About $700 for the four hours.", False),             # rounded: within 2% of $720
    ("how much for 4 hours?", "With the 10% discount, 4 hours comes to $650.", False),  # worked out from more
    ("can you hold it?", "Sorry, my mistake, it's $100. I've put a 24-hour hold on the slot.", False),
    ("we're 4 players", "Perfect, that's 4 players, $100 total.", False),  # two prices per player: which one?
])
def test_worked_out_sums(analyze, hourly_pack, customer, reply, flagged):
    rules = {f["rule"] for f in flags_on_reply(analyze, reply, customer=customer, pack=hourly_pack)}
    assert ("accuracy.worked_out_sum" in rules) is flagged, reply


@pytest.mark.parametrize("text, rule", [   # twenty-seventh round (handyman, aquarium, bridal, climbing gym)
    ("Sure, I'll add a note. Though honestly, most of our customers just put a mat down.", "tone.condescending"),
    ("The credit goes to the referrer, which is kind of the whole point of a referral.", "tone.condescending"),
    ("Of course, though if a breaker is beyond you a lesson won't help much.", "tone.condescending"),
    ("Did I not type that clearly enough? 30 days.", "tone.condescending"),
    ("Honestly if you're asking about day pass prices you're probably not ready for a membership.",
     "tone.condescending"),
    ("Please tell them no street shoes, we are sick of cleaning up after people.", "tone.rude"),
])
def test_twenty_seventh_round_tone(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}, text


@pytest.mark.parametrize("value, kind, parsed", [("free", "money", 0), ("no charge", "money", 0),
                                                 ("on the house", "money", 0), ("two-fifty", "money", 250),
                                                 ("16 wks", "duration", 112), ("14 years old", "count", 14),
                                                 ("time and a half", "percent", 50)])
def test_pack_values_of_the_twenty_seventh_round(value, kind, parsed):
    assert parse_value(value, kind).low == parsed


@pytest.mark.parametrize("text, kind, value", [("after hours is time and a half", "percent", 50),
                                               ("Sundays are double time", "percent", 100),
                                               ("about 2 wks", "duration", 14)])
def test_surcharges_and_weeks_in_running_text(text, kind, value):
    assert [m.quantity.low for m in find_quantities(text, kind)] == [value]


@pytest.mark.parametrize("reply, flagged", [
    ("Sure, kids camp groups are 12 kids max.", False),  # 12 kids is no age
    ("Kids can climb without a parent from 12.", True),
    ("Kids 12 and up can climb without a parent.", True),
])
def test_a_count_of_people_is_no_age(analyze, reply, flagged, tmp_path):
    pack = pack_of(tmp_path, "  - {id: min_age, about: [minimum age, without a parent, kids], kind: count,"
                             " allowed: [\"14\", \"14 years old\"], explanation: Climbers must be 14 to climb alone.}\n")
    found = categories(flags_on_reply(analyze, reply, customer="how old do kids have to be to climb alone?",
                                      pack=pack))
    assert ("accuracy" in found) is flagged, reply


@pytest.mark.parametrize("text, rule", [   # twenty-eighth round (blinds, dry cleaner, hostel, sailing school)
    ("I appreciate dates can be tricky, so let me go through it slowly for you.", "tone.condescending"),
    ("It's a discount for booking early. Hence the name.", "tone.condescending"),
    ("Laundered shirts are $3.75. Or honestly, if money's that tight, an iron is cheaper.", "tone.condescending"),
    ("Nobody else has complained, so probably just you.", "tone.dismissive"),
    ("Then I guess you'd be out of luck 🤷", "tone.dismissive"),
    ("The instructions say 30 minutes early. If you'd done that you wouldn't have missed anything.", "tone.blaming"),
])
def test_twenty_eighth_round_tone(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}, text


@pytest.mark.parametrize("value, parsed", [("one fifty", 150), ("no extra cost", 0), ("seven-ninety-nine", 799),
                                           ("on us", 0)])
def test_pack_money_of_the_twenty_eighth_round(value, parsed):
    assert parse_value(value, "money").low == parsed


def test_a_pack_count_said_the_short_way():
    assert parse_value("one-fifty", "count").low == 150  # "150 miles a day"


@pytest.mark.parametrize("customer, reply, flagged", [
    ("it says invalid code", "I can see the code went out, it was 731904. You can enter that now.", True),
    ("it says invalid code", "No worries, I've sent a new one. It's 482913, just enter that.", True),
    ("the crew needs to get in", "Perfect, I've noted for the crew: side gate, code 5582#.", True),
    ("when will they come?", "Booked for Saturday. The measurer will call ahead on (617) 555-0148.", True),
    ("how do I reach you?", "Of course, help@pressright.example, or call (614) 555-0173.", False),
    ("is anyone there on the day?", "You can reach the dock office on (410) 555-0100.", False),
    ("weekend number?", "Our weekend dock line is (410) 555-0177, staffed 7am-7pm.", False),
    ("can you text me?", "We'll bring it over and text you on 0417 332 096 on the day.", True),
])
def test_twenty_eighth_round_compliance(analyze, customer, reply, flagged):
    assert ("compliance" in categories(flags_on_reply(analyze, reply, customer=customer))) is flagged, reply
