"""Phrase banks for the demo company "Acme Outfitters" (an online outdoor-gear shop).

Pure data. Templates use ``str.format`` fields filled by the generator:
{cust} customer first name, {agent} agent first name, {order} "#AC-48213", {item} product, {kind} product kind,
{price} "$249.00", {weekday}, {carrier}, {promo}, {last4}, {zip}, {size_from}, {size_to}, {gift}, {link_*}.

Clean text is written so it does not trip the analysis engine: agent sentences that mention a policy topic
(refund/return window, warranty, shipping time, return shipping fee, price match) state only the allowed value,
there are no all-caps sentences, no "guarantee", and links point to help.acme-outfitters.example only.
"""
from __future__ import annotations

COMPANY = "Acme Outfitters"
AGENT_DOMAIN = "acme-outfitters.example"
HELP_DOMAIN = "help.acme-outfitters.example"

# The policy values the clean conversations state (rubrics/policy.yaml, "allowed"); tests check they still agree.
POLICY_VALUES = {
    "refund_window": "30 days",
    "refund_processing": "5-7 business days",
    "return_shipping_fee": "$6.95",
    "standard_shipping_time": "3-5 business days",
    "express_shipping_time": "1-2 business days",
    "free_shipping_threshold": "$75",
    "price_match_window": "14 days",
    "warranty": "1 year",
    "promo_discount": "15%",
    "promo_code_validity": "30 days",
}

TEAMS = ("Billing", "Orders & Shipping", "Returns & Warranty")

# name, e-mail (None = firstname.lastname@acme-outfitters.example), team, share of problem chats, weak spots
# (problem kinds picked more often for this agent; see generator.PLANTED_KINDS).
AGENTS = (
    ("Ana Ruiz", None, "Billing", 0.08, ()),
    ("Marcus Webb", None, "Billing", 0.65, ("tone.rude", "tone.dismissive", "etiquette.missing_closing")),
    ("Priya Shah", None, "Billing", 0.18, ("compliance.sensitive_data",)),
    ("Tom Becker", None, "Billing", 0.30, ("compliance.prohibited_phrase", "accuracy.policy_fact")),
    ("Alex Morgan", "agent@example.com", "Orders & Shipping", 0.30,
     ("accuracy.wrong_identifier", "etiquette.slow_response", "tone.condescending")),
    ("Jamal Carter", None, "Orders & Shipping", 0.18, ("etiquette.spelling",)),
    ("Sofia Lindqvist", None, "Orders & Shipping", 0.05, ()),
    ("Derek Olsen", None, "Orders & Shipping", 0.65, ("tone.blaming", "tone.condescending", "tone.shouting")),
    ("Hannah Kowalski", None, "Returns & Warranty", 0.12, ("accuracy.unsafe_link",)),
    ("Luis Ortega", None, "Returns & Warranty", 0.55, ("accuracy.policy_fact", "empathy.unacknowledged")),
    ("Mei Chen", None, "Returns & Warranty", 0.08, ()),
    ("Grace O'Brien", None, "Returns & Warranty", 0.40,
     ("etiquette.missing_greeting", "etiquette.missing_closing", "etiquette.spelling")),
)

CUSTOMER_FIRST = (
    "Sam", "Olivia", "Noah", "Emma", "Liam", "Ava", "Ethan", "Mia", "Lucas", "Chloe", "Mateo", "Zoe", "Arjun",
    "Fatima", "Kenji", "Ingrid", "Diego", "Amara", "Jonas", "Leila", "Owen", "Hana", "Ravi", "Claire", "Tyler",
    "Nadia", "Caleb", "Elena", "Marco", "Aisha", "Ben", "Julia", "Daniel", "Sara", "Felix", "Maya", "Gabriel",
    "Lena", "Isaac", "Rosa", "Victor", "Anika", "Henry", "Laura", "Kofi", "Yuki", "Patrick", "Nora", "Hugo",
    "Tessa", "Omar", "Beth", "Connor", "Ines", "Reuben", "Carmen", "Wes", "Lucy", "Dev", "Megan",
)
CUSTOMER_LAST = (
    "Patel", "Johnson", "Garcia", "Nguyen", "Smith", "Kim", "Müller", "Rossi", "Okafor", "Hansen", "Lopez",
    "Brown", "Silva", "Tanaka", "Novak", "Walsh", "Ahmed", "Fischer", "Dubois", "Cohen", "Reyes", "Wright",
    "Andersen", "Kaur", "Murphy", "Santos", "Larsen", "Bianchi", "Mensah", "Clarke", "Hughes", "Moreau",
)

# Products: (name, kind, price, sizable)
PRODUCTS = {
    "tent": (("Summit 2-person tent", "tent", 249.00), ("Basecamp 4-person tent", "tent", 389.00),
             ("Trail 1-person tent", "tent", 199.00)),
    "pack": (("Canyon 45L backpack", "backpack", 179.00), ("Day Trail 22L pack", "backpack", 79.00)),
    "boots": (("Granite hiking boots", "boots", 159.00), ("Trail runner shoes", "shoes", 129.00),
              ("Alpine winter boots", "boots", 199.00)),
    "jacket": (("Harbor rain jacket", "jacket", 149.00), ("Glacier down jacket", "jacket", 229.00),
               ("River fleece", "fleece", 69.00)),
    "sleep": (("Pine 0-degree sleeping bag", "sleeping bag", 189.00), ("Meadow sleeping pad", "sleeping pad", 89.00)),
    "gear": (("Ridge trekking poles", "trekking poles", 59.00), ("Lakeside camp chair", "camp chair", 45.00),
             ("Ember camp stove", "camp stove", 99.00), ("Beacon headlamp", "headlamp", 39.00)),
}
SIZABLE = ("boots", "jacket")
ANY_PRODUCT = ("tent", "pack", "boots", "jacket", "sleep", "gear")

