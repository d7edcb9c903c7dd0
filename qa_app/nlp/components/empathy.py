"""Empathy: a distressed customer message followed by an agent reply with no acknowledgement."""
from __future__ import annotations

import re

DISTRESS_THRESHOLD = -0.6   # VADER compound at or below this counts as distress on its own

DISTRESS_RE = re.compile(
    r"\b(?:frustrat\w*|upset\w*|angry|angrier|furious|livid|annoy\w*|irritat\w*|unacceptable|ridiculous|"
    r"outrageous|worst|terrible|horrible|horrendous|awful|disgust\w*|disappoint\w*|fed up|sick of|tired of|fuming|"
    r"pissed|useless|scam\w*|rip-?off|never again|waste of (?:my )?(?:time|money)|ruin\w*|nightmare|unbelievable|"
    r"appalling|shocking|insane|a joke|this is a joke|absurd|"
    r"(?:been )?waiting (?:for )?(?:over |more than )?(?:days|weeks|hours|ages|forever|a week|a month|\d+ (?:days|weeks|hours))|"
    r"still (?:waiting|no |not |haven't|hasn't|nothing)|(?:no one|nobody) (?:has |ever )?(?:helped|responded|replied|"
    r"answered|gets back|got back|called)|(?:third|3rd|fourth|4th|fifth|5th|tenth) time|keep(?:s)? getting (?:the )?run ?around)\b",
    re.IGNORECASE)
# The same pattern, case-sensitive, for lower-cased text: ~3x faster (SRE skips alternatives by first letter).
DISTRESS_LOWER_RE = re.compile(DISTRESS_RE.pattern)
_NEGATED = re.compile(r"\b(?:not|n't|no longer|never|isn't|wasn't|aren't)\s+(?:\w+\s+)?$", re.IGNORECASE)

ACK_RE = re.compile(
    r"\b(?:sorry|apolog\w*|understand\w*|frustrat\w*|i hear you|that must (?:be|have)|"
    r"must be (?:so |really |very )?(?:frustrating|annoying|difficult|hard|stressful|disappointing|upsetting|"
    r"inconvenient|worrying|confusing)|thanks? (?:you )?(?:so much |very much )?for (?:your|bearing|waiting|being|"
    r"hanging)|appreciate (?:your|you)|i can imagine|i see how|i know how|i get (?:it|that|how|why)|"
    r"unfortunate\w*|my bad|regret\w*|not the experience|not what we want|hate to hear|sad to hear|"
    r"oh no|yikes|concern\w*|inconvenien\w*|that's (?:awful|terrible|not good|not great|not okay|not ok|frustrating|"
    r"annoying|disappointing)|totally get|completely get|feel for you|makes sense|make (?:this|it|things) right|"
    r"you're right|you are right|fair enough|valid|rightly|my apologies|our apologies|hear that)\b",
    re.IGNORECASE)


_AGITATED = re.compile(r"[!?]{2,}|\b[A-Z]{4,}\b")
_NOT_SHOUTING = {"USPS", "FEDEX", "ASAP", "HTTP", "HTTPS", "INFO", "SKUS", "NASA", "ACME"}


def _agitated(text: str, sentiment: float) -> bool:
    """'WHERE IS MY ORDER', 'charged twice??': capitals or !!/?? in a message that isn't positive."""
    if sentiment >= 0.3:
        return False
    return any(m.group(0) not in _NOT_SHOUTING for m in _AGITATED.finditer(text[:5000]))


def is_distressed(text: str, sentiment: float) -> bool:
    if sentiment <= DISTRESS_THRESHOLD or _agitated(text, sentiment):
        return True
    text = text[:5000]
    low = text.lower()
    rx, src = (DISTRESS_LOWER_RE, low) if len(low) == len(text) else (DISTRESS_RE, text)  # same offsets
    for m in rx.finditer(src):
        if not _NEGATED.search(text[max(0, m.start() - 25):m.start()]):
            return True
    return False


def acknowledges(text: str) -> bool:
    return bool(ACK_RE.search(text[:5000]))
