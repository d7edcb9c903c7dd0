"""The fast paths give exactly what the straightforward computation gives (property checks on real texts)."""
from __future__ import annotations

import re

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from qa_app.nlp.analyze import policy_context
from qa_app.nlp.components import etiquette, politeness
from qa_app.nlp.components.sentiment import get_analyzer
from qa_app.nlp.pipeline import ensure_lemmas, get_nlp, pipe_lazy_lemmas, pipe_texts

from .conftest import corpus_texts

EDGE_CASES = ["", "   ", "NOT good", "GOOD but BAD", "kind of great", "no no", "the least bad", "sort of :) fine",
              "WOW!!! ugh", "Ok.", "order #12345", "I can't stand this", "😡 refund NOW", "Thanks -Sam",
              "İstanbul store, refunds?", "price-match on ground shipping", "Returned it yesterday ^JD"]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return corpus_texts(shared=False) + EDGE_CASES


def test_vader_compound_matches_stock_vader(texts):
    stock, fast = SentimentIntensityAnalyzer(), get_analyzer()
    for text in texts:
        assert fast.compound(text) == stock.polarity_scores(text)["compound"], text
        assert fast.polarity_scores(text) == stock.polarity_scores(text), text


def _phrase_matcher():
    """spaCy's PhraseMatcher with every multi-word politeness cue: the reference for the pair-key lookup."""
    from spacy.matcher import PhraseMatcher
    nlp = get_nlp()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for name, spec in politeness.ANYWHERE.items():
        docs = [nlp.make_doc(entry) for entry in spec.split("|")]
        matcher.add(name, [d for d in docs if len(d) > 1])
    return matcher


def test_politeness_word_cues_match_a_plain_token_loop(texts):
    """The hash-set lookups find exactly the strategies a per-token scan plus spaCy's PhraseMatcher find."""
    anywhere = {politeness._INDEX[name] for name in politeness.ANYWHERE}
    person = {i for i, _ in politeness._extractor(next(iter(pipe_texts(["x"])))).person_words}
    matcher = _phrase_matcher()
    phrase_texts = ["By the way, could you?", "i'm afraid so, I am afraid", "would you mind if you could", "kind of",
                    "you should you must", "could", "by the the way", "excuse excuse me"]
    for doc in pipe_texts(texts + phrase_texts):
        ex = politeness._extractor(doc)
        plain = {i for t in doc for i in ex.anywhere.get(doc.vocab.strings[t.lower_], ())}
        phrases = {politeness._INDEX[doc.vocab.strings[m]] for m, _, _ in matcher(doc)}
        active, _ = politeness._active(doc)
        assert (active & anywhere) - person == (plain | phrases) - person, doc.text


def test_politeness_sentence_starts_match_a_plain_token_loop(texts):
    for doc in pipe_texts(texts + ["Hi!! @sam 123 thanks. why? ... so\nplease do", "!!! ?", "Ok...you there?"]):
        ex = politeness._extractor(doc)
        plain, at_start = [], True
        for t in doc:
            k = ex.kind(doc.vocab.strings[t.lower_])
            if k == politeness._BOUNDARY:
                at_start = True
            elif k == politeness._WORD and at_start:
                plain.append(t.lower_)
                at_start = False
        start_features = {politeness._INDEX[n] for n in politeness.START_WORDS}
        expected = {i for w in plain for i in ex.start.get(doc.vocab.strings[w], ())}
        assert politeness._active(doc)[0] & start_features == expected, doc.text


def test_first_sentence_equals_the_sentencizer(texts):
    from qa_app.nlp.pipeline import _first_sentence_slow, first_sentence_chars
    extra = ["", " ", ". . .", "Hi!!! there", "\n\nHello.  World", "...", "Hi.\n\n", "¿Qué? Sí.", "x。y", "  . Hi"]
    for text in texts + extra:
        fast_doc, slow_doc = next(iter(pipe_lazy_lemmas([text]))), next(iter(pipe_lazy_lemmas([text])))
        assert first_sentence_chars(fast_doc) == _first_sentence_slow(slow_doc), text


def test_link_hint_is_implied_by_every_link(texts):
    from qa_app.nlp.components import accuracy
    for text in texts + ["see WWW.Acme.example", "go to x.ly/abc", "HTTPS://a.b", "mail.google.COM"]:
        if accuracy.LINK_RE.search(text):
            assert "://" in text or accuracy._LINK_HINT.search(text), text


