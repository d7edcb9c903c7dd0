"""Rules of analyzers 1.23.0 to 1.25.0 (thirty-first to thirty-third rounds, after the blind tree care, paintball,
costume rental and window cleaning sets, the makerspace, ice rink, pet sitting and bouncy castle sets, then the
gutter, surf school, carpet cleaning and bike courier sets): visits booked as clock-time ranges read against an
arrival window, prices times a count worked out wrong, percentages added wrong, shares paid up front, group sizes
said as "N or more", "you've got ..." after the sentence naming the fact, ages said as who may come, notice said as
"the day before", quid, a percent said as dollars off. Examples are written here, not copied from those chats; traps
sit next to each rule."""
import pytest

from qa_app.nlp.components.time_windows import window_fact, window_statements
from qa_app.nlp.quantities import find_quantities, parse_value

from .test_generalization import categories, flags_on_reply, pack_of

WINDOW = ("  - {id: arrival_window, about: [arrival window, time slot], kind: duration, allowed: [\"2 hours\"],"
          " explanation: Our fitters arrive within a booked two-hour window.}\n")


@pytest.fixture(scope="module")
def window_pack(tmp_path_factory):
    return pack_of(tmp_path_factory.mktemp("pack"), WINDOW)


@pytest.mark.parametrize("reply, flagged", [
    ("Your fitter will turn up sometime between 9 and 1.", True),          # four hours
    ("I've moved you to Thursday, 3 to 3:30pm.", True),                   # half an hour
    ("The earliest I have is 7 to 8am on Monday.", True),
    ("He'll come anytime between 10 and noon.", False),
    ("Booked for Friday, 1-3pm.", False),
    ("You're down for 11am to 1 on the 14th.", False),
    ("We're open 9am to 6pm on weekdays if you'd like to call.", False),  # opening hours are no visit
    ("Refunds take 3 to 5 business days.", False),                        # a range of days
    ("Slots run from 8am to 4pm in 2-hour windows.", False),              # says the right window itself
    ("We do, Sundays from 9 AM to 3 PM.", False),                         # a day of the week, every week: hours
])
def test_a_visit_booked_as_a_range_of_clock_times_gives_its_window(analyze, window_pack, reply, flagged):
    assert ("accuracy" in categories(flags_on_reply(analyze, reply, "when can you come?", window_pack))) is flagged


def test_the_range_flag_names_its_length_and_the_policy(analyze, window_pack):
    [flag] = [f for f in flags_on_reply(analyze, "We'll be there between 8 and noon.", "when?", window_pack)
              if f["category"] == "accuracy"]
    assert flag["evidence"] == "8 and noon"
    assert flag["explanation"].startswith("States 240 minutes for arrival_window")


def test_only_one_short_window_named_window_or_slot_is_read(tmp_path):
    assert window_fact(list(pack_of(tmp_path, WINDOW).facts)).id == "arrival_window"
    returns = ("  - {id: return_window, about: [return window], kind: duration, allowed: [\"30 days\"],"
               " explanation: Returns within 30 days.}\n")
    assert window_fact(list(pack_of(tmp_path, returns).facts)) is None  # thirty days is no arrival window


@pytest.mark.parametrize("text, minutes", [
    ("between 10 and 1", 180), ("8 to 8:30am", 30), ("10am-noon", 120), ("11am to 1", 120), ("1–3pm", 120),
])
def test_clock_ranges_are_read_on_a_twelve_hour_clock(window_pack, text, minutes):
    [(mention, _)] = window_statements(f"Booked for {text}.", window_fact(list(window_pack.facts)))
    assert mention.quantity.low == minutes


@pytest.mark.parametrize("reply, explanation", [
    ("At $80 each, three hedges comes to $220.", "3 x $80 is $240, not $220."),
    ("Hemming is $12 per item, so for the four skirts that's $40 in total.", "4 x $12 is $48, not $40."),
    ("A day late is $10, three days would be $25.", "3 x $10 is $30, not $25."),
    ("That's two tickets at $18, so $32.", "2 x $18 is $36, not $32."),
    ("At $9 a day that comes to $40 for the five days.", "5 x $9 is $45, not $40."),
    ("It's 10% plus 5%, so 20% off in total.", "10% + 5% is 15%, not 20%."),
    ("Four adults at $22 is $88.", None),
    ("It's $6 a day, so for your 2 dogs over 5 days that's $60.", None),   # a product of the counts
    ("Each box of 1,000 is $30, so two boxes comes to $60.", None),       # "1,000" counts what is in a box
    ("It's $30 each, and the booking for 3 on the 12th is $90 with the deposit.", None),  # a deposit in it
    ("Lessons are $50 each, so $250 for the block.", None),               # no count in the clause
    ("It's $14 per crossing, so $56 for both cars there and back.", None),
])
def test_a_price_times_a_count_worked_out_wrong(analyze, reply, explanation):
    flags = [f["explanation"] for f in flags_on_reply(analyze, reply) if f["rule"] == "accuracy.wrong_arithmetic"]
    assert flags == ([explanation] if explanation else []), reply


