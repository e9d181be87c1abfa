"""What an extractor is built from: plain, picklable data, so that worker processes build
the same extractor and an ablation can switch one part off at a time."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Recipe:
    #: Every sovereign state (CLDR territory names in en/ja/zh-Hant) with demonyms, beyond
    #: the registry's states.
    all_states: bool = True
    #: The pinned spaCy model's named entities as a mention source beside the rules.
    model: bool = True
    #: Dependency patterns (appositions, compounds, possessives) for relations; parses only
    #: the sentences a relation rule needs.
    parse: bool = True
    #: The SKOS scheme of the field's issues and policies, and discovery by cue patterns.
    issue_scheme: bool = True

    def without(self, *parts: str) -> Recipe:
        return replace(self, **{part: False for part in parts})


#: The default: everything on.
FULL = Recipe()
#: The registry and the hand-written rules only: the baseline of the ablation table.
RULES_ONLY = Recipe(all_states=False, model=False, parse=False, issue_scheme=False)
#: The ablation table's rows, each adding one part to the row before.
ABLATION: tuple[tuple[str, Recipe], ...] = (
    ("rules only", RULES_ONLY),
    ("+ states", Recipe(all_states=True, model=False, parse=False, issue_scheme=False)),
    ("+ model", Recipe(all_states=True, model=True, parse=False, issue_scheme=False)),
    ("+ parse patterns", Recipe(all_states=True, model=True, parse=True, issue_scheme=False)),
    ("+ issue scheme", FULL),
)
