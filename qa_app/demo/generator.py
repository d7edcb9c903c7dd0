"""Generate the Acme Outfitters demo transcripts in the interchange format (pure Python, no database).

``generate_records(seed=..., anchor=...)`` is deterministic: the same seed and anchor day give the same records,
byte for byte, so re-importing them is a no-op. Timestamps fall on the 12 weeks before the anchor day.

About a quarter of the conversations carry planted problems; each record says what was planted in
``metadata["demo_planted"]`` (rule names like ``tone.dismissive``) and ``metadata["demo_evidence"]``
(rule, message index or None for whole-conversation problems, exact evidence text) so tests and the
evaluation of the analysis engine can check what it finds.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from qa_app.demo import content as C

DEFAULT_SEED = 42
DEFAULT_COUNT = 360
WEEKS = 12
SOURCE = "demo"

# Kinds of planted problem. metadata["demo_planted"] holds the analyzer's rule ids: the same names, except that
# compliance.sensitive_data is recorded as compliance.card_number / email_exposed / phone_exposed and
# etiquette.slow_response as etiquette.slow_first_response when it is the agent's first reply.
PLANTED_KINDS = (
    "tone.rude", "tone.dismissive", "tone.blaming", "tone.condescending", "tone.shouting",
    "empathy.unacknowledged",
    "accuracy.policy_fact", "accuracy.wrong_identifier", "accuracy.unsafe_link",
    "compliance.sensitive_data", "compliance.prohibited_phrase",
    "etiquette.missing_greeting", "etiquette.missing_closing", "etiquette.spelling", "etiquette.slow_response",
)
# How often each kind is picked for a problem chat before an agent's weak spots are boosted.
_BASE_WEIGHT = {
    "tone.rude": 1.0, "tone.dismissive": 1.0, "tone.blaming": 1.0, "tone.condescending": 1.0,
    "tone.shouting": 0.8, "empathy.unacknowledged": 1.0, "accuracy.policy_fact": 1.5,
    "accuracy.wrong_identifier": 1.0, "accuracy.unsafe_link": 0.9, "compliance.sensitive_data": 1.0,
    "compliance.prohibited_phrase": 1.0, "etiquette.missing_greeting": 0.9, "etiquette.missing_closing": 0.9,
    "etiquette.spelling": 1.0, "etiquette.slow_response": 0.9,
}
WEAK_SPOT_BOOST = 3.0
SLA_SECONDS = 120


@dataclass(frozen=True)
class DemoAgent:
    name: str
    email: str
    team: str
    problem_rate: float
    weak_spots: tuple[str, ...]

    @property
    def first_name(self) -> str:
        return self.name.split()[0]


def demo_agents() -> list[DemoAgent]:
    agents = []
    for name, email, team, rate, weak in C.AGENTS:
        if email is None:
            first, last = name.lower().split(" ", 1)
            email = f"{first}.{re.sub(r'[^a-z]', '', last)}@{C.AGENT_DOMAIN}"
        agents.append(DemoAgent(name, email, team, rate, tuple(weak)))
    return agents


@dataclass
class _Turn:
    role: str
    text: str
    plants: list[tuple[str, str, dict]] = field(default_factory=list)  # (rule, evidence, extra)
    slow: bool = False


class _Conversation:
    """Builds one transcript: choose the story, plant problems, lay out timestamps."""

    def __init__(self, rng: random.Random, agent: DemoAgent, topic_id: str, planted: list[str], policy: dict):
        self.rng = rng
        self.agent = agent
        self.topic_id = topic_id
        self.topic = C.TOPICS[topic_id]
        self.planted = planted
        self.policy = policy
        self.turns: list[_Turn] = []
        self.whole: list[tuple[str, str, dict]] = []  # whole-conversation plants
        self.ctx = self._context()

    # -- helpers -------------------------------------------------------------------------------------------------
    def pick(self, options):
        return self.rng.choice(options)

    def fmt(self, template: str) -> str:
        return template.format(**self.ctx)

    def say(self, role: str, template: str) -> _Turn:
        turn = _Turn(role, self.fmt(template))
        self.turns.append(turn)
        return turn

    def _context(self) -> dict[str, Any]:
        rng = self.rng
        group = rng.choice(self.topic["products"])
        item, kind, price = rng.choice(C.PRODUCTS[group])
        first, last = rng.choice(C.CUSTOMER_FIRST), rng.choice(C.CUSTOMER_LAST)
        digits = "".join(rng.choice("0123456789") for _ in range(5))
        while len(set(digits)) < 3:  # so a swapped echo is visibly different
            digits = "".join(rng.choice("0123456789") for _ in range(5))
        size_from = rng.choice((7, 8, 9, 10, 11)) if group == "boots" else rng.choice(("S", "M", "L"))
        size_to = size_from + 1 if isinstance(size_from, int) else {"S": "M", "M": "L", "L": "XL"}[size_from]
        return {
            "cust": first, "cust_last": last, "agent": self.agent.first_name, "order": f"#AC-{digits}",
            "order_digits": digits, "item": item, "kind": kind, "price": f"${price:,.2f}",
            "weekday": rng.choice(C.WEEKDAYS), "carrier": rng.choice(C.CARRIERS), "promo": rng.choice(C.PROMOS),
            "last4": f"{rng.randint(1000, 9999)}", "zip": f"{rng.randint(10000, 99999)}",
            "size_from": size_from, "size_to": size_to, "gift": rng.choice(("$25", "$50", "$75", "$100")),
            "daypart": "morning", "path": self.topic["path"],
            "are": "are" if kind.endswith("s") else "is", "dont": "don't" if kind.endswith("s") else "doesn't",
        }

    def wrong_order(self) -> str:
        d = list(self.ctx["order_digits"])
        pairs = [i for i in range(len(d) - 1) if d[i] != d[i + 1]]
        i = self.rng.choice(pairs)
        d[i], d[i + 1] = d[i + 1], d[i]
        return "#AC-" + "".join(d)

    # -- the story -----------------------------------------------------------------------------------------------
    def build(self, target_len: int, channel: str) -> None:
        rng, planted = self.rng, set(self.planted)
        distressed = "empathy.unacknowledged" in planted or rng.random() < 0.14
        bot_intro = channel == "messaging" or (channel == "chat" and rng.random() < 0.2)
        fact_ids = list(self.topic["facts"])
        want_fact = "accuracy.policy_fact" in planted
        tone_kinds = [k for k in ("tone.rude", "tone.dismissive", "tone.blaming", "tone.condescending",
                                  "tone.shouting") if k in planted]
        closing = "etiquette.missing_closing" not in planted
        # Mandatory: opening, greeting, findings, resolution, customer reaction (+ goodbye, bot intro, plants).
        mandatory = 5 + (1 if closing else 0) + ("empathy.unacknowledged" in planted) + (2 if bot_intro else 0) + 2 * len(tone_kinds) + 2 * want_fact
        budget = target_len - mandatory
        merge_greeting = budget < 0 and "etiquette.missing_greeting" not in planted \
            and "empathy.unacknowledged" not in planted
        budget += 1 if merge_greeting else 0
        merge_resolution = budget < 0
        budget += 1 if merge_resolution else 0
        # Optional segments, switched on in random order while the length budget allows.
        pool = list(self.topic["followups"])
        rng.shuffle(pool)
        generic = list(C.GENERIC_FOLLOWUPS)
        rng.shuffle(generic)
        pool += generic[:3]
        options = ["long_close"] * closing + ["verify"] * self.topic["has_order"] + ["split_hello", "hold"]
        options += ["followup"] * len(pool) + ["fact"] * (bool(fact_ids) and not want_fact)
        rng.shuffle(options)
        cost = {"long_close": 2, "verify": 3, "split_hello": 1, "hold": 1, "followup": 2, "fact": 2}
        chosen: list[str] = []
        for opt in options:
            if cost[opt] <= budget and (opt != "hold" or not merge_greeting):
                chosen.append(opt)
                budget -= cost[opt]
        n_follow = chosen.count("followup")
        link = "accuracy.unsafe_link" in planted or rng.random() < 0.12

        # bot + system intro
        if bot_intro:
            self.turns.append(_Turn("bot", "Thanks for contacting Acme Outfitters! An agent will be with you shortly."))
            self.turns.append(_Turn("system", f"{self.agent.name} joined the conversation."))
        # opening
        problem = self.pick(self.topic["problems"])
        hello = self.pick(C.CUSTOMER_HELLO)
        distress = " " + self.pick(C.CUSTOMER_DISTRESS) if distressed else ""
        if "split_hello" in chosen:
            self.say("customer", hello)
            self.say("customer", problem + distress)
        elif rng.random() < 0.5:
            joiner = " " if hello.endswith(("?", "!")) else "! "
            self.say("customer", hello + joiner + problem + distress)
        else:
            self.say("customer", problem + distress)
        if self.topic["has_order"] and "accuracy.wrong_identifier" in planted and "{order}" not in problem:
            self.turns[-1].text += f" The order number is {self.ctx['order']}."

        # greeting
        greeting = self._greeting(distressed)
        if "verify" in chosen:
            self.say("agent", self.pick(C.AGENT_VERIFY))
            self.say("customer", self.pick(C.CUSTOMER_VERIFY))
            self.say("agent", self.pick(C.AGENT_VERIFIED) + " " + self.pick(C.AGENT_CHECKING))
        if "hold" in chosen:
            self.say("agent", self.pick(C.AGENT_HOLD))
        # findings (echo the order number when there is one)
        echo = ""
        if self.topic["has_order"] and ("accuracy.wrong_identifier" in planted or rng.random() < 0.6):
            echo = self.fmt(self.pick(C.AGENT_ECHO_ORDER)) + " "
        # findings and resolutions are written in matching pairs
        story = rng.randrange(len(self.topic["findings"]))
        finding = self.topic["findings"][story]
        resolution_text = self.topic["resolutions"][story % len(self.topic["resolutions"])]
        if merge_greeting:
            self.turns.remove(greeting)
            findings = self.say("agent", greeting.text + " " + echo + finding)
        else:
            findings = self.say("agent", echo + finding)
        if "accuracy.wrong_identifier" in planted:
            wrong = self.wrong_order()
            findings.text = findings.text.replace(self.ctx["order"], wrong, 1)
            findings.plants.append(("accuracy.wrong_identifier", wrong, {"expected": self.ctx["order"]}))
        # resolution + customer reaction
        if merge_resolution:
            resolution = findings
            resolution.text += " " + self.fmt(resolution_text)
        else:
            resolution = self.say("agent", resolution_text)
        if link:
            if "accuracy.unsafe_link" in planted:
                url = self.pick(C.BAD_LINKS)
                resolution.text += " " + self.pick(C.BAD_LINK_LINES).format(link=url)
                resolution.plants.append(("accuracy.unsafe_link", url, {}))
            else:
                resolution.text += " " + self.fmt(self.pick(C.GOOD_LINK_LINES))
        # tone problems: the customer pushes back and the agent answers badly
        for kind in tone_kinds:
            self.say("customer", self.pick(C.CUSTOMER_PUSHBACK))
            self._bad_tone(kind, resolution.text)
        self.say("customer", self.pick(C.CUSTOMER_RESIGNED if tone_kinds else C.CUSTOMER_THANKS))
        # follow-up questions, maybe one about a policy fact
        qa: list[tuple[str, Any]] = [("pair", f) for f in pool[:n_follow]]
        if want_fact or "fact" in chosen:
            qa.insert(rng.randint(0, len(qa)), ("fact", self.pick(fact_ids)))
        for what, payload in qa:
            if what == "pair":
                self.say("customer", payload[0])
                self.say("agent", payload[1])
            else:
                self.say("customer", self.pick(C.FACT_QUESTIONS[payload]))
                if want_fact:
                    turn = self.say("agent", self.pick(C.FACT_WRONG[payload]))
                    turn.plants.append(("accuracy.policy_fact", turn.text, {"fact": payload,
                                                                       "correct": self.policy[payload]}))
                else:
                    self.say("agent", self.pick(C.FACT_CORRECT[payload]))
        # closing
        if closing and "long_close" in chosen:
            self.say("agent", self.pick(C.AGENT_ANYTHING_ELSE))
            self.say("customer", self.pick(C.CUSTOMER_NOTHING_ELSE))
            self.say("agent", self.pick(C.AGENT_BYE))
        elif closing:
            self.say("agent", self.pick(C.AGENT_BYE))
        else:
            # the conversation just stops: the agent's last word is no goodbye
            self.whole.append(("etiquette.missing_closing", "", {}))
            self.say("agent", self.pick(C.NO_CLOSING))

        # single-message plants on top of the story
        if "compliance.prohibited_phrase" in planted:
            turn = self._agent_turn(after=findings)
            line = self.pick(C.PROMISES)
            turn.text += " " + line
            turn.plants.append(("compliance.prohibited_phrase", "I guarantee", {}))
        if "compliance.sensitive_data" in planted:
            line = self.pick(C.PII_LINES)
            value = {"card": self.pick(C.TEST_CARDS),
                     "email": f"{self.ctx['cust'].lower()}.{_ascii(self.ctx['cust_last'])}@gmail.com",
                     "phone": f"(555) {rng.randint(200, 899)}-{rng.randint(1000, 9999)}"}
            key = re.search(r"\{(card|email|phone)\}", line).group(1)
            findings.text += " " + line.format(**{key: value[key]})
            rule = {"card": "compliance.card_number", "email": "compliance.email_exposed",
                    "phone": "compliance.phone_exposed"}[key]
            findings.plants.append((rule, value[key], {}))
        if "etiquette.spelling" in planted:
            self._typos()
        if "etiquette.slow_response" in planted:
            candidates = [i for i, t in enumerate(self.turns)
                          if t.role == "agent" and i and self.turns[i - 1].role == "customer"]
            self.turns[self.rng.choice(candidates)].slow = True

    def _greeting(self, distressed: bool) -> _Turn:
        planted = set(self.planted)
        opening = " ".join(t.text.lower() for t in self.turns if t.role == "customer")
        unhappy = any(w in opening for w in C.UNHAPPY_WORDS)
        if "empathy.unacknowledged" in planted:
            turn = self.say("agent", self.pick(C.FLAT_AFTER_DISTRESS))
            turn.plants.append(("empathy.unacknowledged", turn.text, {}))
            self.say("customer", self.pick(C.CUSTOMER_VERIFY))
            return turn
        if "etiquette.missing_greeting" in planted:
            turn = self.say("agent", self.pick(C.NO_GREETING_SORRY if unhappy or distressed else C.NO_GREETING))
            turn.plants.append(("etiquette.missing_greeting", turn.text, {}))
            return turn
        parts = [self.pick(C.AGENT_GREETINGS)]
        if distressed:
            parts.append(self.pick(C.AGENT_EMPATHY))
        elif unhappy:
            parts.append(self.pick(C.AGENT_ACK_SORRY))
        else:
            parts.append(self.pick(C.AGENT_ACK))
        if self.rng.random() < 0.6:
            parts.append(self.pick(C.AGENT_CHECKING))
        return self.say("agent", " ".join(parts))

    def _bad_tone(self, kind: str, resolution_text: str) -> None:
        if kind == "tone.rude":
            line = self.pick(C.RUDE)
            text = f"{line} {self.pick(C.RUDE_TAIL)}".strip()
        elif kind == "tone.dismissive":
            line = self.pick(C.DISMISSIVE)
            text = f"{line} {self.pick(C.DISMISSIVE_TAIL)}".strip()
        elif kind == "tone.blaming":
            options = C.BLAMING_BY_TOPIC.get(self.topic_id, ()) + C.BLAMING_GENERIC
            line = self.pick(options)
            text = line
        elif kind == "tone.condescending":
            prefix = self.pick(C.CONDESCENDING)
            line = prefix.rstrip(" ,:")
            text = prefix + resolution_text[0].lower() + resolution_text[1:]
        else:  # shouting
            line = self.pick(C.SHOUTING)
            text = line
        turn = _Turn("agent", text)
        turn.plants.append((kind, line, {}))
        self.turns.append(turn)

    def _agent_turn(self, after: _Turn) -> _Turn:
        """An agent turn from `after` onwards (the findings or a later one)."""
        start = self.turns.index(after)
        options = [t for t in self.turns[start:] if t.role == "agent" and not t.plants]
        return self.rng.choice(options or [after])

    def _typos(self) -> None:
        agent_turns = [t for t in self.turns if t.role == "agent" and not t.plants]
        self.rng.shuffle(agent_turns)
        made = 0
        for turn in agent_turns:
            for word, typo in C.TYPOS.items():
                m = re.search(rf"\b{word}\b", turn.text)
                if m:
                    turn.text = turn.text[:m.start()] + typo + turn.text[m.end():]
                    turn.plants.append(("etiquette.spelling", typo, {"correct": word}))
                    made += 1
                    break
            if made >= 2:
                return
        if not made:
            turn = agent_turns[0] if agent_turns else next(t for t in self.turns if t.role == "agent")
            turn.text += " " + C.TYPO_FALLBACK.replace("definitely", "definately")
            turn.plants.append(("etiquette.spelling", "definately", {"correct": "definitely"}))

    @staticmethod
    def _last_time(messages: list[dict]) -> datetime:
        return datetime.strptime(messages[-1]["sent_at"], "%Y-%m-%dT%H:%M:%SZ")

    # -- timestamps and output ----------------------------------------------------------------------------------
    def to_record(self, external_id: str, started: datetime, channel: str, csat: int | None,
                  anchor: date, seed: int) -> dict[str, Any]:
        rng = self.rng
        messages, evidence = [], []
        t = started
        waiting_since: datetime | None = None  # first customer message the agent has not answered yet
        answered_once = False
        for i, turn in enumerate(self.turns):
            if i:
                prev = self.turns[i - 1]
                if turn.role == "customer":
                    if prev.role == "customer":  # a burst of customer messages
                        gap = rng.randint(5, 40)
                    else:
                        gap = {"chat": rng.randint(12, 150), "messaging": rng.randint(30, 1500),
                               "email": rng.randint(1200, 14000)}[channel]
                elif turn.role in ("bot", "system"):
                    gap = rng.randint(1, 40)
                elif prev.role == "agent":
                    gap = rng.randint(10, 70)
                else:
                    gap = rng.randint(10, 30) + min(60, len(turn.text) // 3)
                t += timedelta(seconds=gap)
                if turn.role == "agent" and waiting_since is not None:
                    wait = (t - waiting_since).total_seconds()
                    if turn.slow:  # planted: well over the SLA
                        t = waiting_since + timedelta(seconds=rng.randint(SLA_SECONDS + 40, 480))
                    elif wait > SLA_SECONDS - 15:  # keep clean replies inside the SLA
                        t = max(waiting_since + timedelta(seconds=rng.randint(60, SLA_SECONDS - 15)),
                                self._last_time(messages) + timedelta(seconds=5))
            if turn.role == "customer" and waiting_since is None:
                waiting_since = t
            elif turn.role == "agent" and waiting_since is not None:
                if turn.slow:
                    rule = "etiquette.slow_response" if answered_once else "etiquette.slow_first_response"
                    turn.plants.append((rule, "", {"gap_seconds": int((t - waiting_since).total_seconds())}))
                answered_once, waiting_since = True, None
            messages.append({"role": turn.role, "text": turn.text, "sent_at": _iso(t)})
            for rule, ev, extra in turn.plants:
                evidence.append({"rule": rule, "message_index": i, "evidence": ev, **extra})
        for rule, ev, extra in self.whole:
            evidence.append({"rule": rule, "message_index": None, "evidence": ev, **extra})
        planted = sorted({e["rule"] for e in evidence})
        return {
            "external_id": external_id,
            "source": SOURCE,
            "channel": channel,
            "status": "completed",
            "agent": {"email": self.agent.email, "name": self.agent.name, "team": self.agent.team},
            "customer": {"id": f"C-{abs(hash_str(self.ctx['cust'] + self.ctx['cust_last'])) % 90000 + 10000}",
                         "name": f"{self.ctx['cust']} {self.ctx['cust_last']}"},
            "started_at": messages[0]["sent_at"],
            "ended_at": messages[-1]["sent_at"],
            "csat": csat,
            "tags": list(self.topic["tags"]),
            "metadata": {"demo_topic": self.topic_id, "demo_planted": planted, "demo_evidence": evidence,
                         "demo_anchor": anchor.isoformat(), "demo_seed": seed},
            "messages": messages,
        }


def hash_str(s: str) -> int:
    """A stable string hash (Python's hash() is salted per process)."""
    h = 0
    for ch in s:
        h = (h * 131 + ord(ch)) % 1_000_000_007
    return h


def _ascii(s: str) -> str:
    return re.sub(r"[^a-z]", "", s.lower().replace("ü", "u"))


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _pick_kinds(rng: random.Random, agent: DemoAgent, has_order: bool) -> list[str]:
    weights = [0.0 if k == "accuracy.wrong_identifier" and not has_order
               else _BASE_WEIGHT[k] * (WEAK_SPOT_BOOST if k in agent.weak_spots else 1.0) for k in PLANTED_KINDS]
    first = rng.choices(PLANTED_KINDS, weights)[0]
    kinds = [first]
    if rng.random() < 0.45:
        second = rng.choices(PLANTED_KINDS, weights)[0]
        clash = {first, second} >= {"empathy.unacknowledged", "etiquette.missing_greeting"}
        if second != first and not clash:
            kinds.append(second)
    return kinds


def _start_time(rng: random.Random, anchor: date) -> datetime:
    """A moment in the 12 weeks before the anchor day: weekdays busier, mostly 08:00-18:00 UTC."""
    while True:
        day = anchor - timedelta(days=rng.randint(2, WEEKS * 7 - 1))
        if day.weekday() < 5 or rng.random() < 0.35:
            break
    if rng.random() < 0.9:
        minute = int(rng.triangular(8 * 60, 18 * 60, 12 * 60))
    else:
        minute = rng.randint(18 * 60, 21 * 60 + 30)
    return datetime.combine(day, time()) + timedelta(minutes=minute, seconds=rng.randint(0, 59))


def _csat(rng: random.Random, planted: list[str]) -> int | None:
    if rng.random() >= 0.4:
        return None
    if not planted:
        return rng.choice((5, 5, 5, 5, 4, 4, 4, 3))
    if any(k.startswith(("tone.", "empathy.")) for k in planted):
        return rng.choice((1, 1, 1, 2, 2, 3))
    return rng.choice((2, 3, 3, 4, 4, 5))


def _length(rng: random.Random) -> int:
    return max(4, min(20, int(round(rng.triangular(4, 20, 10)))))


def generate_records(seed: int = DEFAULT_SEED, anchor: date | None = None, count: int = DEFAULT_COUNT,
                     policy: dict | None = None) -> list[dict[str, Any]]:
    """The demo transcripts as interchange-format dicts, oldest first. Deterministic for (seed, anchor, count)."""
    anchor = anchor or date.today()
    policy = {**C.POLICY_VALUES, **(policy or {})}
    rng = random.Random(seed)
    agents = demo_agents()
    topics_by_team = {team: [t for t, spec in C.TOPICS.items() if spec["team"] == team] for team in C.TEAMS}

    # Who handles each chat, and exactly how many of each agent's chats carry problems.
    weights = [rng.uniform(0.8, 1.2) for _ in agents]
    owners = rng.choices(range(len(agents)), weights, k=count)
    plans: list[tuple[DemoAgent, list[str]]] = []
    for idx, agent in enumerate(agents):
        mine = [i for i, o in enumerate(owners) if o == idx]
        n_bad = round(agent.problem_rate * len(mine))
        bad = set(rng.sample(mine, n_bad))
        for i in mine:
            topic = rng.choice(topics_by_team[agent.team])
            has_order = C.TOPICS[topic]["has_order"]
            plans.append((i, agent, topic, _pick_kinds(rng, agent, has_order) if i in bad else []))
    plans.sort(key=lambda p: p[0])

    starts = sorted(_start_time(rng, anchor) for _ in range(count))
    records = []
    for (i, agent, topic, planted), started in zip(plans, starts):
        channel = rng.choices(("chat", "email", "messaging"), (0.8, 0.12, 0.08))[0]
        if channel == "email":  # e-mail threads are short and have no bot
            target = rng.randint(4, 8)
        else:
            target = _length(rng)
        convo = _Conversation(rng, agent, topic, planted, policy)
        hour = started.hour
        convo.ctx["daypart"] = "morning" if hour < 12 else ("afternoon" if hour < 18 else "evening")
        convo.build(target, channel)
        if channel == "email":
            convo.turns = [t for t in convo.turns if t.role not in ("bot", "system")]
        record = convo.to_record(f"ACME-{i + 1:04d}", started, channel, _csat(rng, planted), anchor, seed)
        records.append(record)
    return records


def summarize(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts for the report: transcripts, messages, problem share, planted kinds."""
    by_kind: dict[str, int] = {}
    for r in records:
        for k in r["metadata"]["demo_planted"]:
            by_kind[k] = by_kind.get(k, 0) + 1
    with_problems = sum(1 for r in records if r["metadata"]["demo_planted"])
    return {
        "transcripts": len(records),
        "messages": sum(len(r["messages"]) for r in records),
        "with_problems": with_problems,
        "problem_share": with_problems / len(records) if records else 0.0,
        "by_kind": dict(sorted(by_kind.items())),
    }
