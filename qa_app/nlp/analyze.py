"""Analyze transcripts: one nlp.pipe over a batch's agent texts, then per-transcript rule families.

Customer messages need no spaCy work (VADER and regexes read raw text), so only agent texts are piped.
"""
from __future__ import annotations

import gc
import multiprocessing
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterable, Iterator

from spacy.tokens import Doc
from spacy.util import filter_spans

from .components import accuracy, arithmetic, compliance, discounts, empathy, empathy_model, etiquette, sums
from .components.politeness import politeness_score
from .components.sentiment import sentiment_score
from .components.tone import SPAN_KEY, customer_jokes, own_words
from .pipeline import first_sentence_chars, get_nlp, pipe_lazy_lemmas, sentences
from .policy import PolicyPack, policy_version


@dataclass(slots=True)  # one per message: slots make them cheaper to build and read
class Message:
    index: int
    role: str
    text: str
    sent_at: object = None


@dataclass
class PolicyContext:
    """Per-pack matchers, built once per process and pack version."""
    policy: PolicyPack
    facts: accuracy.FactMatcher
    phrases: list
    brand_terms: frozenset
    allowed_domains: str = ""  # the pack's link domains as the unsafe-link explanation lists them
    rates: tuple = ()  # the pack's prices per unit (sums.rates_of)


_contexts: dict[str, PolicyContext] = {}


def policy_context(policy: PolicyPack) -> PolicyContext:
    key = policy_version(policy)
    ctx = _contexts.get(key)
    if ctx is None:
        brands = frozenset(w.lower() for term in policy.brand_terms for w in term.replace("-", " ").split())
        ctx = PolicyContext(policy, accuracy.FactMatcher(get_nlp(), policy), compliance.compile_phrases(policy),
                            brands | {t.lower() for t in policy.brand_terms}, ", ".join(policy.allowed_link_domains),
                            tuple(sums.rates_of(list(policy.facts))))
        _contexts[key] = ctx
    return ctx


# --- flags ------------------------------------------------------------------------------------------------------
def make_flag(rule: str, category: str, severity: str, index: int, text: str, start: int, end: int,
              explanation: str, suggestion: str | None = None) -> dict:
    """A message-level flag; offsets are clamped so evidence always equals text[start:end]."""
    start = max(0, min(int(start), len(text)))
    end = max(start, min(int(end), len(text)))
    flag = {"rule": rule, "category": category, "severity": severity, "message_index": index,
            "start": start, "end": end, "evidence": text[start:end], "explanation": explanation}
    if suggestion:
        flag["suggestion"] = suggestion
    return flag


def conversation_flag(rule: str, category: str, severity: str, evidence: str | None, explanation: str,
                      suggestion: str | None = None) -> dict:
    flag = {"rule": rule, "category": category, "severity": severity, "message_index": None,
            "start": None, "end": None, "evidence": evidence, "explanation": explanation}
    if suggestion:
        flag["suggestion"] = suggestion
    return flag


def first_sentence(doc: Doc) -> tuple[int, int]:
    return first_sentence_chars(doc) or (0, len(doc.text.rstrip()))


# --- rule families ----------------------------------------------------------------------------------------------
def tone_flags(doc: Doc, index: int, text: str, question: str | None = None) -> list[dict]:
    """`question`: the customer's turn this message replies to (their joking excuses some rules)."""
    spans = doc.spans[SPAN_KEY] if SPAN_KEY in doc.spans else None
    tone = get_nlp().get_pipe("qa_tone")
    if not spans:
        return learned_tone_flags(doc, index, text, tone.model)  # most messages: none
    out = []
    for rule_id in sorted({s.label_ for s in spans}):
        for span in filter_spans([s for s in spans if s.label_ == rule_id]):
            rule = tone.rule_for(span)
            if rule.unless_customer_jokes and customer_jokes(question):
                continue  # joking back at a customer who joked
            out.append(make_flag(rule.id, rule.category, rule.severity, index, text, span.start_char,
                                 span.end_char, rule.explanation, rule.suggestion))
    return out