CARRIERS = ("UPS", "FedEx", "USPS")
PROMOS = ("SUMMIT15", "TRAIL20", "SPRING10", "CAMPFIRE25", "WELCOME15")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

# --- generic pieces ---------------------------------------------------------------------------------------------
CUSTOMER_HELLO = ("Hi", "Hello", "Hi there", "Hey", "Good morning", "Hello, anyone there?", "hi")

CUSTOMER_DISTRESS = (
    "This is the third time I'm writing about this and I'm furious.",
    "I'm really upset, this was supposed to be a birthday present.",
    "Honestly I'm so frustrated right now, nobody has answered my emails.",
    "I'm getting really angry about this, I've been waiting for two weeks.",
    "This is ridiculous, I leave for my trip on Saturday and I'm panicking.",
    "I'm extremely disappointed, I've been a customer for years.",
)

AGENT_GREETINGS = (
    "Hi {cust}, I'm {agent} from Acme Outfitters.",
    "Hello {cust}, thanks for reaching out to Acme Outfitters! My name is {agent}.",
    "Hi {cust}! This is {agent} at Acme Outfitters.",
    "Good {daypart} {cust}, you're chatting with {agent} from Acme Outfitters.",
    "Hi {cust}, thanks for contacting Acme Outfitters. I'm {agent} and I'll be helping you today.",
    "Hello {cust}, {agent} here from the Acme Outfitters support team.",
)
AGENT_ACK = (  # for neutral requests
    "I'd be happy to help with that.",
    "Thanks for the details, I'll look into it right away.",
    "I can help you with that.",
    "Thanks for letting us know, I'm on it.",
)
AGENT_ACK_SORRY = (  # when the problem itself sounds unhappy (late, broken, charged twice...)
    "Sorry to hear about that, let me take a look.",
    "I'm sorry about the trouble, I'll look into it right away.",
    "I understand, that's not what you expected. Let me check.",
    "Thanks for your patience with this, I'm on it.",
)
# Words in a customer's problem that call for an apology even when they are not upset as such.
UNHAPPY_WORDS = ("still", "twice", "double", "broke", "broken", "damaged", "tear", "late", "missing", "not happy",
                 "leaking", "peeling", "declined", "fails", "locked", "never", "wrong", "hasn't", "haven't",
                 "won't", "doesn't", "isn't", "lost", "crushed", "split", "snapped", "invalid", "blank", "mistake",
                 "don't fit", "too small", "too tight", "why", "reject", "problem", "can't", "cannot", "fail", "no answer",
                 "ages", "unhappy", "angry", "bent")
AGENT_EMPATHY = (
    "I'm really sorry you've had to contact us more than once, I understand how frustrating that is.",
    "I'm so sorry about this, I completely understand why you're upset.",
    "I'm sorry for the trouble, and I can see why this is stressful before a trip.",
    "I understand how disappointing this is, and I'm sorry we let you down.",
    "I hear you, and I'm sorry this has been such a hassle.",
)
AGENT_CHECKING = (
    "Let me pull up your order.",
    "Give me a moment while I check the details.",
    "One moment please, I'm checking that now.",
    "Let me look into this for you.",
    "I'm checking our system now.",
)
AGENT_HOLD = (
    "Thanks for your patience, I'm still looking into it.",
    "Still with you, just checking one more thing.",
    "Bear with me a moment, I'm confirming this with our warehouse notes.",
)
AGENT_VERIFY = (
    "Could you confirm the zip code on the order, please?",
    "To verify the account, could you tell me the zip code on the order?",
    "Before I go on, can you confirm the zip code you used for the order?",
)
CUSTOMER_VERIFY = ("Sure, it's {zip}.", "{zip}", "It's {zip}", "Zip code is {zip}.")
AGENT_VERIFIED = ("Thank you, that matches.", "Thanks, you're verified.", "Great, thank you.")

AGENT_ECHO_ORDER = (
    "I've pulled up order {order}.",
    "I can see order {order} here.",
    "Thanks, I have order {order} open now.",
    "I found order {order} for the {item}.",
)

