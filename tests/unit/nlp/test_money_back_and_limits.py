"""Rules of analyzers 1.20.0 and 1.21.0 (twenty-ninth and thirtieth rounds, after the blind riding school, swim school,
pet grooming and lawn care sets, then the flight school, axe throwing, record store and kayak rental sets): times money
takes to come back, discounts worked out wrong, counts said as limits, amounts in words beside a named fee, unit-only
terms, prices times a count, values that are part of a term. Examples are written here, not copied from those chats;
traps sit next to each rule."""
import pytest

from qa_app.nlp.components.accuracy import is_event
from qa_app.nlp.quantities import bare_amounts, find_quantities

from .test_generalization import categories, flags_on_reply, pack_of

REFUNDS = ("  - {id: refund_window, about: [refund, money back], kind: duration, allowed: [\"14 days\"],"
           " explanation: Unused passes can be refunded within 14 days of purchase.}\n")
REFUND_TIME = ("  - {id: refund_time, about: [refund time, refund processing], kind: duration,"
               " allowed: [\"5 business days\"], explanation: Refunds reach your card within 5 business days.}\n")


@pytest.fixture(scope="module")
def window_pack(tmp_path_factory):
    return pack_of(tmp_path_factory.mktemp("pack"), REFUNDS)


@pytest.fixture(scope="module")
def both_pack(tmp_path_factory):
    return pack_of(tmp_path_factory.mktemp("pack"), REFUNDS + REFUND_TIME)


@pytest.mark.parametrize("reply", [
    "I've refunded the $40; banks usually take 3 to 5 working days to post it.",
    "Refunds usually show up in 5-7 business days depending on your bank.",
    "Done, the refund goes back to your card and should show within 10 business days.",
    "The refund of $89 is processed and should appear on your statement in 3-5 days.",
])
def test_the_time_money_takes_to_come_back_is_no_window_to_act_in(analyze, window_pack, reply):
    assert "accuracy" not in categories(flags_on_reply(analyze, reply, "where is my refund??", window_pack))


@pytest.mark.parametrize("reply, flagged", [
    ("You can get your money back within 30 days of purchase.", True),       # the window itself, wrong
    ("Refunds are possible within 14 days of purchase.", False),
    ("Sorry, refunds only go back 7 days.", True),                           # "go back" in time, a window
])
def test_a_refund_window_is_still_read(analyze, window_pack, reply, flagged):
    assert ("accuracy" in categories(flags_on_reply(analyze, reply, "can I get a refund?", window_pack))) is flagged


def test_a_time_to_come_back_is_read_against_the_packs_time_to_pay_back(analyze, both_pack):
    flags = flags_on_reply(analyze, "Refunds can take up to 14 business days depending on your bank.",
                           "when will I see the refund?", both_pack)
    assert [f["explanation"].split(";")[0] for f in flags if f["category"] == "accuracy"] == \
        ["States 14 days for refund_time"]
    assert not flags_on_reply(analyze, "It should show on your card within 5 business days.",
                              "when will I see the refund?", both_pack)


@pytest.fixture(scope="module")
def discount_pack(tmp_path_factory):
    return pack_of(tmp_path_factory.mktemp("pack"),
                   "  - {id: senior_discount, about: [senior discount, seniors], kind: percent, allowed: [\"15%\"],"
                   " explanation: Seniors get 15% off.}\n"
                   "  - {id: multi_pet, about: [multi-pet discount, second pet], kind: percent, allowed: [\"10%\"],"
                   " explanation: Two or more pets take 10% off the total.}\n")


@pytest.mark.parametrize("customer, reply, flagged", [
    ("how much is it for me, I'm 70", "It's $120, and seniors get 15% off, so you'd pay $96.", True),
    ("how much is it for me, I'm 70", "It's $120, and seniors get 15% off, so you'd pay $102.", False),
    ("how much is it for me, I'm 70", "Seniors get 15% off, which saves you $18 on the $120.", False),
    ("my quote is $900, what with prepay?", "With 15% off that comes to $800.", True),
    ("my quote is $900, what with prepay?", "With 15% off that comes to $765.", False),
    ("two dogs?", "Two at $55 each is $110, and with the multi-pet discount you'd pay $88.", True),
    ("two dogs?", "Two at $55 each is $110, and with the multi-pet discount you'd pay $99.", False),
    ("two dogs?", "Both are $80 each, and the multi-pet discount takes 10% off, so $144 all in.", False),
    ("two kids?", "$89 for the first, and the second gets 10% off, so $169.10 all up.", False),
    ("what's 5% of it?", "5% of £189 is £9.45, so you'd pay £179.55 a week.", False),
    ("how much?", "There's no multi-pet discount, it's $14.99 per pet, so $29.98.", False),
    ("and the total?", "It's $200 plus the $25 fee, with 10% off the lessons that's $205.", False),   # more than one
    ("how much is left?", "It's 75% of what's left, so $524.85.", False),                            # no discount
])
def test_a_discount_worked_out_wrong(analyze, discount_pack, customer, reply, flagged):
    flags = [f for f in flags_on_reply(analyze, reply, customer, discount_pack)
             if f["rule"] == "accuracy.worked_out_discount"]
    assert bool(flags) is flagged, reply


