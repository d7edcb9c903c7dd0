"""The fast paths of customer sentiment, distress/acknowledgement and etiquette give exactly what the plain
computation gives (stock VADER, the IGNORECASE patterns tried at every position, a plain loop)."""
from __future__ import annotations

import random
import re
import string
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SPECIAL_CASES, SentimentIntensityAnalyzer

from qa_app.nlp.components import empathy, etiquette, sentiment
from qa_app.nlp.pipeline import make_doc
from qa_app.nlp.wordscan import WordScan, grouped_by_first_char

from .conftest import corpus_texts

_FUZZ = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Every message of the labeled set and, when present, of the shared data sets."""
    return corpus_texts()


# --- sentiment ------------------------------------------------------------------------------------------------------
def _vader_texts(seed: int, n: int) -> list[str]:
    """Texts made of the words that steer VADER's branches: boosters, negations, idioms, "but", "least", "kind of",
    "no", all-caps words, stripped punctuation, n't words, emoji, and characters that lower-case oddly."""
    rnd = random.Random(seed)
    stock = SentimentIntensityAnalyzer()
    pool = rnd.sample(sorted(stock.lexicon), 200) + sorted(BOOSTER_DICT) + sorted(NEGATE)
    pool += [w for key in SPECIAL_CASES for w in key.split()] + [
        "but", "least", "at", "very", "kind", "of", "no", "or", "nor", "never", "so", "this", "without", "doubt",
        "the", "I", "great!", "bad.", "'good'", "(ok)", "İyi", "ΑΣ", "ı", "shouldn't've", "y'all'dn't", "😀", "😡",
        "👎🏻", ":)", ":-Þ", "!!", "?", "??", "-", "#great", "@user", "http://x.co/bad", "a+"]
    pool += [w.upper() for w in rnd.sample(pool, 60)] + [w.title() for w in rnd.sample(pool, 60)]
    seps = [" ", " ", " ", "  ", "\n", ", ", "! ", "? ", ". ", "\u00a0"]
    return ["".join(rnd.choice(pool) + rnd.choice(seps) for _ in range(rnd.randint(0, 14))) for _ in range(n)]


def test_compound_matches_stock_vader_on_generated_texts():
    stock, fast = SentimentIntensityAnalyzer(), sentiment.get_analyzer()
    for text in _vader_texts(seed=7, n=4000):
        assert fast.compound(text) == stock.polarity_scores(text)["compound"], text


def test_compound_matches_stock_vader_on_the_data(texts):
    stock, fast = SentimentIntensityAnalyzer(), sentiment.get_analyzer()
    for text in texts:
        assert fast.compound(text) == stock.polarity_scores(text)["compound"], text


def test_lower_casing_keeps_vader_words_apart():
    """Why the words of text.lower() are VADER's lower-cased words when the length is kept: every character that
    lower-cases to one character stays whitespace or not, and string.punctuation or not."""
    for i in range(sys.maxunicode + 1):
        char = chr(i)
        low = char.lower()
        if len(low) == 1:
            assert char.isspace() == low.isspace() and (char in string.punctuation) == (low in string.punctuation)


def test_sparse_but_check_equals_vaders():
    """VADER updates the first equal valence, not the current one; the sparse version keeps that quirk."""
    rnd = random.Random(3)
    values = [0.5, -1.2, 1.9, 0.75]
    for _ in range(3000):
        n = rnd.randint(1, 9)
        sentiments = [rnd.choice(values) if rnd.random() < 0.4 else 0 for _ in range(n)]
        words = ["w"] * n
        but = rnd.randrange(n)
        words[but], sentiments[but] = "but", 0
        expected = SentimentIntensityAnalyzer._but_check(list(words), list(sentiments))
        positions = [i for i, v in enumerate(sentiments) if v]
        sentiment._but_check(but, sentiments, positions)
        assert sentiments == expected


def test_blank_text_is_neutral():
    assert sentiment.sentiment_score("") == sentiment.sentiment_score(" \n\u00a0") == 0.0


# --- distress, acknowledgement --------------------------------------------------------------------------------------
_EDGES = ["", " ", ".", ",", "-", "_", "'", "é", "İ", "ı", "ſ", "\u212a", "\n", "!", "?"]
_DISTRESS_TEXT = st.lists(st.tuples(st.sampled_from(_EDGES), st.sampled_from([
    "frustrated", "UPSET", "scam", "ſcam", "rip-off", "waste of my time", "been waiting for over days",
    "waiting 3 weeks", "still waiting", "no one has helped", "nobody ever called", "3rd time", "tenth time",
    "keeps getting run around", "a joke", "not", "isn't", "no longer", "WHERE IS MY ORDER", "USPS", "HTTPS", "ok",
    "sorry", "i hear you", "that must be so frustrating", "thank you so much for waiting", "you're right", "valid",
    "hıya", "Σ", "where", "FREEDEL", "wtf", "worried", "not worried", "called 3 times", "on hold for an hour",
    "scared", "terrible", "thanks", "PLEASE HELP", "!!!", "???"]), st.sampled_from(_EDGES)).map("".join),
    max_size=6).map(" ".join)