CUSTOMER_THANKS = (
    "Great, thank you!", "Ok, thanks a lot.", "Perfect, that helps.", "Thanks, that's good to know.",
    "Awesome, thanks {agent}!", "Ok great.", "That's a relief, thank you.", "Thank you so much!",
)
CUSTOMER_RESIGNED = (  # flat, not distressed: the tone problem stays the only thing planted
    "Wow. Ok then.", "Fine.", "Ok, I'll wait I guess.", "Right.", "Ok...", "If you say so.",
)
# Follow-ups that fit any topic (used when a long chat needs more turns).
GENERIC_FOLLOWUPS = (
    ("Will I get an e-mail confirmation?", "Yes, you'll get a confirmation e-mail in the next few minutes."),
    ("Can I just reply to that e-mail if something goes wrong?", "Yes, replies go straight to our team."),
    ("By the way, I'm heading out on a hiking trip next week.", "That sounds amazing! I hope the weather is on your side."),
    ("Is there a case number for this?",
     "I've added a note to your account, so anyone on the team can see what we did today."),
    ("Is your chat open on weekends too?", "Yes, chat is open every day, including weekends."),
    ("One more thing, can I change my e-mail preferences?",
     "Sure, you can do that under account settings, then notifications."),
    ("Do you have the tent in green as well?", "We do, the green version is in stock on the website right now."),
    ("Sorry, I got distracted. Where were we?", "No problem at all! Everything is sorted on our side."),
)
AGENT_ANYTHING_ELSE = (
    "Is there anything else I can help you with today?",
    "Is there anything else I can do for you?",
    "Can I help with anything else?",
)
CUSTOMER_NOTHING_ELSE = (
    "No, that's everything. Thanks!", "Nope, that's all.", "That's all for now, thanks.",
    "No thanks, you've been very helpful.", "No, all good!",
)
AGENT_BYE = (
    "You're welcome, {cust}! Have a great day and happy trails.",
    "Thanks for contacting Acme Outfitters, {cust}. Enjoy your trip!",
    "My pleasure! Have a wonderful day.",
    "Glad I could help, {cust}. Take care and enjoy the outdoors!",
    "Thanks for chatting with us today. Have a great rest of your day!",
    "Happy to help! Take care, {cust}.",
)

# --- policy facts: correct wording (clean) and wrong wording (planted accuracy.policy) -------------------------
FACT_QUESTIONS = {
    "refund_window": ("How long do I have to return things, by the way?", "What's your return window?",
                      "If it doesn't work out, how long do I have to get my money back?"),
    "refund_processing": ("How long until I see the money?", "When will the refund show up on my card?"),
    "return_shipping_fee": ("Do I have to pay for the return shipping?", "Is the return label free?",
                            "Will it cost me anything to send it back?"),
    "standard_shipping_time": ("How long does standard shipping take?", "When should I expect it with standard shipping?"),
    "express_shipping_time": ("How fast is express?", "If I pick express next time, how long does it take?"),
    "free_shipping_threshold": ("Do you do free shipping?", "How much do I need to spend for free shipping?"),
    "price_match_window": ("How long after buying can I ask for a price match?",
                           "Is there a time limit on price matching?"),
    "warranty": ("How long is the warranty on your gear?", "Is this covered under warranty?",
                 "What does the warranty cover?"),
    "promo_discount": ("What discount does the newsletter code give?", "How much is the welcome code worth?"),
    "promo_code_validity": ("How long is a welcome code valid?", "Do promo codes expire?"),
}
FACT_CORRECT = {
    "refund_window": ("You can return unused items for a refund within 30 days of delivery.",
                      "Our return window is 30 days from delivery for a full refund.",
                      "Returns are accepted within 30 days of delivery."),
    "refund_processing": ("Once we receive the return, refunds are processed in 5-7 business days.",
                          "The refund takes 5-7 business days to show on your statement once it's issued."),
    "return_shipping_fee": ("Return shipping costs $6.95, which we deduct from your refund.",
                            "The return label is $6.95, and that amount is taken off the refund."),
    "standard_shipping_time": ("Standard shipping takes 3-5 business days once the order ships.",
                               "With standard shipping, delivery usually takes 3-5 business days."),
    "express_shipping_time": ("Express shipping takes 1-2 business days after dispatch.",
                              "With express delivery it's 1-2 business days once it ships."),
    "free_shipping_threshold": ("We offer free shipping on orders of $75 or more.",
                                "You get free shipping once your order reaches $75."),
    "price_match_window": ("You can ask for a price match within 14 days of purchase.",
                           "Price matching is available for 14 days after you buy."),
    "warranty": ("All our gear comes with a 1 year warranty against manufacturing defects.",
                 "The warranty covers manufacturing defects for 1 year from purchase.",
                 "Yes, it's covered: our warranty lasts 1 year from the purchase date."),
    "promo_discount": ("The newsletter welcome code gives 15% off your first order.",
                       "Our welcome code is worth 15% off the first order."),
    "promo_code_validity": ("A welcome code is valid for 30 days after you sign up.",
                            "Promo codes from the newsletter stay valid for 30 days."),
}
FACT_WRONG = {
    "refund_window": ("You can return it for a refund within 60 days of delivery, no problem.",
                      "Our return window is 90 days, so there's plenty of time.",
                      "Returns are accepted within 45 days of delivery."),
    "refund_processing": ("The refund will show on your card within 24 hours.",
                          "Refunds take 10-14 business days to process."),
    "return_shipping_fee": ("The return label costs $7.95, taken off your refund.",
                            "Return shipping is $4.95 for every return."),
    "standard_shipping_time": ("Standard shipping takes 1-2 business days.",
                               "With standard shipping it usually takes 7-10 business days."),
    "express_shipping_time": ("Express shipping takes 3-4 business days.",
                              "Express delivery is same day, within 8 hours."),
    "free_shipping_threshold": ("We offer free shipping on orders over $50.",
                                "You get free shipping once your order reaches $100."),
    "price_match_window": ("You can ask for a price match within 30 days of purchase.",
                           "Price matching is available for 60 days after you buy."),
    "warranty": ("The warranty is 6 months, so it's covered.",
                 "Our warranty only lasts 90 days from purchase.",
                 "All our gear has a 2 year warranty."),
    "promo_discount": ("The newsletter welcome code gives 25% off your first order.",
                       "Our welcome code is worth 20% off the first order."),
    "promo_code_validity": ("A welcome code is valid for 7 days after you sign up.",
                            "Promo codes from the newsletter stay valid for 90 days."),
}