def learned_tone_flags(doc: Doc, index: int, text: str, model) -> list[dict]:
    """The learned model's flag on a message the tone rules left alone (..components.tone_model)."""
    if model is None or not doc or model.probability(doc) < model.threshold:
        return []  # most messages
    if (p := model.probability_of(own_words(doc))) < model.threshold:
        return []  # the customer's words, quoted or reported, are not the agent's tone
    start, end, cues = model.evidence(doc, sentences(doc))
    if model.unless and any(phrase in text[start:end].lower() for phrase in model.unless):
        return []  # an invitation ("feel free to ...") the n-grams around it make look stern
    weighed = f"; the words that weighed most: {', '.join(repr(c) for c in cues)}" if cues else ""
    return [make_flag(model.id, "tone", model.severity, index, text, start, end,
                      f"{model.explanation} (probability {p:.2f}{weighed})", model.suggestion)]


def fact_flags(doc: Doc, index: int, text: str, ctx: PolicyContext, question: str | None = None,
               earlier: list | None = None) -> tuple[list[dict], list]:
    """`question`: the customer's turn this message replies to (see accuracy.FactMatcher.statements); `earlier`:
    the (index, statement) pairs of the agent's earlier messages in the chat, whose wrong values said again count
    (accuracy.FactMatcher.repeated)."""
    if not ctx.facts.kinds:
        return [], []
    statements = ctx.facts.statements(doc, question)
    wrong_before = [st for _, st in earlier or () if not st.allowed]
    if wrong_before:  # rare: only chats with a wrong value already
        statements += ctx.facts.repeated(text, wrong_before, statements)
    if not statements:
        return [], []  # most messages
    flags = []
    for st in statements:
        if st.allowed:
            continue
        fact, m = st.fact, st.mention
        allowed = ", ".join(fact.allowed)
        flags.append(make_flag(
            "accuracy.policy_fact", "accuracy", fact.severity, index, text, m.start, m.end,
            f"States {m.quantity.describe()} for {fact.id}; policy allows {allowed}. {fact.explanation}".strip(),
            f"Use the policy value: {allowed}."))
    return flags, [(index, st) for st in statements]


class CustomerIds:
    """Identifiers the customer gave so far, extracted only when an agent message needs them (customer texts are
    scanned once each)."""

    def __init__(self):
        self.pending: list[str] = []
        self.ids: set[str] = set()

    def add(self, text: str) -> None:
        self.pending.append(text)

    def current(self) -> set[str]:
        for text in self.pending:
            self.ids |= {accuracy.normalize_id(t) for t, _, _ in accuracy.find_identifiers(text)}
        self.pending.clear()
        return self.ids


def sum_flags(text: str, index: int, ctx: PolicyContext, question: str | None, taken: list[dict]) -> list[dict]:
    """Amounts that should be a count times one of the pack's prices per unit (sums.wrong_sums), sums worked out
    wrong in the open (arithmetic) and prices worked out wrong with a discount (discounts); not where another
    accuracy flag already covers the amount."""
    out = []
    for wrong in sums.wrong_sums(ctx.rates, text, question) if ctx.rates else ():
        m = wrong.mention
        if any(f["start"] < m.end and m.start < f["end"] for f in taken):
            continue
        out.append(make_flag("accuracy.worked_out_sum", "accuracy", wrong.rate.fact.severity, index, text, m.start,
                             m.end, wrong.explanation(),
                             f"Work the amount out from the policy rate: {', '.join(wrong.rate.fact.allowed)}."))
    worked_out = [("accuracy.wrong_arithmetic", "Work the sum out again before sending it.", wrong)
                  for wrong in arithmetic.wrong_arithmetic(text)]
    low = text.lower()
    if "%" in low or "percent" in low or "discount" in low or "off" in low:  # else no discount (most replies)
        named = ctx.facts.asked(text).get("percent") if "%" in low or "percent" in low or "discount" in low else None
        worked_out += [("accuracy.worked_out_discount", "Work the price out again from the price and the discount.",
                        wrong) for wrong in discounts.wrong_discounts(text, question, named)]
    for rule, suggestion, wrong in worked_out:
        m = wrong.mention
        if not any(f["start"] < m.end and m.start < f["end"] for f in taken + out):
            out.append(make_flag(rule, "accuracy", "medium", index, text, m.start, m.end, wrong.explanation(),
                                 suggestion))
    return out


