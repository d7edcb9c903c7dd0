"""Rubrics: load and validate YAML, sync rubrics/ into versions, save/clone/archive from the editor, export.

Every saved content is a new, immutable RubricVersion (never updated, never deleted), so a review keeps the
version it was scored with forever. Content that parses to the latest version's document makes no version.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.models import Rubric, RubricVersion, User, utcnow
from qa_app.services import audit, scoring
from qa_app.services.errors import ServiceError

RUBRIC_GLOBS = ("*.rubric.yaml", "*.rubric.yml")  # other YAML in rubrics/ (policy pack, tone rules) is not a rubric

# What the analyzer emits (DESIGN.md "Analysis output"); a criterion's `suggested_by` names rules or categories.
ANALYSIS_RULES: dict[str, tuple[str, ...]] = {
    "tone": ("rude", "dismissive", "blaming", "condescending", "sarcastic", "profane", "shouting", "unfriendly"),
    "empathy": ("unacknowledged",),
    "accuracy": ("policy_fact", "wrong_identifier", "self_contradiction", "unsafe_link"),
    "compliance": ("card_number", "credentials", "document_exposed", "email_exposed", "phone_exposed",
                   "prohibited_phrase"),
    "etiquette": ("missing_greeting", "missing_closing", "slow_first_response", "slow_response", "spelling"),
}
KNOWN_SUGGESTERS = frozenset(ANALYSIS_RULES) | {f"{c}.{r}" for c, rules in ANALYSIS_RULES.items() for r in rules}

_KEY = {"type": "string", "pattern": "^[a-z][a-z0-9_-]*$", "maxLength": 80}
_TEXT = {"type": "string", "maxLength": 2000}
_LABEL = {"type": "string", "minLength": 1, "maxLength": 200}
_WEIGHT = {"type": "number", "exclusiveMinimum": 0}
_FLAG = {"type": "boolean"}
_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 200}}
_SCALE = {"oneOf": [
    {"enum": ["binary", *scoring.NUMERIC_SCALES]},
    {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 60}, "minItems": 2, "maxItems": 10},
]}
_CRITERION = {
    "type": "object", "required": ["key", "label", "scale"], "additionalProperties": False,
    "properties": {
        "key": _KEY, "label": _LABEL, "description": _TEXT, "scale": _SCALE, "weight": _WEIGHT,
        "na_allowed": _FLAG, "critical": _FLAG, "fails_section": _FLAG, "bonus": _FLAG,
        "fail_at_or_below": {"type": ["integer", "string"]},
        "reasons": _STRINGS, "suggested_by": _STRINGS, "coaching_tip": _TEXT,
    },
}
_SECTION = {
    "type": "object", "required": ["key", "label", "criteria"], "additionalProperties": False,
    "properties": {"key": _KEY, "label": _LABEL, "description": _TEXT, "weight": _WEIGHT,
                   "criteria": {"type": "array", "minItems": 1, "items": _CRITERION}},
}
RUBRIC_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "required": ["key", "name", "sections"], "additionalProperties": False,
    "properties": {
        "key": _KEY, "name": _LABEL, "description": _TEXT,
        "pass_threshold": {"type": "number", "minimum": 0, "maximum": 100},
        "applies_to": {"type": "object", "additionalProperties": False,
                       "properties": {"teams": _STRINGS, "channels": _STRINGS, "tags": _STRINGS}},
        "sections": {"type": "array", "minItems": 1, "items": _SECTION},
    },
}
_VALIDATOR = Draft202012Validator(RUBRIC_SCHEMA)
DEFAULT_PASS_THRESHOLD = 80


# --- errors -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RubricProblem:
    file: str
    path: str  # e.g. sections[1].criteria[3].scale (indices count from 0)
    reason: str
    line: int | None = None
    where: str = ""  # the key of the enclosing criterion or section, when known

    def __str__(self) -> str:
        return f"{self.file}: {self.located()}" if self.path else f"{self.file}{self.located()}"

    def located(self) -> str:
        """The message without the file name (the editor has only one text)."""
        at = ", ".join(part for part in (f"line {self.line}" if self.line else "", self.where) if part)
        return f"{self.path}{f' ({at})' if at else ''}: {self.reason}"


class RubricError(ServiceError):
    def __init__(self, problems: list[RubricProblem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


# --- parsing and validation (pure: no session) ------------------------------------------------------

def parse_rubric(text: str, filename: str = "<editor>") -> dict[str, Any]:
    """Validate rubric YAML; return its document with defaults filled in. Raises RubricError listing every problem."""
    data, root = _load_yaml(text, filename)
    problems = [_schema_problem(e, data, root, filename)
                for e in sorted(_VALIDATOR.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))]
    if not problems:  # the semantic checks assume the structure is right
        problems = [RubricProblem(filename, _path(p), reason, _line(root, p), _where(data, p))
                    for p, reason in _semantic_problems(data)]
    if problems:
        raise RubricError(problems)
    return _with_defaults(data)


def document_hash(document: dict[str, Any]) -> str:
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _load_yaml(text: str, filename: str) -> tuple[Any, yaml.Node | None]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = f"not valid YAML: {getattr(exc, 'problem', None) or exc}"
        raise RubricError([RubricProblem(filename, "", reason, mark.line + 1 if mark else None)]) from exc
    if not isinstance(data, dict):
        raise RubricError([RubricProblem(filename, "", "a rubric must be a YAML mapping with key, name and sections", 1)])
    duplicates = list(_duplicate_keys(root, []))
    if duplicates:  # PyYAML silently keeps the last one, which would hide half of a section
        raise RubricError([RubricProblem(filename, _path(p), f"{p[-1]!r} appears twice in the same mapping", line)
                           for p, line in duplicates])
    return data, root


def _duplicate_keys(node: yaml.Node | None, path: list) -> Iterable[tuple[list, int]]:
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            if key_node.value in seen:
                yield path + [key_node.value], key_node.start_mark.line + 1
            seen.add(key_node.value)
            yield from _duplicate_keys(value_node, path + [key_node.value])
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _duplicate_keys(item, path + [i])


_TYPE_NAMES = {"object": "a mapping", "array": "a list", "string": "text", "number": "a number",
               "integer": "a whole number", "boolean": "true or false"}


def _schema_problem(error, data: Any, root: yaml.Node | None, filename: str) -> RubricProblem:
    path = list(error.absolute_path)
    reason = _schema_reason(error)
    if error.validator in ("required", "additionalProperties"):
        field_name = _offending_field(error)
        if field_name is not None:
            line = _line(root, path + [field_name] if error.validator == "additionalProperties" else path)
            return RubricProblem(filename, _path(path + [field_name]), reason, line, _where(data, path))
    return RubricProblem(filename, _path(path), reason, _line(root, path), _where(data, path))


def _offending_field(error) -> str | None:
    instance = error.instance if isinstance(error.instance, dict) else {}
    if error.validator == "required":  # one error per missing field, named only in the message
        missing = [f for f in error.validator_value if f not in instance and repr(f) in error.message]
        return missing[0] if missing else None
    allowed = set(error.schema.get("properties", {}))
    extra = sorted(str(k) for k in instance if k not in allowed)
    return extra[0] if extra else None


def _schema_reason(error) -> str:
    kind, value, got = error.validator, error.validator_value, error.instance
    if kind == "oneOf" and error.absolute_path and error.absolute_path[-1] == "scale":
        return f"scale must be binary, 1-3, 1-4, 1-5 or a list of 2 to 10 labels (worst first), got {got!r}"
    if kind == "required":
        return f"missing required field {_offending_field(error)!r}"
    if kind == "additionalProperties":
        allowed = ", ".join(error.schema.get("properties", {}))
        return f"unknown field {_offending_field(error)!r} (allowed: {allowed})"
    if kind == "type":
        wanted = " or ".join(_TYPE_NAMES.get(t, t) for t in ([value] if isinstance(value, str) else value))
        return f"must be {wanted}, got {got!r}"
    if kind == "pattern":
        return f"{got!r} is not a valid key: use lowercase letters, digits, _ or -, starting with a letter"
    if kind == "exclusiveMinimum":
        return f"must be greater than {value}, got {got!r}"
    if kind in ("minimum", "maximum"):  # only pass_threshold has bounds
        return f"must be between 0 and 100, got {got!r}"
    if kind == "minItems":
        return f"must list at least {value} item{'s' if value != 1 else ''}"
    if kind == "maxItems":
        return f"must list at most {value} items"
    if kind == "minLength":
        return "must not be empty"
    if kind == "maxLength":
        return f"is too long (at most {value} characters)"
    return error.message


def _semantic_problems(data: dict[str, Any]) -> Iterable[tuple[list, str]]:
    seen_sections: dict[str, int] = {}
    seen_criteria: dict[str, str] = {}
    for si, section in enumerate(data["sections"]):
        base = ["sections", si]
        if section["key"] in seen_sections:
            yield base + ["key"], (f"duplicate section key {section['key']!r} "
                                   f"(also sections[{seen_sections[section['key']]}])")
        seen_sections.setdefault(section["key"], si)
        if all(c.get("bonus") for c in section["criteria"]):
            yield base + ["criteria"], "a section needs at least one criterion that is not a bonus"
        for ci, criterion in enumerate(section["criteria"]):
            here = base + ["criteria", ci]
            key = criterion["key"]
            if key in seen_criteria:
                yield here + ["key"], (f"duplicate criterion key {key!r} (also {seen_criteria[key]}); criterion "
                                       "keys must be unique in a rubric because trends join on them")
            seen_criteria.setdefault(key, _path(here))
            yield from _criterion_problems(criterion, here)


def _criterion_problems(criterion: dict[str, Any], here: list) -> Iterable[tuple[list, str]]:
    scale = criterion["scale"]
    if isinstance(scale, list) and len({label.strip().lower() for label in scale}) != len(scale):
        yield here + ["scale"], "scale labels must be unique"
    if criterion.get("bonus") and (criterion.get("critical") or criterion.get("fails_section")):
        yield here + ["bonus"], "a bonus criterion can only add points; it cannot be critical or fail its section"
    if "fail_at_or_below" in criterion:
        yield from _fail_point_problems(criterion, here + ["fail_at_or_below"])
    for i, name in enumerate(criterion.get("suggested_by", [])):
        if name not in KNOWN_SUGGESTERS:
            yield here + ["suggested_by", i], (f"unknown analysis rule or category {name!r} (categories: "
                                               f"{', '.join(ANALYSIS_RULES)}; rules look like tone.rude)")


def _fail_point_problems(criterion: dict[str, Any], where: list) -> Iterable[tuple[list, str]]:
    if not (criterion.get("critical") or criterion.get("fails_section")):
        yield where, "fail_at_or_below only applies to a critical or fails_section criterion"
        return
    points = scoring.scale_points(criterion["scale"])
    try:
        value = scoring.point_value(criterion["scale"], criterion["fail_at_or_below"])
    except ValueError:
        names = ", ".join(f"{v} ({label})" if str(v) != label else label for v, label in points)
        yield where, f"{criterion['fail_at_or_below']!r} is not a point of the scale (points: {names})"
        return
    if value >= points[-1][0]:
        yield where, "must be below the top of the scale, or every answer would fail"


def _with_defaults(data: dict[str, Any]) -> dict[str, Any]:
    applies = data.get("applies_to") or {}
    return {
        "key": data["key"], "name": data["name"].strip(), "description": data.get("description", "").strip(),
        "pass_threshold": data.get("pass_threshold", DEFAULT_PASS_THRESHOLD),
        "applies_to": {k: list(applies.get(k, [])) for k in ("teams", "channels", "tags")},
        "sections": [{
            "key": s["key"], "label": s["label"], "description": s.get("description", "").strip(),
            "weight": s.get("weight", 1), "criteria": [_criterion_defaults(c) for c in s["criteria"]],
        } for s in data["sections"]],
    }


def _criterion_defaults(c: dict[str, Any]) -> dict[str, Any]:
    out = {"key": c["key"], "label": c["label"], "description": c.get("description", "").strip(),
           "scale": c["scale"], "weight": c.get("weight", 1)}
    for flag in ("na_allowed", "critical", "fails_section", "bonus"):
        out[flag] = bool(c.get(flag, False))
    if "fail_at_or_below" in c:
        out["fail_at_or_below"] = scoring.point_value(c["scale"], c["fail_at_or_below"])
    out.update(reasons=list(c.get("reasons", [])), suggested_by=list(c.get("suggested_by", [])),
               coaching_tip=c.get("coaching_tip", "").strip())
    return out


def _path(parts: Iterable) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line(root: yaml.Node | None, parts: list) -> int | None:
    """1-based line of the YAML node at `parts`, or of the nearest ancestor that exists."""
    node, line = root, (root.start_mark.line + 1 if root is not None else None)
    for part in parts:
        node = _child(node, part)
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def _child(node: yaml.Node | None, part) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == str(part):
                return value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


def _where(data: Any, parts: list) -> str:
    """'criterion "greeting"' for a path inside a criterion, else 'section "tone"', else ''."""
    found, node = "", data
    for i, part in enumerate(parts):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("key"), str) and isinstance(part, int):
            kind = "criterion" if i >= 2 and parts[i - 1] == "criteria" else "section"
            found = f'{kind} "{node["key"]}"'
    return found


# --- files ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RubricFile:
    path: Path
    text: str
    document: dict[str, Any]
    content_hash: str

    @property
    def key(self) -> str:
        return self.document["key"]


def default_directory() -> Path:
    """rubrics/ at the repository root (override with QA_RUBRICS_DIR)."""
    env = os.environ.get("QA_RUBRICS_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "rubrics"


def rubric_paths(directory: Path) -> list[Path]:
    return sorted({p for pattern in RUBRIC_GLOBS for p in Path(directory).glob(pattern)})


def load_files(paths: Iterable[Path]) -> list[RubricFile]:
    """Parse every file; if any is bad, raise one RubricError naming all problems in all files."""
    loaded, problems = [], []
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
            document = parse_rubric(text, filename=Path(path).name)
        except RubricError as exc:
            problems.extend(exc.problems)
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(RubricProblem(Path(path).name, "", f"cannot read the file: {exc}"))
        else:
            loaded.append(RubricFile(Path(path), text, document, document_hash(document)))
    problems.extend(_duplicate_key_problems(loaded))
    if problems:
        raise RubricError(problems)
    return loaded


def _duplicate_key_problems(loaded: list[RubricFile]) -> list[RubricProblem]:
    first: dict[str, str] = {}
    problems = []
    for item in loaded:
        if item.key in first:
            problems.append(RubricProblem(item.path.name, "key", f"rubric key {item.key!r} is also used by "
                                          f"{first[item.key]}; each rubric needs its own key"))
        first.setdefault(item.key, item.path.name)
    return problems


# --- versions in the database -----------------------------------------------------------------------

@dataclass
class SyncReport:
    directory: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.created)} created, {len(self.updated)} updated, "
                f"{len(self.unchanged)} unchanged (from {self.directory})")


def sync_rubrics(session: Session, directory: Path | str | None = None) -> SyncReport:
    """Load every *.rubric.yaml in `directory`; a changed file becomes a new version. A bad file loads nothing."""
    directory = Path(directory) if directory else default_directory()
    report = SyncReport(directory=str(directory))
    for item in load_files(rubric_paths(directory)):
        _sync_one(session, item, report)
    session.flush()
    return report


def _sync_one(session: Session, item: RubricFile, report: SyncReport) -> None:
    rubric = get_by_key(session, item.key)
    if rubric is not None and rubric.file_hash == item.content_hash:
        report.unchanged.append(item.key)
        return
    version, created = _add_version(session, rubric, item.document, item.text, source="file",
                                    source_path=item.path.name, note=f"synced from {item.path.name}")
    version.rubric.file_hash = item.content_hash
    if rubric is None:
        report.created.append(item.key)
    elif created:
        report.updated.append(f"{item.key} v{version.number}")
        previous = rubric.versions[-2]
        if previous.source != "file":
            report.notes.append(f"{item.key}: the file replaced an edit made in the browser (still kept as "
                                f"v{version.number - 1})")
    else:
        report.unchanged.append(item.key)
    if rubric is not None and rubric.archived and created:
        report.notes.append(f"{item.key} is archived; its new version stays archived")


def save_rubric(session: Session, text: str, *, user: User | None = None, rubric: Rubric | None = None,
                note: str = "") -> tuple[RubricVersion, bool]:
    """Validate `text` and save it as a new version of `rubric` (or a new rubric). Returns (version, created)."""
    document = parse_rubric(text)
    if rubric is None and get_by_key(session, document["key"]) is not None:
        raise ServiceError(f"A rubric with key {document['key']!r} already exists; edit it or choose another key.")
    if rubric is not None and document["key"] != rubric.key:
        raise ServiceError(f"The key of a rubric cannot change (reviews and trends join on it): keep "
                           f"{rubric.key!r}, or clone the rubric to get a new key.")
    return _add_version(session, rubric, document, text, source="editor", user=user, note=note)


def _add_version(session: Session, rubric: Rubric | None, document: dict[str, Any], text: str, *, source: str,
                 user: User | None = None, source_path: str | None = None,
                 note: str = "") -> tuple[RubricVersion, bool]:
    digest = document_hash(document)
    if rubric is not None and rubric.latest is not None and rubric.latest.content_hash == digest:
        return rubric.latest, False
    if rubric is None:
        rubric = Rubric(key=document["key"], name=document["name"])
        session.add(rubric)
        session.flush()
    number = (session.scalar(select(func.max(RubricVersion.number))
                             .where(RubricVersion.rubric_id == rubric.id)) or 0) + 1
    version = RubricVersion(rubric=rubric, number=number, name=document["name"], content=text, document=document,
                            content_hash=digest, source=source, source_path=source_path, note=note[:500],
                            created_by_id=user.id if user else None)
    session.add(version)
    rubric.name, rubric.updated_at = document["name"], utcnow()
    session.flush()
    audit.record(session, user, "rubric.version_created", version,
                 details={"rubric": rubric.key, "version": number, "source": source, "note": note[:200]})
    return version, True


def clone_rubric(session: Session, version: RubricVersion, *, key: str, name: str,
                 user: User | None = None) -> RubricVersion:
    """A new rubric whose first version is `version`'s YAML (comments kept) under a new key and name."""
    text = _replace_top_level(version.content, {"key": key, "name": name})
    try:
        document = parse_rubric(text)
    except RubricError as exc:
        raise ServiceError("; ".join(p.reason for p in exc.problems)) from exc
    if get_by_key(session, document["key"]) is not None:
        raise ServiceError(f"A rubric with key {key!r} already exists; choose another key.")
    new_version, _ = _add_version(session, None, document, text, source="clone", user=user,
                                  note=f"cloned from {version.rubric.key} v{version.number}")
    return new_version


