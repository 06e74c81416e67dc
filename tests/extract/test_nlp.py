"""The pipeline loader: model or rules, our components in order, line breaks end sentences."""
from __future__ import annotations

import pytest

from kg.errors import UsageError
from kg.extract.pipeline import RULE_COMPONENTS, has_model, load_pipeline


def test_auto_uses_the_installed_model_and_adds_our_components(nlp):
    assert has_model(nlp)
    assert "ner" in nlp.pipe_names
    assert nlp.pipe_names[-len(RULE_COMPONENTS):] == list(RULE_COMPONENTS)
    assert nlp.pipe_names.index("iokg_lines") < nlp.pipe_names.index("parser")


def test_none_is_rules_only(nlp_rules):
    assert not has_model(nlp_rules)
    assert nlp_rules.pipe_names[:2] == ["sentencizer", "iokg_lines"]
    doc = nlp_rules("We removed 12 Pages from Iran.")
    assert doc._.iokg_places[0].code == "IR"


def test_unknown_model_is_a_usage_error():
    with pytest.raises(UsageError, match="not installed"):
        load_pipeline("xx_no_such_model")


@pytest.mark.parametrize("pipeline", ["nlp", "nlp_rules"])
def test_line_breaks_end_sentences(pipeline, request):
    nlp = request.getfixturevalue(pipeline)
    doc = nlp("02\nWe removed 29 Facebook accounts\n- Followers: about 1,600 accounts followed these Pages")
    texts = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert texts[0] == "02"
    assert texts[1] == "We removed 29 Facebook accounts"
    assert texts[2].startswith("- Followers")


@pytest.mark.parametrize("pipeline", ["nlp", "nlp_rules"])
def test_hard_wrapped_lines_stay_one_sentence(pipeline, request):
    nlp = request.getfixturevalue(pipeline)
    doc = nlp("We removed 29 Facebook accounts and ten Pages from Iran that\ntargeted Israel. This network "
              "originated in Spain and El Salvador and targeted\nEl Salvador.")
    texts = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert len(texts) == 2
    assert [p.role for p in doc._.iokg_places] == ["origin_weak", "target", "origin", "origin", "target"]


def test_auto_falls_back_to_rules_with_a_logged_warning(monkeypatch, caplog, capsys):
    import logging

    import kg.extract.pipeline

    monkeypatch.setattr(kg.extract.pipeline, "DEFAULT_MODEL", "xx_model_not_installed_here")
    with caplog.at_level(logging.WARNING, logger="kg"):
        nlp = load_pipeline("auto")
    assert not has_model(nlp)
    (record,) = [r for r in caplog.records if r.name == "kg.extract.pipeline"]
    assert record.levelno == logging.WARNING and "rules only" in record.getMessage()
    assert "xx_model_not_installed_here" in record.getMessage()
