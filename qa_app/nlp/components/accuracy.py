"""Accuracy checks: policy facts, echoed identifiers, self-contradiction, links outside allowed domains."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urlsplit

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..docs import doc_text, lower_set
from ..lowercase import lower_is_exact
from ..wordscan import WordScan
from ..pipeline import ensure_lemmas, lemmatized, sentences
from ..policy import Fact, PolicyPack
from ..quantities import Mention, bare_amounts, find_quantities, on_common_scale, same_value, within_any
from .money_back import MONEY_WORDS, money_coming_back, only, pays_back
from .ages import age_statements, minimum_age_fact
from .time_windows import window_fact, window_statements

# A value right after these words describes an event or an order, not the policy ("refunded you $15",
# "your total was $25", "2 days ago"), so it is not compared with the pack.
_EVENT_BEFORE = re.compile(
    r"\b(?:ago|since|(?<!s )(?<!\bthey )(?<!will )(?<!'ll )(?<!should )(?<!\bto )last|past|previous|yesterday|"
    r"was|were|been|paid|charged|refunded|credited|issued|sent|ordered|"
    r"purchased|bought|placed|spent|(?<!a )total|totals|totaled|totalled|subtotal|balance|received|shipped|"
    r"delivered|reversed|waived|voided|"
    r"processed|took|waited|waiting|for the past|for the last|mentioned|quoted|overdrawn by|owe|owing|arrears of|"
    r"debt of|is in|are in|'s in|one-off|one off|one-time|goodwill|pack of|box of|bottle of|set of|pair of|"
    # "it was cancelled 6 hours before", "you booked 3 days ahead", "your credit of $31.50"; but "gift cards last two
    # years" and "they'll last 6 months" state how long something is good for
    r"(?:was|were|you|i|we|they)\s+(?:cancell?ed|canceled|booked|arrived|left|departed|changed|rescheduled|moved|"
    r"returned|collected|checked in|checked out|signed up|joined|upgraded|renewed|started|submitted|filed|"
    r"reported|contacted|called|emailed|redeemed|activated)|"
    r"your\s+(?:credit|refund|balance|payment|charge|deposit|order|purchase|invoice|bill|voucher)\s+of)"
    r"(?:\s+(?:you|me|us|of|for|about|around|approximately|roughly|already|just|only|the|a|an|was|is|by|back))*\s*$",
    re.IGNORECASE)
_EVENT_AFTER = re.compile(r"^\s*(?:ago|back|earlier|away|registered|linked|connected|in arrears)\b"
                          r"|^\s*(?:[a-z]+\s+)?(?:remaining|left)\b"  # "4 seats left"
                          r"|^\s*(?:charges|payments|transactions)\b"  # "two $90 charges" were made
                          r"|^\s*of\s+(?:the\s+)?(?:time|cases|customers|orders|people|users|trips|journeys)\b",
                          re.IGNORECASE)  # "less than 6% of the time" is how often, not a rate
# "more than 12 hours away" is notice the policy asks for, not where someone is
_AHEAD_BEFORE = re.compile(r"\b(?:more than|at least|less than|under|over|within|no less than)\s*$", re.IGNORECASE)
_PRESENT_PASSIVE = re.compile(r"\b(?:are|is|be|get|gets)\s+$", re.IGNORECASE)
_LATE_AFTER = re.compile(r"^\s*(?:late|overdue)\b", re.IGNORECASE)  # "2 days late"; but "a £25 late fee" is a fee
# Money worked out from other values ("$12 a day, so that's $60", "$14.99 in total") is arithmetic, not the policy.
_FILLERS = r"(?:\s+(?:the|a|an|about|around|roughly|just|only|exactly|another))*\s*$"
_COMPUTED_BEFORE = re.compile(
    rf"\b(?:which comes to|comes to|come to|works out (?:to|at)|making it|makes it|brings it to|total of|altogether)"
    rf"{_FILLERS}", re.IGNORECASE)
# ... and so is a value after "so" or "which is", when an amount comes before it to work it out from ("$12 a day, so
# $60"); "it's per rider, so fifteen bucks each" and "the pickup fee, which is thirty bucks" state the fee
_SO_BEFORE = re.compile(rf"\b(?:so (?:that's|thats|that is|it's|(?:it|that)(?:'d| would| will|'ll) be)|which is|so)"
                        rf"{_FILLERS}", re.IGNORECASE)
# a product worked out: "150 x $0.14 is $21", "10 drivers at $25 is $250"
_PRODUCT_BEFORE = re.compile(r"(?:\s[x×*]\s*|\btimes\s+|\bat\s+)[$€£]?\d[\d.,]*(?:\s+[a-z]+){0,2}\s*"
                             r"(?:is|=|comes to|makes|gives you)\s*$", re.IGNORECASE)
# "the total for changing your flight would be $187": a total, worked out from the fee and other amounts
_TOTAL_BEFORE = re.compile(r"\b(?:total|totals|altogether|in all|overall)\b[^.$€£\d]{0,40}$", re.IGNORECASE)
_COMPUTED_AFTER = re.compile(r"^\s*(?:in total|total|altogether|overall|all in|extra|on top)\b", re.IGNORECASE)
# "a month" in "$10 a month" / "9.99 a month" is a billing period, not a stated duration.
_RATE_BEFORE = re.compile(r"(?:(?:[$€£]\s?)?\d[\d,.]*|\b(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
                          r"(?:-[a-z]+)?)(?:\s+[a-z]+)?\s+$", re.IGNORECASE)  # "Sixty-five a month"
_ORDER_MONEY = re.compile(r"\b(?:order total|subtotal|you paid|you were charged|was charged|been charged|"
                          r"your total|price of your|cost of your)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Statement:
    """An agent sentence stating a value for a fact."""
    fact: Fact
    mention: Mention          # offsets relative to the message text
    allowed: bool
    answer: bool = False      # read from the customer's question, not from a term in the sentence (FactMatcher.asked)


# "it's ten percent", "it is normally $35", "You've got a couple of weeks to use it": the subject is what the sentence
# before named
_REFERS_BACK = re.compile(r"\b(?:it's|it is|its|they're|they are|you've got|you have|you'll have)"
                          r"(?:\s+(?:normally|usually|typically|always|just|only|actually|still|now|then|a|an|"
                          r"the))*\s*$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;]|\band\b|\bbut\b")
# "14 days from delivery", "within four weeks of delivery": a term right after "from / after / before" (or "of" after
# "within ...") is the point the value is counted from, not what the value is about ("10 hours of playtime" is).
_ANCHOR = re.compile(r"\s*(?:from|after|before|since|following|prior to)\s+(?:the\s+|your\s+|a\s+)?", re.IGNORECASE)
_ANCHOR_OF = re.compile(r"\s*of\s+(?:the\s+|your\s+|a\s+)?", re.IGNORECASE)
_WITHIN_BEFORE = re.compile(r"\bwithin\s+$", re.IGNORECASE)
# Content words a sentence must share with one fact's terms, and with no other fact of the value's kind as many, to
# be read as about it without naming it (one shared word flagged twice as many right values as wrong ones).
_LOOSE_WORDS = 2
# Units name no fact: "a 10-minute ride" does not share "minute" with "45 minutes of riding a day".
_UNIT_WORDS = frozenset({"minute", "hour", "second", "night", "percent", "cent", "dollar", "buck", "pound", "euro"})
_LIGHT_VERBS = frozenset({"take", "get", "make", "give", "go", "come", "do", "have", "need", "want", "let", "put"})
# Words too general to tie a sentence to a fact ("New Zealand" is not about a "new card").
_GENERIC_WORDS = frozenset({"new", "old", "first", "last", "next", "free", "full", "standard", "same", "other", "time",
                            "day", "week", "month", "year", "extra", "additional", "per", "each"})


class FactMatcher:
    """Finds the facts a sentence talks about (lemma-aware PhraseMatcher over each fact's `about` terms)."""

    def __init__(self, nlp, policy: PolicyPack):
        self.facts = {f.id: f for f in policy.facts}
        self.matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.kinds = {f.kind for f in policy.facts}
        # Content-word lemmas of each fact's terms: a sentence sharing one of them may be about that fact, so a
        # value allowed by it is not flagged against another fact (precision over recall).
        self.words: dict[str, frozenset] = {}
        all_terms = []
        for fact in policy.facts:
            term_docs = _naming_terms(list(nlp.pipe(_with_derivations(fact.about))))
            all_terms += term_docs
            self.matcher.add(fact.id, term_docs)
            self.words[fact.id] = frozenset(_with_day_kinds({t.lemma_ for d in term_docs for t in d if t.is_alpha and
                                                             not t.is_stop and t.lemma_ not in _GENERIC_WORDS}))
        self.screen = _term_screen(nlp, all_terms)
        # the words of a fact no other fact of its kind has: "fee" names none of a pack's fees (nor does a light
        # verb such as "take" in "refund takes" name a refund's processing time)
        self.distinct = {f.id: self.words[f.id].difference(_LIGHT_VERBS, *(self.words[g.id] for g in policy.facts
                                                                           if g.kind == f.kind and g.id != f.id))
                         for f in policy.facts}
        # Per fact of a kind read loosely, the hashes of the lower-case forms of its words only it has and of all its
        # content words: a reply holding none of the first, or fewer than two of the second with its question's
        # words, needs no quantities, lemmas or sentences for _loosely_named.
        self.loose_kinds = set(self.kinds)
        self.limit_words = frozenset(nlp.vocab.strings.add(w) for w in _LIMIT_WORDS)
        self.in_business_days = {f.id for f in policy.facts if any(map(_BUSINESS_DAYS.search, f.allowed))}
        self.window = window_fact(list(policy.facts))  # an arrival window, read from booked times too
        self.minimum_age = minimum_age_fact(list(policy.facts), _is_age_limit)  # read from "18 or over" too
        # per window the customer acts in, the one time to pay back money sharing a word with it ("return window" and
        # "refund processing" share "refund"), or None
        durations = [f for f in policy.facts if f.kind == "duration"]
        self.paying = [f for f in durations if pays_back(f)]
        self.windows = {f.id: only([g for g in self.paying if not self.words[g.id].isdisjoint(self.words[f.id])])
                        for f in durations if f not in self.paying}
        lemmatizer = nlp.get_pipe("lemmatizer") if nlp.has_pipe("lemmatizer") else None
        inverse = lemmatizer.forms_by_lemma() if hasattr(lemmatizer, "forms_by_lemma") else None
        self.loose_screen = None if inverse is None else [  # None: another lemmatizer, no screen
            (f.kind, _form_hashes(nlp, inverse, self.distinct[f.id] - _UNIT_WORDS), forms)
            for f in policy.facts if f.kind in self.loose_kinds and self.distinct[f.id] - _UNIT_WORDS
            if len(forms := _form_hashes(nlp, inverse, self.words[f.id] - _UNIT_WORDS)) >= 2]
        # per fact, the lower-case forms of its words only it has among facts of its kind, and of all its words: a
        # customer's question holding none of the first and fewer than two of the second asks about no fact loosely
        # (_loosely_asked)
        self.ask_screen = [] if inverse is None else [
            (f.id, _forms(inverse, self.distinct[f.id] - _UNIT_WORDS), forms) for f in policy.facts
            if (forms := _forms(inverse, self.words[f.id] - _UNIT_WORDS))]
        self.screen_hashes = None if self.screen is None else frozenset(nlp.vocab.strings.add(f) for f in self.screen)
        # Customer messages are not tokenized: their words are screened against each term's word forms first.
        plain = bool(self.screen) and all(w.isascii() and w[:1].isalnum() for w in self.screen)
        self.screen_scan = WordScan(tuple(map(re.escape, self.screen))) if plain else None  # else: no pre-scan
        self.term_forms = _term_forms(nlp, all_terms)
        # each term under the forms of its first word: a text's words reach the only terms it can hold (a term
        # of no plain word, such as "24/7", could be anywhere)
        self.term_index: dict[str, list[int]] = {}
        self.any_text_may_hold_a_term = any(not term for term in self.term_forms or ())
        for i, term in enumerate(self.term_forms or ()):
            for form in (term[0] if term else ()):
                self.term_index.setdefault(form, []).append(i)

    def may_match(self, doc: Doc) -> bool:
        """False when no term can match: for each term, no token's lower-case form lemmatizes to its most
        distinctive lemma (so those docs need neither lemmas nor the matcher). A set test on token hashes."""
        if self.screen_hashes is None:
            return True
        return not lower_set(doc).isdisjoint(self.screen_hashes)

    def asked(self, text: str) -> dict[str, Fact]:
        """kind -> the one fact of that kind a customer's message names ("how much is the late fee?"), the facts
        an agent's answer may state without naming them. A kind the message names several facts of is left out:
        the answer could be about any of them."""
        if self.term_forms is not None and not self.any_text_may_hold_a_term:
            low = text.lower()
            if self.screen_scan is not None and not self.screen_scan.may_match(low):
                return {}  # most customer messages hold no word of the screen
            words = set(_WORD.findall(low))
            candidates = {i for w in words.intersection(self.term_index) for i in self.term_index[w]}
            if not any(all(not forms.isdisjoint(words) for forms in self.term_forms[i]) for i in candidates):
                return {}  # no term has all its words here: no lemmas, no matcher
        by_kind: dict[str, set[str]] = {}
        doc = lemmatized(text)
        spans = [(mid, s, e) for mid, s, e in self.matcher(doc) if not _quoted_term(doc, s, e)]
        for mid, s, e in spans:
            # a term inside a longer one ("how long" in "how long do I have") names the longer one's fact
            if not any(s2 <= s and e <= e2 and e2 - s2 > e - s for _, s2, e2 in spans):
                fact = self.facts[doc.vocab.strings[mid]]
                by_kind.setdefault(fact.kind, set()).add(fact.id)
        return {kind: self.facts[next(iter(ids))] for kind, ids in by_kind.items() if len(ids) == 1}

    def statements(self, doc: Doc, question: str | None = None) -> list[Statement]:
        """`question`: the customer's turn before this reply; values of a kind the reply names no fact of are read
        as answers about the one fact of that kind it asked about (see asked)."""
        found = self._statements(doc, question)
        if "percent" in self.kinds and " off" in doc_text(doc):
            found += _uncovered_statements(self._percent_said_in_money(doc_text(doc), question), found)
        # visits booked as "between 8 and noon" (time_windows), ages said as "18 or over" (ages)
        if self.window is not None:
            found += _uncovered(self.window, window_statements(doc_text(doc), self.window), found)
        if self.minimum_age is not None:
            found += _uncovered(self.minimum_age, age_statements(doc_text(doc), question, self.minimum_age), found)
        if not found:
            return found  # most replies
        if any(not st.allowed and st.fact.kind == "money" for st in found):
            found = self._worked_from_the_price(doc_text(doc), question, found)
        asked_money = bool(question and MONEY_WORDS.search(question))
        if not (asked_money or MONEY_WORDS.search(doc_text(doc))):
            return found
        kept = (self._paid_back_instead(doc, doc_text(doc), st, asked_money) for st in found)
        return [st for st in kept if st is not None]

    def _percent_said_in_money(self, text: str, question: str | None) -> list[Statement]:
        """A discount of the pack said as that many dollars off ("seniors get $15 off" for 15%), in a reply that
        states no percentage and whose words or question name the discount."""
        if find_quantities(text, "percent"):
            return []
        named = self.asked(text).get("percent") or (self.asked(question).get("percent") if question else None)
        if named is None:
            return []
        return [Statement(named, m, False, answer=True) for m in find_quantities(text, "money")
                if m.quantity.low == m.quantity.high and _OFF.match(text, m.end)
                and any(v.low == m.quantity.low for v in named.values)]

    def _worked_from_the_price(self, text: str, question: str | None, found: list[Statement]) -> list[Statement]:
        """A wrong amount that is the fact's price times a count or a time in the reply or its question ("That's
        $48 for the shuttle" after "for 4 people?" at $12 each; "$157.50 for 2.25 hours" at $70 an hour), or the price
        less a percentage the reply takes off ("a fifth off admission, so $9.60" at $12), is right."""
        out, times = [], None
        for st in found:
            if not st.allowed and st.fact.kind == "money":
                times = _multipliers(text + "\n" + (question or "")) if times is None else times
                said, prices = st.mention.quantity.low, {v.low for v in st.fact.values if v.low > 0}
                if any(abs(n * price - said) <= 0.01 + 0.005 * said for n in times for price in prices):
                    st = replace(st, allowed=True)
            out.append(st)
        return out

    def _paid_back_instead(self, doc: Doc, text: str, st: Statement, asked_money: bool) -> Statement | None:
        """A window the customer acts in, read where the value is the time money takes to come back, is read as the
        pack's time to pay that money back instead (or as no statement when the pack has none). An answer to a
        question about money ("where's my refund?") is about money."""
        if st.fact.id not in self.windows or not money_coming_back(text, st.mention, st.answer and asked_money):
            return st
        paid_back = self.windows[st.fact.id]  # the one sharing a word with the window ("refund")
        if paid_back is None:  # else the one sharing a word with the reply
            lemmas = {t.lemma_ for t in ensure_lemmas(doc)}
            paid_back = only([f for f in self.paying if not self.words[f.id].isdisjoint(lemmas)])
        return None if paid_back is None else \
            replace(st, fact=paid_back, allowed=within_any(st.mention.quantity, paid_back.values))

    def _statements(self, doc: Doc, question: str | None) -> list[Statement]:
        # Terms first (one C-level pass): most messages name no fact, so their quantities are never parsed.
        matches = self.matcher(ensure_lemmas(doc)) if self.may_match(doc) else []
        text = doc_text(doc)
        kinds = {self.facts[doc.vocab.strings[mid]].kind for mid, _, _ in matches}
        asked = self.asked(question) if question else {}  # usually {}: the screen of its words settles it
        answers = [st for kind in sorted(set(asked) - kinds) for st in self._answers(doc, text, kind, asked[kind])]
        if question:
            answers += self._loosely_asked(question, doc, text, kinds | set(asked))
        answers += self._loosely_named(doc, text, kinds | {st.fact.kind for st in answers}, question)
        answers = _settled_by_right_value(answers)
        if not matches:
            return answers
        mentions = {k: [m for m in find_quantities(text, k) or self._bare_named(doc, text, k, matches)
                        if not is_event(text, m) and not _is_derived(text, m)] for k in kinds}
        if not any(mentions.values()):
            return answers
        found: list[Statement] = answers
        previous, previous_sent = [], None  # the sentence before and its terms
        for sent in sentences(doc):
            terms = [(doc.vocab.strings[mid], s, e) for mid, s, e in matches
                     if sent.start <= s and e <= sent.end and not _quoted_term(doc, s, e)]
            if sent.text.rstrip().endswith("?"):
                previous, previous_sent = terms, sent
                continue  # a question asks about the policy, it doesn't state it
            if terms:
                found += self._sentence_statements(doc, sent, terms, mentions)
            if previous:
                found += self._carried_over(text, (previous_sent, sent), previous, terms, mentions)
            previous, previous_sent = terms, sent
        return found

    def _bare_named(self, doc: Doc, text: str, kind: str, matches) -> list[Mention]:
        """Amounts with no currency ("fifty a head for a group lesson") in a reply naming one fee, on its scale."""
        named = {self.facts[doc.vocab.strings[mid]] for mid, _, _ in matches} if kind == "money" else ()
        fees = [f for f in named if f.kind == "money"]
        # in words only: bare digits beside a fee are more often times and dates ("Saturday 9-12", "June 30")
        return [m for m in _bare_amounts(text, fees[0]) if not any(c.isdigit() for c in text[m.start:m.end])] \
            if len(fees) == 1 else []

    def _carried_over(self, text: str, pair: tuple[Span, Span], previous, terms, mentions) -> list[Statement]:
        """Values in a sentence that names no fact of their kind but refers back ("it's", "they're") to the one fact
        of that kind the sentence before named ("The senior discount is weekdays only. On weekdays it's ten
        percent."), with the guards of an answer. A value allowed for a fact either sentence shares a word with is
        right ("I've refunded $79. It'll be back within 14 days." may be the refund's processing time)."""
        out, sent = [], pair[1]
        lemmas = {t.lemma_ for s in pair for t in s}
        for kind, kind_mentions in mentions.items():
            before = {fid for fid, _, _ in previous if self.facts[fid].kind == kind}
            if len(before) != 1 or any(self.facts[fid].kind == kind for fid, _, _ in terms):
                continue
            fact = self.facts[before.pop()]
            for m in kind_mentions:
                if sent.start_char <= m.start and m.end <= sent.end_char and \
                        _REFERS_BACK.search(text[sent.start_char:m.start]) and _answers_fact(text, m, fact) and \
                        not (kind == "money" and _ORDER_MONEY.search(sent.text)):
                    related = [fact, *self._sharing(kind, lemmas)]
                    out.append(Statement(fact, m, within_any(m.quantity, [v for f in related for v in f.values]),
                                         answer=True))
        return out

    def repeated(self, text: str, wrong_before: list[Statement], found: list[Statement]) -> list[Statement]:
        """A wrong value the agent stated earlier in the chat, said again where no term names its fact ("Like I said,
        six months.", "Nope, it's 14 days."): the same wrong statement. Not a correction ("not six months") nor a
        quote ("I said six months, but ...")."""
        if _CORRECTING.search(text):
            return []  # "Sorry, my mistake: it's $29.99. The $19.99 I quoted was wrong."
        taken = {st.mention.start for st in found}
        out = []
        for kind in sorted({st.fact.kind for st in wrong_before}):
            for m in find_quantities(text, kind):
                if m.start in taken or is_event(text, m) or _NOT_REPEATED_BEFORE.search(text, 0, m.start) or \
                        (kind == "count" and _BOOKED_BEFORE.search(text, 0, m.start)):
                    continue  # "Booked 12 drivers for Saturday" reports the booking
                same = next((st for st in wrong_before if st.fact.kind == kind and
                             same_value(st.mention.quantity, m.quantity)), None)
                # "free" goes with too many things; a range of counts ("9 to 11") is rather hours
                if same is not None and not (m.quantity.high == 0 if kind == "money" else
                                             kind == "count" and m.quantity.low != m.quantity.high):
                    out.append(Statement(same.fact, m, False, answer=True))
        return out

    def _loosely_asked(self, question: str, doc: Doc, text: str, known_kinds: set[str]) -> list[Statement]:
        """Values of a kind that neither the reply nor the customer's terms name a fact of, in a short answer to a
        question asking for a value of that kind ("How much extra is rush?" for a "rush fee"; "how long do credits
        last" for "credit expiry"): statements about the one fact of that kind the question's words point at (a word
        no other fact of the kind has, or two of its words), with the guards of an answer."""
        if not (_ASKS_FOR_ANY.search(question) or "%" in question) or _OWN_STATE.search(question):
            return []  # most replies
        words = set(_WORD.findall(question.lower()))
        business = _BUSINESS_DAYS.search(text) is not None
        near = {self.facts[fid].kind for fid, own, forms in self.ask_screen
                if not own.isdisjoint(words) or len(forms.intersection(words)) >= _LOOSE_WORDS or
                (business and not forms.isdisjoint(words) and fid in self.in_business_days)} - known_kinds
        kinds = [k for k in sorted(near) if _asks_for(k, question) and find_quantities(text, k)]
        # the answer: the first sentence after any "Yep!" or "Sure thing!", itself short
        first = next((s for s in sentences(doc) if len(s) > 3 or any(t.like_num for t in s)), None) if kinds else None
        end = None if first is None else _short_answer_end(first)
        if end is None:
            return []
        out, words_of = [], None
        for kind in kinds:
            if words_of is None:
                words_of = _with_day_kinds({t.lemma_ for t in lemmatized(question)}) - _UNIT_WORDS
                own = _with_day_kinds({t.lemma_ for t in ensure_lemmas(doc)}) - _UNIT_WORDS
            # the words that ask for a value of the kind ("price", "discount") name no fact of it
            lemmas = {w for w in words_of if not _ASKS_FOR[kind].rx.fullmatch(w)}
            shared = sorted(((len(self.words[f.id] & lemmas), f.id) for f in self.facts.values()
                             if f.kind == kind and self.words[f.id] & lemmas), reverse=True)
            if not shared:
                continue
            tied = [self.facts[fid] for n, fid in shared if n == shared[0][0]]
            if len(tied) > 1 or (shared[0][0] < _LOOSE_WORDS and self.distinct[tied[0].id].isdisjoint(lemmas)):
                # one word, or as many for several facts: a value in business days answers the one fact counted in
                # business days ("when will I see my refund?" for a refund's processing time, not its window)
                tied = _counted_in_business_days(text, kind, tied)
                if tied is None:
                    continue
            fact = tied[0]
            if any(f.kind == kind and f.id != fact.id and not self.distinct[f.id].isdisjoint(own)
                   for f in self.facts.values()):
                continue  # the reply names another fact of the kind by its own words
            related = self._sharing(kind, lemmas | own)
            out += [replace(st, allowed=within_any(st.mention.quantity, [v for f in related for v in f.values]))
                    for st in self._answers(doc, text, kind, fact, bare=False)
                    if not (kind == "money" and st.mention.quantity.high == 0)  # "free" goes with too much
                    and st.mention.end <= end and (end == first.end_char or st.mention.start <= first[2].idx)]
        return out

    def _answers(self, doc: Doc, text: str, kind: str, fact: Fact, bare: bool = True) -> list[Statement]:
        """The values of `kind` in a reply that names no fact of that kind, as statements about the one fact of
        that kind the customer asked about ("It's $10 a day." after "how much is the overdraft fee?")."""
        out = []
        for m in find_quantities(text, kind) or (_bare_amounts(text, fact) if kind == "money" and bare else []):
            if is_event(text, m) or _is_derived(text, m) or not _answers_fact(text, m, fact):
                continue
            sent = next((s for s in sentences(doc) if s.start_char <= m.start < s.end_char), None)
            if sent is None or sent.text.rstrip().endswith("?") or \
                    (kind == "money" and _ORDER_MONEY.search(sent.text)):
                continue
            out.append(Statement(fact, m, within_any(m.quantity, fact.values), answer=True))
        return out

    def _loosely_named(self, doc: Doc, text: str, named_kinds: set[str], question: str | None) -> list[Statement]:
        """Values of a kind that neither the reply's terms nor the customer's question name a fact of, in a sentence
        whose content words, with those of the customer's question, point at one fact of that kind only ("Spot
        trades cost half a percent" for a trading fee whose terms are "trading fee" and "spot fee"; "Wednesday green
        fee is $60." for a "weekday green fee"): statements about that fact, with the guards of an answer."""
        kinds = self.loose_kinds - named_kinds
        lows = lower_set(doc)
        if "count" in kinds and lows.isdisjoint(self.limit_words):
            kinds = kinds - {"count"}  # a count is read loosely only when said as a limit (_states_a_limit)
        if self.loose_screen is not None:
            near = [forms for kind, own, forms in self.loose_screen if kind in kinds and not own.isdisjoint(lows)]
            if not any(len(forms.intersection(lows)) >= 2 for forms in near):
                asked = {doc.vocab.strings[w] for w in _WORD.findall(question.lower())} if near and question else set()
                both = lows | asked
                if not any(len(forms.intersection(both)) >= 2 for forms in near):
                    return []  # most replies
        out, asked_lemmas = [], None
        for kind in sorted(kinds):
            seen: set[int] = set()  # sentences already holding a value of this kind: later ones are worked out
            for m in find_quantities(text, kind):
                if is_event(text, m) or _is_derived(text, m) or (kind == "money" and m.quantity.high == 0) or \
                        (kind == "count" and not _states_a_limit(text, m)):
                    continue  # "free" goes with too many things to say which; "3 tickets" are the customer's
                sent = next((s for s in sentences(ensure_lemmas(doc)) if s.start_char <= m.start < s.end_char), None)
                if sent is None or sent.start in seen or sent.text.rstrip().endswith("?") or \
                        (kind == "money" and _ORDER_MONEY.search(sent.text)):
                    continue
                seen.add(sent.start)
                if asked_lemmas is None:
                    asked_lemmas = {t.lemma_ for t in lemmatized(question)} if question else set()
                own = _with_day_kinds({t.lemma_ for t in sent}) - _UNIT_WORDS
                lemmas = own | (_with_day_kinds(asked_lemmas) - _UNIT_WORDS)
                # the sentence itself holds a word of the fact that no other fact of its kind has
                shared = sorted(((len(self.words[f.id] & lemmas), f.id) for f in self.facts.values()
                                 if f.kind == kind and not self.distinct[f.id].isdisjoint(own)), reverse=True)
                if not shared or shared[0][0] < _LOOSE_WORDS or (len(shared) > 1 and shared[1][0] == shared[0][0]):
                    continue
                fact = self.facts[shared[0][1]]
                if not _answers_fact(text, m, fact):
                    continue
                related = self._sharing(kind, lemmas)
                out.append(Statement(fact, m, within_any(m.quantity, [v for f in related for v in f.values]),
                                     answer=True))
        return out

    def _related(self, sent: Span, kind: str, terms) -> list[Fact]:
        """Facts sharing a content word with the sentence outside the matched terms, other than a word of the facts
        the terms name ("siblings get a discount" is about the sibling discount, not also the member discount)."""
        inside = {i for _, s, e in terms for i in range(s, e)}
        lemmas = {t.lemma_ for t in sent if t.i not in inside}.difference(
            *(self.words[fid] for fid, _, _ in terms if self.facts[fid].kind == kind))
        return self._sharing(kind, lemmas)

    def _sharing(self, kind: str, lemmas: set[str]) -> list[Fact]:
        """The facts of `kind` sharing a content word with `lemmas`: a value right for any of them is right."""
        return [f for f in self.facts.values() if f.kind == kind and not self.words[f.id].isdisjoint(lemmas)]

    def _sentence_statements(self, doc: Doc, sent: Span, terms, mentions) -> list[Statement]:
        out = []
        # terms that hold a value of their own ("half day", "24-hour support")
        term_chars = [(doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for _, s, e in terms
                      if any(t.like_num or t.lower_ in _VALUE_WORDS for t in doc[s:e])]
        for kind, kind_mentions in mentions.items():
            candidates = [(self.facts[fid], s, e) for fid, s, e in terms if self.facts[fid].kind == kind]
            if not candidates:
                continue
            for m in kind_mentions:
                if not (sent.start_char <= m.start and m.end <= sent.end_char) or \
                        any(start < m.end <= end for start, end in term_chars):
                    continue  # "a half-day rental": the value is part of a term's name
                if kind == "money" and _ORDER_MONEY.search(sent.text):
                    continue
                term = _most_specific(doc, candidates, m)
                fact = term[0] if term else None
                if fact is None or (kind == "count" and all(v.unit != m.quantity.unit for v in fact.values)) or \
                        (kind == "count" and _counts_people_not_years(doc_text(doc), m, fact)) or \
                        (kind == "count" and (bound := _OR_MORE_AFTER.match(doc_text(doc), m.end)) and
                         _bound_of_another_kind(bound, fact)) or \
                        (kind == "duration" and all(on_common_scale(m.quantity, v) is None for v in fact.values)):
                    continue  # no term in its clause; or "10 kg" beside a count of bags, "3 nights" beside 30 days
                related = [f for f, _, _ in candidates] + self._related(sent, kind, terms)
                ok = within_any(m.quantity, [v for f in related for v in f.values])
                out.append((Statement(fact, m, ok), term[1:]))
        # A sentence that states the policy value of a fact is right about it; its other values of that kind are
        # other amounts ("the fee is $150; with this month's $23.40 usage that's $173.40") unless another mention
        # of the fact states them outright ("Standard is $34.99 a month and Premium is $59.99").
        stated = {(st.fact.id, span) for st, span in out if st.allowed}
        ids = {fid for fid, _ in stated}
        return [st for st, span in out if st.allowed or st.fact.id not in ids or
                ((st.fact.id, span) not in stated and _states_outright(doc, span, st.mention))]


def _uncovered(fact: Fact, said: list[tuple[Mention, bool]], found: list[Statement]) -> list[Statement]:
    """Statements about `fact` from (value, allowed) pairs read without its terms, where no statement read from the
    terms covers those words already."""
    return _uncovered_statements([Statement(fact, m, ok, answer=True) for m, ok in said], found)


def _uncovered_statements(new: list[Statement], found: list[Statement]) -> list[Statement]:
    return [st for st in new if not any(old.mention.start < st.mention.end and st.mention.start < old.mention.end
                                        for old in found)]


def _settled_by_right_value(answers: list[Statement]) -> list[Statement]:
    """A reply that answers with the fact's right value gives its other values for other things ("It's 14 cents a
    word, with a $45 minimum per order.")."""
    right = {st.fact.id for st in answers if st.allowed}
    return [st for st in answers if st.allowed or st.fact.id not in right] if right else answers


def _short_answer_end(first: Span) -> int | None:
    """Where the answer ends in a reply's first sentence: the sentence when it is short, else its first clause when
    that is short ("Fifty dollars, and it comes off your final bill.", where the value must open it); None for a
    long answer."""
    if len(first) <= _SHORT_ANSWER:
        return first.end_char
    brk = next((t for t in first[:_SHORT_ANSWER] if t.text in (",", ";", "—", "–", ":")), None)
    return None if brk is None else brk.idx


# A count is a limit of the policy only when said as one: "up to 8 riders", "capped at eight", "ten max"
_LIMIT_BEFORE = re.compile(r"\b(?:up to|max(?:imum)?(?: of| is)?|limit(?: is| of)?|capped at|caps? (?:is |of |at )?|"
                           r"at most|at least|minimum(?: is| of)?|min(?: is| of)?|no more than|no fewer than|"
                           r"starts? at|kicks? in at|need to reach|takes|holds?|fits?(?: up to)?)\s*$", re.IGNORECASE)
_LIMIT_AFTER = re.compile(r"^\s*(?:\w+\s+)?(?:max(?:imum)?|tops|at most|or fewer|or less|or more|minimum|is the "
                          r"(?:limit|max|maximum|cap|minimum))\b", re.IGNORECASE)


# the words of those cues (a set test on a reply's lower-case token hashes before any of them is parsed)
_LIMIT_WORDS = ("up", "max", "maximum", "limit", "cap", "capped", "caps", "most", "least", "minimum", "min", "more",
                "fewer", "less", "start", "starts", "kicks", "reach", "takes", "hold", "holds", "fit", "fits", "tops")


def _states_a_limit(text: str, m: Mention) -> bool:
    return bool(_LIMIT_BEFORE.search(text, max(0, m.start - 30), m.start) or
                _LIMIT_AFTER.match(text[m.end:m.end + 30]))


_VALUE_WORDS = frozenset({"half", "quarter", "full", "whole"})


def _multipliers(text: str) -> set[float]:
    """The counts in a text, its times in hours and in days, and what is left after each of its percentages off
    ("a fifth off admission, so her ticket will be $9.60"): what a price may have been multiplied by."""
    out = {m.quantity.low for m in find_quantities(text, "count") if m.quantity.low == m.quantity.high}
    out |= {1 - m.quantity.low / 100 for m in find_quantities(text, "percent") if 0 < m.quantity.low < 100}
    for m in find_quantities(text, "duration"):
        if m.quantity.low == m.quantity.high:
            out |= {m.quantity.low / 60, m.quantity.low / 1440} if m.quantity.unit == "minutes" else \
                {m.quantity.low} if m.quantity.unit == "days" else set()
    return out - {0.0, 1.0}


_BUSINESS_DAYS = re.compile(r"\b(?:business|working)\s+days?\b", re.IGNORECASE)


def _counted_in_business_days(text: str, kind: str, facts: list[Fact]) -> list[Fact] | None:
    """[the one fact of `facts` whose allowed values are in business days], when the reply counts in them too."""
    if kind != "duration" or not _BUSINESS_DAYS.search(text):
        return None
    counted = [f for f in facts if any(map(_BUSINESS_DAYS.search, f.allowed))]
    return counted if len(counted) == 1 else None


_SHORT_ANSWER = 12  # tokens at most in the sentence that answers a question loosely (_loosely_asked)

# Before a value that does not say again what the agent said: a correction or a quote ("not six weeks", "I said six
# weeks"; but "Like I said, six months." says it again)
_NOT_REPEATED_BEFORE = re.compile(r"(?:\b(?:not|never|instead of|rather than|(?:i|we|you) (?:said|wrote|quoted|"
                                  r"mentioned|told you))|n't)\s*$", re.IGNORECASE)

_OFF = re.compile(r"\s+off\b", re.IGNORECASE)
_BOOKED_BEFORE = re.compile(r"\b(?:booked|reserved|added|registered|signed up)\s+(?:you\s+)?(?:for\s+)?$",
                            re.IGNORECASE)
_CORRECTING = re.compile(r"\b(?:sorry|apolog\w*|my mistake|my bad|correction|correct myself|misspoke|misread|"
                         r"mix-?up|was wrong|i was wrong|you're right|you are right|you’re right)\b", re.IGNORECASE)

# A customer's question asking for a value of a kind ("how long do credits last?", "how much extra is rush?"); many
# counts in a reply are the customer's own things ("3 jumpers"): only "how many" asks for one
_ASK_WORDS = {
    "duration": ("how (?:long|soon|quickly|fast|early|late|far|many (?:days|weeks|months|hours|minutes|years))", "when",
                 "how much (?:notice|time|warning|lead time|advance notice)",
                 "until", "till", "til", "by what", "deadline", "expire", "expiry", "valid", "longest", "shortest"),
    "money": ("how much", "cost", "costs", "price", "prices", "pricing", "charge", "charged", "fee", "fees", "pay",
              "rate", "owe", "expensive", "cheap"),
    "percent": ("discount", "discounts", "percent", "off", "deal", "cheaper", "saving", "savings", "how much"),
    "count": ("how many", "how old", "what age", "minimum (?:number|age)", "maximum (?:number|age)",
              "min (?:number|age)", "max (?:number|age)")}
_ASKS_FOR = {kind: WordScan(words) for kind, words in _ASK_WORDS.items()}
_ASKS_FOR_ANY = WordScan(tuple(dict.fromkeys(w for words in _ASK_WORDS.values() for w in words)))


def _asks_for(kind: str, question: str) -> bool:
    return _ASKS_FOR[kind].search(question) or (kind == "percent" and "%" in question)


# ... but not about the state of the customer's own account ("how much credit do I have?")
# ("how long do I have to pick it up?" asks for a window)
_OWN_STATE = re.compile(r"\b(?:i have(?! to\b)|do i have(?! to\b)|have i got|i've got|i owe|do i owe|my balance|"
                        r"my account|i paid|did i pay)\b", re.IGNORECASE)

# Before a value that is not the answer: a correction ("not 20%"), what someone else said ("told you 14 days"), a
# thing already named ("the two years", "your refund of £96"), a point in time ("a reminder after 48 hours"), usage.
_NOT_ANSWER_BEFORE = re.compile(r"(?:\b(?:not|never|rather than|instead of|told you|were told|were given|the|of|after|"
                                r"used|using|per)|n't|"
                                r"['‘\"“])\s*$",
                                re.IGNORECASE)
# ... but "a late fee of $35", "a total of eight passes" state the amount
_AMOUNT_OF_BEFORE = re.compile(r"\b(?:fee|charge|cost|price|rate|penalty|surcharge|deposit|fine|discount|allowance|"
                               r"limit|cap|minimum|maximum|total)\s+of\s*$", re.IGNORECASE)
# ... as does a size said as a limit: "groups of eight or more get 15% off"
_GROUP_OF_BEFORE = re.compile(r"\b(?:groups?|parties|party|teams?|bookings?|orders?)\s+of\s*$", re.IGNORECASE)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_DATE_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s+{_MONTH}\b", re.IGNORECASE)
_DATE_BEFORE = re.compile(rf"\b{_MONTH}\.?\s+$", re.IGNORECASE)
# "three days is more than the 48 hours we need", "25 plants is over the threshold"
_COMPARED_AFTER = re.compile(r"^\s+(?:[a-z]+\s+)?(?:is|are)\s+(?:more|less|longer|shorter|over|under|within|inside|"
                             r"outside|fewer|above|below)\b", re.IGNORECASE)
# a count of the customer's things ("3 items in your cart"); but "25% of your total" states a percent
_YOURS_AFTER = re.compile(r"^\s*(?:[a-z]+\s+){0,2}(?:in|on|from|of|for|with)\s+your\b", re.IGNORECASE)
_DIGITS_AFTER = re.compile(r"^[ -]?\d")  # "339 802": the first group of a code
_DIGIT_GROUP = re.compile(r"(?:\d[ -]|\b(?:ending|ends|code|number|no\.|#)\s*(?:in\s+)?)$", re.IGNORECASE)
_COUNT_NOUN = re.compile(r"^[\s-]*([a-z]+)", re.IGNORECASE)
_OR_MORE_AFTER = re.compile(r"[\s-]*or\s+(more|fewer|less|over|above)\b", re.IGNORECASE)
_THRESHOLD = re.compile(r"\b(?:group|discount|bulk|bundle|qualif\w*|rate|price|min|minimum|at least|starts? at)\b",
                        re.IGNORECASE)
_UPPER_LIMIT = re.compile(r"\b(?:max\w*|at most|up to|no more than|limit\w*|cap|capped|per booking|per order)\b",
                          re.IGNORECASE)


def _bound_of_another_kind(limit: re.Match, fact: Fact) -> bool:
    """"8 or more guests get the group rate" says nothing of the most a booking holds, nor "3 or fewer" of the
    least a group needs."""
    return _is_upper_limit(fact) != (limit.group(1).lower() in ("fewer", "less"))


def _is_upper_limit(fact: Fact) -> bool:
    """A count that is the most allowed ("A single booking can hold at most 12 guests"), not the least needed."""
    return bool(_UPPER_LIMIT.search(f"{fact.id.replace('_', ' ')} {fact.explanation}"))


def _is_threshold(fact: Fact) -> bool:
    """A count that is the least needed for a price ("The group discount starts at 10 drivers"), not any count of
    the fact's thing ("1 free replacement kit")."""
    return bool(_THRESHOLD.search(f"{fact.id.replace('_', ' ')} {' '.join(fact.about)} {fact.explanation}"))


_QUALIFY_VERBS = frozenset({"get", "gets", "qualify", "qualifies", "save", "saves", "receive", "receives", "pay",
                            "pays"})
# Words after a bare count that still leave it a count of the fact's thing ("up to 10 a month", "8 max").
_COUNT_FILLERS = frozenset({"a", "an", "per", "each", "max", "maximum", "in", "at", "total", "tops",
                            # not "or": "two or three sizes" counts sizes
                            "of", "for", "with", "on", "is", "are", "so", "but", "if", "including", "included", "free",
                            # adverbs: "it's three now"
                            "now", "then", "instead", "though", "actually", "only", "anyway", "altogether"})


def _answers_fact(text: str, m: Mention, fact: Fact) -> bool:
    """Whether a value in a reply that names no fact can be the answer about `fact`: not a correction, a report
    or a date, of the fact's unit scale (within 5x of the allowed value: "in 5 minutes" is no refund
    window), and a count of the fact's own thing ("three reminder emails" is not a count of refills)."""
    before, after, q = text[max(0, m.start - 25):m.start], text[m.end:m.end + 20], m.quantity
    if (_NOT_ANSWER_BEFORE.search(before) and not _AMOUNT_OF_BEFORE.search(before) and
            not (_GROUP_OF_BEFORE.search(before) and _LIMIT_AFTER.match(after))) or \
            _COMPARED_AFTER.match(after) or (q.kind == "money" and "half" in text[m.start:m.end].lower()):
        return False
    if q.kind == "duration":
        return _on_the_facts_scale(q, fact)
    if q.kind != "count":
        return True
    if all(v.unit != q.unit for v in fact.values) or _DATE_AFTER.match(after) or _DATE_BEFORE.search(before) or \
            _DIGIT_GROUP.search(before) or _DIGITS_AFTER.match(after) or _COMPUTED_AFTER.match(after) or \
            _YOURS_AFTER.match(after) or \
            not _on_the_facts_scale(q, fact):
        return False
    if _counts_people_not_years(text, m, fact):
        return False
    limit = _OR_MORE_AFTER.match(after)  # "groups of 8 or more drivers", "five or more get 15% off"
    if limit and (_bound_of_another_kind(limit, fact) or not (_is_upper_limit(fact) or _is_threshold(fact))):
        return False
    noun = _COUNT_NOUN.match(after, limit.end() if limit else 0)
    if q.unit != "count" or noun is None or noun.group(1).lower() in _COUNT_FILLERS or \
            (limit and noun.group(1).lower() in _QUALIFY_VERBS):
        return True
    word = noun.group(1).lower()
    own = " ".join((*fact.about, *fact.allowed)).lower()
    return any(w.startswith(word[:4]) for w in re.findall(r"[a-z]+", own))


_AGE_FACT = re.compile(r"\b(?:age|ages|aged|years? old|year-olds?|yrs? old)\b", re.IGNORECASE)
_YEARS_AFTER = re.compile(r"[\s-]*(?:\+|years?\b|yrs?\b|yo\b|or (?:older|over|up)\b|and (?:up|over|older)\b)",
                          re.IGNORECASE)


@lru_cache(maxsize=512)
def _is_age_limit(fact: Fact) -> bool:
    return _AGE_FACT.search(" ".join((fact.explanation, *fact.about, *fact.allowed))) is not None


def _counts_people_not_years(text: str, m: Mention, fact: Fact) -> bool:
    """A count of people or things ("10 kids", "all 3 of us") read against an age limit ("kids" in its terms): an
    age is a bare number or one in years."""
    if not _is_age_limit(fact):
        return False
    noun = _COUNT_NOUN.match(text[m.end:m.end + 20])
    return noun is not None and noun.group(1).lower().endswith("s") and noun.group(1).lower() not in _COUNT_FILLERS \
        and not _YEARS_AFTER.match(text, m.end)


def _bare_amounts(text: str, fact: Fact) -> list[Mention]:
    """Amounts with no currency in a reply that states no money ("Twenty-five per person." after "what's the cart
    fee?"), in the fact's currency, within 5x of an allowed value (so "3" or "2024" is no price of $45)."""
    values = [v for v in fact.values if v.kind == "money"]
    return [m for m in bare_amounts(text, values[0].unit) if
            any(v.low / 5 <= m.quantity.low <= v.high * 5 for v in values)] if values else []


def _on_the_facts_scale(q, fact: Fact) -> bool:
    """Within 5x of some allowed value, in a unit both share: "in 5 minutes" is no refund window, "839 112" no
    number of attempts."""
    for pair in (on_common_scale(q, v) for v in fact.values):
        if pair:
            (s_low, s_high), (a_low, a_high) = pair
            if a_low / 5 <= s_high and s_low <= a_high * 5:
                return True
    return False


def _with_derivations(terms) -> list[str]:
    """A one-word term and its "-able" adjective ("refund" -> "refundable"): the lemmatizer keeps the adjective.
    And each term with its last word in the plural ("cat condo" -> "cat condos"): the lookup lemmatizer knows no
    plural of rarer words, so "condos" would stay "condos"."""
    out = list(terms)
    for term in terms:
        word = term.strip().lower()
        if " " not in word and word.isalpha() and len(word) >= 4 and not word.endswith(("able", "ible", "e")):
            out.append(word + "able")
        last = word.rsplit(" ", 1)[-1]
        if last.isalpha() and len(last) >= 3 and not last.endswith("s"):
            plural = last[:-1] + "ies" if last.endswith("y") and last[-2] not in "aeiou" else \
                last + "es" if last.endswith(("x", "ch", "sh")) else last + "s"
            out.append(term.strip()[:len(term.strip()) - len(last)] + plural)
    return out


_WORD = re.compile(r"[a-z0-9]+")
_UNITS_AND_PERIODS = _UNIT_WORDS | {"day", "week", "month", "year", "min", "mins", "hr", "hrs"}


def _naming_terms(term_docs: list[Doc]) -> list[Doc]:
    """A term that is only a unit ("minutes") names no fact: every value of the kind has one."""
    return [d for d in term_docs if not all(t.lemma_ in _UNITS_AND_PERIODS for t in d)] or term_docs


def _term_forms(nlp, term_docs: list[Doc]) -> list[tuple[frozenset, ...]] | None:
    """Per term, per word of it, the lower-case forms that lemmatize like it: a text can hold the term only if
    each of those sets meets its words (punctuation inside a term, as in "price-match", is not required)."""
    lemmatizer = nlp.get_pipe("lemmatizer") if nlp.has_pipe("lemmatizer") else None
    inverse = lemmatizer.forms_by_lemma() if hasattr(lemmatizer, "forms_by_lemma") else None
    if inverse is None:
        return None
    return [tuple(frozenset(inverse.get(t.lemma_, frozenset()) | {t.lemma_, t.lower_}) for t in d
                  if _WORD.fullmatch(t.lower_)) for d in term_docs]


def _forms(inverse: dict, lemmas) -> frozenset:
    """The lower-case forms that lemmatize to any of `lemmas`, and the lemmas themselves (a "weekday" is also any
    of its days)."""
    lemmas = set(lemmas) | {day for kind, days in _DAYS_OF.items() if kind in lemmas for day in days}
    return frozenset(form for lemma in lemmas for form in inverse.get(lemma, set()) | {lemma})


def _form_hashes(nlp, inverse: dict, lemmas) -> frozenset:
    """The hashes of _forms (tested against a doc's token hashes)."""
    return frozenset(nlp.vocab.strings.add(form) for form in _forms(inverse, lemmas))


_DAYS_OF = {"weekday": ("monday", "tuesday", "wednesday", "thursday", "friday"), "weekend": ("saturday", "sunday")}


def _with_day_kinds(lemmas: set[str]) -> set[str]:
    """A day of the week also names its kind: "Tuesday" is a weekday, "Sunday" the weekend."""
    return lemmas | {kind for kind, days in _DAYS_OF.items() if not lemmas.isdisjoint(days)}


def _term_screen(nlp, term_docs: list[Doc]) -> tuple[str, ...] | None:
    """Lower-cased words of which at least one must occur in a text for some term to match: every term's
    lemmas must all be present, so one lemma per term (the one with the longest shortest form) suffices."""
    lemmatizer = nlp.get_pipe("lemmatizer") if nlp.has_pipe("lemmatizer") else None
    inverse = lemmatizer.forms_by_lemma() if hasattr(lemmatizer, "forms_by_lemma") else None
    if inverse is None:
        return None
    screen: set[str] = set()
    for d in term_docs:
        options = [inverse.get(t.lemma_, frozenset()) | {t.lemma_} for t in d]
        if options:
            screen |= max(options, key=lambda forms: min(map(len, forms)))
    return tuple(sorted(screen, key=len))


_QUOTES = "'\"“”‘’"


def _quoted_term(doc: Doc, start: int, end: int) -> bool:
    """A term the agent quotes ("nine days of 'processing'") is the customer's word, not the agent's topic."""
    text = doc_text(doc)
    s, e = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
    return s > 0 and e < len(text) and text[s - 1] in _QUOTES and text[e] in _QUOTES


def is_event(text: str, m: Mention) -> bool:
    """A value that reports what happened ("refunded $30", "2 days ago", "3 days late"), not what the policy is."""
    after, before = text[m.end:m.end + 12], text[max(0, m.start - 40):m.start]
    event = _EVENT_BEFORE.search(before)
    if event and _PRESENT_PASSIVE.search(before[:event.start()]):
        event = None  # "overdrafts are charged at £15 a day" states the policy
    after_event = _EVENT_AFTER.match(after)
    if after_event and after_event.group().strip().lower() == "away" and _AHEAD_BEFORE.search(before):
        after_event = None
    return bool(event or after_event or (m.quantity.kind == "duration" and _LATE_AFTER.match(after)))


def _is_derived(text: str, m: Mention) -> bool:
    """A computed sum of money, or a billing period ("a month" after "$10")."""
    before = text[max(0, m.start - 40):m.start]
    if m.quantity.kind == "money":
        earlier = text[max(0, m.start - 120):m.start]
        worked_out = _SO_BEFORE.search(before) and (find_quantities(earlier, "money") or
                                                    find_quantities(earlier, "percent"))
        return bool(_COMPUTED_BEFORE.search(before) or worked_out or _TOTAL_BEFORE.search(before) or
                    _PRODUCT_BEFORE.search(before) or
                    _COMPUTED_AFTER.match(text[m.end:m.end + 14]))
    if m.quantity.kind == "duration" and text[m.start:m.start + 3].lower() in ("a m", "a y", "a w", "a d", "an "):
        return bool(_RATE_BEFORE.search(before))
    return False


_COPULA = re.compile(r"\s*(?:is|are|costs?|at|:|-|–)\s*", re.IGNORECASE)


def _states_outright(doc: Doc, span: tuple[int, int], m: Mention) -> bool:
    """The value follows its term with only "is", "costs" or a colon between ("Standard is $34.99")."""
    end = doc[span[1] - 1].idx + len(doc[span[1] - 1])
    return end <= m.start and _COPULA.fullmatch(doc_text(doc)[end:m.start]) is not None


def _is_anchor(between: str, within: bool) -> bool:
    return bool(_ANCHOR.fullmatch(between) or (within and _ANCHOR_OF.fullmatch(between)))


def _most_specific(doc: Doc, candidates, m: Mention) -> tuple[Fact, int, int] | None:
    """The nearest term (fact, start, end) before the value, or after it when none comes before ("a chargeback takes 30
    days and a new card 5-7 days"); of terms that overlap there ("refund" in "refund processing"), the longest.
    None when the only terms come after the value in another clause: the value is about something else."""
    def end(c) -> int:
        return doc[c[2] - 1].idx + len(doc[c[2] - 1])

    def distance(c) -> int:
        start = doc[c[1]].idx
        return m.start - end(c) if end(c) <= m.start else (start - m.end if start >= m.end else 0)
    text = doc_text(doc)
    before = [c for c in candidates if end(c) <= m.start]
    # a term after the value counts only in the same clause ("$24.99, and members get ..." is another clause)
    within = _WITHIN_BEFORE.search(text[max(0, m.start - 12):m.start]) is not None
    after = [c for c in candidates if c not in before and not _CLAUSE_BREAK.search(text[m.end:doc[c[1]].idx])
             and not _is_anchor(text[m.end:doc[c[1]].idx], within)]
    if not before and not after:
        return None
    nearest = min(before or after, key=lambda c: (distance(c), -(c[2] - c[1])))
    overlapping = [c for c in candidates if c[1] < nearest[2] and nearest[1] < c[2]]
    return max(overlapping, key=lambda c: (c[2] - c[1], -distance(c)))


def contradictions(statements: list[tuple[int, Statement]]) -> list[tuple[int, Statement, tuple[int, Statement]]]:
    """Later statements whose value differs from an earlier one for the same fact.

    Not raised when the later value is allowed: that is a correction, or another tier of a multi-value fact.
    """
    out, first_seen = [], {}
    for idx, st in statements:
        if st.answer:
            continue  # read from the customer's question: too loose to hold the agent to
        earlier = first_seen.get(st.fact.id)
        if earlier is None:
            first_seen[st.fact.id] = (idx, st)
            continue
        if same_value(earlier[1].mention.quantity, st.mention.quantity):
            continue
        if st.allowed:
            continue  # a correction to (or another tier of) the policy value is not a contradiction
        out.append((idx, st, earlier))
    return out


# --- identifiers ----------------------------------------------------------------------------------------------
# Possessive quantifiers: giving back a letter, '#', '-' or digit never lets the rest match (each is followed by what
# cannot be one), so this finds what the plain pattern finds, without the backtracking (~2x faster).
# An optional "BW-" part in front allows multi-part ids ("BW-ORD-77215", "BK-H8K3P").
_ID_TOKEN = re.compile(r"(?<![\w@/.-])#?+(?:[A-Za-z]{1,6}+-)?+[A-Za-z]{0,6}+[-#]?+\d[A-Za-z0-9-]*+(?![\w@/-]|\.\w)")
_DIGIT = re.compile(r"\d")
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}-\d{1,2}-\d{2,4}$")
_PREFIXED_ID = re.compile(r"[A-Za-z]{2,6}-\d{3,}")
# A code after one or two letter prefixes, with at least two digits among 4+ characters: "CS-77K21", "BSKT-Q7F2".
_PREFIXED_CODE = re.compile(r"(?:[A-Za-z]{1,6}-){1,2}(?=[A-Za-z]*\d[A-Za-z]*\d)[A-Za-z0-9]{4,}"
                            r"|[A-Za-z]{1,6}-(?=[A-Za-z-]*\d[A-Za-z-]*\d)[A-Za-z0-9]+(?:-[A-Za-z0-9]+){1,2}")
_ID_LEAD = 15  # an identifier starts at most 15 characters ("#ABCDEF-GHIJKL-") before its first digit


def first_digit(text: str) -> int:
    """Where the first digit (\\d) of text is; len(text) when it has none."""
    found = _DIGIT.search(text)
    return found.start() if found else len(text)


def find_identifiers(text: str, digit: int | None = None) -> list[tuple[str, int, int]]:
    """Order numbers, ticket ids: '#12345', 'ABC-1234', digit runs of length >= 5 (not dates or money).

    `digit`: first_digit(text), when the caller has it."""
    out = []
    digit = first_digit(text) if digit is None else digit
    if digit == len(text):  # every identifier has a digit; many messages have none
        return out
    # The scan starts just before the first digit; the look-behind still sees the character before that.
    for m in _ID_TOKEN.finditer(text, max(0, digit - _ID_LEAD)):
        token = m.group(0).rstrip("-")
        if _DATE_LIKE.match(token) or token.count("-") > 2:
            continue
        digits = sum(c.isdigit() for c in token)
        if digits >= 5 or (token.startswith("#") and digits >= 4) or _PREFIXED_ID.fullmatch(token) or \
                (len(token) >= 7 and _PREFIXED_CODE.fullmatch(token)):
            out.append((token, m.start(), m.start() + len(token)))
    return out


def normalize_id(token: str) -> str:
    return token.upper().lstrip("#").replace("-", "")


def damerau_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal string alignment distance (an adjacent transposition costs 1)."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def near_miss(agent_id: str, customer_ids: set[str]) -> str | None:
    """The customer id the agent's id almost (1-2 edits) but not exactly equals: the closest, the first in sorted
    order on a tie (the same answer every run, whatever the set's order)."""
    a = normalize_id(agent_id)
    if a in customer_ids or len(a) < 5:
        return None
    near = [(d, c) for c in customer_ids
            if len(c) >= 5 and sum(x.isdigit() for x in c) >= 2 and (d := damerau_distance(a, c)) <= 2]
    return min(near)[1] if near else None


# --- links ----------------------------------------------------------------------------------------------------
_TLDS = (r"(?:com|net|org|io|co|us|uk|ca|de|fr|au|info|biz|ly|me|app|shop|store|example|xyz|online|site|link|gl|gg|tv|"
         r"page|dev|ai|blog|club|tech|cloud|news|live|to(?=/))")  # ".to" only with a path: "amzn.to/x", not "went.to"
_LINK_PATTERN = (r"\b(?:https?://|www\.)[^\s<>\"'`]+"
                 rf"|(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+{_TLDS}\b(?![@\w-])(?:/[^\s<>\"'`]*)?")
LINK_RE = re.compile(_LINK_PATTERN, re.IGNORECASE)
# The same pattern for lower-cased text (see ..lowercase): tried only at the few positions where a link can start.
_LINK_LOWER = re.compile(_LINK_PATTERN)

# Every LINK_RE match contains "://", "www." or "." + a TLD (case-insensitively, like LINK_RE): one fast scan rules
# out the usual message without a link.
_LINK_HINT = re.compile(rf"\.{_TLDS}|www\.", re.IGNORECASE)
# Where a link can start, on lower-cased text: "http(s)://" and "www." start one; a bare domain starts where the
# run of domain characters holding a "." + TLD starts. Begins with a literal branch, so the scan skips fast.
_LINK_ANCHOR = re.compile(rf"https?://|www\.|\.{_TLDS}")
_DOMAIN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")
# A URL whose host is plain ASCII: the host is what urlsplit gives (proved against urlsplit in test_speedups.py).
_PLAIN_HOST = re.compile(r"https?://([a-z0-9.-]*)(?=[/?#]|\Z)")


def find_links(text: str, low: str | None = None) -> list[tuple[str, str, int, int]]:
    """(url, host, start, end) for each link or bare domain; trailing punctuation is not part of the link.

    `low`: text.lower(), when the caller has it."""
    low = text.lower() if low is None else low
    spans = _link_spans(low) if lower_is_exact(text, low) else _link_spans_ignorecase(text)
    out = []
    for start, end in spans:
        url = text[start:end].rstrip(".,;:!?)]}'\"")
        host = link_host(url)
        if url and host:
            out.append((url, host, start, start + len(url)))
    return out


def _link_spans_ignorecase(text: str) -> list[tuple[int, int]]:
    if "://" not in text and not _LINK_HINT.search(text):
        return []
    return [m.span() for m in LINK_RE.finditer(text)]


def _link_spans(low: str) -> list[tuple[int, int]]:
    """LINK_RE.finditer's spans on lower-cased text, trying the pattern only where a link can start. Starts come in
    increasing order (a run of domain characters holds no "://"), so one floor says what was already tried."""
    spans, floor = [], -1  # no link starts at or before floor any more
    anchor = _LINK_ANCHOR.search(low)
    while anchor:
        at, found = anchor.start(), None
        for start in (at,) if low[at] == "h" else _link_starts(low, at, floor):
            if start > floor:
                floor = start
                found = _LINK_LOWER.match(low, start)
                if found:
                    break
        if found:
            spans.append(found.span())
            floor = found.end() - 1
            anchor = _LINK_ANCHOR.search(low, found.end())
        else:
            floor = max(floor, at)
            anchor = _LINK_ANCHOR.search(low, anchor.end())
    return spans


def _link_starts(low: str, at: int, floor: int):
    """Where a link holding the "." + TLD or "www." anchor at `at` may start ("http" anchors start their own): a
    bare domain only where its run of domain characters starts (LINK_RE's look-behind refuses a domain character
    before it); "www." also at itself."""
    run = _domain_run_start(low, at, floor)
    if run is not None:
        yield run
    if low[at] == "w":
        yield at


def _domain_run_start(low: str, i: int, floor: int) -> int | None:
    """Start of the run of domain characters holding i, None when it starts at or before floor (the backward walk
    stops there, so the walks of one message cover each character once)."""
    while i > floor + 1 and low[i - 1] in _DOMAIN_CHARS:
        i -= 1
    return None if i > 0 and low[i - 1] in _DOMAIN_CHARS else i


def link_host(url: str) -> str:
    """The lower-cased host of a LINK_RE match, as urlsplit gives it ("" when none or invalid)."""
    full = url if "://" in url else "http://" + url
    plain = _PLAIN_HOST.match(full.lower()) if full.isascii() else None
    return plain.group(1) if plain else _urlsplit_host(full)


def _urlsplit_host(full: str) -> str:
    try:
        return (urlsplit(full).hostname or "").lower()
    except ValueError:
        return ""


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    host = host.rstrip(".")
    return any(host == d or host.endswith("." + d) for d in allowed)