def test_a_wrong_discount_names_the_right_price(analyze, discount_pack):
    flags = flags_on_reply(analyze, "It's $120, and seniors get 15% off, so you'd pay $96.", "price?", discount_pack)
    assert [f["explanation"] for f in flags] == ["15% off $120 is $102, not $96."]


@pytest.fixture(scope="module")
def limits_pack(tmp_path_factory):
    return pack_of(tmp_path_factory.mktemp("pack"),
                   "  - {id: max_pets, about: [how many pets, pets per appointment, max pets], kind: count,"
                   " allowed: [\"3\"], explanation: Up to 3 pets per appointment.}\n"
                   "  - {id: group_size, about: [group size, riders per group], kind: count, allowed: [\"6\"],"
                   " explanation: Groups are capped at 6 riders.}\n")


@pytest.mark.parametrize("reply, flagged", [
    ("Max is four per appointment, so bring them all!", True),
    ("Group lessons are capped at eight riders.", True),
    ("Sunday's group is bigger, up to 8 riders.", True),
    ("The Tuesday group has 4 riders at the moment, so there's room.", False),   # how many there are now
    ("Booked: Thursday 4:30pm, 3 pets, see you then.", False),
    ("Groups are capped at 6 riders, and yours has 5.", False),
])
def test_a_count_said_as_a_limit_is_read_by_its_words(analyze, limits_pack, reply, flagged):
    assert ("accuracy" in categories(flags_on_reply(analyze, reply, "ok thanks", limits_pack))) is flagged, reply


@pytest.fixture(scope="module")
def fee_words_pack(tmp_path_factory):
    return pack_of(tmp_path_factory.mktemp("pack"),
                   "  - {id: setup_fee, about: [in-room setup, setup fee], kind: money, allowed: [\"$120\"],"
                   " explanation: In-room setup is $120.}\n"
                   "  - {id: camp_deposit, about: [camp deposit, hold a camp place], kind: money, allowed: [\"$100\"],"
                   " explanation: A $100 deposit holds a camp place.}\n")


@pytest.mark.parametrize("customer, reply, flagged", [
    ("is setup extra?", "It is extra - in-room setup is a hundred and fifty.", True),
    ("is setup extra?", "It is extra - in-room setup is a hundred and twenty.", False),
    ("is setup extra?", "In-room setup is booked for Saturday 9-12.", False),            # digits beside a fee: a time
    ("how much do I need to put down to hold a camp place?", "A hundred and fifty holds the place.", True),
])
def test_amounts_in_words_beside_a_named_fee(analyze, fee_words_pack, customer, reply, flagged):
    assert ("accuracy" in categories(flags_on_reply(analyze, reply, customer, fee_words_pack))) is flagged, reply


def test_short_prices_in_words_may_be_hundreds():
    assert {m.quantity.low for m in bare_amounts("It's four-fifty a week.", "USD")} == {4.5, 450}
    assert [m.quantity.low for m in bare_amounts("A hundred and fifty holds the place.", "USD")] == [150]


def test_a_term_that_is_only_a_unit_names_no_fact(analyze, tmp_path):
    pack = pack_of(tmp_path, "  - {id: lesson_length, about: [lesson length, minutes], kind: duration,"
                             " allowed: [\"45 minutes\"], explanation: Lessons last 45 minutes.}\n")
    assert not flags_on_reply(analyze, "Check your spam folder in a minute or two.", "no email yet", pack)
    assert "accuracy" in categories(flags_on_reply(analyze, "The lesson length is 30 minutes.", "hi", pack))


def test_a_longer_term_in_the_question_wins(analyze, tmp_path):
    """"how long" is a term of the lesson length, "how long do I have" of the package's validity."""
    pack = pack_of(tmp_path, "  - {id: lesson_length, about: [how long], kind: duration, allowed: [\"45 minutes\"],"
                             " explanation: Lessons last 45 minutes.}\n"
                             "  - {id: validity, about: [how long do i have], kind: duration,"
                             " allowed: [\"6 months\"], explanation: Packages are valid for 6 months.}\n")
    assert "accuracy" in categories(flags_on_reply(analyze, "A full year from the day you buy it.",
                                                   "how long do i have to use them", pack))


@pytest.mark.parametrize("text, event", [
    ("Gift cards last three years from purchase.", False),
    ("They'll last 6 months.", False),
    ("I've checked your orders in the last 3 days.", True),
])
def test_last_as_a_verb_states_how_long_something_is_good_for(text, event):
    m = find_quantities(text, "duration")[0]
    assert is_event(text, m) is event


