"""The issue scheme (ontology/issues.ttl) and the topic finder (loaders.topics): concepts
matched by their labels and variants, new issues and policies discovered by cue patterns,
and the guards that keep junk out. Sentences and names are invented."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS

from jtkg.loaders.recipe import Recipe
from jtkg.loaders.topics import TopicFinder, TopicMention
from jtkg.ontology import ID, JT, entity_iri, load_issue_scheme, load_registry


@pytest.fixture(scope="module")
def finder() -> TopicFinder:
    return TopicFinder()


def found(finder: TopicFinder, text: str) -> list[tuple[str, str, str]]:
    """(words, class, label) of each topic found."""
    return [(text[m.start : m.end], m.cls.split("#")[1], m.label) for m in finder.find(text)]


def concept(finder: TopicFinder, text: str, words: str) -> URIRef | None:
    for m in finder.find(text):
        if text[m.start : m.end] == words:
            return m.concept
    raise AssertionError(f"{words!r} not found in {text!r}: {found(finder, text)}")


# ------------------------------------------------------------------------------ the scheme


def test_the_scheme_has_many_concepts_each_an_issue_or_a_policy() -> None:
    scheme = load_issue_scheme()
    concepts = set(scheme.subjects(SKOS.inScheme, JT.Issues))
    assert len(concepts) >= 120
    for c in concepts:
        kinds = set(scheme.objects(c, RDF.type)) & {JT.Issue, JT.Policy}
        assert len(kinds) == 1, c


def test_scheme_labels_are_consistent() -> None:
    scheme = load_issue_scheme()
    for c in set(scheme.subjects(SKOS.inScheme, JT.Issues)):
        english = [o for o in scheme.objects(c, RDFS.label) if o.language == "en"]
        assert len(english) == 1, c
        # The IRI is the slug of the label, so a mention named by the label gets this IRI.
        cls = JT.Policy if (c, RDF.type, JT.Policy) in scheme else JT.Issue
        assert entity_iri(cls, str(english[0])) == c
        prefs = list(scheme.objects(c, SKOS.prefLabel))
        langs = [p.language for p in prefs if isinstance(p, Literal)]
        assert len(langs) == len(set(langs)), c  # one preferred label per language
        alts = {str(a) for a in scheme.objects(c, SKOS.altLabel)}
        assert not alts & {str(p) for p in prefs}, c


def test_broader_links_stay_in_the_scheme_without_cycles() -> None:
    scheme = load_issue_scheme()
    concepts = set(scheme.subjects(SKOS.inScheme, JT.Issues))
    for narrower, broader in scheme.subject_objects(SKOS.broader):
        assert broader in concepts, broader
        assert (broader, SKOS.narrower, narrower) in scheme
        if (narrower, RDF.type, JT.Issue) in scheme:  # the shape: an issue's broader is an issue
            assert (broader, RDF.type, JT.Issue) in scheme, (narrower, broader)
    for c in concepts:
        seen, todo = set(), [c]
        while todo:
            node = todo.pop()
            for up in scheme.objects(node, SKOS.broader):
                assert up != c, f"cycle through {c}"
                if up not in seen:
                    seen.add(up)
                    todo.append(up)
    assert set(scheme.objects(JT.Issues, SKOS.hasTopConcept))


def test_registry_concepts_keep_their_iris() -> None:
    plain = load_registry(scheme=False)
    scheme = load_issue_scheme()
    for cls in (JT.Issue, JT.Policy):
        for iri in plain.subjects(RDF.type, cls):
            assert (iri, SKOS.inScheme, JT.Issues) in scheme
            assert len(set(scheme.objects(iri, RDFS.label))) == 1  # no second English name


def test_no_two_concepts_share_a_label(finder: TopicFinder) -> None:
    assert finder.collisions == []


def test_the_registry_with_the_scheme_publishes_it() -> None:
    assert (ID["issue/gray-zone-coercion"], RDF.type, JT.Issue) in load_registry()
    assert (ID["issue/gray-zone-coercion"], RDF.type, JT.Issue) not in load_registry(scheme=False)


# ---------------------------------------------------------------------------- matching


def test_labels_match_in_plural_hyphenation_spacing_and_spelling(finder: TopicFinder) -> None:
    target = ID["issue/gray-zone-coercion"]
    for text in [
        "Officials warned of gray-zone tactics.",
        "Officials warned of grey zone tactics.",
        "Officials warned of a gray-zone tactic.",
    ]:
        words = text.removeprefix("Officials warned of ").removeprefix("a ").rstrip(".")
        assert concept(finder, text, words) == target
    cyber = ID["issue/cybersecurity"]
    for words in ["cyber security", "cybersecurity", "cyber-security"]:
        assert concept(finder, f"They spoke of {words} at the forum.", words) == cyber
    assert (
        concept(finder, "It rests on collective self-defence.", "collective self-defence")
        == ID["issue/collective-self-defense"]
    )


def test_a_match_names_the_concept_and_keeps_the_words_as_written(finder: TopicFinder) -> None:
    [m] = finder.find("Fleets of sand dredgers gathered.")
    assert isinstance(m, TopicMention) and m.how == "scheme"
    assert m.label == "Sand dredging" and m.cls == JT.Issue
    assert m.aliases == ("sand dredgers",)


def test_abbreviations_match_in_their_case_only(finder: TopicFinder) -> None:
    assert concept(finder, "Two FONOPs took place.", "FONOPs") == ID["issue/freedom-of-navigation-operations"]
    assert concept(finder, "Jets entered the ADIZ twice.", "ADIZ") == ID["issue/adiz-incursions"]
    assert found(finder, "The neo and adiz words are not names.") == []


def test_longest_label_wins(finder: TopicFinder) -> None:
    assert found(finder, "Analysts doubt extended deterrence.") == [
        ("extended deterrence", "Issue", "Extended deterrence")
    ]
    assert found(finder, "Tokyo debated Japan's defense buildup.") == [
        ("Japan's defense buildup", "Issue", "Japan's defense buildup")
    ]


def test_registry_issues_are_found_with_the_registry_iri(finder: TopicFinder) -> None:
    assert (
        concept(finder, "Boats sailed near the Senkaku Islands.", "Senkaku Islands")
        == ID["issue/senkaku-islands-dispute"]
    )
    assert concept(finder, "Both cite the Okinotori reef.", "Okinotori reef") == ID["issue/okinotori-dispute"]


def test_no_match_inside_a_longer_capitalised_name(finder: TopicFinder) -> None:
    assert found(finder, "The Maritime Security Bureau of Freedonia met.") == []
    assert found(finder, "She works at the Tourism Office of Westmark.") == []
    # The concept in lower case, or a capitalised one on its own, still counts.
    assert found(finder, "Maritime security matters.")[0][2] == "Maritime security"
    assert found(finder, "Deterrence is costly.")[0][2] == "Deterrence"


def test_labels_in_japanese_and_chinese_match(finder: TopicFinder) -> None:
    assert [m.concept for m in finder.find("防衛費の増額")] == [ID["issue/defense-spending"]]


def test_switched_off_it_finds_nothing() -> None:
    off = TopicFinder.from_recipe(Recipe(issue_scheme=False))
    assert off.find("Gray-zone tactics and the dispute over the Kestrel Shoals.") == []
    assert TopicFinder.from_recipe(Recipe()).enabled


# --------------------------------------------------------------------------- discovery


@pytest.mark.parametrize(
    ("text", "words", "cls", "label", "how"),
    [
        (
            "The dispute over the Kestrel Shoals has flared again.",
            "dispute over the Kestrel Shoals",
            "Issue",
            "Dispute over the Kestrel Shoals",
            "cue:dispute-over",
        ),
        (
            "A row over grazing permits split the council.",
            "row over grazing permits",
            "Issue",
            "Dispute over grazing permits",
            "cue:dispute-over",
        ),
        (
            "Ministers discussed the pension transfer issue at length.",
            "pension transfer issue",
            "Issue",
            "Pension transfer issue",
            "cue:the-x-issue",
        ),
        (
            "They raised the question of water rights again.",
            "question of water rights",
            "Issue",
            "Water rights",
            "cue:issue-of",
        ),
        (
            "Parliament passed the Coastal Radio Spectrum Act last week.",
            "Coastal Radio Spectrum Act",
            "Policy",
            "Coastal Radio Spectrum Act",
            "cue:act",
        ),
        (
            "Under the Marine Salvage Law, owners must report.",
            "Marine Salvage Law",
            "Policy",
            "Marine Salvage Law",
            "cue:law",
        ),
        (
            "It revised the Harbor Modernization Act of 2021.",
            "Harbor Modernization Act of 2021",
            "Policy",
            "Harbor Modernization Act of 2021",
            "cue:act",
        ),
        (
            "He cited the Act on the Protection of Migratory Birds.",
            "Act on the Protection of Migratory Birds",
            "Policy",
            "Act on the Protection of Migratory Birds",
            "cue:act",
        ),
        (
            "The cabinet adopted the Blue Horizon Strategy.",
            "Blue Horizon Strategy",
            "Policy",
            "Blue Horizon Strategy",
            "cue:strategy",
        ),
        (
            "Scholars revisit the Lindqvist Doctrine.",
            "Lindqvist Doctrine",
            "Policy",
            "Lindqvist Doctrine",
            "cue:doctrine",
        ),
        (
            "Scholars revisit the Lindqvist doctrine.",
            "Lindqvist doctrine",
            "Policy",
            "Lindqvist doctrine",
            "cue:doctrine",
        ),
        (
            "Funds flow to the Coral Bridge Initiative.",
            "Coral Bridge Initiative",
            "Policy",
            "Coral Bridge Initiative",
            "cue:initiative",
        ),
        (
            "Ports follow the Harbor Safety Guidelines.",
            "Harbor Safety Guidelines",
            "Policy",
            "Harbor Safety Guidelines",
            "cue:guidelines",
        ),
        (
            "They fund the Coastal Resilience Programs.",
            "Coastal Resilience Programs",
            "Policy",
            "Coastal Resilience Programs",
            "cue:program",
        ),
        (
            "Westmark kept its Look North Policy.",
            "Look North Policy",
            "Policy",
            "Look North Policy",
            "cue:policy",
        ),
        (
            'He decried the so-called "salami slicing" tactics.',
            '"salami slicing" tactics',
            "Issue",
            "Salami slicing tactics",
            "cue:quoted",
        ),
        (
            "It keeps the 'three noes' policy.",
            "'three noes' policy",
            "Policy",
            "Three noes policy",
            "cue:quoted",
        ),
        (
            "Critics call it “strategic patience”, and worse.",
            "“strategic patience”",
            "Issue",
            "Strategic patience",
            "cue:quoted",
        ),
        (
            "She fears the threat of pipeline sabotage.",
            "threat of pipeline sabotage",
            "Issue",
            "Threat of pipeline sabotage",
            "cue:threat-of",
        ),
        (
            "Drought is an existential threat to the valley.",
            "existential threat",
            "Issue",
            "Existential threat",
            "cue:threat",
        ),
        (
            "Freedonia imposed a ban on kelp exports.",
            "ban on kelp exports",
            "Policy",
            "Ban on kelp exports",
            "cue:ban-on",
        ),
        ("The blanket kelp ban hurt farmers.", "kelp ban", "Policy", "Kelp ban", "cue:x-ban"),
    ],
)
def test_each_cue_discovers_a_topic(
    finder: TopicFinder, text: str, words: str, cls: str, label: str, how: str
) -> None:
    [m] = [m for m in finder.find(text) if m.concept is None]
    assert (text[m.start : m.end], m.cls.split("#")[1], m.label, m.how) == (words, cls, label, how)
    assert 0 < m.confidence < 0.8  # a discovery is less sure than a scheme label


def test_a_discovery_that_is_a_scheme_label_is_that_concept(finder: TopicFinder) -> None:
    [m] = finder.find("They discussed the question of Taiwan.")
    assert m.concept == ID["issue/taiwan-question"] and m.how == "scheme"


def test_a_specific_instrument_wins_over_the_concept_inside_it(finder: TopicFinder) -> None:
    [m] = finder.find("Freedonia announced a ban on imports of kelp from Westmark.")
    assert m.label == "Ban on imports of kelp from Westmark" and m.concept is None


@pytest.mark.parametrize(
    "text",
    [
        "They discussed the same issue again.",  # a vague modifier
        "That is the key question for everyone.",
        "The first problem was money.",
        "The ministry issues warnings every week.",  # a verb, not the noun
        "They settled the dispute over whether to meet.",  # no noun phrase
        "They ended the dispute over. Rights groups objected.",  # a sentence break
        "The dispute over it lasted.",  # a pronoun
        "The dispute over the long list of nine small old things people mention grew.",  # too long
        "She studied at the School of Public Policy.",  # a body's name
        "Editors of Foreign Policy wrote back.",  # a journal
        "President Bill Nolan spoke.",  # a first name
        "Westmark Passes New Radio Law After Debate",  # a headline
        "They praised the Japanese strategy.",  # a demonym is no name
        "It was a 'historic' visit.",  # a quoted modifier
        'He said it was "a very bad idea" today.',  # quoted speech
        "A ban on it followed.",
    ],
)
def test_guards_keep_junk_out(finder: TopicFinder, text: str) -> None:
    assert [m for m in finder.find(text) if m.concept is None] == [], found(finder, text)


# ------------------------------------------------------------------ regressions (failed before)


def test_an_abbreviated_state_is_no_policy_name(finder: TopicFinder) -> None:
    # "U.S. policy" was read as a policy named "S. policy" (the run began after the dot).
    assert [m for m in finder.find("The U.S. policy toward Westmark changed.") if m.concept is None] == []


def test_a_scheme_document_named_with_its_year_is_that_document(finder: TopicFinder) -> None:
    # "the National Security Strategy of 2022" was a new policy beside the registry's.
    text = "It is restated in the National Security Strategy of 2022."
    [m] = finder.find(text)
    assert m.concept == ID["policy/national-security-strategy-of-japan"]
    [m] = finder.find("It was set in the 2018 National Defense Program Guidelines.")
    assert m.concept == ID["policy/national-defense-program-guidelines"]


def test_a_bodys_program_is_no_policy(finder: TopicFinder) -> None:
    # "the Harbor Forum Fellows Program" was a policy; it is the forum's project.
    assert [
        m for m in finder.find("She joined the Harbor Forum Fellows Program last year.") if m.concept is None
    ] == []


def test_no_match_inside_a_name_joined_by_small_words(finder: TopicFinder) -> None:
    # "National Defense" in "Institute for National Defense and ... Studies" was an issue.
    text = "She is a fellow at the Institute for National Defense and Harbor Studies."
    assert found(finder, text) == []


def test_a_longer_label_starting_inside_a_match_wins(finder: TopicFinder) -> None:
    # "bilateral trade" hid "bilateral trade agreement" that began at the same place, and
    # any label starting inside an earlier match was never tried.
    assert found(finder, "They weighed a bilateral trade agreement.") == [
        ("bilateral trade agreement", "Issue", "Free trade agreements")
    ]
    assert found(finder, "They expanded maritime security cooperation.") == [
        ("security cooperation", "Issue", "Security cooperation")
    ]
