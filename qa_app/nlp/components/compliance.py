"""Compliance checks on agent text: card numbers, credentials, e-mail / phone exposure, prohibited phrases."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..lowercase import lower_is_exact
from ..policy import PolicyPack, ProhibitedPhrase
from ..wordscan import grouped_by_first_char
from .accuracy import first_digit, host_allowed
from .secrets_in_reply import (asked_secret_given, echoed_codes, echoed_passwords, may_name_a_secret, names_a_code,
                               read_out_digits)

# The look-behind (no word, "/", "=", ".", ":" or "-" before the first digit) comes after that digit, so the
# pattern starts with \d and the regex engine skips to the digits (~2x faster); same matches.
CARD_RE = re.compile(r"\d(?<![\w/=.:-]\d)(?:[ -]?\d){12,18}(?![ -]?\d|[\w/=-]|\.\w)")
EMAIL_RE = re.compile(r"(?<![\w.+*-])[A-Za-z0-9._%+-]{1,64}@ ?[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}\b")
PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+?1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w-])"
    r"|(?<![\w+])\+\d{1,3}(?:[ .-]\d{2,8}){2,5}(?![\w-])"
    # national numbers written from a trunk 0 in groups: "07700 900461", "0151 496 0823", "030 1234 5678"
    # (not a run of digit groups such as a tracking number "9400 1000 0000 0000")
    r"|(?<![\w+.,/-])(?<!\d[ .-])0\d{2,4}[ .-](?:\d{3,4}[ .-]\d{3,4}|\d{5,7})(?![\w-]|[.,/]\d|[ .-]\d)"
    # French numbers in five pairs: "06 12 47 89 33", "01.23.45.67.89"
    r"|(?<![\w+.,/-])(?<!\d[ .-])0\d(?:([ .-])\d{2})(?:\1\d{2}){3}(?![\w-]|[.,/]\d|[ .-]\d)")
# Credential keywords (each starts with a plain letter or digit: the screen below groups them by first character).
_CREDENTIAL_KEYWORDS = (
    "password", "passcode", "pass code", "passwd", "pwd", "passphrase", "pin(?: code| number)?", "puk(?: code)?",
    "cvv2?", "cvc", "answer we have on file", "answer on file", "security (?:code|answer|word)", "memorable word",
    "secret answer", "security question", "access code", "collection code", "api key", "api token", "access token",
    "signing secret", "client secret",
    "secret key", "recovery (?:login |sign-in |2fa )?(?:codes?|key)", "backup (?:login |sign-in |2fa )?(?:codes?|key)",
    "activation code", "epp code", "auth code", "authorization code",
    "transfer code",
    # codes that open a door or locker, and what the agent signed in with
    *(f"{place} code" for place in ("locker", "door", "gate", "alarm", "safe", "lockbox", "key safe", "keypad",
                                    "building", "entry")),
    r"code for (?:the |your )?(?:locker|door|gate|alarm|safe|lockbox|key safe|keypad|building)(?: [\w-]+)?",
    *(f"{verb} in with" for verb in ("logged", "signed", "log", "sign")),
    *(f"{kind} code" for kind in ("verification", "one-time", "login", "sign-in", "2fa", "otp", "sms", "confirmation",
                                  "authentication")),
    "code (?:we|i|they|your bank|the bank) sent(?: you)?")
_CREDENTIAL_WORDS = "|".join(_CREDENTIAL_KEYWORDS)
CREDENTIAL_RE = re.compile(
    r"\b(?:(?:your|the|a|new|temporary|temp|one-time|default|reset|account|login|last)\s+){0,3}"
    rf"(?:{_CREDENTIAL_WORDS})\b"
    # "the WiFi password for your router is", "your PIN for HS-C331 is"
    r"(?:\s+(?:for|on|of) (?:(?:you|your|the|this|that) )?(?=[\w-]*[a-z])[\w-]+(?: [\w-]+)?)?"
    r"(?:\s+(?:we|i) (?:set up|set|chose|made|created|have)(?: for you| on file)?)?(?:\s+on file)?,?(?:\s+which)?"
    r"(?:\s+(?:(?:is|was) (?:currently |now )?(?:reset|changed|set) to|is|are|was|of|will be|"
    r"has been (?:reset|changed|set) to|set to|reset to|"
    r"now|to|still))?"
    r"\s*[:=\-]?\s*[\"'“‘]?(?P<secret>\d{3,5}(?:[ -]\d{3,5})+(?![\w-])|[^\s\"'”’]{3,64})",
    re.IGNORECASE)
# The same pattern for exactly lower-cased text (..lowercase), ~3x faster than IGNORECASE.
_CREDENTIAL_LOWER = re.compile(CREDENTIAL_RE.pattern)
# Words that follow "password is" without being a password.
_NOT_SECRETS = {"is", "the", "your", "you", "not", "incorrect", "wrong", "invalid", "required", "expired", "case",
                "sensitive", "case-sensitive", "reset", "changed", "sent", "being", "still", "now", "below", "above",
                "here", "there", "and", "or", "to", "for", "that", "this", "it", "was", "has", "will", "be", "been",
                "correct", "too", "very", "different", "same", "safe", "secure", "private", "needed", "set", "field",
                "strong", "weak", "updated", "protected", "stored", "encrypted", "manager", "link", "email", "page",
                "reset.", "please", "again", "with", "from", "on", "in", "at", "by", "if", "when", "once", "after",
                "before", "because", "so", "but", "can", "cannot", "can't", "should", "must", "may", "might",
                "what", "which", "who", "where", "when", "how", "could", "would"}  # asking for it, not giving it
_TOLD = re.compile(r"\b(?:told|asked|advised)\s+(?:you\s+)?to\s+$", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|never|no|none|nobody|cannot|can't|cant|won't|wont|don't|dont|unable to)\s+"
                       r"(?:[\w'’]+\s+){0,4}$",
                       re.IGNORECASE)


_ROLE_LOCAL = re.compile(r"^(?:support|help|helpdesk|service|customerservice|care|customercare|info|contact|hello|"
                         r"abuse|security|phish\w*|reportphish\w*|spam|privacy|legal|press|media|sales|billing|"
                         r"returns?|orders?|noreply|no-reply|donotreply|feedback|team|admin|webmaster)(?:[._+-]\w+)?$")
_OUR_LINE = re.compile(r"\b(?:(?:call|ring|phone|text|reach|contact)\s+(?:us|the\s+(?:shop|store|office|clinic|venue|"
                       r"front desk|desk|studio|salon|branch|centre|center|park|team))|give us a (?:ring|call)|"
                       # "call circulation at", "ring the billing team on" (not "call you at")
                       r"(?:call|ring|phone|reach)\s+(?!(?:you|your|him|her|them|me|number|back|ahead)\b)(?-i:[a-z]+)"
                       r"(?:\s+[a-z]+){0,2}"
                       r"\s+(?:at|on)|"
                       # "reach us at help@example.org or ..."
                       r"(?:reach|contact|email|call)\s+us\s+(?:at|on|via)\s+\S{3,60}\s+or|"
                       # "Front desk is ...", "book by phone at ..."
                       r"(?:front desk|reception|box office|main line|main number)|by phone|"
                       # "... or call (614) 555-0173": the customer is sent to a line, not shown their own
                       r"(?:or|and|just|please|simply) (?:call|ring|text)(?! (?:you|him|her|them|me)\b)|"
                       r"(?:our|their) (?:[\w/]+ ){0,2}"
                       r"(?:number|line|hotline|helpline|phone|team))\b(?:\s+directly)?[^.!?\d+]{0,12}$", re.IGNORECASE)
# "..., same as our phone line": said after the number
_OUR_LINE_AFTER = re.compile(r"\s*[,(—–-]?\s*(?:same as|which is|that's|it's|is)\s+(?:our|the (?:shop|studio|store|"
                             r"office|front desk)(?:'s)?)\b", re.IGNORECASE)
_TOLL_FREE = re.compile(r"^8(?:00|33|44|55|66|77|88)\d{7}$")
_FREEPHONE = re.compile(r"^(?:0800|0808|0500|1800)\d{5,7}$")  # national freephone lines (UK, IE, AU, DE, ...)
# A number right after one of these words is an account, membership or booking number, not a phone number.
_ID_CONTEXT = re.compile(r"\b(?:account|acct|member(?:ship)?|booking|reference|ref|order|ticket|case|policy|"
                         r"customer|invoice|tracking|confirmation|meter|serial|loyalty|frequent flyer)"
                         r"(?:\s+(?:number|no\.?|#|id))?\s*[:#]?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    rule: str
    start: int
    end: int
    explanation: str
    severity: str = "high"
    category: str = "compliance"
    suggestion: str = ""


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


# Cheap pre-screens (one C-level scan each): most agent messages hold no card, phone or password at all.
# Every PHONE_RE match has one of these two (a pattern starting with \d scans fast; a "+" is rare).
_PHONE_DIGITS = re.compile(r"\d[ .-]\d{3}|\d[ .-]\d\d[ .-]\d\d")  # groups of three, or French pairs
_PLUS_DIGIT = re.compile(r"\+\d")
# Every CREDENTIAL_RE match holds one of its keywords followed by a word boundary; on exactly lower-cased text
# (..lowercase) this rules out "shipping", "passed"... before the full pattern runs. (No leading \b: a pattern
# starting with a literal branch scans much faster.)
_CREDENTIAL_KEY = re.compile(rf"(?:{grouped_by_first_char(_CREDENTIAL_KEYWORDS)})\b")  # alternatives by first char
# Every CREDENTIAL_RE keyword holds one of these (lower-case substrings, tested in C one after the other).
_CREDENTIAL_SUBSTRINGS = ("pass", "pwd", "pin", "code", "puk", "answer", "cvv", "cvc", "memorable word",
                          "security word", "security q", "api", "token", "secret", "recovery key", "backup key",
                          "in with")
_EMAIL_HINT = re.compile(r"@ ?[A-Za-z0-9-]+\.")   # every EMAIL_RE match has one; an @handle usually doesn't


# Named as a card just before the number: then a 16-digit number in groups of four is a card number even when it
# fails the Luhn check (a mistyped card is still exposed). Elsewhere the Luhn check keeps out other long numbers.
_CARD_NAMED = re.compile(r"(?:card|visa|mastercard|amex|debit|credit|paid with|payment method)\b[^.\d]{0,25}$",
                         re.IGNORECASE)
_FOUR_BY_FOUR = re.compile(r"\d{4}([ -]?)\d{4}\1\d{4}\1\d{4}")


def card_numbers(text: str, digit: int = 0) -> list[Finding]:
    """`digit`: where the first digit of text is, when the caller knows (the scan starts there)."""
    out = []
    for m in CARD_RE.finditer(text, digit):
        digits = re.sub(r"\D", "", m.group(0))
        if not (13 <= len(digits) <= 19 and len(set(digits)) > 1):
            continue
        if luhn_ok(digits):
            why = "A payment card number (passes the Luhn check) is written in the chat."
        elif _FOUR_BY_FOUR.fullmatch(m.group(0)) and (
                _CARD_NAMED.search(before := text[max(0, m.start() - 40):m.start()]) or
                (digits[0] in "3456" and not _ID_CONTEXT.search(before))):
            # four groups of four named as a card, or starting like a card network's numbers (3 Amex, 4 Visa,
            # 5 Mastercard, 6 Discover) where no "order" / "tracking" ... names it as another number
            why = "A payment card number (four groups of four, a card network's first digit or named as a card) " \
                  "is written in the chat."
        else:
            continue
        out.append(Finding("compliance.card_number", m.start(), m.end(), why,
                           suggestion="Never repeat card numbers; refer to the card by its last four digits."))
    return out


def _may_hold_credentials(low: str, exact: bool) -> bool:
    # Substring tests first (fastest); a keyword must also end a word. Texts that lower-case inexactly ('ſ', 'İ':
    # IGNORECASE matches "paſsword") skip the screen and get the full pattern.
    if not exact:
        return True
    return any(map(low.__contains__, _CREDENTIAL_SUBSTRINGS)) and _CREDENTIAL_KEY.search(low) is not None


def _looks_secret(secret: str, colon_form: bool) -> bool:
    s = secret.rstrip(".,;:!?)")
    if len(s) < 3 or s.lower() in _NOT_SECRETS or "://" in s or s.lower().startswith("www."):
        return False  # a link to the help page is not the secret
    has_digit = any(c.isdigit() for c in s)
    has_symbol = any(not c.isalnum() and c not in "-'" for c in s)
    mixed = any(c.isupper() for c in s[1:]) and any(c.islower() for c in s)
    return has_digit or has_symbol or mixed or colon_form


# An API key or secret token: a short prefix, "_", then a long random part with letters and digits
# ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", "whsec_7Hq2LmZ0pX9vRt4C").
_KEY_SHAPE = re.compile(r"(?<![\w/.@-])[A-Za-z]{2,8}_(?:[A-Za-z]{2,8}_)?(?=[A-Za-z]*\d[A-Za-z]*\d[A-Za-z]*\d)"
                        r"(?=\d*[A-Za-z]\d*[A-Za-z]\d*[A-Za-z])[A-Za-z0-9]{12,}(?![\w/@-]|\.\w)")


# A one-time code given out: "the code is 418 220", "it's 774102. It expires in 10 minutes".
_OTP_RE = re.compile(r"(?<!error )(?<!promo )(?<!discount )(?<!voucher )(?<!zip )(?<!postal )(?<!area )(?<!sort )"
                     r"(?<!country )(?<!product )(?<!tracking )(?<!booking )(?<!reference )(?<!order )"
                     # "the code (that was sent / on the booking / was generated on our end) is / : 482913"
                     r"\bcode(?:\s+[\w']+){0,5}?"
                     r"(?:\s+is|\s+was|\s*:|[^.?!\d]{0,40}?[,—–-]\s+it's|[^.?!\d]{0,40}?[,—–-]\s+it\s+(?:is|was))\s*"
                     r"(?P<a>\d{3,4}[ -]?\d{3,4}|\d{4})(?![\d-])"
                     # "Code 448913 is verified"; "the codes are being sent, the latest one is 482913"
                     r"|\bcode\s+(?P<c>\d{6,8})(?![\w-])"
                     r"|\bcodes?\b[^.?!]{0,60}?\b(?:latest|newest|last|new|current)\s+(?:one|code)\s+(?:is|was)\s*:?\s*"
                     r"(?P<d>\d{3} ?\d{3})(?![\w-])"
                     # "Codes expire after 10 minutes. I've sent a fresh one, it's 582217"
                     r"|\b(?:codes?\b[^?!]{0,80}?|sent\s+(?:you\s+)?(?:a\s+)?)\b(?:fresh|new|another)\s+one\b"
                     r"[^?!\d]{0,20}?(?:it's|it is|is|:)\s*(?P<e>\d{3} ?\d{3})(?![\w-])"
                     # "side gate, code 5582#": a door or gate code
                     r"|\b(?:gate|door|lockbox|keypad|alarm|locker)\b[^.?!]{0,15}?\bcode\s*(?:is\s*)?:?\s*"
                     r"(?P<f>\d{4,8})#?(?![\w-])"
                     r"|(?<![\w-])(?P<b>\d{3} ?\d{3})(?![\w-])(?=[\s.,;-]{0,4}(?:it\s+|it's\s+|this\s+)?"
                     r"(?:expires|is valid|valid for|will expire|was generated|has been generated|was sent|"
                     r"is your (?:[\w-]+ )?code))",
                     re.IGNORECASE)
# Identity documents and bank accounts: "passport GA482913", "sort code 20-45-77, account number 63849120".
_DOCUMENT_RE = re.compile(
    r"\b(?:passport|(?:driver'?s |driving )?licen[cs]e|national insurance|social security|ssn|"
    r"(?:dod|military|national|state|tax|government) id|itin|ein)"
    r"(?:\s+(?:number|no\.?|#))?(?:\s+(?:is|was|to|as|:))?\s*\(?(?P<doc>[A-Z]{0,6}\d[\dA-Z -]{4,14}[\dA-Z])(?![\w-])"
    # a US social security number by its shape alone
    r"|(?<![\w-])(?P<ssn>\d{3}-\d{2}-\d{4})(?![\w-])"
    r"|\bsort code\s*(?:is\s*)?\d{2}-\d{2}-\d{2},?\s+(?:and\s+)?account(?:\s+(?:number|no\.?))?\s*(?:is\s*)?"
    r"(?P<acct>\d{8})\b"
    r"|\baccount(?:\s+(?:number|no\.?))?\s*(?P<acct2>\d{8}),?\s+(?:and\s+)?sort code\s*\d{2}-\d{2}-\d{2}",
    re.IGNORECASE)


_THREE_DIGITS = re.compile(r"\d{3}")


def one_time_codes(text: str, low: str) -> list[Finding]:
    """`low`: text.lower()."""
    if "code" not in low and "xpire" not in low and "valid" not in low and "generated" not in low and "sent" not in low:
        return []
    if not _THREE_DIGITS.search(text):
        return []  # every code the pattern finds has three digits in a row
    return [Finding("compliance.credentials", m.start(group), m.end(group), "A one-time code is shared in the chat.",
                    suggestion="Let the customer read the code from their own phone or e-mail.")
            for m in _OTP_RE.finditer(text) for group in ("a", "b", "c", "d", "e", "f") if m.group(group)]


_SSN_SHAPE = re.compile(r"\d{3}-\d{2}-\d{4}")
# substrings of which every _DOCUMENT_RE keyword match holds one (an ID's qualifier comes first: "military id")
_DOCUMENT_WORDS = ("passport", "licen", "insurance", "social security", "ssn", "sort code", "dod id", "military id",
                   "national id", "state id", "tax id", "government id")
_EIN = re.compile(r"\b(?:ein|itin)\b")  # as substrings they are in "being", "waiting"


def documents(text: str, low: str, digit: int = 0) -> list[Finding]:
    """`low`: text.lower(); `digit`: where the first digit is, when the caller knows."""
    if not any(w in low for w in _DOCUMENT_WORDS) and not (("ein" in low or "itin" in low) and _EIN.search(low)) and \
            not ("-" in text and _SSN_SHAPE.search(text, digit)):
        return []
    return [Finding("compliance.document_exposed", m.start(), m.end() - len(_trailing_words(m.group("doc"))),
                    "A passport, licence, national ID or bank account number is written by the agent.",
                    severity="medium", suggestion="Mask it, e.g. \"passport ending 2913\".")
            for m in _DOCUMENT_RE.finditer(text)
            if not m.group("doc") or sum(c.isdigit() for c in m.group("doc")) >= 5]  # not "licence for 25 seats"


def _trailing_words(doc: str | None) -> str:
    """" to the" in "1234567890 to the": lower-case words the case-blind number pattern took in after the number."""
    tail = re.search(r"(?: [a-z]+)+$", doc or "")
    return tail.group(0) if tail else ""


# A password-shaped string: 8-32 characters with lower and upper case letters, a digit and a symbol inside it
# ("Tw!9rQe#4vLm", "Moss!Garden2024") - written out without any keyword ("I reset it to ...").
_T = r"[A-Za-z\d!#$%^&*?~+=._-]"
_PASSWORD_SHAPE = re.compile(rf"(?<![\w@/.:?&=%#+-])(?={_T}*[a-z])(?={_T}*[A-Z])(?={_T}*\d)(?={_T}*[!#$^&*~+]{_T})"
                             rf"{_T}{{8,32}}(?!{_T}|@)")


# Every _PASSWORD_SHAPE match has a symbol between two of its characters; most messages have none (a fast scan).
_INNER_SYMBOL = re.compile(r"[!#$^&*~+](?<=[A-Za-z\d].)[A-Za-z\d!#$%^&*?~+=._-]")  # symbol first: a fast scan


# A password given out as what the account was set to: "it's currently set to Luna2020!", "I've set it to Beans2024!".
_SET_TO_PASSWORD = re.compile(r"\b(?i:set|reset|changed?)\s+(?i:it\s+|your password\s+|the password\s+)?to\s+"
                              r"(?P<pw>(?=[\w!#$%^&*?~+=.-]*[a-z])(?=[\w!#$%^&*?~+=.-]*[A-Z])(?=[\w!#$%^&*?~+=.-]*\d)"
                              r"[A-Za-z\d][\w!#$%^&*?~+=.-]{5,31}?)(?=[.,;]?(?:\s|$))")


def password_shapes(text: str, low: str | None = None) -> list[Finding]:
    """`low`: text.lower(), when the caller has it."""
    spans = [(m.start(), m.end() - len(m.group(0)) + len(m.group(0).rstrip(".,!?")))
             for m in _PASSWORD_SHAPE.finditer(text) if not _in_link(text, m.start())] \
        if _INNER_SYMBOL.search(text) else []
    if " to " in text and ("set " in (low := text.lower() if low is None else low) or "change" in low):
        spans += [m.span("pw") for m in _SET_TO_PASSWORD.finditer(text)
                  if not any(s <= m.start("pw") < e for s, e in spans)]
    return [Finding("compliance.credentials", start, end, "A password-like secret is written in the chat.",
                    suggestion="Send a secure reset link instead of writing credentials in the chat.")
            for start, end in spans]


def _in_link(text: str, at: int) -> bool:
    """Whether position `at` is inside a link (its whitespace-delimited word holds "://" or "www.")."""
    start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
    word = text[start:at]
    return "://" in word or "www." in word or "?" in word or "&" in word


def api_keys(text: str) -> list[Finding]:
    if "_" not in text:
        return []
    return [Finding("compliance.credentials", m.start(), m.end(), "An API key or secret token is shared in the chat.",
                    suggestion="Let the customer copy keys from their settings page; never paste them in chat.")
            for m in _KEY_SHAPE.finditer(text)]


def credentials(text: str, low: str | None = None) -> list[Finding]:
    """`low`: text.lower(), when the caller has it."""
    out = []
    low = text.lower() if low is None else low
    exact = lower_is_exact(text, low)
    if not _may_hold_credentials(low, exact):
        return out
    for m in _CREDENTIAL_LOWER.finditer(low) if exact else CREDENTIAL_RE.finditer(text):
        secret = text[m.start("secret"):m.end("secret")]
        # "password: hunter", "security answer is 'Biscuit'": stated so explicitly that any word counts
        colon_form = bool(re.search(r"[:=]\s*[\"'“‘]?$|[\"'“‘]$", text[m.start():m.start("secret")]))
        if _NEGATION.search(text[max(0, m.start() - 30):m.start()]) or not _looks_secret(secret, colon_form):
            continue
        end = m.start("secret") + len(secret.rstrip(".,;:!?)"))
        out.append(Finding("compliance.credentials", m.start(), end,
                           "A password, PIN or passcode is shared in the chat.",
                           suggestion="Send a secure reset link instead of writing credentials in the chat."))
    return out


# An address spelled out to get past filters: "tom dot brennan at gmail dot com", "maria_ochoa (at) icloud (dot) com"
_AT, _DOT = r"\s*[\[(]?\s*\bat\b\s*[\])]?\s*", r"\s*[\[(]?\s*\bdot\b\s*[\])]?\s*"
_SPELLED_EMAIL = re.compile(rf"(?<![\w.+-])[A-Za-z0-9._%+-]{{1,64}}(?:{_DOT}[A-Za-z0-9_%+-]{{1,64}})*{_AT}"
                            rf"[A-Za-z0-9-]{{1,63}}(?:{_DOT}[A-Za-z0-9-]{{1,63}})*{_DOT}"
                            r"(?:com|net|org|edu|gov|io|co|uk|us|ca|de|fr|au|nz|ie|me|info|biz)\b",
                            re.IGNORECASE)


def emails(text: str, policy: PolicyPack, low: str | None = None) -> list[Finding]:
    low = text.lower() if low is None else low
    spelled = _SPELLED_EMAIL.finditer(text) if "dot" in low else ()  # every spelled-out address has one
    out = [_email_finding(m) for m in spelled
           if _personal(re.sub(_DOT, ".", re.sub(_AT, "@", m.group(0), count=1)).lower(), policy)]
    if "@" in text and _EMAIL_HINT.search(text):
        out += [_email_finding(m) for m in EMAIL_RE.finditer(text)
                if _personal(m.group(0).lower().replace("@ ", "@"), policy)]  # "sam@ example.com" too
    return out


def _personal(address: str, policy: PolicyPack) -> bool:
    """Not the company's own address nor a role address (support@, abuse@): someone's personal data."""
    local, domain = address.rsplit("@", 1)
    return not (address in {c.lower() for c in policy.allowed_contacts} or
                host_allowed(domain, policy.allowed_link_domains) or _ROLE_LOCAL.match(local))


def _email_finding(m: re.Match) -> Finding:
    return Finding("compliance.email_exposed", m.start(), m.end(), "A full e-mail address is written by the agent.",
                   severity="medium", suggestion="Mask personal data, e.g. \"s***@example.com\".")


def _allowed_numbers(policy: PolicyPack) -> set[str]:
    return {re.sub(r"\D", "", c)[-10:] for c in policy.allowed_contacts if sum(ch.isdigit() for ch in c) >= 7}


def _phone_finding(start: int, end: int) -> Finding:
    return Finding("compliance.phone_exposed", start, end, "A full phone number is written by the agent.",
                   severity="medium", suggestion="Mask personal data, e.g. \"ending in 2661\".")


def phones(text: str, policy: PolicyPack, taken: list[Finding], digit: int = 0) -> list[Finding]:
    if not _PHONE_DIGITS.search(text, digit) and not ("+" in text and _PLUS_DIGIT.search(text)):
        return []
    allowed = _allowed_numbers(policy)
    out = []
    for m in PHONE_RE.finditer(text):
        if any(f.start < m.end() and m.start() < f.end for f in taken):
            continue
        if not _not_personal(text, m.start(), m.end(), re.sub(r"\D", "", m.group(0)), allowed):
            out.append(_phone_finding(m.start(), m.end()))
    return out


def _not_personal(text: str, start: int, end: int, digits: str, allowed: set[str]) -> bool:
    """A number that is no customer's phone: the company's own, a toll-free or freephone line, an account or booking
    number ("account 880 412 7735"), or a line the customer is sent to ("call us on ...", "their 24/7 number: ...",
    "..., same as our phone line")."""
    if digits[-10:] in allowed or _TOLL_FREE.match(digits[-10:]) or _FREEPHONE.match(digits):
        return True
    before = text[max(0, start - 80):start]
    return bool(_ID_CONTEXT.search(before) or _OUR_LINE.search(before) or _OUR_LINE_AFTER.match(text, end))


def _phrase_regex(phrase: str) -> re.Pattern:
    words = [re.escape(w).replace("'", "['’]") for w in phrase.replace("-", " ").split()]
    if len(words) >= 2 and words[0].lower() in ("i", "we"):  # "I guarantee" also as "I can / will guarantee"
        words[0] += r"(?:\s+(?:can|will|do|would|could)|['’]ll)?"
    left = r"\b" if phrase[:1].isalnum() else ""
    right = r"\b" if phrase[-1:].isalnum() else ""
    return re.compile(left + r"[\s-]+".join(words) + right, re.IGNORECASE)  # "off-the-record" too


class PhraseList(list):
    """[(phrase, regex)] plus one combined regex: a single scan rules out the usual message with none of them.

    `words` holds, per phrase, a lower-case ASCII word of it that any match contains literally: on exactly
    lower-cased text (..lowercase) a substring test per phrase replaces the IGNORECASE scan (~4x faster)."""

    def __init__(self, items):
        super().__init__(items)
        self.any = re.compile("|".join(f"(?:{rx.pattern})" for _, rx in items), re.IGNORECASE) if items else None
        self.words = [_screen_word(entry.phrase) for entry, _ in items]


def _screen_word(phrase: str) -> str:
    """The longest word _phrase_regex matches literally (no apostrophe, which also matches '’') and ASCII (so that
    an IGNORECASE match of it is the word itself in the lower-cased text); "" (always found) when there is none."""
    words = [w.lower() for w in phrase.replace("-", " ").split() if w.isascii() and "'" not in w]
    return max(words, key=len) if words else ""


def compile_phrases(policy: PolicyPack) -> PhraseList:
    return PhraseList([(p, _phrase_regex(p.phrase)) for p in policy.prohibited_phrases])


def prohibited(text: str, phrases: list[tuple[ProhibitedPhrase, re.Pattern]], low: str | None = None) -> list[Finding]:
    """`low`: text.lower(), when the caller has it."""
    out = []
    if not phrases:
        return out
    words = getattr(phrases, "words", None)
    if words is not None and lower_is_exact(text, low := text.lower() if low is None else low):
        found = any(map(low.__contains__, words))  # the usual message holds none: one C-level pass
        candidates = [p for p, w in zip(phrases, words) if w in low] if found else []
    else:
        screen = getattr(phrases, "any", None)
        candidates = phrases if screen is None or screen.search(text) else []
    for entry, rx in candidates:
        for m in rx.finditer(text):
            before = text[max(0, m.start() - 30):m.start()]
            if _NEGATION.search(before) or _TOLD.search(before):
                continue  # "I'm not 100% sure" is honest, not a promise; "you were told to ..." reports it
            out.append(Finding("compliance.prohibited_phrase", m.start(), m.end(),
                               entry.explanation or f"\"{entry.phrase}\" is on the policy's prohibited list.",
                               severity=entry.severity, category=entry.category,
                               suggestion="Rephrase without the prohibited wording."))
    return out


def compliance_findings(text: str, policy: PolicyPack, phrases, low: str | None = None,
                        digit: int | None = None, question: str | None = None) -> list[Finding]:
    """`low`: text.lower() and `digit`: accuracy.first_digit(text), when the caller has them; `question`: the
    customer's turn this message replies to."""
    low = text.lower() if low is None else low
    digit = first_digit(text) if digit is None else digit  # cards and phones both start at a digit
    has_digit = digit < len(text)
    found = card_numbers(text, digit) if has_digit else []
    found += credentials(text, low)
    for extra in (api_keys(text), one_time_codes(text, low), documents(text, low, digit), password_shapes(text, low),
                  read_out(text, low, policy, question), given_back(question, text)):
        found += [k for k in extra if not any(f.start < k.end and k.start < f.end for f in found)]
    found += emails(text, policy, low)
    if has_digit:
        found += phones(text, policy, found, digit)
    found += prohibited(text, phrases, low)
    return found