def _distressed_reference(text: str, score: float) -> bool:
    """The rule itself: IGNORECASE patterns tried at every position."""
    text = text[:5000]
    if score <= empathy.DISTRESS_THRESHOLD and empathy._emotional(text):
        return True
    if not empathy._CHEERFUL.search(text):
        caps = [m.group(0) for m in re.finditer(r"\b[A-Z]{4,}\b", text)
                if m.group(0) not in empathy._NOT_SHOUTING and empathy.is_english_word(m.group(0).lower())]
        if score < 0.3 and re.search(r"[!?]{2,}", text) and \
                (score < 0 or re.search(r"!!!|\?\?\?", text) or empathy._COMPLAINT.search(text)):
            return True
        if len(caps) >= 2 or (len(caps) == 1 and score < 0) or empathy._EMPHATIC.search(text):
            return True
    return any(not empathy._NEGATED.search(text[max(0, m.start() - 25):m.start()])
               for m in empathy.DISTRESS_RE.finditer(text))


@_FUZZ
@given(_DISTRESS_TEXT, st.sampled_from([0.0, 0.2, 0.5, -0.3, -0.7]))
def test_is_distressed_equals_the_ignorecase_rule(text, score):
    assert empathy.is_distressed(text, score) == _distressed_reference(text, score)


@_FUZZ
@given(_DISTRESS_TEXT)
def test_acknowledges_equals_the_ignorecase_pattern(text):
    assert empathy.acknowledges(text) == bool(empathy.ACK_RE.search(text[:5000]))


def test_distress_and_acknowledgement_on_the_data(texts):
    for text in texts:
        for score in (0.0, 0.5):
            assert empathy.is_distressed(text, score) == _distressed_reference(text, score), text
        assert empathy.acknowledges(text) == bool(empathy.ACK_RE.search(text[:5000])), text


def test_distress_pattern_keeps_every_former_cue():
    """The alternatives were spelled out ("(?:been )?waiting" as "been waiting|waiting"...) so that each starts
    with a plain character, and later extended (fear, swearing, repeated contact...): wherever the former pattern
    matched, the current one still matches ("still no / not / nothing" were dropped on purpose: they fired on
    "still nothing" and "I'm still not getting anything" from calm customers)."""
    former = re.compile(
        r"\b(?:frustrat\w*|upset\w*|angry|angrier|furious|livid|annoy\w*|irritat\w*|unacceptable|ridiculous|"
        r"outrageous|worst|terrible|horrible|horrendous|awful|disgust\w*|disappoint\w*|fed up|sick of|tired of|fuming|"
        r"pissed|useless|scam\w*|rip-?off|never again|waste of (?:my )?(?:time|money)|ruin\w*|nightmare|unbelievable|"
        r"appalling|shocking|insane|a joke|this is a joke|absurd|"
        r"(?:been )?waiting (?:for )?(?:over |more than )?(?:days|weeks|hours|ages|forever|a week|a month|"
        r"\d+ (?:days|weeks|hours))|"
        r"still (?:waiting|haven't|hasn't)|(?:no one|nobody) (?:has |ever )?(?:helped|responded|"
        r"replied|answered|gets back|got back|called)|(?:third|3rd|fourth|4th|fifth|5th|tenth) time|"
        r"keep(?:s)? getting (?:the )?run ?around)\b",
        re.IGNORECASE)
    extra = ["been waiting for over 3 days, waiting forever", "nobody has called; no one got back", "4th time",
             "the tenth time, still waiting"]
    checked = 0
    for text in _vader_texts(seed=1, n=500) + extra:
        for m in former.finditer(text):
            assert empathy.DISTRESS_RE.match(text, m.start()) is not None, (text, m.group(0))
            checked += 1
    assert checked >= len(extra)


def test_long_s_counts_as_s_like_the_ignorecase_pattern():
    """'ſ' matches 's' under IGNORECASE but stays 'ſ' in lower(): such text takes the IGNORECASE path (before, the
    lower-cased path missed "ſcam")."""
    assert empathy.is_distressed("This is a ſcam", 0.0)
    assert empathy.acknowledges("ſorry about that")


