"""Loading rubric YAML: shipped files, one clear message per kind of mistake, sync and versions."""
from __future__ import annotations

import shutil

import pytest

from qa_app.models import Rubric, RubricVersion
from qa_app.services import rubrics
from qa_app.services.rubrics import RubricError, parse_rubric
from qa_app.services.scoring import score_document

SHIPPED = rubrics.rubric_paths(rubrics.default_directory())

GOOD = """\
key: demo
name: Demo
pass_threshold: 70
sections:
  - key: first
    label: First
    criteria:
      - key: greeting
        label: Greets
        scale: binary
  - key: second
    label: Second
    weight: 2
    criteria:
      - key: tone
        label: Tone
        scale: 1-5
      - key: accuracy
        label: Accuracy
        scale: 1-4
      - key: data
        label: Data
        scale: binary
        critical: true
"""


def problem_of(text: str) -> rubrics.RubricProblem:
    with pytest.raises(RubricError) as caught:
        parse_rubric(text, filename="bad.rubric.yaml")
    assert len(caught.value.problems) == 1, caught.value.problems
    return caught.value.problems[0]


def test_the_shipped_rubrics_are_there_and_all_load():
    names = {p.name for p in SHIPPED}
    assert {"chat-support-standard.rubric.yaml", "quick-check.rubric.yaml"} <= names
    for item in rubrics.load_files(SHIPPED):
        doc = item.document
        full = {c["key"]: rubrics.scoring.scale_points(c["scale"])[-1][0]
                for s in doc["sections"] for c in s["criteria"]}
        assert score_document(doc, full).overall == 100


def test_the_standard_rubric_covers_every_analysis_category():
    doc = parse_rubric((rubrics.default_directory() / "chat-support-standard.rubric.yaml").read_text())
    named = {s.split(".")[0] for sec in doc["sections"] for c in sec["criteria"] for s in c["suggested_by"]}
    assert named == set(rubrics.ANALYSIS_RULES)
    flags = {f for sec in doc["sections"] for c in sec["criteria"] for f in ("critical", "bonus", "fails_section")
             if c[f]}
    assert flags == {"critical", "bonus", "fails_section"}


def test_defaults_are_filled_in():
    doc = parse_rubric(GOOD)
    c = doc["sections"][0]["criteria"][0]
    assert c["weight"] == 1 and c["na_allowed"] is False and c["reasons"] == [] and c["coaching_tip"] == ""
    assert doc["applies_to"] == {"teams": [], "channels": [], "tags": []}


@pytest.mark.parametrize("old, new, path, reason", [
    ("scale: 1-5", "scale: 1-10", "sections[1].criteria[0].scale", "scale must be binary, 1-3, 1-4, 1-5"),
    ("scale: 1-5", "scale: [Only]", "sections[1].criteria[0].scale", "list of 2 to 10 labels"),
    ("    weight: 2\n", "    weigth: 2\n", "sections[1].weigth", "unknown field 'weigth'"),
    ("        label: Tone\n", "", "sections[1].criteria[0].label", "missing required field 'label'"),
    ("    weight: 2\n", "    weight: 0\n", "sections[1].weight", "must be greater than 0"),
    ("    weight: 2\n", "    weight: lots\n", "sections[1].weight", "must be a number"),
    ("pass_threshold: 70", "pass_threshold: 170", "pass_threshold", "between 0 and 100"),
    ("key: demo", "key: Demo Rubric", "key", "not a valid key"),
    ("      - key: tone\n", "      - key: greeting\n", "sections[1].criteria[0].key", "duplicate criterion key"),
    ("  - key: second\n", "  - key: first\n", "sections[1].key", "duplicate section key"),
    ("        critical: true\n", "        critical: true\n        bonus: true\n", "sections[1].criteria[2].bonus",
     "cannot be critical"),
    ("        critical: true\n", "        critical: true\n        fail_at_or_below: Maybe\n",
     "sections[1].criteria[2].fail_at_or_below", "not a point of the scale"),
    ("        critical: true\n", "        critical: true\n        fail_at_or_below: 'Yes'\n",
     "sections[1].criteria[2].fail_at_or_below", "below the top of the scale"),
    ("        critical: true\n", "        fail_at_or_below: 0\n",
     "sections[1].criteria[2].fail_at_or_below", "only applies to a critical"),
    ("        scale: 1-4\n", "        scale: 1-4\n        suggested_by: [tone.rdue]\n",
     "sections[1].criteria[1].suggested_by[0]", "unknown analysis rule or category 'tone.rdue'"),
    ("scale: 1-5", "scale: [Good, good]", "sections[1].criteria[0].scale", "labels must be unique"),
    ("        label: Greets\n", "        label: Greets\n        bonus: true\n", "sections[0].criteria",
     "at least one criterion that is not a bonus"),
    ("        scale: binary\n  - key: second", "        scale: binary\n        scale: 1-3\n  - key: second",
     "sections[0].criteria[0].scale", "appears twice"),
])
def test_each_mistake_has_its_own_message_with_file_path_and_line(old, new, path, reason):
    assert old in GOOD
    problem = problem_of(GOOD.replace(old, new, 1))
    assert problem.file == "bad.rubric.yaml"
    assert problem.path == path
    assert reason in problem.reason
    assert problem.line is not None
    assert str(problem).startswith(f"bad.rubric.yaml: {path} (line {problem.line}")


