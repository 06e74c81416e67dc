"""kg.extract.files and `iokg extract`: walking paths, bad files, and the takedown-JSON shape checked against
kg/data/takedown.schema.json with jsonschema."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.errors import DocumentError
from kg.data import takedown_schema
from kg.extract.files import extract_paths, to_json, to_jsonl, to_table
from kg.graph.model import FOLLOWER_KEYS, REMOVED_KEYS

SCHEMA_KEYS = ["origin", "targets", "target_regions", "platforms", "removed", "followers", "ad_spend_usd",
               "operators", "discovered_via", "policy", "promotes", "attacks"]
TEXT = ("We removed 17 Facebook accounts, six Pages and three Instagram accounts from Egypt that targeted "
        "Ethiopia, Sudan and Turkey. Our investigation found links to Nilewave Digital, a marketing firm in Egypt.\n")


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "egypt.txt").write_text(TEXT, encoding="utf-8")
    (folder / "empty.txt").write_text("   ", encoding="utf-8")
    return folder


def test_walks_folders_and_reports_bad_files(corpus, nlp_rules):
    errors = []
    extractions = list(extract_paths([corpus], nlp_rules, on_error=errors.append))
    assert [ex.document.name for ex in extractions] == ["egypt.txt"]
    assert len(errors) == 1 and "empty.txt" in str(errors[0])


def test_bad_file_raises_without_a_handler(corpus, nlp_rules):
    with pytest.raises(DocumentError, match="empty.txt"):
        list(extract_paths([corpus / "empty.txt"], nlp_rules))


def test_json_shape_matches_the_schema(corpus, nlp_rules):
    out = to_json(extract_paths([corpus / "sub"], nlp_rules))
    (doc,) = out["documents"]
    assert doc["source"] == "egypt.txt"
    (net,) = doc["networks"]
    assert list(net) == SCHEMA_KEYS
    assert list(net["removed"]) == ["facebook_accounts", "pages", "groups", "instagram_accounts", "events",
                                    "twitter_accounts", "youtube_channels", "tiktok_accounts"]
    assert list(net["followers"]) == ["pages", "groups", "instagram"]
    assert net["origin"] == ["EG"] and net["targets"] == ["ET", "SD", "TR"]
    assert net["operators"] == [{"name": "Nilewave Digital", "category": "pr-marketing", "country": "EG"}]
    assert net["removed"]["groups"] is None


def test_json_validates_against_the_shipped_schema(corpus, nlp_rules, seed_extractions):
    import jsonschema

    schema = takedown_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(to_json(extract_paths([corpus / "sub"], nlp_rules)), schema)
    jsonschema.validate(to_json(seed_extractions.values()), schema)


def test_the_schema_names_every_key_the_model_has():
    network = takedown_schema()["$defs"]["network"]
    assert set(SCHEMA_KEYS) <= set(network["properties"])
    assert set(REMOVED_KEYS) <= set(network["properties"]["removed"]["properties"])
    assert {"twitter_accounts", "youtube_channels", "tiktok_accounts"} <= set(network["properties"]["removed"]["properties"])
    assert len(network["properties"]["removed"]["properties"]) == 8
    assert set(network["properties"]["followers"]["properties"]) == set(FOLLOWER_KEYS)


@pytest.mark.parametrize("change, complaint", [
    (lambda net: net["removed"].update(telegram_channels=3), "telegram_channels"),
    (lambda net: net.update(origin=["eg"]), "does not match"),
    (lambda net: net["removed"].update(pages=-1), "less than the minimum"),
    (lambda net: net.update(policy="spam"), "is not one of"),
    (lambda net: net.pop("targets"), "'targets' is a required property"),
])
def test_the_schema_rejects_a_broken_network(corpus, nlp_rules, change, complaint):
    import jsonschema

    out = to_json(extract_paths([corpus / "sub"], nlp_rules))
    change(out["documents"][0]["networks"][0])
    with pytest.raises(jsonschema.ValidationError, match=complaint):
        jsonschema.validate(out, takedown_schema())


def test_the_shared_gold_files_fit_the_schema(gold_dir):
    import jsonschema

    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))]
    assert golds
    jsonschema.validate({"documents": golds}, takedown_schema())


def test_jsonl_and_table(corpus, nlp_rules):
    extractions = list(extract_paths([corpus / "sub"], nlp_rules))
    (line,) = list(to_jsonl(extractions))
    assert json.loads(line)["source"] == "egypt.txt"
    table = "\n".join(to_table(extractions))
    assert "EG | ET,SD,TR | 17/6/-/3 | Nilewave Digital (pr-marketing, EG)" in table


def test_cli_json_and_exit_code_for_bad_files(corpus):
    result = CliRunner().invoke(cli, ["extract", str(corpus), "--model", "none"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["documents"][0]["source"] == "egypt.txt"
    assert "empty.txt" in result.stderr and "Traceback" not in result.stderr


def test_cli_missing_path_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "nope.txt"), "--format", "table",
                                                      "--model", "none"])
    assert result.exit_code == 1
    assert "nope.txt" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_cli_unknown_model_is_a_usage_error(corpus):
    result = CliRunner().invoke(cli, ["extract", str(corpus), "--model", "xx_missing"])
    assert result.exit_code == 2 and "not installed" in result.stderr


def test_an_extractor_failure_costs_one_file_not_the_batch(tmp_path, monkeypatch, nlp_rules):
    """A bug inside the extraction of one document is reported as a one-line error for that file."""
    import kg.extract.files

    good, bad = tmp_path / "a.txt", tmp_path / "b.txt"
    good.write_text("We removed 12 Facebook accounts from Chile that targeted Peru.", encoding="utf-8")
    bad.write_text("We removed 12 Facebook accounts from Peru that targeted Chile.", encoding="utf-8")
    real = kg.extract.files.extract_document

    def flaky(document, nlp):
        if document.name == "b.txt":
            raise ZeroDivisionError("boom")
        return real(document, nlp)

    monkeypatch.setattr(kg.extract.files, "extract_document", flaky)
    errors = []
    found = list(kg.extract.files.extract_paths([tmp_path], nlp_rules, on_error=errors.append))
    assert [e.document.name for e in found] == ["a.txt"]
    assert len(errors) == 1 and "b.txt" in str(errors[0]) and "ZeroDivisionError" in str(errors[0])
