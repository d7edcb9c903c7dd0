"""Load and validate a policy pack (YAML), naming the line and field of any error."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .quantities import KINDS, Quantity, parse_value

SEVERITIES = ("low", "medium", "high")

# The DESIGN.md format. Optional extras (allowed_contacts, severity) keep the design's example valid.
POLICY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "company": {"type": "string"},
        "facts": {"type": "array", "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["id", "about", "kind", "allowed"],
            "properties": {
                "id": {"type": "string", "pattern": r"^[A-Za-z0-9_.-]+$"},
                "about": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                "kind": {"enum": list(KINDS)},
                "allowed": {"type": "array", "minItems": 1, "items": {"type": ["string", "number"]}},
                "explanation": {"type": "string"},
                "severity": {"enum": list(SEVERITIES)},
            }}},
        "prohibited_phrases": {"type": "array", "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["phrase"],
            "properties": {
                "phrase": {"type": "string", "minLength": 1},
                "category": {"enum": ["tone", "empathy", "accuracy", "compliance", "etiquette"]},
                "explanation": {"type": "string"},
                "severity": {"enum": list(SEVERITIES)},
            }}},
        "allowed_link_domains": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "allowed_contacts": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "response_time_sla_seconds": {"type": "number", "exclusiveMinimum": 0},
        "brand_terms": {"type": "array", "items": {"type": "string"}},
    },
}


class PolicyError(ValueError):
    """A policy pack problem; str() reads 'policy.yaml line 7: facts[0].kind: must be one of ...'."""

    def __init__(self, message: str, line: int | None = None, field: str | None = None, source: str = "policy.yaml"):
        self.line, self.field, self.source, self.problem = line, field, source, message
        where = source if line is None else f"{source} line {line}"
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")


@dataclass(frozen=True)
class Fact:
    id: str
    about: tuple[str, ...]
    kind: str
    allowed: tuple[str, ...]
    values: tuple[Quantity, ...]
    explanation: str = ""
    severity: str = "medium"


@dataclass(frozen=True)
class ProhibitedPhrase:
    phrase: str
    category: str = "compliance"
    explanation: str = ""
    severity: str = "high"


@dataclass(frozen=True)
class PolicyPack:
    company: str = ""
    facts: tuple[Fact, ...] = ()
    prohibited_phrases: tuple[ProhibitedPhrase, ...] = ()
    allowed_link_domains: tuple[str, ...] = ()
    allowed_contacts: tuple[str, ...] = ()
    response_time_sla_seconds: float | None = None
    brand_terms: tuple[str, ...] = ()
    raw: dict = field(default_factory=dict, compare=False, repr=False)


def default_policy_path() -> Path:
    """rubrics/policy.yaml at the repository root."""
    return Path(__file__).resolve().parents[2] / "rubrics" / "policy.yaml"


def _read_source(text_or_path: str | os.PathLike) -> tuple[str, str]:
    if isinstance(text_or_path, os.PathLike):
        p = Path(text_or_path)
        return p.read_text(encoding="utf-8"), p.name
    if "\n" not in text_or_path and text_or_path.strip().lower().endswith((".yaml", ".yml")):
        p = Path(text_or_path)
        if not p.exists():
            raise PolicyError(f"file not found: {p}", source=p.name)
        return p.read_text(encoding="utf-8"), p.name
    return text_or_path, "policy.yaml"


def _node_at(node: yaml.Node | None, path: list) -> yaml.Node | None:
    """Walk the composed YAML node tree along a jsonschema error path (keys and indexes)."""
    for key in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            return node
    return node


def _field_name(path: list) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out or "(top level)"


def _describe(error: jsonschema.ValidationError) -> tuple[list, str]:
    path = list(error.absolute_path)
    v = error.validator
    if v == "enum":
        return path, "must be one of " + ", ".join(map(str, error.validator_value))
    if v == "required":
        missing = error.message.split("'")[1]
        return path + [missing], "is required"
    if v == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        if extra and error.instance[extra[0]] is None:
            # {explanation: Refunds, returns or credits.} - YAML ends the value at the first comma inside { }
            return path + extra[:1], ("unknown field: a comma inside { } ends the value before it; "
                                      "put that text in quotes")
        return path + extra[:1], "unknown field"
    if v == "type":
        t = error.validator_value
        return path, "must be " + (" or ".join(t) if isinstance(t, list) else f"a {t}" if t != "array" else "a list")
    if v == "minItems":
        return path, "must not be empty"
    if v == "minLength":
        return path, "must not be empty"
    if v == "pattern":
        return path, "may only contain letters, digits, '_', '.' and '-'"
    if v == "exclusiveMinimum":
        return path, "must be a positive number"
    return path, error.message


def _check_semantics(data: dict, root: yaml.Node, source: str) -> None:
    seen: dict[str, int] = {}
    for i, f in enumerate(data.get("facts") or []):
        if f["id"] in seen:
            node = _node_at(root, ["facts", i, "id"])
            raise PolicyError(f"duplicate fact id (also facts[{seen[f['id']]}])", node.start_mark.line + 1,
                              f"facts[{i}].id", source)
        seen[f["id"]] = i
        for j, value in enumerate(f["allowed"]):
            if parse_value(str(value), f["kind"]) is None:
                node = _node_at(root, ["facts", i, "allowed", j])
                raise PolicyError(f"{value!r} is not a {f['kind']} value", node.start_mark.line + 1,
                                  f"facts[{i}].allowed[{j}]", source)


def load_policy(text_or_path: str | os.PathLike) -> PolicyPack:
    """Parse YAML text or a path into a PolicyPack; raise PolicyError naming the line and field."""
    text, source = _read_source(text_or_path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyError(f"invalid YAML: {problem}", mark.line + 1 if mark else None, None, source) from None
    if data is None:
        data = {}
    errors = sorted(jsonschema.Draft202012Validator(POLICY_SCHEMA).iter_errors(data),
                    key=lambda e: (len(list(e.absolute_path)), list(map(str, e.absolute_path))))
    if errors:
        path, message = _describe(errors[0])
        node = _node_at(root, path) or root
        line = node.start_mark.line + 1 if node is not None else None
        raise PolicyError(message, line, _field_name(path), source)
    _check_semantics(data, root, source)
    return _build(data)


def _build(data: dict) -> PolicyPack:
    facts = tuple(
        Fact(id=f["id"], about=tuple(f["about"]), kind=f["kind"], allowed=tuple(str(v) for v in f["allowed"]),
             values=tuple(parse_value(str(v), f["kind"]) for v in f["allowed"]),
             explanation=f.get("explanation", ""), severity=f.get("severity", "medium"))
        for f in data.get("facts") or [])
    phrases = tuple(ProhibitedPhrase(p["phrase"], p.get("category", "compliance"), p.get("explanation", ""),
                                     p.get("severity", "high"))
                    for p in data.get("prohibited_phrases") or [])
    return PolicyPack(
        company=data.get("company", ""), facts=facts, prohibited_phrases=phrases,
        allowed_link_domains=tuple(d.lower().strip().lstrip(".") for d in data.get("allowed_link_domains") or []),
        allowed_contacts=tuple(c.strip() for c in data.get("allowed_contacts") or []),
        response_time_sla_seconds=data.get("response_time_sla_seconds"),
        brand_terms=tuple(data.get("brand_terms") or []), raw=data)


def policy_version(policy: PolicyPack) -> str:
    """Stable hash of the pack's normalized content (key order, comments and formatting don't matter)."""
    canonical = json.dumps(policy.raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
