"""Customer sentiment in [-1, 1]: VADER's compound score."""
from __future__ import annotations

import string
from functools import lru_cache
from itertools import compress, count

from vaderSentiment.vaderSentiment import BOOSTER_DICT as _BOOSTERS
from vaderSentiment.vaderSentiment import (C_INCR, N_SCALAR, NEGATE, SPECIAL_CASES, SentiText,
                                            SentimentIntensityAnalyzer, allcap_differential, normalize)

# VADER's cost grows faster than linearly with length; a message's opening is what matters for tone.
MAX_SENTIMENT_CHARS = 5000

_PUNCT = string.punctuation
# Words of VADER's multi-word idioms and boosters: its idiom check can only change a valence near one of them.
_IDIOM_KEYS = list(SPECIAL_CASES) + [k for k in _BOOSTERS if " " in k]
_IDIOM_WORDS = frozenset(w for key in _IDIOM_KEYS for w in key.split())


def _idioms_by_word() -> dict[str, list[frozenset]]:
    """Each idiom's words, filed under one uncommon word of it ("the bomb" under "bomb")."""
    out: dict[str, list[frozenset]] = {}
    for key in _IDIOM_KEYS:
        uncommon = max((w for w in reversed(key.split()) if w not in ("the", "to", "of", "for")), key=len)
        out.setdefault(uncommon, []).append(frozenset(key.split()))
    return out


_IDIOMS_BY_WORD = _idioms_by_word()  # an idiom can only match where all its words are
_NEGATE = frozenset(NEGATE)
# Words that can change the valence of a lexicon word at or up to 3 words after them ("no", "kind of", boosters,
# negations), or right after them ("this", "least"); idioms and words with "n't" are tested apart.
_MODIFIERS = frozenset(_BOOSTERS) | _NEGATE | {"no", "kind"}
_JUST_BEFORE = frozenset({"this", "least"})


