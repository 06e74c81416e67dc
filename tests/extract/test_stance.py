"""Stance cues on sentences written for these tests, with and without the statistical model."""
from __future__ import annotations

import pytest

from kg.errors import UsageError
from kg.extract.people import expand_name, find_party, fold, merge_targets
from kg.graph.model import StanceTarget
from kg.extract.stance import stance_of
from kg.extract.stance_rules import load_cues


@pytest.fixture(params=["model", "rules"], scope="module")
def pipeline(request):
    from kg.extract.pipeline import load_pipeline

    return load_pipeline("auto" if request.param == "model" else "none")


def run(pipeline, text):
    doc = pipeline(text)
    promotes, attacks, claims = stance_of(list(doc.sents), text)
    return promotes, attacks, claims


def names(targets):
    return sorted(t.name for t in targets)


CUE_CASES = [
    ("The accounts shared supportive commentary about the Green Horizon party and criticism of its rival, "
     "the Blue Coast party.", ["Green Horizon"], ["Blue Coast"]),
    ("Its Pages praised Governor Tomas Ekdahl and criticized the Latvian government.",
     ["Tomas Ekdahl"], ["Latvian government"]),
    ("The operators amplified the content of Patria Nueva, a political party in Chile.", ["Patria Nueva"], []),
    ("They spread allegations of corruption against presidential candidate Ines Aldana and her family.",
     [], ["Ines Aldana"]),
    ("Most posts were written in support of the opposition in Belarus.", ["opposition in Belarus"], []),
    ("The network posted positive commentary about the government of Peru and negative commentary about "
     "the Chilean foreign policy.", ["government of Peru"], ["Chilean foreign policy"]),
    ("They published content critical of Senator Halvard Moe.", [], ["Halvard Moe"]),
    ("The Pages shared anti-Orban memes.", [], ["Orban"]),
]


@pytest.mark.parametrize("text,promoted,attacked", CUE_CASES)
def test_each_cue_finds_its_targets(pipeline, text, promoted, attacked):
    promotes, attacks, _ = run(pipeline, text)
    assert names(promotes) == sorted(promoted)
    assert names(attacks) == sorted(attacked)


def test_roles_are_kept_apart_from_names(pipeline):
    text = "Their content included criticism of mayoral candidate Rosa Villar and praise for US President Dana Kirk."
    promotes, attacks, _ = run(pipeline, text)
    assert [(t.name, t.kind, t.role) for t in attacks] == [("Rosa Villar", "person", "mayoral candidate")]
    assert [(t.name, t.kind, t.role) for t in promotes] == [("Dana Kirk", "person", "US President")]


def test_president_of_a_country_is_a_person_known_by_role(pipeline):
    _, attacks, _ = run(pipeline, "The posts were sharply critical of the president of Brazil.")
    assert [(t.name, t.kind, t.role, t.country) for t in attacks] == [
        ("President of Brazil", "person", "President of Brazil", "BR")]


def test_mixed_commentary_is_neither(pipeline):
    promotes, attacks, _ = run(pipeline, "They shared memes and commentary both supporting and criticizing "
                                         "the president of Mexico.")
    assert promotes == [] and attacks == []


def test_topics_and_pronouns_are_not_targets(pipeline):
    text = ("The network posted about the mayoral election in Santa Rosa and criticism of corruption. "
            "It took action against fake accounts and opposed oppressive regimes.")
    promotes, attacks, _ = run(pipeline, text)
    assert promotes == [] and attacks == []


def test_topic_list_next_to_a_criticism_is_promoted(pipeline):
    text = "The people behind it posted about the Red Tide movement and criticism of Premier Anders Lund."
    promotes, attacks, _ = run(pipeline, text)
    assert [(t.name, t.kind) for t in promotes] == [("Red Tide", "movement")]
    assert [(t.name, t.role) for t in attacks] == [("Anders Lund", "Premier")]


def test_politician_named_twice_is_one_person(pipeline):
    text = ("The network posted criticism of President Okafor. "
            "Older posts attacked Ngozi Okafor over the budget.")
    _, attacks, claims = run(pipeline, text)
    assert len(attacks) == 1
    person = attacks[0]
    assert person.name == "Ngozi Okafor" and person.role == "President" and "Okafor" in person.aliases
    assert sorted(c.evidence.start for c in claims if c.field == "attacks") == [0, text.index("Older")]


def test_party_spellings_and_languages_resolve_to_one_party(pipeline):
    text = ("It posted supportive commentary about the Morena party. "
            "Other Pages praised the Movimiento Regeneración Nacional and amplified MORENA.")
    promotes, _, _ = run(pipeline, text)
    assert [(t.name, t.kind, t.country) for t in promotes] == [("MORENA", "party", "MX")]
    _, attacks, _ = run(pipeline, "Their Pages shared criticism of ARENA, the Salvadoran right-wing party.")
    assert [(t.name, t.country) for t in attacks] == [("ARENA", "SV")]