def test_vader_emoji_rewrite_matches_stock(texts):
    stock, fast = SentimentIntensityAnalyzer(), get_analyzer()
    for text in ["I love it 😀😀", "😡 refund NOW", "ok😀 fine", " 😀 great", "bad 👎🏻 service!!", "🙂", "❤️ thanks"]:
        assert fast.compound(text) == stock.polarity_scores(text)["compound"], text


def test_greeting_and_closing_fast_path_matches_ignorecase(texts):
    for text in texts:
        assert etiquette.has_greeting(text) == bool(etiquette.GREETING_RE.search(text[:300])), text
        assert etiquette.has_closing(text) == bool(etiquette.CLOSING_RE.search(text[-400:])), text


def test_fact_term_screen_never_hides_a_match(policy, texts):
    facts = policy_context(policy).facts
    assert facts.screen, "the lookup lemmatizer's forms should be available"
    for doc in pipe_texts(texts):
        if not facts.may_match(doc):
            assert not facts.matcher(doc), doc.text


def test_lazy_lemmas_equal_pipeline_lemmas(texts):
    assert "lemmatizer" in get_nlp().pipe_names
    eager = [[t.lemma_ for t in d] for d in pipe_texts(texts)]
    lazy = [[t.lemma_ for t in ensure_lemmas(d)] for d in pipe_lazy_lemmas(texts)]
    assert lazy == eager


def test_unlemmatized_docs_are_marked(texts):
    doc = next(iter(pipe_lazy_lemmas(["Refunds take 5 days."])))
    assert doc.user_data.get("qa_lemmas_pending") is True
    assert ensure_lemmas(doc)[0].lemma_ == "refund" and "qa_lemmas_pending" not in doc.user_data


def test_fact_screen_includes_inflections(policy):
    screen = set(policy_context(policy).facts.screen)
    assert {"refund", "refunds", "refunded"} <= screen
    assert all(re.fullmatch(r"\S+", f) for f in screen)


def test_email_hint_is_implied_by_every_email_match(texts):
    from qa_app.nlp.components import compliance
    for text in texts + ["a@b.co", "x.y+z@mail.example.org", "@handle. ok", "me@localhost"]:
        if compliance.EMAIL_RE.search(text):
            assert compliance._EMAIL_HINT.search(text), text


# --- links, identifiers, compliance on lower-cased text ------------------------------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SCAN_FUZZ = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Texts built from parts that make links, ids, cards, phones, credentials and phrases, in odd cases and next to
# the characters that defeat lower-casing ('İ', 'ı', 'ſ', Kelvin sign) or end a token, so the fuzzing reaches the
# corner cases (a purely random text rarely holds a link).
_EDGES = ["", " ", ".", ",", ")", "/", "=", ":", "-", "_", "@", "#", "+", "(", "'", "’", "a", "7", "é", "٣", "İ", "ı",
          "ſ", "\u212a", "\x01", "\t"]


def _texts_of(*parts: list[str]) -> st.SearchStrategy:
    item = st.tuples(*(st.sampled_from(p) for p in parts)).map("".join)
    return st.lists(st.one_of(item, st.text(st.characters(codec=None, exclude_categories=["Cs"]), max_size=2)),
                    max_size=5).map("".join)


_LINK_TEXT = _texts_of(_EDGES, ["", "http://", "HTTPS://", "hTtp://", "www.", "WWW.", "a.www.", "x/"],
                       ["", "a", "B.c", "x-y.", "ſhop", "\u212a", "İ", "7.a-", "-a", "www"],
                       ["", ".com", ".CO", ".co.uk", ".example", ".io", ".shop", "."],
                       ["", ":80", ":", "@", ":@b.com", "[::1]", "%41", "\x01"],
                       ["", "/", "/x", "?u=http://b.com", "/x://y", "#f", ")", ".", "'"], _EDGES)
_NUMBER_TEXT = _texts_of(_EDGES, ["12345", "#1234", "#ABCDEF-12", "ABCDEF-123", "AB-1234", "2020-01-02", "01-02-2020",
                                  "1-2-3-4", "4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111",
                                  "555-123-4567", "(555) 123-4567", "+1 555.123.4567", "+44 20 7946 0958", "٣٣٣٣٣",
                                  "password is ", "PIN: ", "your passcode: ", "Pass Code = ", "pin code ",
                                  "PIN number ", "paſsword: ", "shipping ", "not ", "BW-ORD-77215", "BK-H8K3P",
                                  "07700 900 318", "0151 496 0823", "api key is ", "recovery codes are ", "5821-0394"],
                         ["", "x1!", "Secret9", "abc"], _EDGES)