def identifier_flags(text: str, index: int, customer_ids: CustomerIds, digit: int | None = None) -> list[dict]:
    """`digit`: accuracy.first_digit(text), when the caller has it (compliance_flags needs it too)."""
    ids = customer_ids.current()
    if not ids:
        # Most customers give no identifier; their texts are shorter and fewer hold a digit than agents' (links),
        # so they are scanned first and the agent's text only when there is something to compare.
        return []
    out = []
    for token, start, end in accuracy.find_identifiers(text, digit):
        original = accuracy.near_miss(token, ids)
        if original:
            out.append(make_flag("accuracy.wrong_identifier", "accuracy", "high", index, text, start, end,
                                 f"The customer gave {original}; the agent wrote {token}.",
                                 f"Copy the identifier exactly: {original}."))
    return out


def link_flags(text: str, index: int, ctx: PolicyContext, low: str | None = None) -> list[dict]:
    """`low`: text.lower(), when the caller has it (compliance_flags needs it too)."""
    allowed = ctx.policy.allowed_link_domains
    if not allowed:
        return []  # no link policy in this pack
    out = []
    for url, host, start, end in accuracy.find_links(text, low):
        if not accuracy.host_allowed(host, allowed):
            out.append(make_flag("accuracy.unsafe_link", "accuracy", "medium", index, text, start, end,
                                 f"Link to {host}, which is not in the policy's allowed domains "
                                 f"({ctx.allowed_domains}).",
                                 "Link only to the help center or the company site."))
    return out


def compliance_flags(text: str, index: int, ctx: PolicyContext, low: str | None = None,
                     digit: int | None = None, question: str | None = None) -> list[dict]:
    """`low`: text.lower() and `digit`: accuracy.first_digit(text), when the caller has them; `question`: the
    customer's turn this message replies to."""
    return [make_flag(f.rule, f.category, f.severity, index, text, f.start, f.end, f.explanation, f.suggestion)
            for f in compliance.compliance_findings(text, ctx.policy, ctx.phrases, low, digit, question)]


def spelling_flags(doc: Doc, index: int, text: str, ctx: PolicyContext) -> list[dict]:
    return [make_flag("etiquette.spelling", "etiquette", "low", index, text, s, e,
                      f"\"{word}\" looks misspelled.", f"Did you mean \"{fix}\"?")
            for s, e, word, fix in etiquette.misspellings(doc, ctx.brand_terms)]


def empathy_flags(messages: list[Message], docs: dict[int, Doc], distressed: set[int]) -> list[dict]:
    """For each distressed customer message, check the agent's next turn (consecutive agent messages)."""
    out = []
    for i in sorted(distressed):
        turn = []
        for m in messages[i + 1:]:
            if m.role == "customer" and turn:
                break
            if m.role == "agent":
                turn.append(m)
        if not turn or any(empathy.acknowledges(m.text) for m in turn):
            continue
        reply = turn[0]
        start, end = first_sentence(docs[reply.index])
        out.append(make_flag("empathy.unacknowledged", "empathy", "medium", reply.index, reply.text, start, end,
                             f"The customer was upset (message {i}) and this reply does not acknowledge it.",
                             "Acknowledge first, e.g. \"I'm sorry about the wait, I understand how frustrating "
                             "that is. Let me fix this now.\""))
    return list({f["message_index"]: f for f in out}.values())


def learned_empathy_flags(messages: list[Message], docs: dict[int, Doc], flagged: set[int], model) -> list[dict]:
    """The learned model's flag on replies the empathy rules left alone (..components.empathy_model). A reply the
    acknowledgement rules accept is never flagged: the flag says the reply does not acknowledge."""
    if model is None:
        return []
    out = []
    for index, customer, reply in empathy_model.reply_turns([(m.role, m.text) for m in messages]):
        if index in flagged or not any(t.strip() for t in customer) or not reply[0].strip() or \
                any(empathy.acknowledges(t) for t in reply):
            continue  # (the acknowledgement test first: it is cheaper than reading the customer's turn)
        p = model.probability(customer, [docs[j] for j in range(index, index + len(reply))])
        if p < model.threshold:
            continue
        cues = model.cues(customer)
        weighed = f"; the customer's words that weighed most: {', '.join(repr(c) for c in cues)}" if cues else ""
        start, end = first_sentence(docs[index])
        out.append(make_flag(model.id, "empathy", model.severity, index, messages[index].text, start, end,
                             f"{model.explanation} (probability {p:.2f}{weighed})", model.suggestion))
    return out


