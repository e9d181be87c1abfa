"""Every sovereign state, named from CLDR (through Babel) in English, Japanese and Traditional
Chinese, with the short forms and demonyms a news article uses.

Which territories are states. CLDR has no sovereignty flag, so the criterion is the one the
United Nations keeps: its 193 member states, its two observer states (the Holy See, Palestine),
and the two states that govern themselves with wide but not UN recognition, Taiwan and Kosovo.
Dependent territories and special administrative regions (Hong Kong, Macao, Puerto Rico,
Greenland, Guam, ...) and regions ("Latin America") stay out. The ISO 3166 codes below are that
criterion written down (knowledge of the world, not of any document).

Names. The English, Japanese and Traditional Chinese names are CLDR's (``Locale(...).territories``).
Babel keeps only CLDR's default names, not its alt="short"/"variant" forms, so the forms news
writing uses and CLDR's defaults lack ("U.S.", "Britain", "DPRK", "Ivory Coast", "Turkey", ...)
are in ``SHORT_FORMS``, written by hand (not "Holland": as often a surname, and the
Netherlands' name in policy writing is "the Netherlands"). Spelling variants are derived, not
typed: "&" as "and", "St." as "Saint", ASCII folds ("Cote d'Ivoire"), both apostrophes, and
"X (Y)" as X and Y. Taiwan is "Taiwan" (CLDR's own name; never ISO's "Province of China").

Demonyms. Neither CLDR nor ISO has them: ``DEMONYMS`` is written from general knowledge of
English usage (the adjectival forms listed in the CIA World Factbook's "Nationality" field and
in reference lists of adjectival and demonymic forms of countries), only those in common use;
an adjective shared by two states (Congolese, Central African) is left out, and "Dominican"
is the Dominican Republic's (Dominica's is rare in news).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

#: The 193 member states of the United Nations (ISO 3166-1 alpha-2).
UN_MEMBERS = frozenset(
    """
    AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI CV KH
    CM CA CF TD CL CN CO KM CG CD CR CI HR CU CY CZ KP DK DJ DM DO EC EG SV GQ ER EE SZ ET FJ
    FI FR GA GM GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI
    KW KG LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MD MC MN ME MA MZ MM NA
    NR NP NL NZ NI NE NG MK NO OM PK PW PA PG PY PE PH PL PT QA KR RO RU RW KN LC VC WS SM ST
    SA SN RS SC SL SG SK SI SB SO ZA SS ES LK SD SR SE CH SY TJ TZ TH TL TG TO TT TN TR TM TV
    UG UA AE GB US UY UZ VU VE VN YE ZM ZW""".split()
)
#: Observer states of the UN General Assembly: the Holy See and the State of Palestine.
UN_OBSERVERS = frozenset({"VA", "PS"})
#: Self-governing states outside the UN: Taiwan (Republic of China) and Kosovo.
OTHER_STATES = frozenset({"TW", "XK"})
SOVEREIGN = UN_MEMBERS | UN_OBSERVERS | OTHER_STATES

#: Forms news writing uses that Babel's CLDR names lack (alt forms, official and old names).
SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "US": ("U.S.", "US", "USA", "U.S.A.", "America", "United States of America"),
    "GB": ("UK", "U.K.", "Britain", "Great Britain"),
    "KR": ("Republic of Korea", "ROK", "Korea"),  # bare "Korea": the South, as in the registry
    "KP": ("DPRK", "Democratic People's Republic of Korea"),
    "CN": ("People's Republic of China", "PRC"),
    "TW": ("Republic of China", "ROC", "Republic of China (Taiwan)"),
    "RU": ("Russian Federation",),
    "VN": ("Viet Nam",),
    "CZ": ("Czech Republic",),
    "TR": ("Turkey",),
    "CI": ("Ivory Coast",),
    "SZ": ("Swaziland",),
    "TL": ("East Timor",),
    "CV": ("Cabo Verde",),
    "MK": ("Republic of North Macedonia",),
    "VA": ("Holy See", "Vatican"),
    "PS": ("Palestine", "State of Palestine"),
    "CD": (
        "Democratic Republic of the Congo",
        "Democratic Republic of Congo",
        "DR Congo",
        "DRC",
        "Congo-Kinshasa",
    ),
    "CG": ("Republic of the Congo", "Republic of Congo", "Congo-Brazzaville"),
    "FM": ("Federated States of Micronesia",),
    "AE": ("UAE", "U.A.E."),
    "BA": ("Bosnia",),
    "VC": ("Saint Vincent and the Grenadines",),
    "LA": ("Lao PDR",),
}
#: English labels where CLDR's name is a disambiguation form ("Congo - Kinshasa") or names
#: the territory rather than the state ("Palestinian Territories").
LABELS = {"CD": "Democratic Republic of the Congo", "CG": "Republic of the Congo", "PS": "Palestine"}

#: Adjectives of nationality in common English use, per state (see the module docstring).
DEMONYMS: dict[str, tuple[str, ...]] = {
    "AF": ("Afghan",),
    "AL": ("Albanian",),
    "DZ": ("Algerian",),
    "AD": ("Andorran",),
    "AO": ("Angolan",),
    "AG": ("Antiguan",),
    "AR": ("Argentine", "Argentinian"),
    "AM": ("Armenian",),
    "AU": ("Australian",),
    "AT": ("Austrian",),
    "AZ": ("Azerbaijani",),
    "BS": ("Bahamian",),
    "BH": ("Bahraini",),
    "BD": ("Bangladeshi",),
    "BB": ("Barbadian",),
    "BY": ("Belarusian",),
    "BE": ("Belgian",),
    "BZ": ("Belizean",),
    "BJ": ("Beninese",),
    "BT": ("Bhutanese",),
    "BO": ("Bolivian",),
    "BA": ("Bosnian",),
    "BW": ("Botswanan",),
    "BR": ("Brazilian",),
    "BN": ("Bruneian",),
    "BG": ("Bulgarian",),
    "BF": ("Burkinabe",),
    "BI": ("Burundian",),
    "CV": ("Cape Verdean",),
    "KH": ("Cambodian",),
    "CM": ("Cameroonian",),
    "CA": ("Canadian",),
    "TD": ("Chadian",),
    "CL": ("Chilean",),
    "CN": ("Chinese",),
    "CO": ("Colombian",),
    "KM": ("Comoran",),
    "CR": ("Costa Rican",),
    "CI": ("Ivorian",),
    "HR": ("Croatian",),
    "CU": ("Cuban",),
    "CY": ("Cypriot",),
    "CZ": ("Czech",),
    "KP": ("North Korean",),
    "DK": ("Danish",),
    "DJ": ("Djiboutian",),
    "DO": ("Dominican",),
    "EC": ("Ecuadorian",),
    "EG": ("Egyptian",),
    "SV": ("Salvadoran",),
    "GQ": ("Equatorial Guinean",),
    "ER": ("Eritrean",),
    "EE": ("Estonian",),
    "SZ": ("Swazi",),
    "ET": ("Ethiopian",),
    "FJ": ("Fijian",),
    "FI": ("Finnish",),
    "FR": ("French",),
    "GA": ("Gabonese",),
    "GM": ("Gambian",),
    "GE": ("Georgian",),
    "DE": ("German",),
    "GH": ("Ghanaian",),
    "GR": ("Greek",),
    "GD": ("Grenadian",),
    "GT": ("Guatemalan",),
    "GN": ("Guinean",),
    "GW": ("Bissau-Guinean",),
    "GY": ("Guyanese",),
    "HT": ("Haitian",),
    "HN": ("Honduran",),
    "HU": ("Hungarian",),
    "IS": ("Icelandic",),
    "IN": ("Indian",),
    "ID": ("Indonesian",),
    "IR": ("Iranian",),
    "IQ": ("Iraqi",),
    "IE": ("Irish",),
    "IL": ("Israeli",),
    "IT": ("Italian",),
    "JM": ("Jamaican",),
    "JP": ("Japanese",),
    "JO": ("Jordanian",),
    "KZ": ("Kazakh", "Kazakhstani"),
    "KE": ("Kenyan",),
    "KW": ("Kuwaiti",),
    "KG": ("Kyrgyz",),
    "LA": ("Lao", "Laotian"),
    "LV": ("Latvian",),
    "LB": ("Lebanese",),
    "LR": ("Liberian",),
    "LY": ("Libyan",),
    "LT": ("Lithuanian",),
    "LU": ("Luxembourgish",),
    "MG": ("Malagasy",),
    "MW": ("Malawian",),
    "MY": ("Malaysian",),
    "MV": ("Maldivian",),
    "ML": ("Malian",),
    "MT": ("Maltese",),
    "MH": ("Marshallese",),
    "MR": ("Mauritanian",),
    "MU": ("Mauritian",),
    "MX": ("Mexican",),
    "FM": ("Micronesian",),
    "MD": ("Moldovan",),
    "MC": ("Monegasque",),
    "MN": ("Mongolian",),
    "ME": ("Montenegrin",),
    "MA": ("Moroccan",),
    "MZ": ("Mozambican",),
    "MM": ("Burmese",),
    "NA": ("Namibian",),
    "NR": ("Nauruan",),
    "NP": ("Nepali", "Nepalese"),
    "NL": ("Dutch",),
    "NI": ("Nicaraguan",),
    "NE": ("Nigerien",),
    "NG": ("Nigerian",),
    "MK": ("North Macedonian", "Macedonian"),
    "NO": ("Norwegian",),
    "OM": ("Omani",),
    "PK": ("Pakistani",),
    "PW": ("Palauan",),
    "PA": ("Panamanian",),
    "PG": ("Papua New Guinean",),
    "PY": ("Paraguayan",),
    "PE": ("Peruvian",),
    "PH": ("Filipino", "Philippine"),
    "PL": ("Polish",),
    "PT": ("Portuguese",),
    "QA": ("Qatari",),
    "KR": ("South Korean", "Korean"),
    "RO": ("Romanian",),
    "RU": ("Russian",),
    "RW": ("Rwandan",),
    "LC": ("Saint Lucian",),
    "VC": ("Vincentian",),
    "WS": ("Samoan",),
    "SM": ("Sammarinese",),
    "SA": ("Saudi", "Saudi Arabian"),
    "SN": ("Senegalese",),
    "RS": ("Serbian",),
    "SC": ("Seychellois",),
    "SL": ("Sierra Leonean",),
    "SG": ("Singaporean",),
    "SK": ("Slovak",),
    "SI": ("Slovenian", "Slovene"),
    "SO": ("Somali",),
    "ZA": ("South African",),
    "SS": ("South Sudanese",),
    "ES": ("Spanish",),
    "LK": ("Sri Lankan",),
    "SD": ("Sudanese",),
    "SR": ("Surinamese",),
    "SE": ("Swedish",),
    "CH": ("Swiss",),
    "SY": ("Syrian",),
    "TJ": ("Tajik", "Tajikistani"),
    "TZ": ("Tanzanian",),
    "TH": ("Thai",),
    "TL": ("Timorese", "East Timorese"),
    "TG": ("Togolese",),
    "TO": ("Tongan",),
    "TT": ("Trinidadian",),
    "TN": ("Tunisian",),
    "TR": ("Turkish",),
    "TM": ("Turkmen",),
    "TV": ("Tuvaluan",),
    "UG": ("Ugandan",),
    "UA": ("Ukrainian",),
    "AE": ("Emirati",),
    "GB": ("British",),
    "US": ("American",),
    "UY": ("Uruguayan",),
    "UZ": ("Uzbek",),
    "VE": ("Venezuelan",),
    "VN": ("Vietnamese",),
    "YE": ("Yemeni",),
    "ZM": ("Zambian",),
    "ZW": ("Zimbabwean",),
    "PS": ("Palestinian",),
    "TW": ("Taiwanese",),
    "XK": ("Kosovar", "Kosovan"),
}
#: Combining forms, a state only before a hyphen: "Sino-Japanese", "Franco-German".
COMBINING_FORMS = {"Sino": "CN", "Franco": "FR", "Russo": "RU"}

#: Places that are not states but whose names hold a state's ("New Guinea" the island, "New
#: Mexico" the US state): matched so that the state inside them is not. CLDR's own names of
#: non-state territories and regions ("American Samoa", "Latin America") are added to these.
NOT_STATES = (
    "New Guinea",
    "Gulf of Guinea",
    "New Mexico",
    "Northern Ireland",
    "Lake Chad",
    "Korean Peninsula",
)


@dataclass(frozen=True)
class State:
    code: str
    #: The canonical English name (CLDR's, except ``LABELS``).
    label: str
    #: Every English name to find it by: the label, CLDR's name, short forms, variants.
    names: tuple[str, ...]
    ja: str
    zh_hant: str
    demonyms: tuple[str, ...]


def _variants(name: str) -> set[str]:
    """Spellings of one name: "&" as "and", "St." as "Saint", ASCII folds, apostrophes,
    "Myanmar (Burma)" as both names."""
    forms = {name}
    if "(" in name and name.endswith(")"):
        outer, inner = name[:-1].split("(", 1)
        forms |= {outer.strip(), inner.strip()}
    for form in list(forms):
        forms |= {form.replace(" & ", " and "), form.replace("St. ", "Saint ")}
    for form in list(forms):
        forms.add(form.replace("St. ", "Saint ").replace(" & ", " and "))
        plain = form.replace("’", "'")
        folded = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode()
        if len(folded) == len(plain):  # a fold that dropped accents only, not letters
            forms.add(folded)
        forms |= {form.replace("’", "'"), form.replace("'", "’")}
    return {f for f in forms if " - " not in f and f}  # "Congo - Kinshasa" is CLDR's notation


@cache
def _territories(locale: str) -> dict[str, str]:
    from babel import Locale  # deferred: only extraction with every state pays for the data

    return dict(Locale.parse(locale).territories)


@cache
def sovereign_states() -> tuple[State, ...]:
    """The states of the criterion above, sorted by code."""
    en, ja, zh = _territories("en"), _territories("ja"), _territories("zh_Hant")
    states = []
    for code in sorted(SOVEREIGN):
        cldr = en[code]
        # "Myanmar (Burma)" is labelled Myanmar; "Bosnia & Herzegovina" spelled out with "and".
        label = LABELS.get(code) or cldr.split("(")[0].strip().replace(" & ", " and ")
        names = {label} | _variants(cldr)
        for form in SHORT_FORMS.get(code, ()):
            names |= _variants(form)
        ordered = (label, *sorted(names - {label}))
        states.append(State(code, label, ordered, ja.get(code, ""), zh.get(code, ""), DEMONYMS.get(code, ())))
    return tuple(states)


@cache
def not_state_names() -> tuple[str, ...]:
    """Names of places that are not states but hold a state's name as whole words: CLDR's
    names of every other territory and region ("Hong Kong SAR China", "American Samoa",
    "Latin America"), and ``NOT_STATES``. A name that is itself a state's is never one."""
    state_names = {n for s in sovereign_states() for n in s.names}
    words = re.compile(
        r"\b(?:"
        + "|".join(re.escape(n) for n in sorted(state_names | set(demonym_codes()), key=len, reverse=True))
        + r")\b"
    )
    found = set()
    for code, name in _territories("en").items():
        if code in SOVEREIGN:
            continue
        for form in _variants(name) | {name.split(" SAR ")[0]}:
            if form not in state_names and words.search(form):
                found.add(form)
    found |= {n for n in NOT_STATES if n not in state_names}
    return tuple(sorted(found))


@cache
def demonym_codes() -> dict[str, str]:
    """Adjective -> state code, combining forms included."""
    table = {word: code for code, words in DEMONYMS.items() for word in words}
    table.update(COMBINING_FORMS)
    return table


def state_code(name_or_demonym: str) -> str | None:
    """The code of the state that an English name or demonym names, else None."""
    if name_or_demonym in demonym_codes():
        return demonym_codes()[name_or_demonym]
    return _by_name().get(name_or_demonym)


@cache
def _by_name() -> dict[str, str]:
    return {n: s.code for s in sovereign_states() for n in s.names}