_PHRASE_TEXT = _texts_of(_EDGES, ["I guarantee", "i  GUARANTEE", "ı guarantee", "you ſhould sue", "you should sue",
                                  "don't worry", "don’t worry", "DON'T WORRY", "SĪGMA σ", "sīgma ς", "Ｆull width",
                                  "100% sure", "ſure thing", "I promise", "not I promise", "between you and me"],
                         _EDGES)


def test_lower_case_scans_equal_ignorecase_scans_for_every_character():
    """The proof behind qa_app.nlp.lowercase: except for the characters it refuses, each pattern atom used on
    lower-cased text matches a character exactly when, with IGNORECASE, it matches the original character."""
    from qa_app.nlp.lowercase import CASE_TRAPS, lower_is_exact
    chars = [chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000]
    assert [c for c in chars if len(c.lower()) != 1] == ["\u0130"]
    kept = "".join(c for c in chars if c not in CASE_TRAPS and len(c.lower()) == 1)
    low = kept.lower()
    atoms = [r"\w", r"\s", r"\d", r"[a-z]", r"[^a-z0-9_]", r"[a-z0-9]", r"[a-z0-9-]", r"[^\s<>\"'`]", r"[@\w.-]",
             r"[^\s\"'”’]"]
    atoms += [re.escape(chr(i).lower()) for i in range(32, 127)] + ["“", "‘", "”", "’"]
    for atom in atoms:
        assert ([m.start() for m in re.finditer(atom, kept, re.IGNORECASE)]
                == [m.start() for m in re.finditer(atom, low)]), atom
    for trap in CASE_TRAPS + ("\u0130",):
        assert not lower_is_exact(trap, trap.lower())


def _links_reference(text: str) -> list:
    """find_links as it was: IGNORECASE LINK_RE at every position, urlsplit for the host."""
    from urllib.parse import urlsplit

    from qa_app.nlp.components import accuracy
    out = []
    for m in accuracy.LINK_RE.finditer(text):
        url = m.group(0).rstrip(".,;:!?)]}'\"")
        if not url:
            continue
        try:
            host = (urlsplit(url if "://" in url else "http://" + url).hostname or "").lower()
        except ValueError:
            continue
        if host:
            out.append((url, host, m.start(), m.start() + len(url)))
    return out


def _check_links(text: str) -> None:
    from qa_app.nlp.components import accuracy
    assert accuracy.find_links(text) == _links_reference(text), text


_ID_REFERENCE = re.compile(r"(?<![\w@/.-])#?(?:[A-Za-z]{1,6}-)?[A-Za-z]{0,6}[-#]?\d[A-Za-z0-9-]*(?![\w@/-]|\.\w)")


def _check_identifiers(text: str) -> None:
    """Possessive quantifiers and a scan from just before the first digit find the same tokens."""
    from qa_app.nlp.components import accuracy
    first = accuracy.first_digit(text)
    fast = [m.span() for m in accuracy._ID_TOKEN.finditer(text, max(0, first - accuracy._ID_LEAD))]
    assert fast == [m.span() for m in _ID_REFERENCE.finditer(text)], text


_CARD_REFERENCE = re.compile(r"(?<![\w/=.:-])\d(?:[ -]?\d){12,18}(?![ -]?\d|[\w/=-]|\.\w)")
_PHONE_HINT_REFERENCE = re.compile(r"\d[ .-]\d{3}|\d[ .-]\d\d[ .-]\d\d|\+\d")


# the substring screen the faster one replaced (one word of every keyword)
_FORMER_CREDENTIAL_SCREEN = ("pass", "pwd", "pin", "code", "puk", "word", "answer", "key", "token", "secret")


def test_credential_screen_holds_a_substring_of_every_keyword():
    from qa_app.nlp.components import compliance
    keywords = ["password", "passcode", "pass code", "passwd", "pwd", "passphrase", "pin", "pin code", "pin number",
                "puk", "puk code", "security code", "security answer", "security word", "memorable word",
                "secret answer", "access code", "api key", "api token", "access token", "signing secret",
                "client secret", "secret key", "recovery codes", "backup key", "verification code", "otp code",
                "code we sent", "code your bank sent you"]
    for k in keywords:
        assert compliance._CREDENTIAL_KEY.fullmatch(k), k
        assert any(sub in k for sub in compliance._CREDENTIAL_SUBSTRINGS), k


