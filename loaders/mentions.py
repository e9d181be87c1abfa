"""Finding entity mentions: a pipeline of parts you can see and swap.

1. every source (loaders.mention_sources: registry, rules, institutions, topics, model)
   proposes candidates from the same context;
2. the merge keeps non-overlapping ones by the declared precedence and gives each an entity;
3. one resolution stage (loaders.resolution) adds the short forms: abbreviations, surnames.

The parts on are those of the ``Recipe``; the data types are in loaders.types (re-exported
here, where relation rules have always found them).
"""

from __future__ import annotations

from jtkg.loaders.gazetteer import Gazetteer
from jtkg.loaders.mention_rules import RuleSource
from jtkg.loaders.mention_sources import (
    Entities,
    InstitutionSource,
    MentionSource,
    ModelSource,
    RegistrySource,
    TopicSource,
    merge,
)
from jtkg.loaders.recipe import FULL, Recipe
from jtkg.loaders.resolution import nearest as _nearest
from jtkg.loaders.resolution import resolve
from jtkg.loaders.types import (
    BasedIn,
    Candidate,
    Context,
    Mention,
    MentionIndex,
    Span,
    TooManyMentions,
)

__all__ = [
    "BasedIn",
    "Candidate",
    "Context",
    "Mention",
    "MentionFinder",
    "MentionIndex",
    "TooManyMentions",
    "_nearest",
]


class MentionFinder:
    def __init__(self, gazetteer: Gazetteer, recipe: Recipe = FULL) -> None:
        self.gazetteer = gazetteer
        self.recipe = recipe
        self.registry_surnames = gazetteer.persons_by_surname()
        #: The sources, in no particular order: the merge ranks them by PRECEDENCE.
        self.sources: list[MentionSource] = [RegistrySource(), RuleSource(gazetteer), InstitutionSource()]
        if recipe.issue_scheme:
            self.sources.append(TopicSource(gazetteer))
        if recipe.model:
            self.sources.append(ModelSource(gazetteer))

    def find(
        self,
        text: str,
        body_start: int,
        sentences: list[Span],
        headings: set[int],
        max_mentions: int | None = None,
        where: str = "",
        warnings: list[str] | None = None,
    ) -> MentionIndex:
        """All mentions in ``text[body_start:]``. ``headings`` holds sentence starts of
        title-case lines, where only registry names are trusted. Raises TooManyMentions as
        soon as more than ``max_mentions`` are found."""
        ctx = Context(
            text,
            body_start,
            tuple(sentences),
            frozenset(headings),
            {s.start: self.gazetteer.find(text, s.start, s.end) for s in sentences},
            max_mentions,
            where,
            warnings.append if warnings is not None else None,
        )
        found: list[tuple[str, list[Candidate]]] = []
        for source in self.sources:  # the model (last) reads only what the others left
            found.append(
                (
                    source.name,
                    source.find(ctx, merge(found)) if isinstance(source, ModelSource) else source.find(ctx),
                )
            )
        merged = merge(found)
        entities = Entities(self.gazetteer)
        mentions = [
            Mention(c.start, c.end, entities.of(c), c.confidence, c.how, c.title, c.title_start)
            for c in merged
        ]
        based_in = [
            (m.entity, b.state, b.start, b.end)
            for c, m in zip(merged, mentions, strict=True)
            for b in c.based_in
        ]
        return MentionIndex.of(resolve(text, mentions, self.registry_surnames, max_mentions), based_in)