def _replace_top_level(text: str, values: dict[str, str]) -> str:
    """Replace top-level scalar values in place, by their YAML marks, so comments and layout survive."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    spans = [(v.start_mark.index, v.end_mark.index, values[k.value])
             for k, v in root.value if k.value in values and isinstance(v, yaml.ScalarNode)]
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + json.dumps(new, ensure_ascii=False) + text[end:]
    return text


def set_archived(session: Session, rubric: Rubric, archived: bool) -> Rubric:
    """Archived rubrics leave the lists and pickers; their versions (and reviews) stay."""
    rubric.archived = archived
    rubric.updated_at = utcnow()
    session.flush()
    return rubric


def export_yaml(version: RubricVersion) -> str:
    """The version's YAML exactly as saved: it loads back to the same document."""
    return version.content if version.content.endswith("\n") else version.content + "\n"


# --- queries and access -----------------------------------------------------------------------------

def get_by_key(session: Session, key: str) -> Rubric | None:
    return session.scalar(select(Rubric).where(Rubric.key == key))


def list_rubrics(session: Session, include_archived: bool = False) -> list[Rubric]:
    query = select(Rubric).order_by(Rubric.archived, Rubric.name)
    if not include_archived:
        query = query.where(Rubric.archived.is_(False))
    return list(session.scalars(query))