def _check_compliance_screens(text: str) -> None:
    from qa_app.nlp.components import accuracy, compliance
    from qa_app.nlp.lowercase import lower_is_exact
    first = accuracy.first_digit(text)
    assert [m.span() for m in compliance.CARD_RE.finditer(text, first)] == \
        [m.span() for m in _CARD_REFERENCE.finditer(text)], text
    phone_hint = compliance._PHONE_DIGITS.search(text, first) or ("+" in text and compliance._PLUS_DIGIT.search(text))
    assert bool(phone_hint) == bool(_PHONE_HINT_REFERENCE.search(text)), text
    low = text.lower()
    exact = lower_is_exact(text, low)
    if any(k in low for k in _FORMER_CREDENTIAL_SCREEN) and compliance.CREDENTIAL_RE.search(text):
        assert compliance._may_hold_credentials(low, exact), text
    if exact:
        assert ([(m.span(), m.span("secret")) for m in compliance._CREDENTIAL_LOWER.finditer(low)]
                == [(m.span(), m.span("secret")) for m in compliance.CREDENTIAL_RE.finditer(text)]), text


def _odd_phrases(policy):
    from dataclasses import replace

    from qa_app.nlp.components import compliance
    from qa_app.nlp.policy import ProhibitedPhrase
    extra = ["don't worry", "SĪGMA σ", "Ｆull width", "100%", "ſure thing", "you should sue"]
    return compliance.compile_phrases(
        replace(policy, prohibited_phrases=policy.prohibited_phrases + tuple(ProhibitedPhrase(p) for p in extra)))


def _check_phrases(text: str, phrases) -> None:
    """The per-phrase word screen finds what running each phrase's regex finds (a plain list has no screen)."""
    from qa_app.nlp.components import compliance
    assert compliance.prohibited(text, phrases) == compliance.prohibited(text, list(phrases)), text


@_SCAN_FUZZ
@given(_LINK_TEXT)
def test_find_links_equals_the_ignorecase_scan(text):
    _check_links(text)


@_SCAN_FUZZ
@given(_LINK_TEXT)
def test_link_host_equals_urlsplit(text):
    from urllib.parse import urlsplit

    from qa_app.nlp.components import accuracy
    for m in accuracy.LINK_RE.finditer(text):
        url = m.group(0).rstrip(".,;:!?)]}'\"")
        full = url if "://" in url else "http://" + url
        try:
            expected = (urlsplit(full).hostname or "").lower()
        except ValueError:
            expected = ""
        assert accuracy.link_host(url) == expected, url


@_SCAN_FUZZ
@given(_NUMBER_TEXT)
def test_identifier_tokens_equal_the_plain_pattern(text):
    _check_identifiers(text)


@_SCAN_FUZZ
@given(_NUMBER_TEXT)
def test_compliance_screens_hide_no_match(text):
    _check_compliance_screens(text)


@_SCAN_FUZZ
@given(_PHRASE_TEXT)
def test_prohibited_phrase_screen_equals_running_every_phrase(policy, text):
    _check_phrases(text, _odd_phrases(policy))


def test_link_identifier_compliance_scans_on_real_and_edge_texts(policy, texts):
    edge = ["a.www.example.com", "www.com", "xhttp://a.com", "go.to.acme.co.uk/x)", "HTTP://ACME.COM:80/x",
            "http://[::1]/x", "http://a.com\x01", "ſhop.com", "İstanbul.com/x", "\u212aelvin.com", "a.co-a.co-a.co",
            "http://a.com:@b.com/", "www.a.com/?u=http://b.com", "a.com/x?u=https://b.com", "HTTP://ſ.com",
            ".4111 1111 1111 1111", "=4111111111111111", "x 4111-1111-1111-1111.", "#ABCDEF-1234", "#AB-12-34-5",
            "call 555.123.4567", "+44 20", "paſsword: x1", "PIN code 1234", "you ſhould sue", "don’t worry",
            "ſIGMA ς", "Ｆull WIDTH"]
    phrases = _odd_phrases(policy)
    for text in texts + edge:
        _check_links(text)
        _check_identifiers(text)
        _check_compliance_screens(text)
        _check_phrases(text, phrases)


def test_precomputed_lower_and_first_digit_change_nothing(policy, texts):
    """What analyze may compute once per message and pass to the three families gives what they compute alone."""
    from qa_app.nlp.components import accuracy, compliance
    phrases = _odd_phrases(policy)
    for text in texts + ["İ http://a.com 4111 1111 1111 1111", "no digits here", "ı guarantee 12345"]:
        low, digit = text.lower(), accuracy.first_digit(text)
        assert accuracy.find_links(text, low) == accuracy.find_links(text), text
        assert accuracy.find_identifiers(text, digit) == accuracy.find_identifiers(text), text
        assert (compliance.compliance_findings(text, policy, phrases, low, digit)
                == compliance.compliance_findings(text, policy, phrases)), text