class FastSentimentAnalyzer(SentimentIntensityAnalyzer):
    """VADER with the same scores, faster: no per-character emoji rewrite when the text has no emoji, and
    `compound` (what the analysis reads) computed for the lexicon words only, most of them without VADER's
    checks of the words before them when none of those can change anything."""

    def __init__(self):
        super().__init__()
        self._emoji_chars = frozenset(self.emojis)
        self._in_lexicon = self.lexicon.__contains__

    def polarity_scores(self, text):
        if not self._emoji_chars.isdisjoint(text):
            return super().polarity_scores(text)
        text = text.strip()
        sentitext = _LazySentiText(text)
        return self.score_valence(self._valences(sentitext), text)

    def compound(self, text: str) -> float:
        """polarity_scores(text)["compound"], with VADER's arithmetic in the same order but only for the words in
        the lexicon (every other word's valence is 0); 0.0 straight away when there is none (VADER's compound of
        all-zero valences is exactly 0.0)."""
        if not text.isascii() and not self._emoji_chars.isdisjoint(text):  # every emoji is non-ASCII
            text = self._describe_emoji(text)
        text = text.strip()
        low, lows, cased = _words(text)
        positions = list(compress(count(), map(self._in_lexicon, lows)))
        if not positions:
            return 0.0
        sentiments = self._sentiments(lows, cased or text.split(), positions, _no_idiom_or_odd_negation(low, lows))
        sum_s = float(sum(sentiments))
        punct = _punctuation_emphasis(text)
        if sum_s > 0:
            sum_s += punct
        elif sum_s < 0:
            sum_s -= punct
        return round(normalize(sum_s), 4)

    def _sentiments(self, lows: list, cased: list, positions: list, plain: bool) -> list:
        """VADER's valence per word (0 off the lexicon), then its "but" adjustment. `cased`: the words as written
        (for the all-caps tests); `plain`: no idiom and no odd negation in the message."""
        lexicon = self.lexicon
        sentiments = [0] * len(lows)
        for i in positions:
            if plain and _MODIFIERS.isdisjoint(lows[i - 3 if i > 3 else 0:i + 1]) and \
                    (i == 0 or lows[i - 1] not in _JUST_BEFORE):
                # nothing nearby can move the valence: VADER's is the lexicon's, plus its all-caps emphasis
                valence = lexicon[lows[i]]
                if cased[i].isupper() and allcap_differential(cased):
                    valence = valence + C_INCR if valence > 0 else valence - C_INCR
            else:
                valence = self._valence(i, lows, cased)
            sentiments[i] = valence
        if "but" in lows:
            _but_check(lows.index("but"), sentiments, positions)
        return sentiments

    def _valence(self, i: int, lows: list, cased: list) -> float:
        """VADER's sentiment_valence for the lexicon word at i (with its booster, negation, idiom and "least"
        checks), on the lower-cased words plus `cased` for the all-caps tests."""
        lexicon, low, last = self.lexicon, lows[i], len(lows) - 1
        if low in _BOOSTERS or (low == "kind" and i < last and lows[i + 1] == "of"):
            return 0
        valence = lexicon[low]
        if low == "no" and i != last and lows[i + 1] in lexicon:
            valence = 0.0
        if (i > 0 and lows[i - 1] == "no") or (i > 1 and lows[i - 2] == "no") or \
                (i > 2 and lows[i - 3] == "no" and lows[i - 1] in ("or", "nor")):
            valence = lexicon[low] * N_SCALAR
        if cased[i].isupper() and allcap_differential(cased):
            valence = valence + C_INCR if valence > 0 else valence - C_INCR
        w0, w1, w2 = lows[i - 3] if i > 2 else "", lows[i - 2] if i > 1 else "", lows[i - 1] if i > 0 else ""
        for start_i in (0, 1, 2):
            if i > start_i and lows[i - start_i - 1] not in lexicon:
                before = lows[i - start_i - 1]
                scalar = 0.0
                if before in _BOOSTERS:  # VADER's scalar_inc_dec
                    scalar = _BOOSTERS[before]
                    if valence < 0:
                        scalar *= -1
                    if cased[i - start_i - 1].isupper() and allcap_differential(cased):
                        scalar = scalar + C_INCR if valence > 0 else scalar - C_INCR
                if start_i == 1 and scalar != 0:
                    scalar = scalar * 0.95
                if start_i == 2 and scalar != 0:
                    scalar = scalar * 0.9
                valence = _negation(valence + scalar, start_i, w0, w1, w2)
                if start_i == 2 and not _IDIOM_WORDS.isdisjoint(lows[i - 3:i + 3]):
                    valence = self._special_idioms_check(valence, lows, i)  # it lower-cases the words again
        if i > 1 and lows[i - 1] not in lexicon and lows[i - 1] == "least":  # VADER's _least_check
            if lows[i - 2] != "at" and lows[i - 2] != "very":
                valence = valence * N_SCALAR
        elif i > 0 and lows[i - 1] not in lexicon and lows[i - 1] == "least":
            valence = valence * N_SCALAR
        return valence

    def _describe_emoji(self, text: str) -> str:
        """VADER's emoji rewrite (each emoji -> its description, with a space before it unless one is there),
        joining slices instead of its character-by-character string concatenation."""
        emojis, out, last = self.emojis, [], 0
        for i, ch in enumerate(text):
            if ch in emojis:
                out += (text[last:i], "" if i == 0 or text[i - 1] == " " else " ", emojis[ch])
                last = i + 1
        out.append(text[last:])
        return "".join(out)

    def _valences(self, sentitext) -> list:
        """VADER's per-word loop (same valences), with non-lexicon words decided without a method call."""
        sentiments = []
        words, lows = sentitext.words_and_emoticons, sentitext.lower_words
        lexicon, last = self.lexicon, len(words) - 1
        for i, low in enumerate(lows):
            if low not in lexicon:  # what sentiment_valence appends for a non-lexicon word
                sentiments.append(0)
            elif low in _BOOSTERS or (low == "kind" and i < last and lows[i + 1] == "of"):
                sentiments.append(0)
            else:
                sentiments = self.sentiment_valence(0, sentitext, words[i], i, sentiments)
        return self._but_check(words, sentiments)

    @staticmethod
    def _negation_check(valence, words_and_emoticons, start_i, i):
        """VADER's check with the same result, lower-casing only the 3 words it reads (the stock version
        lower-cases the whole message for every sentiment word, and copies the NEGATE list per test)."""
        w = [str(words_and_emoticons[i - k]).lower() for k in (3, 2, 1) if i - k >= 0]
        return _negation(valence, start_i, *([""] * (3 - len(w)) + w))