def get_version(session: Session, rubric: Rubric, number: int) -> RubricVersion | None:
    return session.scalar(select(RubricVersion).where(RubricVersion.rubric_id == rubric.id,
                                                      RubricVersion.number == number))


def applies_to(document: dict[str, Any], *, team: str | None = None, channel: str | None = None,
               tags: Iterable[str] = ()) -> bool:
    """True when every condition the rubric sets (teams, channels, tags: any one matches) holds."""
    cond = document.get("applies_to") or {}

    def matches(wanted: list[str], have: Iterable[str | None]) -> bool:
        return not wanted or bool({w.lower() for w in wanted} & {h.lower() for h in have if h})

    return (matches(cond.get("teams", []), [team]) and matches(cond.get("channels", []), [channel])
            and matches(cond.get("tags", []), tags))


def rubrics_for(session: Session, *, team: str | None = None, channel: str | None = None,
                tags: Iterable[str] = ()) -> list[RubricVersion]:
    """Latest versions of the active rubrics whose conditions fit a transcript (for review pickers)."""
    tags = list(tags)
    return [r.latest for r in list_rubrics(session)
            if r.latest is not None and applies_to(r.latest.document, team=team, channel=channel, tags=tags)]


def team_problem(user: User, document: dict[str, Any]) -> str | None:
    """Why `user` may not edit a rubric with this content, or None. Admins edit anything; a lead edits org-wide
    rubrics and those whose team conditions name only teams they lead."""
    if user.role == "admin":
        return None
    if user.role != "lead":
        return "Only admins and leads edit rubrics."
    own = {t.name.lower() for t in user.teams}
    others = [t for t in (document.get("applies_to") or {}).get("teams", []) if t.lower() not in own]
    if others:
        return f"This rubric applies to teams you do not lead ({', '.join(others)}); ask an admin."
    return None


def can_edit(user: User, rubric: Rubric) -> bool:
    return rubric.latest is not None and team_problem(user, rubric.latest.document) is None


STARTER_YAML = """\
# A new rubric. Format: README "Rubrics". Press Preview to see the scoring form.
key: my-rubric
name: My rubric
description: What this rubric is for.
pass_threshold: 80
applies_to: {teams: [], channels: [chat], tags: []}
sections:
  - key: conversation
    label: Conversation
    weight: 1
    criteria:
      - key: greeting
        label: Greets the customer
        scale: binary
        suggested_by: [etiquette.missing_greeting]
        coaching_tip: Open with the customer's name and yours.
      - key: resolution
        label: Resolves the issue
        scale: 1-5
        weight: 3
        reasons: [Wrong information, Not resolved]
        suggested_by: [accuracy]
      - key: data_protected
        label: Protects customer data
        scale: binary
        critical: true
        suggested_by: [compliance]
"""
