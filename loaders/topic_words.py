"""Words of English that the topic finder (loaders.topics, loaders.topic_cues) reads: function
words that end or cannot open a noun phrase, vague modifiers, the heads of policy names.
General English and the genre's vocabulary, not words of any document."""

from __future__ import annotations

import re

from jtkg.loaders.lexicon import GENERIC_WORDS, HEAD_WORDS, NOT_NAME_WORDS
from jtkg.loaders.names import LEADING_WORDS
from jtkg.ontology import JT

# fmt: off
# (word tables: a line of words per group reads better than a word per line)

#: Words left lower case inside a title ("Freedom of Navigation", "Belt and Road").
SMALL = {"of", "and", "the", "on", "for", "to", "in", "a", "an", "at", "by", "with", "from",
         "over", "between", "across", "against", "or"}

#: Capitalised words after which a name goes on ("... Bureau", "... Forum", "... Act").
INSTITUTION_HEADS = frozenset(HEAD_WORDS) | {"Islands", "Island", "Reef", "Sea", "Strait"} - {
    "Crisis", "War", "Disaster"}

PRONOUNS = {"i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her",
            "it", "its", "they", "them", "their", "this", "these", "those", "that", "itself",
            "themselves", "one", "ones", "someone", "something", "anything", "everything"}
AUXILIARIES = {"is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had",
               "do", "does", "did", "will", "would", "shall", "should", "can", "could", "may",
               "might", "must", "not", "n't", "never", "no"}
VERBS = {"remain", "remains", "remained", "continue", "continues", "continued", "become",
         "becomes", "became", "seem", "seems", "seemed", "appear", "appears", "appeared",
         "say", "says", "said", "think", "thinks", "thought", "believe", "believes", "get",
         "gets", "got", "make", "makes", "made", "take", "takes", "took", "come", "comes",
         "came", "go", "goes", "went", "see", "sees", "saw", "know", "knows", "knew", "want",
         "wants", "need", "needs", "told", "tell", "tells", "called", "argue", "argues",
         "argued", "noted", "added", "warned", "stressed", "raised", "discussed", "poses",
         "pose", "posed", "threatens", "threaten", "threatened", "include", "includes",
         "included", "involve", "involves", "involved", "concern", "concerns", "concerned",
         "led", "lead", "leads", "faces", "face", "faced", "grew", "grow", "grows", "began",
         "begin", "begins", "erupted", "flared", "escalated", "intensified", "deepened",
         "heightened", "sparked", "triggered", "caused", "prompted"}
WH_WORDS = {"that", "which", "who", "whom", "whose", "where", "when", "while", "whether",
            "why", "how", "what", "whatever"}
CONJUNCTIONS = {"and", "or", "but", "nor", "yet", "so", "because", "since", "although",
                "though", "unless", "until", "if", "as", "than", "once"}
PREPOSITIONS = {"in", "on", "at", "by", "for", "with", "from", "to", "into", "onto", "over",
                "under", "between", "among", "amid", "during", "after", "before", "through",
                "across", "against", "toward", "towards", "about", "around", "near",
                "without", "within", "beyond", "despite", "via", "per", "upon", "off", "like",
                "along", "behind", "since", "including", "following", "regarding"}
ADVERBS = {"also", "even", "still", "already", "now", "then", "there", "here", "very",
           "more", "most", "less", "least", "too", "just", "only", "again", "further",
           "however", "perhaps", "really", "quite", "rather", "often", "always", "ever",
           "recently", "increasingly", "particularly", "especially"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his",
               "her", "our", "my", "your", "some", "any", "each", "every", "all", "both",
               "such", "another", "other", "no", "many", "much", "few", "several"}

#: Words that end a noun phrase read after a cue ("the dispute over X [that ...]").
STOP = PRONOUNS | AUXILIARIES | VERBS | WH_WORDS | CONJUNCTIONS | PREPOSITIONS | ADVERBS

#: Vague modifiers that do not name an issue: "the same issue", "the key question".
VAGUE = {"same", "main", "key", "big", "bigger", "biggest", "real", "other", "first", "second",
         "third", "last", "next", "only", "central", "core", "major", "important", "critical",
         "crucial", "broader", "larger", "underlying", "whole", "entire", "specific",
         "particular", "current", "latest", "new", "old", "difficult", "tricky", "thorny",
         "sensitive", "complex", "fundamental", "basic", "remaining", "outstanding", "pressing",
         "general", "common", "following", "above", "said", "such", "each", "every", "serious",
         "urgent", "long-standing", "longstanding", "long-running", "ongoing", "related",
         "various", "different", "similar", "certain", "open", "simple", "hard", "vexing",
         "burning", "wider", "deeper", "existential", "political", "lingering", "perennial",
         "total", "complete", "blanket", "outright", "temporary", "full", "partial",
         "permanent", "sweeping", "de", "facto", "strict", "tough", "tougher", "possible",
         "potential", "proposed", "planned", "alleged", "so-called", "recent", "previous",
         "earlier", "later", "future", "present", "actual", "overall", "own", "this", "that",
         "these", "those", "its", "their", "his", "her", "our", "any", "some", "no", "one",
         "two", "three", "several", "many", "few", "more", "most", "very"}

