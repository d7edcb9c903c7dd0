"""The orchestration's fast paths (qa_app/nlp/analyze.py) give exactly what the plain computation gives: response
gaps parsed lazily, identifiers compared customer-first, first/last agent found without a list, docs handed out in
order."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_app.nlp import analyze as A
from qa_app.nlp.components import accuracy, etiquette

from .conftest import corpus_transcripts

_FUZZ = settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _transcripts() -> list[dict]:
    return corpus_transcripts()


# --- response gaps ----------------------------------------------------------------------------------------------
def _plain_response_gaps(messages: list[dict]) -> list[tuple[int, float, bool]]:
    """The former response_gaps: every time parsed up front."""
    out, waiting_since, answered_once = [], None, False
    for i, msg in enumerate(messages):
        when = etiquette.parse_time(msg.get("sent_at"))
        if msg["role"] == "customer":
            if waiting_since is None:
                waiting_since = when if when is not None else False
        elif msg["role"] == "agent" and waiting_since is not None:
            if waiting_since is not False and when is not None:
                try:
                    gap = (when - waiting_since).total_seconds()
                except TypeError:
                    gap = None
                if gap is not None:
                    out.append((i, gap, not answered_once))
            answered_once, waiting_since = True, None
    return out


_TIMES = st.sampled_from([None, "", "junk", 5, "2020-04-01T17:31:32.000Z", "2020-04-01T17:35:00Z",
                          "2020-04-01T17:40:00", "2020-04-01T18:00:00+00:00", " 2020-04-01T17:31:40Z ",
                          "2020-04-02T09:00:00+02:00"])
_ROLES = st.sampled_from(["customer", "agent", "bot", "system"])


@_FUZZ
@given(st.lists(st.tuples(_ROLES, _TIMES), max_size=12))
def test_lazy_response_gaps_equal_parsing_every_time(pairs):
    messages = [{"role": r, "sent_at": t} for r, t in pairs]
    assert etiquette.response_gaps(messages) == _plain_response_gaps(messages)
    assert etiquette.gaps_between(pairs) == _plain_response_gaps(messages)


def test_response_gaps_cases_that_must_differ_from_nothing():
    """Non-vacuous: a gap from the first unanswered customer message, none from an unparseable one, and a naive
    vs aware pair skipped."""
    m = [{"role": "customer", "sent_at": "2020-04-01T17:00:00Z"}, {"role": "customer", "sent_at": "2020-04-01T17:01:00Z"},
         {"role": "agent", "sent_at": "2020-04-01T17:05:00Z"}, {"role": "customer", "sent_at": "junk"},
         {"role": "agent", "sent_at": "2020-04-01T17:09:00Z"}, {"role": "customer", "sent_at": "2020-04-01T17:10:00"},
         {"role": "agent", "sent_at": "2020-04-01T17:11:00Z"}]
    assert etiquette.response_gaps(m) == [(2, 300.0, True)]


# --- identifiers ------------------------------------------------------------------------------------------------
def _plain_identifier_flags(text: str, index: int, customer_texts: list[str]) -> list[dict]:
    """The former order: the agent's text scanned first, the customer's identifiers only when it holds one."""
    out = []
    found = accuracy.find_identifiers(text)
    ids = {accuracy.normalize_id(t) for c in customer_texts for t, _, _ in accuracy.find_identifiers(c)}
    if not found or not ids:
        return out
    for token, start, end in found:
        original = accuracy.near_miss(token, ids)
        if original:
            out.append(A.make_flag("accuracy.wrong_identifier", "accuracy", "high", index, text, start, end,
                                   f"The customer gave {original}; the agent wrote {token}.",
                                   f"Copy the identifier exactly: {original}."))
    return out


def _customer_ids(texts: list[str]) -> A.CustomerIds:
    ids = A.CustomerIds()
    for t in texts:
        ids.add(t)
    return ids


def test_identifiers_compared_customer_first_equal_agent_first():
    pairs = [(["my order is #A12345"], "Order #A12354 is on its way"), (["order 98765-4321"], "I see 98765-4312"),
             (["ABC-1234 please"], "ABC-1243 shipped"), ([], "order #12345"), (["no ids here"], "#12345"),
             (["#12345"], "no ids"), (["#12345", "also 55555"], "#12345 and 55556"), (["2020-01-02"], "2020-01-03")]
    for t in _transcripts()[:400]:
        cust = [m.get("text") or "" for m in t["messages"] if m.get("role") == "customer"]
        pairs += [(cust, m.get("text") or "") for m in t["messages"] if m.get("role") == "agent"]
    flagged = 0
    for customer_texts, agent_text in pairs:
        got = A.identifier_flags(agent_text, 1, _customer_ids(customer_texts))
        assert got == _plain_identifier_flags(agent_text, 1, customer_texts), agent_text
        flagged += bool(got)
    assert flagged >= 3  # the comparison is not vacuous


# --- first / last agent, chunk order, prepare -------------------------------------------------------------------
def test_greeting_and_closing_read_the_first_and_last_agent_message_with_text(policy):
    ctx = A.policy_context(policy)
    msgs = [{"role": "agent", "text": "   "}, {"role": "customer", "text": "hello?"},
            {"role": "agent", "text": "Hi Sam, thanks for reaching out!"}, {"role": "agent", "text": "Here it is."},
            {"role": "AGENT ", "text": "\n"}, {"role": "bot", "text": "bye"}]
    result = A.analyze_chunk([{"external_id": "x", "messages": msgs}], policy)[0]
    rules = {f["rule"]: f["evidence"] for f in result["flags"] if f["message_index"] is None}
    assert rules == {"etiquette.missing_closing": "last agent message (#3) has no closing"}
    assert ctx.allowed_domains == ", ".join(policy.allowed_link_domains)


def test_a_chunk_gives_each_transcript_what_it_gets_alone(policy):
    """Docs are handed out in message order across the chunk: any slip would move politeness scores and flags to
    another message."""
    ts = _transcripts()[:150] + [{"external_id": "odd", "messages": [{"role": "agent", "text": ""}, "x", None,
                                                                     {"role": "customer"}, {"role": "agent"}]},
                                 {"external_id": "none"}, {"external_id": "empty", "messages": []}]
    together = A.analyze_chunk(ts, policy, batch_size=7)
    alone = [A.analyze_chunk([t], policy)[0] for t in ts]
    assert together == alone
    assert any(m.get("politeness") not in (None, together[0]["messages"][0].get("politeness"))
               for r in together for m in r["messages"])  # not all equal: a shifted doc would show


def test_worker_processes_give_what_one_process_gives_in_input_order(policy):
    """--processes N: forked workers (they inherit the pipeline) return each chunk's results, in input order."""
    ts = _transcripts()[:120]
    one = list(A.analyze_transcripts(iter(ts), policy, batch_size=16))
    two = list(A.analyze_transcripts(iter(ts), policy, batch_size=16, n_process=2))
    assert two == one
    assert len({r["external_id"] for r in two}) > 100 and sum(len(r["flags"]) for r in two) > 0


@pytest.mark.parametrize("transcript", [
    {"external_id": 7, "messages": [{"role": " Customer ", "text": 5, "sent_at": "t"}, {"text": None}, 3]},
    {"messages": "not a list"}, ["not", "a", "dict"], None,
    {"external_id": "e", "messages": [{"role": None, "text": "x"}, {"role": "agent", "text": "y"}]}])
def test_prepare_equals_the_plain_version(transcript):
    raw = transcript.get("messages") if isinstance(transcript, dict) else None
    plain = []
    for i, m in enumerate(raw if isinstance(raw, list) else []):
        m = m if isinstance(m, dict) else {}
        plain.append(A.Message(i, A._text(m.get("role")).strip().lower(), A._text(m.get("text")), m.get("sent_at")))
    external_id = transcript.get("external_id") if isinstance(transcript, dict) else None
    assert A.prepare(transcript) == (external_id, plain)
