import pytest

from qa_app.nlp import PolicyError, default_policy_path, load_policy, policy_version

DESIGN_EXAMPLE = """company: Example Co
facts:                       # an agent sentence that talks about `about` and states a value not in `allowed` is flagged
  - id: refund_window
    about: [refund, return, money back]
    kind: duration           # duration | money | percent | count
    allowed: ["30 days"]
    explanation: Refunds are accepted within 30 days of delivery.
prohibited_phrases:
  - {phrase: "I guarantee", category: compliance, explanation: Agents must not guarantee outcomes.}
allowed_link_domains: [help.example.com]
response_time_sla_seconds: 120
brand_terms: [ExampleCo]     # never a spelling error
"""


def test_design_example_loads():
    pack = load_policy(DESIGN_EXAMPLE)
    assert pack.company == "Example Co"
    assert pack.facts[0].id == "refund_window" and pack.facts[0].kind == "duration"
    assert pack.prohibited_phrases[0].phrase == "I guarantee"
    assert pack.response_time_sla_seconds == 120


def test_default_pack_loads():
    pack = load_policy(default_policy_path())
    ids = {f.id for f in pack.facts}
    assert {"refund_window", "return_shipping_fee", "standard_shipping_time", "warranty"} <= ids


def test_bad_kind_names_line_and_field():
    with pytest.raises(PolicyError) as err:
        load_policy(DESIGN_EXAMPLE.replace("kind: duration ", "kind: weight "))
    assert err.value.line == 5
    assert err.value.field == "facts[0].kind"
    assert str(err.value).startswith("policy.yaml line 5: facts[0].kind: must be one of duration, money, percent, count")


def test_unquoted_comma_in_flow_mapping_gets_a_hint():
    text = DESIGN_EXAMPLE.replace("explanation: Agents must not guarantee outcomes.}",
                                  "explanation: Agents must not guarantee refunds, credits or outcomes.}")
    with pytest.raises(PolicyError) as err:
        load_policy(text)
    assert err.value.line == 9 and err.value.field == "prohibited_phrases[0].credits or outcomes."
    assert "put that text in quotes" in str(err.value)


def test_bad_yaml_names_line():
    with pytest.raises(PolicyError) as err:
        load_policy("company: X\nfacts:\n  - id: a\n    about: [refund\n    kind: duration\n")
    assert err.value.line is not None
    assert "line" in str(err.value) and "invalid YAML" in str(err.value)


@pytest.mark.parametrize("text, field", [
    ("facts:\n  - id: a\n    kind: money\n    allowed: ['$5']\n", "facts[0].about"),
    ("facts:\n  - id: a\n    about: [x]\n    kind: money\n    allowed: ['five bananas']\n", "facts[0].allowed[0]"),
    ("response_time_sla_seconds: soon\n", "response_time_sla_seconds"),
    ("colour: red\n", "colour"),
    ("prohibited_phrases:\n  - {phrase: x, category: rudeness}\n", "prohibited_phrases[0].category"),
])
def test_field_errors(text, field):
    with pytest.raises(PolicyError) as err:
        load_policy(text)
    assert err.value.field == field
    assert field in str(err.value)


def test_duplicate_fact_id():
    text = "facts:\n" + "  - {id: a, about: [x], kind: count, allowed: [3]}\n" * 2
    with pytest.raises(PolicyError, match="duplicate"):
        load_policy(text)


def test_path_and_version(tmp_path):
    p = tmp_path / "pack.yaml"
    p.write_text(DESIGN_EXAMPLE)
    a, b = load_policy(p), load_policy(str(p))
    assert policy_version(a) == policy_version(b)
    reordered = load_policy(DESIGN_EXAMPLE.replace("company: Example Co\n", "") + "company: Example Co\n")
    assert policy_version(reordered) == policy_version(a)  # key order and comments don't matter
    changed = load_policy(DESIGN_EXAMPLE.replace('"30 days"', '"45 days"'))
    assert policy_version(changed) != policy_version(a)


def test_missing_file_is_policy_error():
    with pytest.raises(PolicyError):
        load_policy("/nonexistent/pack.yaml")