def read_out(text: str, low: str, policy: PolicyPack, question: str | None = None) -> list[Finding]:
    """Card numbers, phone numbers and codes read out digit by digit ("five oh three, five five five, ..."); a short
    run is a code when the reply, or the customer's turn before it, talks about a code, PIN or password."""
    out, allowed = [], None
    for start, end, digits in read_out_digits(text, low):
        if 13 <= len(digits) <= 19 and luhn_ok(digits):
            out.append(Finding("compliance.card_number", start, end, "A payment card number is read out in the chat.",
                               suggestion="Never repeat card numbers; refer to the card by its last four digits."))
        elif len(digits) == 10 or (len(digits) == 11 and digits[0] == "1"):
            allowed = _allowed_numbers(policy) if allowed is None else allowed
            if not _not_personal(text, start, end, digits, allowed):
                out.append(_phone_finding(start, end))
        elif 4 <= len(digits) <= 8 and (_CREDENTIAL_KEY.search(low, 0, start) or names_a_code(low[:start]) or
                                        (question and names_a_code(question))):
            out.append(Finding("compliance.credentials", start, end, "A PIN or code is read out in the chat.",
                               suggestion="Let the customer read the code from their own phone or e-mail."))
    return out


def given_back(question: str | None, text: str) -> list[Finding]:
    """A credential the customer asked for, or a one-time code or password they typed, written back by the agent."""
    if not question or not may_name_a_secret(question):
        return []  # most turns
    return [Finding("compliance.credentials", start, end, "A credential of the customer's is written in the chat.",
                    suggestion="Send a secure reset link; never write PINs, passwords or codes in the chat.")
            for start, end in (*asked_secret_given(question, text), *echoed_codes(question, text),
                               *echoed_passwords(question, text))]