# --- planted problems -------------------------------------------------------------------------------------------
CUSTOMER_PUSHBACK = (
    "So what am I supposed to do now?",
    "Can you not do anything else?",
    "I already told you all of this in my first message.",
    "Is there really nothing else you can do?",
    "Hmm, are you sure about that?",
    "Can you explain that again?",
)
RUDE = (
    "That's not my problem.",
    "Are you even reading what I wrote?",
    "I don't have time for this.",
    "Look, I can't help you if you won't listen.",
    "That's a ridiculous question.",
)
RUDE_TAIL = ("I've told you what I can do.", "Read my last message again.", "", "It's already been handled.")
DISMISSIVE = (
    "Calm down.",
    "Whatever, just wait like everyone else.",
    "It is what it is.",
    "Not much I can do about that.",
    "You'll just have to deal with it.",
)
DISMISSIVE_TAIL = ("It'll get sorted eventually.", "", "That's how it works.", "Just be patient.")
BLAMING_GENERIC = (
    "You should have read the policy.",
    "You should have read the policy before ordering.",
    "That's on you, the information was on the website.",
)
BLAMING_BY_TOPIC = {
    "late_delivery": ("That's your fault for choosing the cheap shipping.",),
    "express_upgrade": ("That's your fault for choosing the cheap shipping.",),
    "address_change": ("You typed the wrong address, so that's on you.",),
    "sizing_exchange": ("You should have checked the size chart before ordering.",),
    "promo_code": ("You should have read the terms of the code.",),
    "account_login": ("You must have typed your password wrong.",),
}
CONDESCENDING = (
    "As I already explained, ",
    "It's really not that complicated: ",
    "It's not rocket science: ",
    "Let me spell it out for you: ",
    "Obviously, ",
)
SHOUTING = (  # all caps, otherwise plain content, so shouting is the only problem in the line
    "THE ORDER IS BEING HANDLED RIGHT NOW.",
    "PLEASE CHECK YOUR EMAIL FOR THE DETAILS.",
    "YOUR CASE IS WITH OUR WAREHOUSE TEAM TODAY.",
    "THE UPDATE WILL COME BY EMAIL THIS AFTERNOON.",
)
FLAT_AFTER_DISTRESS = (  # the customer answers it, so the agent's whole turn has no acknowledgement
    "Hi {cust}. Zip code on the order?",
    "Hi {cust}, I'm {agent}. What's the zip code on the order?",
    "Hello {cust}. Confirm the zip code first.",
    "Hi {cust}, {agent} here. Zip code?",
)
NO_GREETING = (
    "Let me check that.",
    "Checking your account now.",
    "Give me a second to look at it.",
    "Looking into it now.",
)
NO_GREETING_SORRY = (  # no greeting, but the problem is acknowledged (no empathy flag)
    "Sorry about that, let me check.",
    "Sorry to hear it. Checking your order now.",
    "I'm sorry about this. Give me a second to look at it.",
)
PROMISES = (
    "I guarantee it will be sorted by Friday.",
    "I guarantee you'll get every cent back.",
    "I guarantee this won't happen again.",
    "I guarantee it arrives tomorrow.",
)
TEST_CARDS = ("4111 1111 1111 1111", "5555 5555 5555 4444", "4012 8888 8888 1881", "3782 822463 10005")
PII_LINES = (
    "I can see the charge on card number {card}.",
    "Just to confirm, the card on file is {card}, right?",
    "I've updated your contact e-mail to {email}.",
    "I'll send the confirmation to {email} now.",
    "We'll call you at {phone} if anything changes.",
    "The courier has your phone number as {phone}.",
)
BAD_LINKS = (
    "https://bit.ly/acme-help-7f2",
    "http://cheap-gear-deals.example/coupons",
    "https://www.dropbox.com/s/x8k2/returns-form.pdf",
    "https://tinyurl.com/acme-label",
)
BAD_LINK_LINES = (
    "You can find the form here: {link}",
    "Here's a quicker link for that: {link}",
    "More details are on this page: {link}",
)
GOOD_LINK_LINES = (
    "You can read more here: https://help.acme-outfitters.example/{path}",
    "Our help page has the details: https://help.acme-outfitters.example/{path}",
)
# correct word -> the typo an agent plants
TYPOS = {
    "receive": "recieve", "definitely": "definately", "address": "adress", "until": "untill",
    "separate": "seperate", "tomorrow": "tommorow", "which": "wich", "really": "realy", "believe": "beleive",
    "refund": "refnud", "package": "pakage", "shipping": "shiping", "because": "becuase", "order": "ordr",
}
TYPO_FALLBACK = "I will definitely make sure you receive an update tomorrow."

