"""Empathy: a distressed customer message followed by an agent reply with no acknowledgement."""
from __future__ import annotations

import re

from ..lowercase import safe_lower
from ..wordscan import WordScan

DISTRESS_THRESHOLD = -0.6   # VADER compound at or below this counts as distress on its own

# DISTRESS_RE's alternatives (..wordscan: each starts with a plain lower-case letter or digit).
_DISTRESS = (
    r"frustrat\w*", r"upset\w*", "angry", "angrier", "furious", "livid", r"annoy\w*", r"irritat\w*", "unacceptable",
    "ridiculous", "outrageous", "worst", "terrible", "horrible", "horrendous", "awful", r"disgust\w*",
    r"disappoint\w*", "fed up", "sick of", "tired of", "fuming", "pissed", "useless", r"scam\w*", "rip-?off",
    "never again", "waste of (?:my )?(?:time|money)", r"ruin\w*", "nightmare", "unbelievable", "appalling",
    "shocking", "insane", "a joke", "this is a joke", "absurd",
    *(f"{been}waiting (?:for )?(?:over |more than )?(?:days|weeks|hours|ages|forever|a week|a month|"
      r"\d+ (?:days|weeks|hours))" for been in ("been ", "")),
    "still (?:waiting|no |not |haven't|hasn't|nothing)",
    *(f"{who} (?:has |ever )?(?:helped|responded|replied|answered|gets back|got back|called)"
      for who in ("no one", "nobody")),
    *(f"{nth} time" for nth in ("third", "3rd", "fourth", "4th", "fifth", "5th", "tenth")),
    "keep(?:s)? getting (?:the )?run ?around")
_DISTRESS_SCAN = WordScan(_DISTRESS)
DISTRESS_RE = _DISTRESS_SCAN.rx
_NEGATED = re.compile(r"\b(?:not|n't|no longer|never|isn't|wasn't|aren't)\s+(?:\w+\s+)?$", re.IGNORECASE)

_ACKNOWLEDGEMENTS = (
    r"sorry", r"apolog\w*", r"understand\w*", r"frustrat\w*", "i hear you", "that must (?:be|have)",
    "must be (?:so |really |very )?(?:frustrating|annoying|difficult|hard|stressful|disappointing|upsetting|"
    "inconvenient|worrying|confusing)",
    "thanks? (?:you )?(?:so much |very much )?for (?:your|bearing|waiting|being|hanging)", "appreciate (?:your|you)",
    "i can imagine", "i see how", "i know how", "i get (?:it|that|how|why)", r"unfortunate\w*", "my bad",
    r"regret\w*", "not the experience", "not what we want", "hate to hear", "sad to hear", "oh no", "yikes",
    r"concern\w*", r"inconvenien\w*",
    "that's (?:awful|terrible|not good|not great|not okay|not ok|frustrating|annoying|disappointing)", "totally get",
    "completely get", "feel for you", "makes sense", "make (?:this|it|things) right", "you're right", "you are right",
    "fair enough", "valid", "rightly", "my apologies", "our apologies", "hear that")
_ACK_SCAN = WordScan(_ACKNOWLEDGEMENTS)
ACK_RE = _ACK_SCAN.rx

_SHOUTING = re.compile(r"\b[A-Z]{4,}\b")
_CAPS_RUN = re.compile(r"[A-Z]{4}")  # in every _SHOUTING match; starts with a class, so SRE skips to capitals
_NOT_SHOUTING = {"USPS", "FEDEX", "ASAP", "HTTP", "HTTPS", "INFO", "SKUS", "NASA", "ACME"}


def _agitated(text: str, sentiment: float) -> bool:
    """'WHERE IS MY ORDER', 'charged twice??': capitals or !!/?? in a message that isn't positive."""
    if sentiment >= 0.3:
        return False
    text = text[:5000]
    if "!!" in text or "??" in text or "!?" in text or "?!" in text:  # a run of 2+ "!"/"?" (substring tests: fast)
        return True
    return _CAPS_RUN.search(text) is not None and \
        any(m.group(0) not in _NOT_SHOUTING for m in _SHOUTING.finditer(text))


def is_distressed(text: str, sentiment: float) -> bool:
    if sentiment <= DISTRESS_THRESHOLD or _agitated(text, sentiment):
        return True
    text = text[:5000]
    low = safe_lower(text)  # same offsets as text
    if low is None:
        matches = DISTRESS_RE.finditer(text)
    elif _DISTRESS_SCAN.may_match(low):
        matches = _DISTRESS_SCAN.lower_rx.finditer(low)
    else:
        return False
    return any(not _NEGATED.search(text[max(0, m.start() - 25):m.start()]) for m in matches)


def acknowledges(text: str) -> bool:
    return _ACK_SCAN.search(text[:5000])
