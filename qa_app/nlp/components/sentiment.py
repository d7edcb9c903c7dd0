"""Customer sentiment in [-1, 1]: VADER's compound score."""
from __future__ import annotations

from functools import lru_cache

from vaderSentiment.vaderSentiment import SentiText, SentimentIntensityAnalyzer, allcap_differential

# VADER's cost grows faster than linearly with length; a message's opening is what matters for tone.
MAX_SENTIMENT_CHARS = 5000


class FastSentimentAnalyzer(SentimentIntensityAnalyzer):
    """VADER with one shortcut: skip its per-character emoji rewrite when the text has no emoji (same scores)."""

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
        """polarity_scores(text)["compound"], splitting the text into VADER's words once; 0.0 straight away
        when no word is in the lexicon (every valence is then 0, and VADER's compound of those is exactly 0.0)."""
        if not self._emoji_chars.isdisjoint(text):
            return super().polarity_scores(text)["compound"]
        text = text.strip()
        sentitext = _LazySentiText(text)
        lows = sentitext.lower_words
        if self._lexicon_keys.isdisjoint(lows):
            return 0.0
        return self.score_valence(self._valences(sentitext), text)["compound"]

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


from vaderSentiment.vaderSentiment import BOOSTER_DICT as _BOOSTERS, NEGATE, N_SCALAR  # noqa: E402

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