def _is_new_distress(messages: list[Message], index: int, text: str, score: float) -> bool:
    """Whether a distressed customer message is new distress: not a calm follow-up after the agent has already
    acknowledged the customer's feelings earlier in the chat."""
    if empathy.is_distressed(text, score, acknowledged=True):
        return True
    return not any(m.role == "agent" and empathy.acknowledges(m.text) for m in messages[:index])


def _speaking_agents(messages) -> Iterator[Message]:
    return (m for m in messages if m.role == "agent" and m.text.strip())


def etiquette_flags(messages: list[Message], docs: dict[int, Doc], policy: PolicyPack) -> list[dict]:
    out = []
    first = next(_speaking_agents(messages), None)
    if first is not None:
        last = next(_speaking_agents(reversed(messages)))  # found from the end: no list of all agent messages
        if not etiquette.has_greeting(first.text):
            out.append(conversation_flag("etiquette.missing_greeting", "etiquette", "low",
                                         f"first agent message (#{first.index}) has no greeting",
                                         "The agent's first message does not greet the customer.",
                                         "Open with a greeting, e.g. \"Hi Sam, thanks for reaching out!\""))
        if not etiquette.has_closing(last.text):
            out.append(conversation_flag("etiquette.missing_closing", "etiquette", "low",
                                         f"last agent message (#{last.index}) has no closing",
                                         "The agent's last message does not close the conversation.",
                                         "Close warmly, e.g. \"Is there anything else I can help with?\""))
    sla = policy.response_time_sla_seconds
    if sla:
        for index, gap, is_first in etiquette.gaps_between((m.role, m.sent_at) for m in messages):
            if gap > sla:
                rule = "etiquette.slow_first_response" if is_first else "etiquette.slow_response"
                start, end = first_sentence(docs[index])
                out.append(make_flag(rule, "etiquette", "medium" if gap > 3 * sla else "low", index,
                                     messages[index].text, start, end,
                                     f"Reply came after {int(gap)} s; the SLA is {int(sla)} s."))
    return out


def contradiction_flags(statements: list, messages: list[Message]) -> list[dict]:
    out = []
    for index, st, (earlier_index, earlier) in accuracy.contradictions(statements):
        out.append(make_flag(
            "accuracy.self_contradiction", "accuracy", "medium", index, messages[index].text, st.mention.start,
            st.mention.end,
            f"Says {st.mention.quantity.describe()} for {st.fact.id} after saying "
            f"{earlier.mention.quantity.describe()} in message {earlier_index}.",
            f"State one value consistently: {', '.join(st.fact.allowed)}."))
    return out


# --- orchestration ----------------------------------------------------------------------------------------------
def _text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def prepare(transcript: dict) -> tuple[str, list[Message]]:
    if not isinstance(transcript, dict):
        return None, []
    raw = transcript.get("messages")
    messages = [_message(i, m if isinstance(m, dict) else {}) for i, m in enumerate(raw)] \
        if isinstance(raw, list) else []
    return transcript.get("external_id"), messages


def _message(index: int, m: dict) -> Message:
    return Message(index, _text(m.get("role")).strip().lower(), _text(m.get("text")), m.get("sent_at"))


def _flag_order(flag: dict) -> tuple:
    """Conversation flags first, then by message, offset and rule (a stable sort keeps the rest in order)."""
    index = flag["message_index"]
    return (-1 if index is None else index, flag["start"] or 0, flag["rule"])


