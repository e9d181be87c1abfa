"""Where an institution is based: "a Taipei-based think tank", "X, based in Tokyo", "X is
headquartered in Seoul", and an address in a footer ending in a state ("... Taipei City,
Republic of China (Taiwan)"). ("Japan's X" is found with the mentions: MentionIndex.based_in.)

A city points to its state only through ``CITIES``, a small table of capitals and major
cities written from general knowledge (not taken from any document): a city not in it gives
nothing, since a guess would be a wrong fact.
"""

from __future__ import annotations

import re

from jtkg.loaders.facts import BasedInFact
from jtkg.loaders.gazetteer import Entity
from jtkg.loaders.mentions import Mention
from jtkg.loaders.relation_context import DocumentContext, SentenceContext
from jtkg.loaders.text import Span
from jtkg.ontology import JT

#: Capitals and major cities → the state's name (as the gazetteer knows it).
CITIES = {
    # East Asia
    # Japan: Tokyo, the other 46 prefectural capitals and the designated cities (seirei
    # shitei toshi), a closed list of general knowledge; no other town.
    **dict.fromkeys(
        (
            "Tokyo",
            "Sapporo",
            "Aomori",
            "Morioka",
            "Sendai",
            "Akita",
            "Yamagata",
            "Fukushima",
            "Mito",
            "Utsunomiya",
            "Maebashi",
            "Saitama",
            "Chiba",
            "Yokohama",
            "Niigata",
            "Toyama",
            "Kanazawa",
            "Fukui",
            "Kofu",
            "Nagano",
            "Gifu",
            "Shizuoka",
            "Nagoya",
            "Tsu",
            "Otsu",
            "Kyoto",
            "Osaka",
            "Kobe",
            "Nara",
            "Wakayama",
            "Tottori",
            "Matsue",
            "Okayama",
            "Hiroshima",
            "Yamaguchi",
            "Tokushima",
            "Takamatsu",
            "Matsuyama",
            "Kochi",
            "Fukuoka",
            "Saga",
            "Nagasaki",
            "Kumamoto",
            "Oita",
            "Miyazaki",
            "Kagoshima",
            "Naha",
            "Kawasaki",
            "Sagamihara",
            "Hamamatsu",
            "Sakai",
            "Kitakyushu",
        ),
        "Japan",
    ),
    "Taipei": "Taiwan",
    "New Taipei": "Taiwan",
    "Kaohsiung": "Taiwan",
    "Taichung": "Taiwan",
    "Tainan": "Taiwan",
    "Hsinchu": "Taiwan",
    "Taoyuan": "Taiwan",
    "Keelung": "Taiwan",
    "Beijing": "People's Republic of China",
    "Shanghai": "People's Republic of China",
    "Guangzhou": "People's Republic of China",
    "Shenzhen": "People's Republic of China",
    "Wuhan": "People's Republic of China",
    "Tianjin": "People's Republic of China",
    "Xiamen": "People's Republic of China",
    "Nanjing": "People's Republic of China",
    "Seoul": "South Korea",
    "Busan": "South Korea",
    "Pyongyang": "North Korea",
    "Ulaanbaatar": "Mongolia",
    # South-east and South Asia, Oceania
    "Manila": "Philippines",
    "Hanoi": "Vietnam",
    "Ho Chi Minh City": "Vietnam",
    "Bangkok": "Thailand",
    "Jakarta": "Indonesia",
    "Kuala Lumpur": "Malaysia",
    "Singapore": "Singapore",
    "Phnom Penh": "Cambodia",
    "Vientiane": "Laos",
    "Yangon": "Myanmar",
    "Naypyidaw": "Myanmar",
    "New Delhi": "India",
    "Mumbai": "India",
    "Bengaluru": "India",
    "Bangalore": "India",
    "Islamabad": "Pakistan",
    "Dhaka": "Bangladesh",
    "Colombo": "Sri Lanka",
    "Kathmandu": "Nepal",
    "Canberra": "Australia",
    "Sydney": "Australia",
    "Melbourne": "Australia",
    "Wellington": "New Zealand",
    "Auckland": "New Zealand",
    # The Americas
    "Washington": "United States",
    "Washington, D.C.": "United States",
    "New York": "United States",
    "San Francisco": "United States",
    "Los Angeles": "United States",
    "Chicago": "United States",
    "Boston": "United States",
    "Honolulu": "United States",
    "Seattle": "United States",
    "Ottawa": "Canada",
    "Toronto": "Canada",
    "Vancouver": "Canada",
    "Mexico City": "Mexico",
    "Brasília": "Brazil",
    "Brasilia": "Brazil",
    "São Paulo": "Brazil",
    "Buenos Aires": "Argentina",
    # Europe, Middle East, Africa
    "London": "United Kingdom",
    "Paris": "France",
    "Berlin": "Germany",
    "Munich": "Germany",
    "Frankfurt": "Germany",
    "Brussels": "Belgium",
    "The Hague": "Netherlands",
    "Amsterdam": "Netherlands",
    "Geneva": "Switzerland",
    "Zurich": "Switzerland",
    "Bern": "Switzerland",
    "Vienna": "Austria",
    "Rome": "Italy",
    "Madrid": "Spain",
    "Lisbon": "Portugal",
    "Stockholm": "Sweden",
    "Oslo": "Norway",
    "Copenhagen": "Denmark",
    "Helsinki": "Finland",
    "Warsaw": "Poland",
    "Prague": "Czechia",
    "Budapest": "Hungary",
    "Kyiv": "Ukraine",
    "Kiev": "Ukraine",
    "Moscow": "Russia",
    "Ankara": "Turkey",
    "Istanbul": "Turkey",
    "Tel Aviv": "Israel",
    "Jerusalem": "Israel",
    "Riyadh": "Saudi Arabia",
    "Dubai": "United Arab Emirates",
    "Abu Dhabi": "United Arab Emirates",
    "Doha": "Qatar",
    "Tehran": "Iran",
    "Cairo": "Egypt",
    "Nairobi": "Kenya",
    "Pretoria": "South Africa",
    "Johannesburg": "South Africa",
    "Lagos": "Nigeria",
    "Abuja": "Nigeria",
}