@pytest.mark.parametrize("text, value", [
    ("We take a third up front and the rest on the day.", 100 / 3),
    ("Half up front, the balance on delivery.", 50.0),
    ("The deposit is a quarter of the $2,000 quote.", 25.0),
    ("You'd get a quarter of what you paid back.", 25.0),
    ("A quarter of an hour before, please.", None),
])
def test_a_share_paid_first_or_of_an_amount_is_a_percent(text, value):
    found = [m.quantity.low for m in find_quantities(text, "percent")]
    assert found == ([pytest.approx(value)] if value else [])


@pytest.fixture(scope="module")
def group_pack(tmp_path_factory):
    return pack_of(tmp_path_factory.mktemp("pack"),
                   "  - {id: group_discount, about: [group discount, group rate], kind: percent, allowed: [\"15%\"],"
                   " explanation: Groups get 15% off.}\n"
                   "  - {id: group_minimum, about: [group minimum, qualify for the group discount], kind: count,"
                   " allowed: [\"6\"], explanation: The group discount needs at least six people.}\n"
                   "  - {id: max_per_booking, about: [people per booking, booking size], kind: count,"
                   " allowed: [\"12\"], explanation: A single booking holds at most 12 people.}\n")


@pytest.mark.parametrize("reply, flagged", [
    ("Yes! Groups of four or more get 15% off.", True),
    ("Any group of 9 or more players gets 15% off.", True),
    ("Groups of six or more get 15% off.", False),
])
def test_a_group_size_said_as_n_or_more_is_the_minimum(analyze, group_pack, reply, flagged):
    found = categories(flags_on_reply(analyze, reply, "is there a group discount?", group_pack))
    assert ("accuracy" in found) is flagged, reply


def test_n_or_more_says_nothing_of_an_upper_limit(analyze, tmp_path):
    pack = pack_of(tmp_path, "  - {id: max_per_booking, about: [people per booking, group booking], kind: count,"
                             " allowed: [\"12\"], explanation: A single booking holds at most 12 people.}\n")
    assert not flags_on_reply(analyze, "Only a group booking of eight or more gets the group rate.",
                              "do we get the group rate?", pack)


def test_a_window_said_as_what_you_have_after_naming_the_fact(analyze, tmp_path):
    pack = pack_of(tmp_path, "  - {id: makeup_credit, about: [make-up credit, makeup lesson], kind: duration,"
                             " allowed: [\"30 days\"], explanation: Make-up credits last 30 days.}\n")
    customer = "my son missed his class, can he make it up?"
    assert "accuracy" in categories(flags_on_reply(
        analyze, "Of course, he gets a make-up credit. You've got a couple of weeks to use it.", customer, pack))
    assert not flags_on_reply(analyze, "Of course, he gets a make-up credit. You've got 30 days to use it.",
                              customer, pack)


@pytest.mark.parametrize("reply, flagged", [
    ("You'll save 10 percent on each visit, so your usual $150 clean would be $140.", True),
    ("You'll save 10 percent on each visit, so your usual $150 clean would be $135.", False),
])
def test_saving_a_percent_is_a_discount(analyze, reply, flagged):
    flags = [f for f in flags_on_reply(analyze, reply, "can I switch to the plan?")
             if f["rule"] == "accuracy.worked_out_discount"]
    assert bool(flags) is flagged, reply


@pytest.mark.parametrize("text, rule", [
    ("Sorry for the wait. We do have other customers, you know.", "tone.dismissive"),
    ("Okay, let me make this really simple for you.", "tone.condescending"),
    ("Noted, I'll warn the crew our customers have such delicate ears these days.", "tone.sarcastic"),
    ("Well, that's what happens when you leave it to the last minute.", "tone.blaming"),
    ("Honestly, I'd have expected a thank you for that.", "tone.rude"),
])
def test_thirty_first_round_tone(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}, text


# --- thirty-second round (makerspace, ice rink, pet sitting, bouncy castle hire) -----------------------------------
@pytest.fixture(scope="module")
def age_pack(tmp_path_factory):
    return pack_of(tmp_path_factory.mktemp("pack"),
                   "  - {id: minimum_age, about: [minimum age, age limit], kind: count, allowed: [\"16\"],"
                   " explanation: Everyone on the workshop floor must be at least 16 years old.}\n")


@pytest.mark.parametrize("customer, reply, flagged", [
    ("can my nephew come? he's 15", "Yes, guests need to be 14 or over.", True),
    ("can my nephew come?", "They'll each need to be at least 18 years old.", True),
    ("my son is 12, can he come?", "Sure, twelve-year-olds can join with a parent.", True),
    ("my son is 17, can he come?", "Yes, 17 year olds are welcome.", False),             # above the minimum
    ("can my nephew come? he's 17", "Yes, anyone 16 or over can.", False),
    ("can we bring a group?", "Yes, groups of 6 or more get a room to themselves.", False),  # no talk of age
    ("my son is 12, is that ok?", "Of course, we take kids from twelve up.", True),
])
def test_ages_said_as_who_may_come(analyze, age_pack, customer, reply, flagged):
    assert ("accuracy" in categories(flags_on_reply(analyze, reply, customer, age_pack))) is flagged, reply