#: Capitalised heads that make a run of capitalised words a policy's name, with the cue's
#: name and confidence ("Initiative" and "Program" also name projects and bodies).
POLICY_HEADS: dict[str, tuple[str, float]] = {
    "Law": ("law", 0.7), "Laws": ("law", 0.7), "Act": ("act", 0.7), "Acts": ("act", 0.7),
    "Bill": ("bill", 0.65), "Ordinance": ("law", 0.65), "Regulations": ("law", 0.6),
    "Strategy": ("strategy", 0.7), "Doctrine": ("doctrine", 0.7),
    "Initiative": ("initiative", 0.6), "Guidelines": ("guidelines", 0.7),
    "Guideline": ("guidelines", 0.65), "Program": ("program", 0.6),
    "Programme": ("program", 0.6), "Programs": ("program", 0.6),
    "Programmes": ("program", 0.6), "Policy": ("policy", 0.65),
    "Principles": ("principles", 0.65), "Plan": ("plan", 0.6), "Vision": ("vision", 0.55),
    "Blueprint": ("plan", 0.55), "Resolution": ("resolution", 0.6),
    "Directive": ("law", 0.6), "Decree": ("law", 0.6), "Bluebook": ("white-paper", 0.7),
}
#: The same heads in lower case, after a capitalised modifier ("the Fukuda doctrine").
LOWER_POLICY_HEADS = {"strategy", "doctrine", "initiative", "policy", "principle", "plan",
                      "program", "programme", "white paper", "concept", "vision"}
#: Lower-case last words that make a quoted or discovered topic a policy, not an issue.
POLICY_WORDS = LOWER_POLICY_HEADS | {"law", "act", "ban", "bans", "guidelines", "principles",
                                     "embargo", "sanctions", "regulation", "regulations"}

_FUNCTION = {"also", "even", "just", "still", "yet", "however", "moreover", "furthermore",
             "nevertheless", "nonetheless", "therefore", "thus", "meanwhile", "despite",
             "although", "though", "given", "finally", "next", "where", "why", "how", "what",
             "who", "which", "there", "here", "he", "she", "it", "they", "we", "i", "when",
             "while", "if", "since", "during", "after", "before"}
#: Capitalised words that open a sentence or a phrase but are no part of a policy's name.
OPENERS = set(LEADING_WORDS) | {w for w in NOT_NAME_WORDS if w.lower() in _FUNCTION} | {
    "Under", "Through", "With", "From", "To", "By", "Unlike", "Like", "Via", "Per", "Against",
    "Amid", "Among", "Without", "Upon", "Its", "Their", "Such", "Why", "Whether", "Now", "Then",
    "Today", "Yesterday", "Last", "This", "Every"}
#: Single words too general to name a policy before its head ("Foreign Policy" is a journal).
GENERIC_MODIFIERS = set(GENERIC_WORDS) | {"Asia", "Asian", "Global", "Social", "Domestic",
                                          "Pacific", "World", "International", "New", "Our",
                                          "Economic", "Policy", "Strategic", "Regional"}
#: Words of a name that say the name is a body's ("Institute for ... Policy").
BODY_WORDS = {w for w, c in HEAD_WORDS.items() if c == JT.Institution}

#: Kinds of threat a text names as a security issue ("an existential threat").
THREAT_KINDS = {"existential", "nuclear", "missile", "military", "security", "cyber",
                "terrorist", "terrorism", "hybrid", "maritime", "ballistic", "biological",
                "chemical", "strategic", "information", "espionage"}

_SPELLINGS = [(re.compile(a), b) for a, b in [
    (r"grey", "gray"), (r"defence", "defense"), (r"offence", "offense"),
    (r"isation", "ization"), (r"labour", "labor"), (r"centre$", "center"),
]]
_SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2013\u2014]+")

# fmt: on


def _singular(token: str) -> str:
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if token.endswith("es") and token[:-2].endswith(("ss", "sh", "ch", "x")):
        return token[:-2]
    if len(token) > 2 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def key(text: str) -> str:
    """One key for every variant a label matches in: case, plural, hyphens and spaces,
    apostrophes, "U.S."/"US", British spelling ("Grey-zone tactic" = "gray zone tactics")."""
    tokens = []
    for token in _SEPARATORS.split(text.lower().replace("’", "'")):
        token = re.sub(r"[.',]", "", token)
        for rx, repl in _SPELLINGS:
            token = rx.sub(repl, token)
        if token:
            tokens.append(_singular(token))
    return "".join(tokens)


def words_of(text: str) -> list[str]:
    return [w for w in _SEPARATORS.split(text) if w]


def is_capitalised(text: str) -> bool:
    """Every word that is not a small word starts with a capital: "Maritime Security"."""
    words = [
        w
        for w in re.split(r"[\s\u2010\u2011\u2013\u2014/]+", text)
        if w and w[0].isalpha() and w.lower() not in SMALL
    ]
    return bool(words) and all(w[0].isupper() for w in words)