def test_acronym_spelled_out_in_the_document(pipeline):
    text = ("The Pages belonged to the Frente Amplio de Renovacion (FAR). "
            "They posted supportive commentary about the FAR party.")
    promotes, _, _ = run(pipeline, text)
    assert names(promotes) == ["FAR"]


def test_hashtags_quoted_in_the_text(pipeline):
    text = ("The campaign targeted opposition leader Lidia Marsh. "
            "The accounts pushed the hashtags #MarshOut and #VoteForKeller, backing councillor Jon Keller.")
    promotes, attacks, _ = run(pipeline, text)
    assert names(attacks) == ["Lidia Marsh"]
    assert names(promotes) == ["Jon Keller"]


SAMPLE = """The people behind this activity posted about local news in Valdoria.

Below is a sample of the content posted by some of these Pages.

Translation

Caption: I am with the Union for Progress! Vote for Mira Holt #HoltWins

Translation

Comment by this network's account: Teodor Vass resign, enough lies!
"""

NOT_THEIRS = """The people behind this activity posted about local news in Valdoria.

Below is a screenshot of an article published by an independent newspaper.

Caption: Long live Teodor Vass! #VassOut
"""


def test_captions_count_when_presented_as_the_networks_content(pipeline):
    promotes, attacks, claims = run(pipeline, SAMPLE)
    assert names(promotes) == ["Mira Holt", "Union for Progress"]
    assert names(attacks) == ["Teodor Vass"]
    for claim in claims:
        assert SAMPLE[claim.evidence.start:claim.evidence.end] == claim.evidence.text


def test_captions_of_other_peoples_posts_do_not_count(pipeline):
    promotes, attacks, _ = run(pipeline, NOT_THEIRS)
    assert promotes == [] and attacks == []


def test_claims_carry_the_sentence_with_offsets(pipeline):
    text = "Fake accounts appeared. They posted criticism of the Iberian Dam project."
    _, attacks, claims = run(pipeline, text)
    assert [(t.name, t.kind) for t in attacks] == [("Iberian Dam project", "project")]
    (claim,) = claims
    assert (claim.field, claim.value) == ("attacks", "Iberian Dam project")
    assert text[claim.evidence.start:claim.evidence.end] == claim.evidence.text
    assert claim.evidence.text.startswith("They posted criticism")


def test_no_sentences_no_stance():
    assert stance_of([], "") == ([], [], [])


def test_name_helpers():
    assert fold("Marybel Villlegas Canché") == fold("marybel villegas canche")
    assert expand_name("Arauz", "The mother of candidate Andrés Arauz signed.") == "Andrés Arauz"
    assert expand_name("Talon", "Patrice Talon and his son Lionel Talon.") == "Talon"
    assert find_party("National Regeneration Movement").name == "MORENA"
    merged = merge_targets([StanceTarget("Talon", "person", role="President"), StanceTarget("Patrice Talon", "person")])
    assert [(t.name, t.role, t.aliases) for t in merged] == [("Patrice Talon", "President", ("Talon",))]


def test_unknown_cue_type_lists_the_valid_ones(tmp_path):
    bad = tmp_path / "cues.jsonl"
    bad.write_text('{"type": "praise", "phrase": "lauded"}\n', encoding="utf-8")
    with pytest.raises(UsageError) as error:
        load_cues(str(bad))
    assert "unknown cue type 'praise'" in str(error.value) and "promote" in str(error.value)


WORDS = ["criticism of", "supportive commentary about", "the", "President", "Ana", "Lopez", "party", "MORENA",
         "against", "#LopezOut", "Caption:", "posted about", "and", ",", ".", "\n\n", "(AB)", "anti-", "Union",
         "government", "of", "Peru", "I am with", "resign", "sample of the content posted by", "amplified"]


def test_any_text_gives_targets_with_exact_evidence(nlp_rules):
    from hypothesis import given, settings, strategies as st

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.sampled_from(WORDS), max_size=40))
    def check(parts):
        text = " ".join(parts)
        promotes, attacks, claims = stance_of(list(nlp_rules(text).sents), text)
        names = {t.name for t in promotes} | {t.name for t in attacks}
        for claim in claims:
            assert text[claim.evidence.start:claim.evidence.end] == claim.evidence.text
            assert claim.value in names

    check()


def test_party_list_is_a_general_resource_without_clashing_aliases():
    from kg.graph.model import STANCE_KINDS
    from kg.data import load_jsonl

    rows = load_jsonl("parties")
    assert len({r["country"] for r in rows}) >= 40
    owner = {}
    for row in rows:
        assert row["kind"] in STANCE_KINDS and len(row["country"]) == 2
        for name in [row["name"], *row["aliases"]]:
            assert owner.setdefault(fold(name), row["name"]) == row["name"], f"{name} names two parties"
    assert find_party("PPP").name == "Pakistan Peoples Party" and find_party("PP").name == "Partido Popular"