@pytest.mark.parametrize("text, days", [
    ("You can cancel for free right up until the day before.", 1.0),
    ("Just let us know by the week before the class.", 7.0),
    ("As long as you let us know the day before, it's free.", 1.0),
    ("I checked it the day before.", None),                                  # no notice: a day in the past
])
def test_notice_said_as_the_day_before(text, days):
    assert [m.quantity.low for m in find_quantities(text, "duration")] == ([days] if days else [])


def test_quid_and_more_pack_spellings():
    assert [m.quantity.low for m in find_quantities("Just fifty quid to hold it.", "money")] == [50.0]
    assert find_quantities("Just fifty quid to hold it.", "money")[0].quantity.unit == "GBP"
    assert parse_value("forty quid", "money").low == 40.0
    assert parse_value("10c", "money").low == pytest.approx(0.10)
    assert parse_value("1 hour 30 minutes", "duration").low == 90.0
    assert parse_value("both", "count").low == 2.0                       # 1.25.1: "both" rounds of a count of 2
    assert parse_value("a decade", "duration").low == 120.0              # months
    assert [m.quantity.low for m in find_quantities("covered for half a decade", "duration")] == [60.0]
    assert [m.quantity.low for m in find_quantities("you'll see a tenth knocked off", "percent")] == [10.0]


@pytest.mark.parametrize("reply, explanation", [
    ("It's monthly: $40 x 12 is $450 a year.", "12 x $40 is $480, not $450."),
    ("Day passes are $15 each so that'll be $40 for the three of you.", "3 x $15 is $45, not $40."),
    ("We bill at 20 cents a minute, which works out to $12 an hour, so a 30-minute job is $6.", None),
])
def test_more_shapes_of_a_price_times_a_count(analyze, reply, explanation):
    flags = [f["explanation"] for f in flags_on_reply(analyze, reply) if f["rule"] == "accuracy.wrong_arithmetic"]
    assert flags == ([explanation] if explanation else []), reply


def test_a_price_less_the_percentage_the_reply_takes_off_is_right(analyze, tmp_path):
    pack = pack_of(tmp_path, "  - {id: admission, about: [admission, entry], kind: money, allowed: [\"$12\"],"
                             " explanation: Admission is $12.}\n")
    customer = "she's a student, how much for her?"
    assert not flags_on_reply(analyze, "Students get a fifth off admission, so she'd pay $9.60.", customer, pack)
    assert "accuracy" in categories(flags_on_reply(analyze, "Students get a fifth off admission, so she'd pay $9.",
                                                   customer, pack))


@pytest.mark.parametrize("text, rule", [
    ("We can't exactly leave it on the lawn and hope for the best.", "tone.sarcastic"),
    ("Yes, with 48 hours' notice. Though if you planned a bit better it wouldn't be an issue.", "tone.blaming"),
    ("We can't make exceptions for everyone with a sad story.", "tone.dismissive"),
])
def test_thirty_second_round_tone(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}, text


# --- thirty-third round (gutter services, surf school, carpet cleaning, bike courier) ------------------------------
@pytest.fixture(scope="module")
def senior_pack(tmp_path_factory):
    return pack_of(tmp_path_factory.mktemp("pack"),
                   "  - {id: senior_discount, about: [senior discount, seniors], kind: percent, allowed: [\"15%\"],"
                   " explanation: Customers aged 65 and over get 15% off.}\n")


@pytest.mark.parametrize("reply, flagged", [
    ("Yes - seniors get $15 off any cleaning.", True),
    ("Yes - the senior discount is fifteen dollars off your first booking.", True),
    ("Yes - seniors get 15% off, so $15 off a $100 clean.", False),        # the percent is said; $15 is worked out
    ("Yes - seniors get $20 off any cleaning.", False),                   # no number of the discount: another offer
])
def test_a_discount_said_as_that_many_dollars_off(analyze, senior_pack, reply, flagged):
    found = categories(flags_on_reply(analyze, reply, "I just turned 65, is there a senior discount?", senior_pack))
    assert ("accuracy" in found) is flagged, reply


@pytest.mark.parametrize("text, rule", [
    ("Honestly, it's the same rider either way, does it really matter?", "tone.dismissive"),
    ("You're welcome. Might be worth actually opening our emails going forward.", "tone.condescending"),
    ("He's nearly there. You could always have waited under a tree or something.", "tone.sarcastic"),
])
def test_thirty_third_round_tone(analyze, text, rule):
    assert rule in {f["rule"] for f in flags_on_reply(analyze, text)}, text