def test_message_names_the_line_and_the_criterion():
    problem = problem_of(GOOD.replace("scale: 1-5", "scale: 1-10"))
    assert problem.line == GOOD.splitlines().index("        scale: 1-5") + 1
    assert 'criterion "tone"' in str(problem)


def test_broken_yaml_and_non_mapping():
    problem = problem_of("key: x\nsections: [\n")
    assert "not valid YAML" in problem.reason and problem.line
    assert "must be a YAML mapping" in problem_of("- just\n- a list\n").reason


def test_each_missing_field_is_named():
    with pytest.raises(RubricError) as caught:
        parse_rubric("key: x\n")
    assert [p.path for p in caught.value.problems] == ["name", "sections"]


def test_several_problems_are_all_reported():
    with pytest.raises(RubricError) as caught:
        parse_rubric(GOOD.replace("scale: 1-5", "scale: 1-10").replace("scale: 1-4", "scale: 2-4"))
    assert [p.path for p in caught.value.problems] == ["sections[1].criteria[0].scale",
                                                       "sections[1].criteria[1].scale"]


# --- sync -------------------------------------------------------------------------------------------

@pytest.fixture()
def rubric_dir(tmp_path):
    for path in SHIPPED:
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "policy.yaml").write_text("company: not a rubric\n")  # other YAML is ignored
    return tmp_path


def test_sync_twice_makes_no_new_version_and_an_edit_makes_exactly_one(session, rubric_dir):
    first = rubrics.sync_rubrics(session, rubric_dir)
    assert sorted(first.created) == ["chat-support-standard", "quick-check"]
    assert session.query(RubricVersion).count() == 2
    second = rubrics.sync_rubrics(session, rubric_dir)
    assert second.created == second.updated == [] and len(second.unchanged) == 2
    assert session.query(RubricVersion).count() == 2

    path = rubric_dir / "quick-check.rubric.yaml"
    path.write_text(path.read_text().replace("pass_threshold: 75", "pass_threshold: 70"))
    third = rubrics.sync_rubrics(session, rubric_dir)
    assert third.updated == ["quick-check v2"]
    assert session.query(RubricVersion).count() == 3
    rubric = rubrics.get_by_key(session, "quick-check")
    assert [v.number for v in rubric.versions] == [1, 2]
    assert rubric.versions[0].document["pass_threshold"] == 75  # the old version is untouched
    assert rubrics.sync_rubrics(session, rubric_dir).updated == []


def test_a_comment_only_change_is_not_a_new_version(session, rubric_dir):
    rubrics.sync_rubrics(session, rubric_dir)
    path = rubric_dir / "quick-check.rubric.yaml"
    path.write_text("# a new comment\n" + path.read_text())
    report = rubrics.sync_rubrics(session, rubric_dir)
    assert report.updated == [] and session.query(RubricVersion).count() == 2