# --- wordscan -------------------------------------------------------------------------------------------------------
@_FUZZ
@given(st.lists(st.tuples(st.sampled_from(_EDGES + ["a", "7"]),
                          st.sampled_from(["hi", "hello", "Hey", "hiya", "thanks for the tag", "this is Sam from",
                                           "let us know", "Bye", "ahi", "hi7", "good day", "hı"]),
                          st.sampled_from(_EDGES + ["a", "7"])).map("".join), max_size=5).map("".join))
def test_word_scan_equals_its_ignorecase_pattern(text):
    scan = WordScan(("hi", "hello", "hey", "hiya", r"this is \w+ from", "thanks? for (?:the )?tag", "let us know",
                     "bye", "good (?:day|night)"))
    assert scan.search(text) == bool(scan.rx.search(text))
    low = text.lower()
    if scan.lower_rx.search(low):
        assert scan.may_match(low)


def test_grouping_needs_a_plain_first_character():
    assert grouped_by_first_char(("ab", "ac", "d", "7")) == "a(?:b|c)|d(?:)|7(?:)"
    for bad in (r"\bx", "(?:a|b)c", "a?b", "[ab]c", "Hi", "é"):
        with pytest.raises(ValueError):
            grouped_by_first_char(("ok", bad))


# --- etiquette ------------------------------------------------------------------------------------------------------
_SIGN_OFF_RE = re.compile(etiquette._SIGN_OFF, re.IGNORECASE)


@_FUZZ
@given(st.lists(st.sampled_from(["thanks", "ok", " ", "  ", "\n", "\u00a0", "\u2003", "\t", "^", "-", "–", "—", "~",
                                 "JD", "Sam", "sam", "ab", "abcde", "Zoë", "ıvan", "\u212aelvin", "_x", "12", "x",
                                 "Abcdefghijklm", "Abcdefghijklmn", "é", ".", "!", "^^"]), max_size=8).map("".join))
def test_sign_off_from_the_end_equals_the_anchored_alternatives(text):
    assert etiquette._signed_off(text) == bool(_SIGN_OFF_RE.search(text)), repr(text)


def test_greeting_and_closing_on_the_data(texts):
    for text in texts:
        assert etiquette.has_greeting(text) == bool(etiquette.GREETING_RE.search(text[:300])), text
        assert etiquette.has_closing(text) == bool(etiquette.CLOSING_RE.search(text[-400:])), text


_LOOKBEHIND_CANDIDATE = re.compile(r"(?<![\w@#./:?&=%+'’-])[a-z]{4,20}(?![\w@/:=&%+'’-]|\.\w)")
_SPELL_TEXT = st.lists(st.tuples(
    st.sampled_from(_EDGES + ["@", "#", "/", ":", "=", "’", "a", "7", "(", '"']),
    st.sampled_from(["recieve", "shiping", "hello", "order", "acme", "Recieve", "wich", "thier", "blorptastic",
                     "abcdefghijklmnopqrstu", "xyz", "http://x.co/recieve", "recieve.com", "recieve.x", "éabcd"]),
    st.sampled_from(_EDGES + ["@", "/", ".", "’", "a", "7", ")"])).map("".join), max_size=8).map(" ".join)


@_FUZZ
@given(_SPELL_TEXT)
def test_candidate_words_equal_the_lookbehind_pattern(text):
    expected = [m.span() for m in _LOOKBEHIND_CANDIDATE.finditer(text)]
    for rx in (etiquette._CANDIDATE_WORD, etiquette._ASCII_CANDIDATE_WORD):
        if rx is etiquette._CANDIDATE_WORD or text.isascii():
            assert [(m.start(1) - 1, m.end(1) - 1) for m in rx.finditer(" " + text)] == expected


def _misspellings_reference(text: str, brand_terms: frozenset, limit: int = 3) -> list:
    allow, candidates, checked, unknown = etiquette._chat_words(), [], 0, 0
    for m in _LOOKBEHIND_CANDIDATE.finditer(text[:20_000]):
        word = m.group(0)
        if word in allow or word in brand_terms:
            continue
        checked += 1
        fix = etiquette._correction(word)
        if fix != "":
            unknown += 1
            if fix:
                candidates.append((m.start(), m.end(), word, fix))
    if not candidates or (unknown >= 2 and unknown > 0.25 * checked):
        return []
    return candidates[:limit]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_SPELL_TEXT)
def test_misspellings_equal_a_plain_loop(text):
    brands = frozenset({"acme"})
    assert etiquette.misspellings(make_doc(text), brands) == _misspellings_reference(text, brands)


def test_misspellings_on_the_data(texts):
    brands = frozenset({"acme", "outfitters"})
    found = 0
    for text in texts:
        got = etiquette.misspellings(make_doc(text), brands)
        assert got == _misspellings_reference(text, brands), text
        found += bool(got)
    assert etiquette.misspellings(make_doc("We will recieve it soon."), brands)[0][2:] == ("recieve", "receive")
