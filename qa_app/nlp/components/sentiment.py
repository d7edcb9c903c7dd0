"""Customer sentiment in [-1, 1]: VADER's compound score."""
from __future__ import annotations

import string
from functools import lru_cache

from vaderSentiment.vaderSentiment import (SPECIAL_CASES, SentiText, SentimentIntensityAnalyzer,
                                            allcap_differential, normalize)

# VADER's cost grows faster than linearly with length; a message's opening is what matters for tone.
MAX_SENTIMENT_CHARS = 5000


class FastSentimentAnalyzer(SentimentIntensityAnalyzer):
    """VADER with the same scores, faster: no per-character emoji rewrite when the text has no emoji, and
    `compound` (what the analysis reads) in one pass over the words."""

    def __init__(self):
        super().__init__()
        self._emoji_chars = frozenset(self.emojis)
        self._lexicon_keys = self.lexicon.keys()

    def polarity_scores(self, text):
        if not self._emoji_chars.isdisjoint(text):
            return super().polarity_scores(text)
        text = text.strip()
        sentitext = _LazySentiText(text)
        return self.score_valence(self._valences(sentitext), text)

    def compound(self, text: str) -> float:
        """polarity_scores(text)["compound"], computed in one tight pass over VADER's words (same arithmetic, in
        the same order); 0.0 straight away when no word is in the lexicon (every valence is then 0, and VADER's
        compound of those is exactly 0.0)."""
        if not self._emoji_chars.isdisjoint(text):
            text = self._describe_emoji(text)
        text = text.strip()
        words = [w if len(s := w.strip(_PUNCT)) <= 2 else s for w in text.split()]  # SentiText's words
        lows = [w.lower() for w in words]
        lexicon = self.lexicon
        if self._lexicon_keys.isdisjoint(lows):
            return 0.0
        sentiments = []
        append = sentiments.append
        last = len(words) - 1
        cap_diff = None
        for i, low in enumerate(lows):
            if low not in lexicon or low in _BOOSTERS or (low == "kind" and i < last and lows[i + 1] == "of"):
                append(0)
                continue
            valence = lexicon[low]
            if low == "no" and i != last and lows[i + 1] in lexicon:
                valence = 0.0
            if (i > 0 and lows[i - 1] == "no") or (i > 1 and lows[i - 2] == "no") or \
                    (i > 2 and lows[i - 3] == "no" and lows[i - 1] in ("or", "nor")):
                valence = lexicon[low] * N_SCALAR
            if words[i].isupper():
                if cap_diff is None:
                    cap_diff = allcap_differential(words)
                if cap_diff:
                    valence = valence + C_INCR if valence > 0 else valence - C_INCR
            for start_i in (0, 1, 2):
                if i > start_i and lows[i - start_i - 1] not in lexicon:
                    before = lows[i - start_i - 1]
                    scalar = 0.0
                    if before in _BOOSTERS:  # VADER's scalar_inc_dec
                        scalar = _BOOSTERS[before]
                        if valence < 0:
                            scalar *= -1
                        if words[i - start_i - 1].isupper():
                            if cap_diff is None:
                                cap_diff = allcap_differential(words)
                            if cap_diff:
                                scalar = scalar + C_INCR if valence > 0 else scalar - C_INCR
                    if start_i == 1 and scalar != 0:
                        scalar = scalar * 0.95
                    if start_i == 2 and scalar != 0:
                        scalar = scalar * 0.9
                    valence = valence + scalar
                    # VADER's _negation_check, inlined on the lower-cased words
                    w2 = lows[i - 1]
                    if start_i == 0:
                        if w2 in _NEGATE or "n't" in w2:
                            valence = valence * N_SCALAR
                    elif start_i == 1:
                        w1 = lows[i - 2]
                        if w1 == "never" and (w2 == "so" or w2 == "this"):
                            valence = valence * 1.25
                        elif w1 == "without" and w2 == "doubt":
                            pass
                        elif w1 in _NEGATE or "n't" in w1:
                            valence = valence * N_SCALAR
                    else:
                        w0, w1 = lows[i - 3], lows[i - 2]
                        if (w0 == "never" and (w1 == "so" or w1 == "this")) or (w2 == "so" or w2 == "this"):
                            valence = valence * 1.25
                        elif w0 == "without" and (w1 == "doubt" or w2 == "doubt"):
                            pass
                        elif w0 in _NEGATE or "n't" in w0:
                            valence = valence * N_SCALAR
                    if start_i == 2 and not _IDIOM_WORDS.isdisjoint(lows[i - 3:i + 3]):
                        valence = self._special_idioms_check(valence, words, i)
            if i > 1 and lows[i - 1] not in lexicon and lows[i - 1] == "least":  # VADER's _least_check
                if lows[i - 2] != "at" and lows[i - 2] != "very":
                    valence = valence * N_SCALAR
            elif i > 0 and lows[i - 1] not in lexicon and lows[i - 1] == "least":
                valence = valence * N_SCALAR
            append(valence)
        if "but" in lows:
            sentiments = self._but_check(words, sentiments)
        sum_s = float(sum(sentiments))
        punct = self._punctuation_emphasis(text)
        if sum_s > 0:
            sum_s += punct
        elif sum_s < 0:
            sum_s -= punct
        return round(normalize(sum_s), 4)

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
        w = [""] * (3 - len(w)) + w  # w[0] = i-3, w[1] = i-2, w[2] = i-1
        if start_i == 0:
            if _negated(w[2]):
                valence = valence * N_SCALAR
        elif start_i == 1:
            if w[1] == "never" and w[2] in ("so", "this"):
                valence = valence * 1.25
            elif w[1] == "without" and w[2] == "doubt":
                pass
            elif _negated(w[1]):
                valence = valence * N_SCALAR
        elif start_i == 2:
            if (w[0] == "never" and w[1] in ("so", "this")) or w[2] in ("so", "this"):
                valence = valence * 1.25
            elif w[0] == "without" and (w[1] == "doubt" or w[2] == "doubt"):
                pass
            elif _negated(w[0]):
                valence = valence * N_SCALAR
        return valence


from vaderSentiment.vaderSentiment import BOOSTER_DICT as _BOOSTERS, C_INCR, NEGATE, N_SCALAR  # noqa: E402

_PUNCT = string.punctuation
# Words of VADER's multi-word idioms and boosters: its idiom check can only change a valence near one of them.
_IDIOM_WORDS = frozenset(w for key in list(SPECIAL_CASES) + [k for k in _BOOSTERS if " " in k] for w in key.split())

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

_NEGATE = frozenset(NEGATE)


def _negated(word: str) -> bool:
    return word in _NEGATE or "n't" in word


@lru_cache(maxsize=1)
def get_analyzer() -> FastSentimentAnalyzer:
    return FastSentimentAnalyzer()


def sentiment_score(text: str) -> float:
    if not text or not text.strip():
        return 0.0
    return round(get_analyzer().compound(text[:MAX_SENTIMENT_CHARS]), 3)