# --- topics ------------------------------------------------------------------------------------------------------
# Each topic: team, tags, product group(s), whether the customer quotes an order number, the customer's problem
# statements, the agent's findings and resolutions, follow-up (question, answer) pairs, the policy facts that fit,
# a help-centre path and the customer's pushback-free reactions.
TOPICS = {
    # Billing ------------------------------------------------------------------------------------------------
    "double_charge": dict(
        team="Billing", tags=["billing", "double-charge"], products=ANY_PRODUCT, has_order=True,
        problems=(
            "I was charged twice for order {order}. I see two payments of {price} on my card.",
            "My bank statement shows two charges of {price} for the same order, {order}.",
            "why did you take the money twice?? order {order}, {price} two times",
            "I think I got double charged for {order}, the card ending {last4} shows {price} twice.",
        ),
        findings=(
            "I can see what happened: the first payment attempt timed out and a second one went through. "
            "The first one is only a pending authorization.",
            "You're right, there are two {price} charges on this order and one of them is a duplicate.",
            "The second charge of {price} is a duplicate from when the payment page reloaded.",
        ),
        resolutions=(
            "I've reversed the duplicate payment. Your bank should release it within a few business days.",
            "I've cancelled the duplicate charge, and you'll get an e-mail confirming it shortly.",
            "The duplicate has been voided on our side, so only one payment of {price} will stay on your card.",
        ),
        followups=(
            ("Will this happen again next time I order?",
             "It shouldn't, it was a one-off timeout on the payment page. If you ever see it again, just message us."),
            ("Do I need to call my bank?",
             "No need, we've handled it on our side. If it still shows next week, let us know and we'll chase it."),
            ("Can I get that in writing?", "Of course, I've just sent you a confirmation e-mail."),
        ),
        facts=("refund_processing",), path="payments/duplicate-charges",
    ),
    "promo_code": dict(
        team="Billing", tags=["billing", "promo-code"], products=ANY_PRODUCT, has_order=False,
        problems=(
            "The promo code {promo} isn't working at checkout. It says the code is invalid.",
            "I'm trying to use {promo} on my cart but it won't apply.",
            "Your newsletter gave me the code {promo} but checkout rejects it for the {item}.",
        ),
        findings=(
            "I checked {promo}: it only applies to full-price items, and the {item} in your cart is already on sale.",
            "It looks like {promo} expired at midnight on Sunday.",
            "The code {promo} is valid, but it needs a minimum basket of $100 and the cart is just under that.",
        ),
        resolutions=(
            "As a one-off I've taken 15% off this order for you.",
            "I've applied the discount to your cart manually, so you'll see the lower total when you refresh.",
            "I've applied the code as a one-off anyway, so the lower total will show when you refresh the page.",
        ),
        followups=(
            ("Can I use two codes at once?", "Only one code can be used per order, sorry about that."),
            ("Does the code work on sale items?", "This one doesn't, but the new code I sent you does."),
            ("Will the code work in the app as well?", "Yes, it works on the website and in the app."),
        ),
        facts=("promo_discount", "promo_code_validity", "free_shipping_threshold"), path="orders/promo-codes",
    ),
    "gift_card": dict(
        team="Billing", tags=["billing", "gift-card"], products=ANY_PRODUCT, has_order=False,
        problems=(
            "I got a {gift} gift card for my birthday but the balance shows $0.",
            "My gift card isn't being accepted at checkout, it says the card is invalid.",
            "I used part of my gift card last month and now I can't see the remaining balance.",
        ),
        findings=(
            "The gift card was activated, but the balance was linked to a different account by mistake.",
            "I can see the card here. It wasn't activated when it was bought, which is why checkout refused it.",
            "The card still has {gift} on it; the balance page was showing an old cached value.",
        ),
        resolutions=(
            "I've moved the full {gift} balance to your account, so it will show at checkout now.",
            "I've activated the card, so you can use it right away.",
            "I've refreshed the balance, and you can now use the full {gift} on your next order.",
        ),
        followups=(
            ("Does the gift card expire?", "No, our gift cards don't expire."),
            ("Can I use it together with a promo code?", "Yes, a gift card can be combined with one promo code."),
            ("Can I use it in your physical store?", "We're online only, so the card works on our website and app."),
        ),
        facts=("free_shipping_threshold",), path="payments/gift-cards",
    ),
    "refund_status": dict(
        team="Billing", tags=["billing", "refund"], products=ANY_PRODUCT, has_order=True,
        problems=(
            "I sent back the {item} two weeks ago and still haven't got my money back for {order}.",
            "Where is my refund for order {order}? The return was delivered to you ages ago.",
            "I'm still waiting on the refund for {order}, {price} for the {item}.",
        ),
        findings=(
            "Your return arrived at our warehouse on {weekday} and passed inspection.",
            "The return was received, but the refund was held because the return form was missing.",
            "I can see the {item} was checked in at the warehouse and the refund is ready to go.",
        ),
        resolutions=(
            "I've issued the refund of {price} to your original payment method today.",
            "I've released the refund, and you'll get a confirmation e-mail within the hour.",
            "The refund has been processed now, so you should see it on your statement soon.",
        ),
        followups=(
            ("Will it go back to my card or as store credit?", "It goes back to the card you paid with."),
            ("Why did it take so long?", "The warehouse had a backlog after the holidays. I'm sorry for the wait."),
            ("Do I get an e-mail when it's done?", "Yes, you'll get an e-mail as soon as it's processed."),
        ),
        facts=("refund_processing", "refund_window", "return_shipping_fee"), path="returns/refund-status",
    ),
    "payment_declined": dict(
        team="Billing", tags=["billing", "payment"], products=ANY_PRODUCT, has_order=False,
        problems=(
            "My card keeps getting declined but there's plenty of money on it.",
            "I'm trying to buy the {item} and the payment fails every time.",
            "Checkout says 'payment declined' and I've tried two different cards.",
        ),
        findings=(
            "I can see the attempts: the billing zip code doesn't match the one the bank has on file.",
            "Our payment provider had a short outage this morning, which caused these declines.",
            "The bank declined it for extra security because the delivery and billing addresses differ.",
        ),
        resolutions=(
            "If you update the billing zip code at checkout it should go through now.",
            "The outage is fixed, so please try again and it should work.",
            "If you enter the billing address your bank has on file, it should go through. I've cleared the failed attempts too.",
        ),
        followups=(
            ("Will I be charged for the failed attempts?",
             "I understand the worry, but no: declined attempts are never charged."),
            ("Can I pay with PayPal instead?", "Yes, PayPal is available at checkout too."),
        ),
        facts=("free_shipping_threshold", "standard_shipping_time"), path="payments/declined",
    ),
    "account_login": dict(
        team="Billing", tags=["account", "login"], products=ANY_PRODUCT, has_order=False,
        problems=(
            "I can't log in to my account, it keeps saying my password is wrong.",
            "I never got the password reset e-mail.",
            "My account is locked and I have an order I need to check.",
        ),
        findings=(
            "Your account was locked after several failed attempts, which is a security measure.",
            "The reset e-mails were sent, but they may have landed in your spam folder.",
            "I can see the account. It was set up with a slightly different e-mail spelling.",
        ),
        resolutions=(
            "I've unlocked the account and sent a fresh reset link. It's valid for 24 hours.",
            "I've sent a new reset link to the e-mail on the account, so please check your inbox and spam folder.",
            "I've corrected the e-mail on the account and sent you a reset link.",
        ),
        followups=(
            ("Are my saved addresses still there?", "Yes, nothing on the account has changed."),
            ("Can I turn on two-step login?", "Yes, you'll find it under account settings, security."),
        ),
        facts=("refund_window", "free_shipping_threshold"), path="account/login",
    ),
    "price_match": dict(
        team="Billing", tags=["billing", "price-match"], products=ANY_PRODUCT, has_order=True,
        problems=(
            "I bought the {item} last week ({order}) and now another shop has it cheaper.",
            "Can you price match the {item}? I saw it for less on another outdoor store's site. Order {order}.",
        ),
        findings=(
            "I checked the other listing, and it's the same model from an authorized retailer.",
            "Thanks for the link. The price there is lower and the item is in stock, so it qualifies.",
        ),
        resolutions=(
            "I've matched the price and the difference is on its way back to your card.",
            "I've approved the price match, and you'll get an e-mail with the amount shortly.",
        ),
        followups=(
            ("Does that work for sale prices too?", "It works for regular prices from authorized retailers."),
            ("Can I do this for another item later?", "Yes, just contact us with the link each time."),
        ),
        facts=("price_match_window",), path="orders/price-match",
    ),
    # Orders & Shipping -----------------------------------------------------------------------------------------
    "late_delivery": dict(
        team="Orders & Shipping", tags=["shipping", "late-delivery"], products=ANY_PRODUCT, has_order=True,
        problems=(
            "My order {order} was supposed to arrive on {weekday} and it's still not here.",
            "Where is my order? {order}. Tracking hasn't moved in days.",
            "I ordered the {item} ({order}) and it still hasn't arrived.",
            "order {order} is late, I need the {item} for a trip",
        ),
        findings=(
            "Your parcel is with {carrier} and was delayed at their regional hub by the weather.",
            "The {item} left our warehouse on {weekday}, and {carrier} shows it out for delivery today.",
            "It looks like {carrier} missed a scan, but the parcel is at your local depot.",
        ),
        resolutions=(
            "I've opened a trace with {carrier} and I'll e-mail you as soon as they reply.",
            "It should be delivered today, and I've added a note asking {carrier} to leave it with a neighbor if you're out.",
            "I've asked the depot to put it on tomorrow morning's van, and I've refunded your shipping fee for the trouble.",
        ),
        followups=(
            ("Can I get a refund of the shipping cost?", "Yes, I've refunded the shipping fee for the trouble."),
            ("What happens if it doesn't come tomorrow?", "Then just reply to the e-mail and we'll send a replacement."),
            ("Will I get a text when it's close?", "Yes, {carrier} sends a text on the day of delivery."),
        ),
        facts=("standard_shipping_time", "express_shipping_time"), path="shipping/where-is-my-order",
    ),
    "tracking": dict(
        team="Orders & Shipping", tags=["shipping", "tracking"], products=ANY_PRODUCT, has_order=True,
        problems=(
            "The tracking link for {order} says 'label created' since {weekday}.",
            "My tracking number doesn't work on the {carrier} website. Order {order}.",
            "Tracking for {order} hasn't updated in four days, is it lost?",
        ),
        findings=(
            "The parcel was handed to {carrier} yesterday, their system just hadn't scanned it yet.",
            "The tracking number in your e-mail had a typo in it on our side.",
            "{carrier} has the parcel, and it's moving normally now.",
        ),
        resolutions=(
            "The tracking should update by tonight, and I've set a reminder to check on it tomorrow.",
            "I've sent you the correct tracking link by e-mail.",
            "I've e-mailed you the updated tracking details.",
        ),
        followups=(
            ("Can I change the delivery day?", "Yes, the {carrier} link lets you pick another day."),
            ("Does someone need to sign for it?", "No signature is needed for this parcel."),
        ),
        facts=("standard_shipping_time",), path="shipping/tracking",
    ),
    "address_change": dict(
        team="Orders & Shipping", tags=["orders", "address-change"], products=ANY_PRODUCT, has_order=True,
        problems=(
            "I just placed order {order} and realised I put my old address.",
            "Can I change the delivery address on {order}? I'm moving next week.",
            "I made a mistake with the apartment number on order {order}.",
        ),
        findings=(
            "Good news, the order hasn't been packed yet, so I can still change it.",
            "The order is being packed, but I caught it in time.",
            "The parcel has already shipped, but {carrier} lets us redirect it.",
        ),
        resolutions=(
            "I've updated the delivery address on the order, so you're all set.",
            "I've changed it before the parcel leaves the warehouse, and you'll get a new confirmation e-mail.",
            "I've asked {carrier} to redirect the parcel to the corrected address.",
        ),
        followups=(
            ("Will the delivery date change?", "It may add a day, but it shouldn't be more than that."),
            ("Do I need to do anything?", "Nothing else, you're all set."),
        ),
        facts=("standard_shipping_time",), path="orders/change-address",
    ),
    "cancel_order": dict(
        team="Orders & Shipping", tags=["orders", "cancellation"], products=ANY_PRODUCT, has_order=True,
        problems=(
            "I'd like to cancel order {order}, I ordered the wrong {kind}.",
            "Please cancel {order}. I found what I needed locally.",
            "Can I still cancel {order}? I only ordered it an hour ago.",
        ),
        findings=(
            "The order hasn't been sent to the warehouse yet, so it can be cancelled.",
            "It was already packed, but the warehouse can still pull it before pickup.",
        ),
        resolutions=(
            "I've cancelled the order, and the payment of {price} has been released.",
            "Done, the order is cancelled and you'll get an e-mail confirming it.",
        ),
        followups=(
            ("Will I get the full amount back?", "Yes, the whole amount, as nothing was shipped."),
            ("Can I place a new order with the right size?", "Of course, and your cart still has your details saved."),
        ),
        facts=("refund_processing", "standard_shipping_time"), path="orders/cancel",
    ),
    "missing_item": dict(
        team="Orders & Shipping", tags=["orders", "missing-item"], products=ANY_PRODUCT, has_order=True,
        problems=(
            "My package for {order} arrived but the {item} wasn't in the box.",
            "Order {order} came today and one item is missing.",
            "I only received half of order {order}, where's the {item}?",
        ),
        findings=(
            "The {item} shipped in a separate box, which is due to arrive tomorrow.",
            "I can see that item was marked out of stock at packing time, which was our mistake.",
            "The packing record shows that item was missed, and I'm sorry about that.",
        ),
        resolutions=(
            "The second box is on its way, and I've sent you its tracking link.",
            "I've sent the {item} out today with express shipping.",
            "I've shipped a replacement {item} at no cost, and you'll get tracking by e-mail.",
        ),
        followups=(
            ("Do I need to send anything back?", "No, there's nothing to send back."),
            ("Will it come with the same carrier?", "Yes, it's going with {carrier} as well."),
        ),
        facts=("express_shipping_time", "standard_shipping_time"), path="orders/missing-items",
    ),
    "express_upgrade": dict(
        team="Orders & Shipping", tags=["shipping", "express"], products=ANY_PRODUCT, has_order=True,
        problems=(
            "Can I upgrade order {order} to express? I need the {item} by Friday for a trip.",
            "I chose standard shipping for {order} but now I need it sooner.",
        ),
        findings=(
            "The order hasn't shipped yet, so I can still change the shipping method.",
            "The warehouse hasn't picked it yet, so there's time to switch it to express.",
        ),
        resolutions=(
            "I've switched it to express, and it will ship today for delivery by Thursday.",
            "Done, the order is now on express shipping and you'll get tracking tonight.",
        ),
        followups=(
            ("How much is the express upgrade?", "It's $15, and I've waived it this time."),
            ("Will it need a signature?", "No, it can be left at the door."),
        ),
        facts=("express_shipping_time", "standard_shipping_time"), path="shipping/options",
    ),
    # Returns & Warranty ----------------------------------------------------------------------------------------
    "return_refund": dict(
        team="Returns & Warranty", tags=["returns", "refund"], products=ANY_PRODUCT, has_order=True,
        problems=(
            "I'd like to return the {item} from order {order}, it's not what I expected.",
            "How do I send back the {item}? Order {order}. It's unused.",
            "I want a refund for {order}, the {item} is too heavy for what I need.",
        ),
        findings=(
            "The order is eligible for a return, and the {item} was delivered recently.",
            "I've checked the order and everything is in place for a return.",
        ),
        resolutions=(
            "I've e-mailed you a prepaid return label; once the {item} is back with us we'll refund it.",
            "I've started the return and sent the label to your e-mail, so you can drop it at any {carrier} point.",
        ),
        followups=(
            ("Does it need to be in the original box?", "The original box is ideal, but any sturdy box works."),
            ("Can I exchange it instead?", "Yes, I can set that up instead if you prefer."),
        ),
        facts=("refund_window", "return_shipping_fee", "refund_processing"), path="returns/start-a-return",
    ),
    "sizing_exchange": dict(
        team="Returns & Warranty", tags=["returns", "exchange", "sizing"], products=SIZABLE, has_order=True,
        problems=(
            "The {item} I ordered ({order}) {are} too small. Can I swap for a size {size_to}?",
            "I need to exchange the {item} from {order}, size {size_from} is too tight.",
            "The {item} from order {order} {dont} fit. Can I get the next size up?",
        ),
        findings=(
            "We have size {size_to} in stock, so an exchange is no problem.",
            "Size {size_to} is available, and I can reserve it for you now.",
        ),
        resolutions=(
            "I've set up the exchange, and we'll ship size {size_to} as soon as the label is scanned.",
            "The size {size_to} is reserved, and the return label is in your inbox.",
        ),
        followups=(
            ("Do I pay shipping on the new pair?", "No, shipping on the exchange is on us."),
            ("Does the sizing run small?", "That model runs a little small, so size {size_to} should be right."),
        ),
        facts=("refund_window", "return_shipping_fee"), path="returns/exchanges",
    ),
    "damaged_item": dict(
        team="Returns & Warranty", tags=["returns", "damaged"], products=("tent", "pack", "gear", "sleep"),
        has_order=True,
        problems=(
            "The {item} from order {order} arrived damaged, the box was crushed and a pole is bent.",
            "My {item} came broken. Order {order}. I'm not happy.",
            "Order {order}: the {item} has a tear in it straight out of the box.",
        ),
        findings=(
            "Thank you for the photos, the damage is clear and it happened in transit.",
            "That's definitely transit damage, and I'm sorry it reached you like that.",
        ),
        resolutions=(
            "I've sent a replacement {item} with express shipping, and there's no need to return the damaged one.",
            "A replacement is on its way, and I've e-mailed you a free label for the damaged {item}.",
        ),
        followups=(
            ("Can I just get my money back instead?", "Of course, I can refund it in full instead of replacing it."),
            ("Should I keep the box?", "Please keep it until the replacement arrives, just in case."),
        ),
        facts=("warranty", "refund_window"), path="returns/damaged-items",
    ),
    "warranty_zipper": dict(
        team="Returns & Warranty", tags=["warranty", "tent", "zipper"], products=("tent",), has_order=True,
        problems=(
            "The zipper on my {item} broke after a few trips. I bought it about eight months ago, order {order}.",
            "The door zipper on the {item} has split and won't close. Order {order}.",
            "My tent zipper just snapped on a camping trip. It's the {item}, order {order}.",
        ),
        findings=(
            "A failed zipper is a manufacturing defect, and your tent is still within warranty.",
            "Thanks for the photo. That zipper slider has worn out early, which is a defect.",
        ),
        resolutions=(
            "I've approved a warranty repair and e-mailed you a free shipping label for the tent.",
            "We'll send you a replacement door panel with a new zipper, free of charge.",
            "I've approved the claim, and we'll replace the tent since repairs are backed up.",
        ),
        followups=(
            ("How long does the repair take?", "Repairs usually take about two weeks from when we receive it."),
            ("Can I keep using it until then?", "Yes, and a clip on the door will keep it closed for now."),
        ),
        facts=("warranty",), path="warranty/claims",
    ),
    "warranty_jacket": dict(
        team="Returns & Warranty", tags=["warranty", "jacket"], products=("jacket",), has_order=True,
        problems=(
            "The seam tape on my {item} is peeling off. I've only had it five months. Order {order}.",
            "My {item} is leaking at the shoulders already. Order {order}.",
        ),
        findings=(
            "Peeling seam tape is a manufacturing defect, so this is covered.",
            "Leaking at the seams isn't normal wear, so I can take this as a warranty claim.",
        ),
        resolutions=(
            "I've approved a replacement {item} in the same size and color.",
            "I've set up the claim, and you'll get a free label to send the jacket in.",
        ),
        followups=(
            ("Do I need the receipt?", "No, I have the order on file."),
            ("Can I get a different color?", "Yes, just reply to the e-mail with the color you'd like."),
        ),
        facts=("warranty",), path="warranty/claims",
    ),
    "return_label": dict(
        team="Returns & Warranty", tags=["returns", "return-label"], products=ANY_PRODUCT, has_order=True,
        problems=(
            "How do I get a return label for {order}?",
            "The return label link in my e-mail for {order} doesn't work.",
            "I printed the return label for {order} but it's blank.",
        ),
        findings=(
            "The label in that e-mail expired, which is why the link failed.",
            "The label file was created incorrectly on our side.",
        ),
        resolutions=(
            "I've generated a new label and sent it to your e-mail.",
            "A fresh label is in your inbox, and you can also show the QR code at the drop-off point.",
        ),
        followups=(
            ("Can I drop it at any {carrier} location?", "Yes, any {carrier} location will take it."),
            ("Do I need to print it?", "No, the QR code on your phone works too."),
        ),
        facts=("return_shipping_fee", "refund_window"), path="returns/labels",
    ),
}

# A last agent message that is no goodbye (planted etiquette.missing_closing).
NO_CLOSING = ("Ok.", "Done.", "Noted.", "The e-mail is on its way.", "It's processed now.")