def test_siblings_discount_is_not_also_the_member_discount(analyze, tmp_path):
    pack = pack_of(tmp_path, "  - {id: sibling, about: [sibling discount, siblings], kind: percent,"
                             " allowed: [\"15%\"], explanation: Siblings get 15% off.}\n"
                             "  - {id: member, about: [member discount, members], kind: percent,"
                             " allowed: [\"10%\"], explanation: Members get 10% off.}\n")
    assert "accuracy" in categories(flags_on_reply(
        analyze, "Yes, siblings get a discount - it's 10% off the second child's lessons.", "any discount?", pack))


@pytest.mark.parametrize("text, rule", [
    ("Sorry about the trouble, but maybe try entering it correctly this time?", "tone.condescending"),
    ("Owners can't stay for the groom. Most owners understand that.", "tone.condescending"),
    ("Yes, the aeration thing. Pretty advanced stuff, I know.", "tone.condescending"),
    ("$95. It's also on the page.", "tone.dismissive"),
    ("Flower beds aren't covered, so honestly that's on whoever planted them there.", "tone.blaming"),
])
def test_twenty_ninth_round_tone(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}, text


# --- thirtieth round (flight school, axe throwing, record store, kayak rental) -------------------------------------
@pytest.mark.parametrize("customer, reply, flagged", [
    ("military?", "With the military discount it's $1,850 minus 10%, which is $1,480.", True),
    ("military?", "With the military discount it's $1,850 minus 10%, which is $1,665.", False),
    ("10 hours?", "That's $700, and your 10% brings that to $640.", True),
    ("two cats, $30 in all, how much", "You'd pay $25.50 with your multi-pet discount.", True),
    ("two cats, $30 in all, how much", "You'd pay $27 with your multi-pet discount.", False),
    ("so it'd be $22.50?", "Yep, $22.50 with your multi-pet discount.", False),   # no price to take it off
    ("and with 15%?", "15% off. 12 months at $89 is $1,068, so you'd pay $907.80.", False),
])
def test_more_ways_to_say_a_discount(analyze, discount_pack, customer, reply, flagged):
    flags = [f for f in flags_on_reply(analyze, reply, customer, discount_pack)
             if f["rule"] == "accuracy.worked_out_discount"]
    assert bool(flags) is flagged, reply


@pytest.fixture(scope="module")
def rental_pack(tmp_path_factory):
    return pack_of(tmp_path_factory.mktemp("pack"),
                   "  - {id: half_day, about: [half day, half-day rental], kind: duration, allowed: [\"4 hours\"],"
                   " explanation: A half-day rental lasts 4 hours.}\n"
                   "  - {id: shuttle, about: [shuttle], kind: money, allowed: [\"$12\"],"
                   " explanation: The shuttle costs $12 per person.}\n"
                   "  - {id: deposit, about: [deposit, security deposit], kind: money, allowed: [\"$100\"],"
                   " explanation: A $100 deposit is held per booking.}\n")


@pytest.mark.parametrize("customer, reply, flagged", [
    ("how much is a tandem", "A tandem is $65 for the half day.", False),        # "half day" names the period
    ("how long is it", "A half-day rental is 3 hours.", True),
    ("for a group of 4?", "That's 48 dollars for the shuttle.", False),          # 4 x $12
    ("for a group of 4?", "That's 52 dollars for the shuttle.", True),
    ("why two charges", "I can see two $90 charges for the deposit; I've voided one.", False),
])
def test_values_that_name_a_period_or_multiply_a_price(analyze, rental_pack, customer, reply, flagged):
    assert ("accuracy" in categories(flags_on_reply(analyze, reply, customer, rental_pack))) is flagged, reply


@pytest.mark.parametrize("text, event", [
    ("There are 4 seats left right now.", True),
    ("As long as it's more than 12 hours away there's no charge.", False),
    ("I'm 20 minutes away.", True),
])
def test_what_is_left_and_what_is_ahead(text, event):
    m = (find_quantities(text, "count") or find_quantities(text, "duration"))[0]
    assert is_event(text, m) is event


def test_a_pack_may_write_included_for_nothing():
    from qa_app.nlp.quantities import parse_value
    assert parse_value("included", "money").low == 0


# --- analyzer 1.22.0: sums worked out in the open, whatever the pack says -----------------------------------------
@pytest.mark.parametrize("reply, explanation", [
    ("Yes, so your next sweep would be $189 minus $75, which is $124.", "$189 - $75 is $114, not $124."),
    ("Lobes are $35 each, so $60 for both of hers plus jewelry.", "2 x $35 is $70, not $60."),
    ("$20 each, so $45 for the two of you.", "2 x $20 is $40, not $45."),
    ("That's 12 x $129, which is $1,600.", "12 x $129 is $1,548, not $1,600."),
    ("$35 each, so $70 for both.", None),
    ("$140 + $119 = $259.", None),
    ("$1 + $12 + $15 = $28.", None),                          # a longer chain: not read
    ("It's $10-$20 a bag, so $45 should cover it.", None),   # a range, no outcome cue after it
])
def test_sums_worked_out_in_the_open(analyze, reply, explanation):
    flags = [f["explanation"] for f in flags_on_reply(analyze, reply) if f["rule"] == "accuracy.wrong_arithmetic"]
    assert flags == ([explanation] if explanation else []), reply
