"""Mention sources and their merge: precedence, extension, title claims, resolution of the
model's short forms. Short sentences of our own writing, invented names."""

from __future__ import annotations

from rdflib import Graph

from jtkg.loaders.gazetteer import Entity, Gazetteer
from jtkg.loaders.mention_sources import ModelSource, merge
from jtkg.loaders.mentions import MentionFinder
from jtkg.loaders.model_filters import ModelSpan
from jtkg.loaders.recipe import RULES_ONLY
from jtkg.loaders.resolution import resolve
from jtkg.loaders.text import sentences
from jtkg.loaders.types import Candidate, Mention
from jtkg.ontology import JT


def _cand(start: int, end: int, label: str = "X", cls=JT.Institution, how: str = "h", **kw) -> Candidate:  # type: ignore[no-untyped-def]
    return Candidate(start, end, cls, label, how, 0.8, **kw)


def test_a_higher_tier_wins_an_overlap_even_when_shorter() -> None:
    kept = merge([("model", [_cand(0, 20, "Long Model Span")]), ("registry", [_cand(5, 10, "Reg")])])
    assert [(c.start, c.source) for c in kept] == [(5, "registry")]


def test_within_a_tier_the_longer_span_wins_then_the_earlier() -> None:
    kept = merge([("model", [_cand(0, 5), _cand(3, 12), _cand(10, 15)])])
    assert [(c.start, c.end) for c in kept] == [(3, 12)]


def test_the_rules_extend_the_registry_they_read() -> None:
    # "Ruritania Policy Forum" (rules) over "Ruritania" (registry): the rules built it over it
    kept = merge(
        [
            ("registry", [_cand(0, 9, "Ruritania", JT.State)]),
            ("rules", [_cand(0, 22, "Ruritania Policy Forum")]),
        ]
    )
    assert [(c.label, c.source) for c in kept] == [("Ruritania Policy Forum", "rules")]


def test_the_model_does_not_extend_the_registry() -> None:
    kept = merge(
        [
            ("registry", [_cand(10, 22, "Policy Forum", JT.Institution)]),
            ("model", [_cand(0, 22, "Ruritania Policy Forum")]),
        ]
    )
    assert [c.source for c in kept] == ["registry"]


def test_disjoint_candidates_of_every_source_are_all_kept_in_text_order() -> None:
    kept = merge([("model", [_cand(30, 35)]), ("registry", [_cand(0, 4)]), ("rules", [_cand(10, 20)])])
    assert [c.source for c in kept] == ["registry", "rules", "model"]


def test_a_persons_title_is_claimed_against_lower_tiers() -> None:
    # "Fisheries Board Secretary Ann Vole": the model's ORG "Fisheries Board" is the title
    person = _cand(26, 34, "Ann Vole", JT.Person, title="Fisheries Board Secretary", title_start=0)
    kept = merge([("rules", [person]), ("model", [_cand(0, 15, "Fisheries Board")])])
    assert [c.label for c in kept] == ["Ann Vole"]


def _model_mention(start: int, label: str, cls=JT.Person) -> Mention:  # type: ignore[no-untyped-def]
    return Mention(
        start,
        start + len(label),
        Entity.discovered(cls, label),
        0.8,
        f"model:{'PERSON' if cls == JT.Person else 'ORG'}",
    )


def test_a_model_surname_is_the_person_named_in_full_before_it() -> None:
    text = "Marta Quillon spoke first. Then Quillon left."
    full = Mention(0, 13, Entity.discovered(JT.Person, "Marta Quillon"), 0.8, "rule:cue")
    found = resolve(text, [full, _model_mention(32, "Quillon")], {})
    assert [(m.start, m.entity.label, m.how) for m in found] == [
        (0, "Marta Quillon", "rule:cue"),
        (32, "Marta Quillon", "surname"),
    ]


def test_a_model_surname_with_no_full_name_is_dropped() -> None:
    found = resolve("Then Quillon left.", [_model_mention(5, "Quillon")], {})
    assert found == []


def test_a_model_abbreviation_is_the_body_spelt_out_before_it() -> None:
    text = "The Ruritanian Salt Board (RSB) met. The RSB agreed."
    board = Mention(4, 25, Entity.discovered(JT.Institution, "Ruritanian Salt Board"), 0.8, "rule:head")
    found = resolve(text, [board, _model_mention(41, "RSB", JT.Institution)], {})
    assert [(m.start, m.entity.label) for m in found] == [
        (4, "Ruritanian Salt Board"),
        (27, "Ruritanian Salt Board"),
        (41, "Ruritanian Salt Board"),
    ]