_PLACE = r"(?P<place>[A-Z][\w.’'-]*(?:[ \t]+[A-Z][\w.’'-]*){0,2})"
#: "a Taipei-based think tank", "Tokyo-based Elbonia Corp."
_HYPHEN_BASED = re.compile(rf"{_PLACE}-(?:based|headquartered)\b")
#: "X, based in Tokyo", "X is headquartered in Seoul", "X, which is based in Taipei"
_BASED_IN = re.compile(
    r",?[ \t]+(?:(?:which|that)[ \t]+is[ \t]+|is[ \t]+|was[ \t]+)?(?:based|"
    rf"headquartered|located)[ \t]+in[ \t]+(?:the[ \t]+city[ \t]+of[ \t]+)?{_PLACE}"
)


def state_of_place(doc: DocumentContext, place: str) -> Entity | None:
    """The state a place names: the state itself, or a city of ``CITIES``."""
    place = re.sub(r"[ \t]+City$", "", place.strip()) if place not in CITIES else place
    found = doc.gazetteer.lookup(place)
    if found is not None and found.cls == JT.State:
        return found
    name = CITIES.get(place)
    if name is None:
        return None
    found = doc.gazetteer.lookup(name)
    return found if found is not None and found.cls == JT.State else None


class BasedInPhrases:
    """ "a Taipei-based think tank, the X", "Tokyo-based X", "X, based in CITY"."""

    def facts(self, s: SentenceContext) -> list[BasedInFact]:
        text, span = s.text, s.span
        institutions = [m for m in s.mentions if m.entity.cls == JT.Institution]
        found: list[BasedInFact] = []
        for m in _HYPHEN_BASED.finditer(text, span.start, span.end):
            state = _place_state(s, m)
            if state is None:
                continue
            org = _hyphen_target(s, institutions, m)
            if org is not None and org.entity != state:
                found.append(BasedInFact(org.entity, state, s.span, 0.75))
        for org in institutions:
            m = _BASED_IN.match(text, org.end, span.end)
            if m is None:
                continue
            state = _place_state(s, m)
            if state is not None:
                found.append(BasedInFact(org.entity, state, s.span, 0.75))
        return found