def analyze_one(external_id, messages: list[Message], docs: dict[int, Doc], ctx: PolicyContext) -> dict:
    flags, out_messages, statements = [], [], []
    customer_ids = CustomerIds()
    distressed: set[int] = set()
    turn: list[str] = []  # the customer's texts since the agent last spoke
    for m in messages:
        index, role, text = m.index, m.role, m.text
        if role == "customer":
            score = sentiment_score(text)
            out_messages.append({"index": index, "role": role, "sentiment": score})
            customer_ids.add(text)
            turn.append(text)
            if empathy.is_distressed(text, score) and _is_new_distress(messages, index, text, score):
                distressed.add(index)
        elif role == "agent":
            doc = docs[index]
            out_messages.append({"index": index, "role": role, "politeness": politeness_score(doc)})
            question, turn = "\n".join(turn), []
            flags += tone_flags(doc, index, text, question)
            fflags, fstatements = fact_flags(doc, index, text, ctx, question, statements)
            if fstatements:
                flags += fflags
                statements += fstatements
            flags += sum_flags(text, index, ctx, question, fflags)
            low, digit = text.lower(), accuracy.first_digit(text)  # shared by the scans below
            flags += identifier_flags(text, index, customer_ids, digit)
            flags += link_flags(text, index, ctx, low)
            flags += compliance_flags(text, index, ctx, low, digit, question)
            flags += spelling_flags(doc, index, text, ctx)
        else:
            out_messages.append({"index": index, "role": role})
    if distressed:
        flags += empathy_flags(messages, docs, distressed)
    flagged = {f["message_index"] for f in flags if f["category"] == "empathy"}
    flags += learned_empathy_flags(messages, docs, flagged, get_nlp().get_pipe("qa_tone").empathy_model)
    if statements:
        flags += contradiction_flags(statements, messages)
    flags += etiquette_flags(messages, docs, ctx.policy)
    flags.sort(key=_flag_order)
    return {"external_id": external_id, "flags": flags, "messages": out_messages}


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector for one chunk: the analysis allocates many short-lived objects that
    reference counting frees anyway, and each automatic pass re-scans every long-lived object (vocab, lexicons,
    matchers) — about a tenth of the run. Any cycles left are collected once the collector is back on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def analyze_chunk(transcripts: list[dict], policy: PolicyPack, batch_size: int = 256) -> list[dict]:
    """Analyze a list of transcripts with one nlp.pipe over all of their agent messages."""
    with _collector_paused():
        return _analyze_chunk(transcripts, policy, batch_size)


def _analyze_chunk(transcripts: list[dict], policy: PolicyPack, batch_size: int) -> list[dict]:
    ctx = policy_context(policy)
    prepared = [prepare(t) for t in transcripts]
    texts = (m.text for _, msgs in prepared for m in msgs if m.role == "agent")
    docs = pipe_lazy_lemmas(texts, batch_size=batch_size)  # in the order the loop below takes them
    return [analyze_one(external_id, msgs, {m.index: next(docs) for m in msgs if m.role == "agent"}, ctx)
            for external_id, msgs in prepared]


def _chunks(transcripts: Iterable[dict], batch_size: int) -> Iterator[list[dict]]:
    """Group transcripts so each chunk holds about batch_size messages."""
    chunk, n = [], 0
    for t in transcripts:
        chunk.append(t)
        msgs = t.get("messages") if isinstance(t, dict) else None
        n += len(msgs) if isinstance(msgs, list) else 1
        if n >= batch_size:
            yield chunk
            chunk, n = [], 0
    if chunk:
        yield chunk


_worker_policy: PolicyPack | None = None


def _init_worker(policy: PolicyPack, batch_size: int) -> None:
    global _worker_policy, _worker_batch
    _worker_policy, _worker_batch = policy, batch_size
    get_nlp()


def _work(chunk: list[dict]) -> list[dict]:
    return analyze_chunk(chunk, _worker_policy, _worker_batch)


def _pool_context(policy: PolicyPack):
    """fork where the platform has it: the workers inherit the pipeline and the pack's matchers built here, instead
    of each importing spaCy and building them again (~1.5 s a worker, more than 20k messages take to analyze).
    spawn elsewhere."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    policy_context(policy)  # builds get_nlp() too
    return multiprocessing.get_context("fork")


def analyze_transcripts(transcripts: Iterable[dict], policy: PolicyPack, batch_size: int = 256,
                        n_process: int = 1) -> Iterator[dict]:
    """Yield one analysis dict per transcript, in input order (see DESIGN.md "Analysis output")."""
    batch_size = max(1, int(batch_size))
    chunks = _chunks(transcripts, batch_size)
    if n_process and n_process > 1:
        with _pool_context(policy).Pool(n_process, _init_worker, (policy, batch_size)) as pool:
            for results in pool.imap(_work, chunks):
                yield from results
        return
    for chunk in chunks:
        yield from analyze_chunk(chunk, policy, batch_size)
