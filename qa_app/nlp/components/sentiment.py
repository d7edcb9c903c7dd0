"""Customer sentiment in [-1, 1]: VADER's compound score."""
from __future__ import annotations

from functools import lru_cache

from vaderSentiment.vaderSentiment import SentiText, SentimentIntensityAnalyzer

# VADER's cost grows faster than linearly with length; a message's opening is what matters for tone.
MAX_SENTIMENT_CHARS = 5000


class FastSentimentAnalyzer(SentimentIntensityAnalyzer):
    """VADER with one shortcut: skip its per-character emoji rewrite when the text has no emoji (same scores)."""

    def __init__(self):
        super().__init__()
        self._emoji_chars = frozenset(self.emojis)

    def polarity_scores(self, text):
        if not self._emoji_chars.isdisjoint(text):
            return super().polarity_scores(text)
        text = text.strip()
        sentitext = SentiText(text)
        sentiments = []
        words = sentitext.words_and_emoticons
        for i, item in enumerate(words):
            low = item.lower()
            if low in _BOOSTERS or (low == "kind" and i < len(words) - 1 and words[i + 1].lower() == "of"):
                sentiments.append(0)
                continue
            sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        sentiments = self._but_check(words, sentiments)
        return self.score_valence(sentiments, text)


from vaderSentiment.vaderSentiment import BOOSTER_DICT as _BOOSTERS  # noqa: E402


@lru_cache(maxsize=1)
def get_analyzer() -> FastSentimentAnalyzer:
    return FastSentimentAnalyzer()


def sentiment_score(text: str) -> float:
    if not text or not text.strip():
        return 0.0
    return round(get_analyzer().polarity_scores(text[:MAX_SENTIMENT_CHARS])["compound"], 3)