class _LazySentiText(SentiText):
    """SentiText whose all-caps differential is computed only when a lexicon word asks for it (most don't)."""

    def __init__(self, text: str):
        self.text = text
        self.words_and_emoticons = self._words_and_emoticons()
        self.lower_words = [w.lower() for w in self.words_and_emoticons]

    @property
    def is_cap_diff(self) -> bool:
        value = self.__dict__.get("_cap_diff")
        if value is None:
            value = self.__dict__["_cap_diff"] = allcap_differential(self.words_and_emoticons)
        return value


def _no_idiom_or_odd_negation(low: str, lows: list) -> bool:
    """No multi-word idiom or booster has all its words here, and every "n't" word is in NEGATE: then _MODIFIERS
    and _JUST_BEFORE are all the words that can move a valence."""
    found = _IDIOMS_BY_WORD.keys() & lows
    if found:
        words = set(lows)
        if any(idiom <= words for word in found for idiom in _IDIOMS_BY_WORD[word]):
            return False
    return "n't" not in low or all(w in _NEGATE for w in lows if "n't" in w)


def _but_check(but_index: int, sentiments: list, positions: list) -> None:
    """VADER's _but_check in place (halve valences before "but", x1.5 after), with its quirk kept: each valence
    updates the first equal one. Zeros stay zero, so only the lexicon words' positions need a visit."""
    for k in positions:
        value = sentiments[k]
        if value:
            first = sentiments.index(value)
            if first < but_index:
                sentiments[first] = value * 0.5
            elif first > but_index:
                sentiments[first] = value * 1.5


def _negated(word: str) -> bool:
    return word in _NEGATE or "n't" in word


def _negation(valence: float, start_i: int, w0: str, w1: str, w2: str) -> float:
    """VADER's _negation_check on the lower-cased words at i-3, i-2, i-1 ("" before the start)."""
    if start_i == 0:
        if _negated(w2):
            valence = valence * N_SCALAR
    elif start_i == 1:
        if w1 == "never" and w2 in ("so", "this"):
            valence = valence * 1.25
        elif w1 == "without" and w2 == "doubt":
            pass
        elif _negated(w1):
            valence = valence * N_SCALAR
    elif start_i == 2:
        if (w0 == "never" and w1 in ("so", "this")) or w2 in ("so", "this"):
            valence = valence * 1.25
        elif w0 == "without" and (w1 == "doubt" or w2 == "doubt"):
            pass
        elif _negated(w0):
            valence = valence * N_SCALAR
    return valence


def _words(text: str) -> tuple[str, list, list | None]:
    """(text.lower(), VADER's lower-cased words, VADER's words as written or None when text.split() will do)."""
    low = text.lower()
    if len(low) == len(text):
        # One char per char (all but "İ"), and lower-casing keeps whitespace and punctuation as they are: the words
        # of the lower-cased text are VADER's lower-cased words, without a lower() call per word. (isupper() is the
        # same with or without the punctuation VADER strips, so text.split() serves for the all-caps tests.)
        return low, _vader_words(low.split()), None
    cased = _vader_words(text.split())
    return low, [w.lower() for w in cased], cased


def _punctuation_emphasis(text: str) -> float:
    """VADER's _punctuation_emphasis (the same arithmetic) in one call instead of three."""
    ep_count, qm_count = text.count("!"), text.count("?")
    qm_amplifier = 0 if qm_count <= 1 else qm_count * 0.18 if qm_count <= 3 else 0.96
    return (4 if ep_count > 4 else ep_count) * 0.292 + qm_amplifier


def _vader_words(tokens: list) -> list:
    """SentiText's words: each whitespace token with its punctuation stripped, unless that leaves <= 2 chars.
    (Most tokens are all letters: isalpha() is quicker than the strip it makes needless.)"""
    return [w if w.isalpha() or len(s := w.strip(_PUNCT)) <= 2 else s for w in tokens]


@lru_cache(maxsize=1)
def get_analyzer() -> FastSentimentAnalyzer:
    return FastSentimentAnalyzer()


def sentiment_score(text: str) -> float:
    if not text:
        return 0.0
    return round(get_analyzer().compound(text[:MAX_SENTIMENT_CHARS]), 3)  # 0.0 for blank text too
