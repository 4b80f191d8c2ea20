"""The JSON Schemas: generated from the models, committed, and they accept the shipped content."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from worksheets.jsonschema import json_schemas
from worksheets.load.layout import BUNDLED
from worksheets.load.yaml import split_front_matter

ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "content" / "cuban-missile-crisis"


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schemas()[name])


def test_committed_schemas_match_the_models() -> None:
    for name, schema in json_schemas().items():
        committed = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text())
        assert committed == schema, f"schemas/{name}.schema.json is stale: run `worksheets schema`"


@pytest.mark.parametrize("name", ["lesson", "questions", "vocabulary"])
def test_shipped_content_is_valid(name: str) -> None:
    text = (LESSON / f"{name}.yaml").read_text()
    assert text.startswith(f"# yaml-language-server: $schema=../../schemas/{name}.schema.json")
    errors = list(validator(name).iter_errors(yaml.safe_load(text)))
    assert errors == []


def test_shipped_documents_and_layouts_are_valid() -> None:
    for doc in sorted((LESSON / "documents").glob("?.md")):
        fm = yaml.safe_load(split_front_matter(doc.read_text())[0])
        assert list(validator("document").iter_errors(fm)) == [], doc
    for layout in sorted(BUNDLED.glob("*.yaml")):
        assert list(validator("layout").iter_errors(yaml.safe_load(layout.read_text()))) == []


def test_broken_content_is_rejected() -> None:
    questions = yaml.safe_load((LESSON / "questions.yaml").read_text())
    questions["questions"][0]["kind"] = "essay"
    questions["questions"][1]["answr"] = "typo"
    del questions["questions"][2]["prompt"]
    messages = sorted(e.message for e in validator("questions").iter_errors(questions))
    assert len(messages) == 3
    assert any("'essay' is not one of" in m for m in messages)
    assert any("'answr' was unexpected" in m for m in messages)
    assert any("'prompt' is a required property" in m for m in messages)
    lesson = yaml.safe_load((LESSON / "lesson.yaml").read_text())
    lesson["grade_band"] = 9
    assert [e.message for e in validator("lesson").iter_errors(lesson)] == [
        "9 is not of type 'string'"
    ]
    layout = {"paper": "legal", "margin_left": "0.8in"}
    assert [e.message for e in validator("layout").iter_errors(layout)] == [
        "'legal' is not one of ['a4', 'letter']"
    ]


def test_shipped_batch_specs_are_valid() -> None:
    specs = sorted((ROOT / "examples" / "district").glob("*.yaml"))
    assert len(specs) == 2
    for spec in specs:
        text = spec.read_text()
        assert text.startswith("# yaml-language-server: $schema=../../schemas/batch.schema.json")
        # an editor sees an unquoted date as a string, as JSON does
        data = json.loads(json.dumps(yaml.safe_load(text), default=str))
        assert list(validator("batch").iter_errors(data)) == [], spec
    broken = json.loads(json.dumps(yaml.safe_load(specs[0].read_text()), default=str))
    broken["jobs_per_class"] = 3
    assert [e.message for e in validator("batch").iter_errors(broken)] == [
        "Additional properties are not allowed ('jobs_per_class' was unexpected)"
    ]