def test_a_model_abbreviation_never_spelt_out_is_dropped() -> None:
    assert resolve("The XQZ met.", [_model_mention(4, "XQZ", JT.Institution)], {}) == []


def _model_span(text: str, name: str, label: str) -> ModelSpan:
    start = text.index(name)
    return ModelSpan(start, start + len(name), label, name, 0.8)


def test_the_model_adapter_drops_credits_addresses_quotes_and_roles() -> None:
    source = ModelSource(Gazetteer(Graph()))
    cases = [
        ("A harbour at dusk. Ann Vole/Wire Agency", "Ann Vole", "PERSON"),
        ("Office: 5 Lane, Elmwood District, Capital", "Elmwood District", "PERSON"),
        ("Leaders urged to 'Stand Firm' today.", "Stand Firm", "PERSON"),
        ("She is Fellow / Advisory Board there.", "Fellow / Advisory Board", "ORG"),
    ]
    for text, name, label in cases:
        assert source._candidate(text, _model_span(text, name, label)) is None, name
    text = "Ann Vole of the Elmwood Trust spoke."
    assert source._candidate(text, _model_span(text, "Ann Vole", "PERSON")) is not None


def test_rules_only_has_no_model_or_topic_source() -> None:
    names = [s.name for s in MentionFinder(Gazetteer(Graph()), RULES_ONLY).sources]
    assert names == ["registry", "rules", "institutions"]


def test_the_pipeline_marks_how_each_mention_was_found() -> None:
    text = "Ambassador Ann Vole said the talks went well."
    index = MentionFinder(Gazetteer(Graph()), RULES_ONLY).find(text, 0, sentences(text), set())
    assert [(text[m.start : m.end], m.how) for m in index.mentions] == [("Ann Vole", "rule:title")]


def test_each_recipe_flag_switches_its_source() -> None:
    from jtkg.loaders.recipe import FULL

    def names(recipe):  # type: ignore[no-untyped-def]
        return {s.name for s in MentionFinder(Gazetteer(Graph()), recipe).sources}

    assert {"model", "topics"} <= names(FULL)
    assert "model" not in names(FULL.without("model"))
    assert "topics" not in names(FULL.without("issue_scheme"))


def test_the_index_of_kept_mentions_is_a_new_one() -> None:
    text = "Ambassador Ann Vole met Consul Bo Reyes."
    index = MentionFinder(Gazetteer(Graph()), RULES_ONLY).find(text, 0, sentences(text), set())
    kept = index.keeping(lambda m: m.start > 20)
    assert [m.entity.label for m in kept.mentions] == ["Bo Reyes"]
    assert [e.label for e in kept.entities.values()] == ["Bo Reyes"]
    assert len(index.mentions) == 2


def test_in_a_heading_only_registry_names_count() -> None:
    from rdflib import RDF, RDFS, Literal, URIRef

    registry = Graph()
    ruritania = URIRef("https://w3id.org/jtkg/id/state/ruritania")
    registry.add((ruritania, RDF.type, JT.State))
    registry.add((ruritania, RDFS.label, Literal("Ruritania")))
    text = "Ambassador Ann Vole Visits Ruritania Again\nAmbassador Ann Vole visited Ruritania."
    spans = sentences(text)
    index = MentionFinder(Gazetteer(registry), RULES_ONLY).find(text, 0, spans, {spans[0].start})
    # (a surname there may still point to the person the body names)
    assert [(m.start > spans[0].end, m.entity.label) for m in index.mentions if m.how != "surname"] == [
        (False, "Ruritania"),
        (True, "Ann Vole"),
        (True, "Ruritania"),
    ]


def test_a_model_body_named_after_its_state_replaces_the_state_inside() -> None:
    state = _cand(0, 9, "Ruritania", JT.State)
    works = _cand(0, 32, "Ruritania Salt Works Corporation")
    assert [c.label for c in merge([("registry", [state]), ("model", [works])])] == [
        "Ruritania Salt Works Corporation"
    ]
    # one more word is not enough ("Ruritania Navy" may be a state's force the rules name)
    short = _cand(0, 14, "Ruritania Navy")
    assert [c.label for c in merge([("registry", [state]), ("model", [short])])] == ["Ruritania"]