def _place_state(s: SentenceContext, m: re.Match[str]) -> Entity | None:
    """The state of the place a match names; the longest known reading of it wins
    ("New Taipei" before "Taipei"; "Tokyo" out of "Central Tokyo")."""
    words = m.group("place").rstrip(".’'").split()  # "in Japan." ends the sentence
    for n in range(len(words), 0, -1):
        for i in range(len(words) - n + 1):
            state = state_of_place(s.doc, " ".join(words[i : i + n]))
            if state is not None:
                return state
    return None


def _hyphen_target(s: SentenceContext, institutions: list[Mention], m: re.Match[str]) -> Mention | None:
    """The institution "PLACE-based" describes: the name right after it ("Tokyo-based X
    Corp."), after its common noun and a comma ("a Taipei-based think tank, the X"), or
    the name it stands in apposition to ("the X, a Taipei-based think tank")."""
    text = s.text
    for org in institutions:
        if org.start < m.end():
            continue
        gap = text[m.end() : org.start]
        # A common noun or two may stand between ("think tank, the"), not a clause.
        if (
            len(gap) <= 60
            and re.fullmatch(
                r"[ \t]+(?:[a-z-]+[ \t]+){0,3}?(?:[a-z-]+,?[ \t]+"
                r"(?:the[ \t]+|called[ \t]+|named[ \t]+)?)?",
                gap,
            )
            and not re.search(
                r"\b(?:that|which|who|with|for|of|and|to|in|on|by|at|from)\b", gap.replace(", the ", ", ")
            )
        ):
            return org
        return None
    before = [o for o in institutions if o.end <= m.start()]
    if before and re.fullmatch(r",[ \t]+(?:an?|the)[ \t]+", text[before[-1].end : m.start()]):
        return before[-1]
    return None


#: An address line: numbers, and words of streets and buildings.
_ADDRESS = re.compile(
    r"\d|\b(?:Road|Rd\.|Street|St\.|Avenue|Ave\.|Boulevard|Blvd\.|District|"
    r"Dist\.|Floor|Fl\.|Building|Bldg\.|Suite|Lane|Ln\.|Sec\.|Section|No\.|Ward|"
    r"Chome|chome|City|Prefecture|P\.O\.)"
)


def footer_address(doc: DocumentContext) -> list[BasedInFact]:
    """An address in the last lines that ends in a state ("No. 1, X Rd., Taipei City,
    Republic of China (Taiwan)"): the publisher is based there, else the institution named
    on the line or the two lines above."""
    text = doc.text
    tail_start = max(0, len(text) - 3000)
    found: list[BasedInFact] = []
    for line in re.finditer(r"^[^\n]{10,300}$", text[tail_start:], re.MULTILINE):
        lo, hi = tail_start + line.start(), tail_start + line.end()
        words = text[lo:hi]
        if words.count(",") < 2 or len(_ADDRESS.findall(words)) < 2:
            continue
        on_line = doc.index.within(lo, hi + 1)
        states = [m for m in on_line if m.entity.cls == JT.State]
        if not states or re.sub(r"\([^()]*\)|[\s).,(]", "", text[states[-1].end : hi]):
            continue  # the line does not end in the state
        state = states[-1].entity
        org = doc.publisher
        if org is None or org.cls != JT.Institution:
            above = [
                m
                for m in doc.index.within(max(0, text.rfind("\n", 0, max(0, lo - 1) - 200)), hi)
                if m.entity.cls == JT.Institution
            ]
            org = above[-1].entity if above else None
        if org is not None:
            found.append(BasedInFact(org, state, Span(lo, hi), 0.7, "footer-address"))
    return found[-1:]