def test_a_bad_file_loads_nothing(session, rubric_dir):
    (rubric_dir / "broken.rubric.yaml").write_text(GOOD.replace("scale: 1-5", "scale: 1-10"))
    with pytest.raises(RubricError) as caught:
        rubrics.sync_rubrics(session, rubric_dir)
    assert "broken.rubric.yaml: sections[1].criteria[0].scale" in str(caught.value)
    assert session.query(Rubric).count() == 0


def test_two_files_with_one_key_are_refused(session, rubric_dir):
    (rubric_dir / "copy.rubric.yaml").write_text((rubric_dir / "quick-check.rubric.yaml").read_text())
    with pytest.raises(RubricError, match="also used by"):
        rubrics.sync_rubrics(session, rubric_dir)


def test_an_unchanged_file_never_reverts_a_browser_edit(session, rubric_dir):
    rubrics.sync_rubrics(session, rubric_dir)
    rubric = rubrics.get_by_key(session, "quick-check")
    edited = rubric.latest.content.replace("pass_threshold: 75", "pass_threshold: 90")
    rubrics.save_rubric(session, edited, rubric=rubric)
    assert rubrics.sync_rubrics(session, rubric_dir).updated == []
    assert rubric.latest.number == 2 and rubric.latest.document["pass_threshold"] == 90
    path = rubric_dir / "quick-check.rubric.yaml"
    path.write_text(path.read_text().replace("pass_threshold: 75", "pass_threshold: 60"))
    report = rubrics.sync_rubrics(session, rubric_dir)
    assert report.updated == ["quick-check v3"] and "browser" in report.notes[0]


def test_save_clone_archive_export(session):
    version, created = rubrics.save_rubric(session, GOOD)
    assert created and version.number == 1 and version.source == "editor"
    same, created = rubrics.save_rubric(session, GOOD + "# only a comment\n", rubric=version.rubric)
    assert not created and same.id == version.id
    with pytest.raises(rubrics.ServiceError, match="already exists"):
        rubrics.save_rubric(session, GOOD)
    with pytest.raises(rubrics.ServiceError, match="cannot change"):
        rubrics.save_rubric(session, GOOD.replace("key: demo", "key: other"), rubric=version.rubric)

    clone = rubrics.clone_rubric(session, version, key="demo-copy", name='Demo "copy"')
    assert clone.number == 1 and clone.document["key"] == "demo-copy" and clone.name == 'Demo "copy"'
    assert clone.document["sections"] == version.document["sections"]

    rubrics.set_archived(session, version.rubric, True)
    assert [r.key for r in rubrics.list_rubrics(session)] == ["demo-copy"]
    assert parse_rubric(rubrics.export_yaml(version)) == version.document


def test_conditions_pick_the_rubrics_that_apply(session):
    rubrics.save_rubric(session, GOOD.replace("pass_threshold: 70",
                                              "pass_threshold: 70\napplies_to: {teams: [Billing], tags: [refund]}"))
    doc = rubrics.get_by_key(session, "demo").latest.document
    assert rubrics.applies_to(doc, team="billing", tags=["refund", "x"])
    assert not rubrics.applies_to(doc, team="Billing", tags=[])
    assert not rubrics.applies_to(doc, team="Shipping", tags=["refund"])
    assert [v.document["key"] for v in rubrics.rubrics_for(session, team="Billing", tags=["refund"])] == ["demo"]


def test_cli_sync_and_check(app, session, rubric_dir):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["qa", "rubrics", "sync", "--dir", str(rubric_dir)])
    assert result.exit_code == 0 and "2 created" in result.output
    result = runner.invoke(args=["qa", "rubrics", "sync", "--dir", str(rubric_dir)])
    assert "2 unchanged" in result.output
    (rubric_dir / "bad.rubric.yaml").write_text("key: bad\nname: Bad\nsections: []\n")
    result = runner.invoke(args=["qa", "rubrics", "sync", "--dir", str(rubric_dir)])
    assert result.exit_code == 1 and "bad.rubric.yaml: sections (line 3): must list at least 1 item" in result.output
    assert "no rubric was loaded" in result.output
    result = runner.invoke(args=["qa", "rubrics", "export", "quick-check"])
    assert result.exit_code == 0 and "key: quick-check" in result.output
