"""Word lists that drive extraction: heads of names, titles, reporting verbs.

These are words of the genre (English-language policy writing), not names from any document.
"""

from __future__ import annotations

from jtkg.ontology import JT

# fmt: off
# (word tables: a line of words per group reads better than a word per line)

#: The last word of a name decides its class ("Norvane University", "Fisheries Agreement").
HEAD_WORDS: dict[str, object] = {}
for _cls, _words in {
    JT.Institution: """University Institute Institution Foundation Center Centre Party Ministry Council
        Committee Agency Association Bureau Corporation Co. Company Inc. Ltd. Trust Assembly
        Organization Organisation Yuan Diet Navy Army Forces Force Office Department Forum Bank
        Commission Fund College School Academy Society Times News Post Magazine Guard Corps Group
        Administration Government Secretariat Network Federation Union Court Cabinet Parliament
        Congress Brigade Laboratory Consulting Service Services Press
        Journal Review Broadcasting Airlines Industries Holdings Partners Fleet Command Framework
        House Embassy Facility""".split(),
    JT.Agreement: """Agreement Treaty Communiqué Communique Declaration Memorandum Accord
        Arrangement Partnership Pact Convention Protocol""".split(),
    JT.Policy: """Act Law Strategy Paper Guidelines Bluebook Book Doctrine Policy Ordinance
        Regulation Regulations Ban""".split(),
    JT.Event: """Talks Dialogue Summit Election Elections Exercise Exercises Drill Drills Crisis
        Disaster Symposium Conference Meeting War Webinar Games Olympics Earthquake Incident
        Massacre Revolution Negotiations Visit""".split(),
}.items():
    for _word in _words:
        HEAD_WORDS.setdefault(_word, _cls)

#: Lowercase heads that, after a capitalized name, complete it: "Iron Tide exercises".
LOWERCASE_HEADS: dict[str, object] = {
    "exercises": JT.Event, "exercise": JT.Event, "drill": JT.Event, "drills": JT.Event,
    "talks": JT.Event, "dialogue": JT.Event, "summit": JT.Event, "election": JT.Event,
    "crisis": JT.Event, "disaster": JT.Event, "symposium": JT.Event, "webinar": JT.Event,
    "joint declaration": JT.Agreement, "joint statement": JT.Agreement,
    "joint communiqué": JT.Agreement, "agreement": JT.Agreement, "treaty": JT.Agreement,
    "memorandum": JT.Agreement, "white paper": JT.Policy, "act": JT.Policy, "law": JT.Policy,
    "concept": JT.Policy, "strategy": JT.Policy, "initiative": JT.Policy,
}

#: Two-word heads, checked before the last word: "Joint Statement", "Working Group".
PHRASE_HEADS: dict[str, object] = {
    "Joint Statement": JT.Agreement, "Joint Declaration": JT.Agreement,
    "Working Group": JT.Event, "White Paper": JT.Policy, "Blue Book": JT.Policy,
}

#: Common words that make a name generic unless its owner is named: "Foreign Ministry".
GENERIC_WORDS = {
    "Foreign", "Defense", "Defence", "Affairs", "National", "Coast", "Air", "Maritime", "Ground",
    "Self-Defense", "Health", "Justice", "Finance", "Interior", "Economy", "Trade", "Industry",
    "Security", "Intelligence", "Public", "Central", "Presidential", "Legislative", "Executive",
    "Supreme", "Police", "Communications", "Internal", "Education", "Culture", "Science",
    "Technology", "Environment", "Energy", "Transport", "Agriculture", "Fisheries", "Labor",
    "Welfare", "Home", "State", "Armed", "Military", "Naval", "Marine", "Special", "Cabinet",
}

#: Words that open a role title rather than a name: "Research Fellow for ...", "Professor".
ROLE_WORDS = {
    "president", "vice", "prime", "minister", "secretary", "legislator", "legislators", "lawmaker",
    "lawmakers", "parliamentarian", "parliamentarians", "professor", "director", "co-director",
    "chairman", "chairwoman", "chair", "leader", "senator", "representative", "ambassador",
    "envoy", "spokesperson", "spokesman", "spokeswoman", "governor", "mayor", "general",
    "admiral", "journalist", "politician", "analyst", "researcher", "scholar", "fellow",
    "colleague", "author", "editor", "moderator", "panelist", "premier", "candidate", "member",
    "head", "chief", "officer", "deputy", "adviser", "advisor", "dean", "lecturer", "student",
    "correspondent", "commander", "founder", "partner", "principal", "principle", "associate",
    "assistant", "senior", "executive", "emperor", "king", "queen", "diplomat", "official",
    "officials", "expert", "experts", "staff", "manager", "consultant", "economist", "lawyer",
    "judge", "speaker", "then-representative", "then-president", "former", "retired",
    "research", "advisory", "visiting", "liaison", "president-elect", "nonresident",
    "non-resident", "counselor", "attaché", "attache", "negotiator", "delegate",
    # offices of states, parties, companies and forces
    "chancellor", "commissioner", "secretary-general", "undersecretary", "under-secretary",
    "vice-chairman", "vice-president", "vice-minister", "vice-premier", "chairperson", "ceo",
    "cfo", "coo", "cto", "treasurer", "prosecutor", "captain", "colonel", "lieutenant",
    "sergeant", "inspector", "superintendent", "mayor-elect", "governor-general", "councillor",
    "councilor", "assemblyman", "assemblywoman", "congressman", "congresswoman", "consul",
    "consul-general",
}

#: Words that make a role a title of a person ("Prime Minister Ivo Marren").
TITLE_HEADS = ROLE_WORDS - {"former", "retired", "senior", "associate", "assistant", "vice",
                            "prime", "deputy", "chief", "executive", "research", "advisory",
                            "visiting", "nonresident", "non-resident"}

HONORIFICS = {"Dr.", "Dr", "Mr.", "Mr", "Mrs.", "Mrs", "Ms.", "Ms", "Prof.", "Prof", "Sir",
              # ranks and offices written short before a name: "Gen. NAME", "Sen. NAME"
              "Gen.", "Lt.", "Col.", "Maj.", "Capt.", "Adm.", "Sgt.", "Cmdr.", "Sen.", "Rep.",
              "Gov.", "Amb.", "Rev."}

#: Verbs whose subject, right after a name, is a person: "Ilse Marten spoke first".
PERSON_VERBS = {"spoke", "resigned", "testified", "tweeted", "smiled", "laughed", "recalled",
                "admitted", "recounted", "chaired", "moderated", "retired", "died", "was born",
                "was sworn", "was elected", "was appointed", "shook", "declined to comment"}

#: Verbs that attribute words to a speaker.
REPORTING_VERBS = {
    "said", "says", "say", "argued", "argues", "noted", "notes", "stated", "states", "expressed",
    "urged", "urges", "recommended", "recommends", "proposed", "proposes", "suggested",
    "suggests", "encouraged", "encourages", "called", "calls", "emphasized", "emphasised",
    "acknowledged", "observed", "added", "adds", "believes", "believed", "warned", "warns",
    "insisted", "concluded", "described", "asserted", "asserts", "told", "explained",
    "reiterated", "agreed", "determined", "assessed", "found", "intimated", "thinks",
    "pointed", "stressed", "claimed", "claims", "announced", "declared", "wrote", "writes",
    "stating", "saying", "arguing", "noting", "adding", "warning", "urging", "calling",
    "insisting", "suggesting", "recommending", "intimating", "responded", "replied", "asked",
    "agrees", "contended", "maintained", "cautioned",
    "advised", "lists", "listed", "opened", "discussed", "defined", "identified",
}

#: Reporting verbs that make a statement a recommendation.
RECOMMENDING_VERBS = {
    "urged", "urges", "recommended", "recommends", "proposed", "proposes", "suggested",
    "suggests", "encouraged", "encourages", "called", "calls", "advised", "urging", "calling",
    "suggesting", "recommending",
}

#: Verbs whose subjects and objects take part in an event.
PARTICIPATION_CUES = ("joined", "attended", "in attendance", "took part", "participated",
                      "represent", "met with", "hosted", "panelists", "moderator", "speakers")

#: Adjectives of nationality, for the state they point to (registry labels).
DEMONYMS = {
    "Japanese": "Japan", "Taiwanese": "Taiwan", "Chinese": "People's Republic of China",
    "Sino": "People's Republic of China", "American": "United States", "U.S.": "United States",
    "US": "United States", "Korean": "South Korea", "Australian": "Australia",
    "British": "United Kingdom", "Russian": "Russia",
}

#: Last words of place names: a "person" ending in one is an address ("... District").
PLACE_HEADS = {"District", "County", "City", "Prefecture", "Province", "Road", "Rd.", "Street",
               "St.", "Avenue", "Ave.", "Boulevard", "Island", "Islands", "Bay", "Port",
               "Airport", "Station", "Village", "Town", "Township", "Square", "Park", "Strait",
               "Sea", "River", "Mountain", "Mount", "Peninsula", "Harbor", "Harbour", "Base"}

#: Capitalized words that never begin or form a person's name.
NOT_NAME_WORDS = {
    "The", "This", "That", "These", "Those", "If", "In", "On", "At", "For", "But", "And", "As",
    "He", "She", "It", "They", "We", "I", "Its", "Their", "His", "Her", "Our", "A", "An",
    "Asia", "Pacific", "East", "West", "North", "South", "Northeast", "Southeast", "Sea",
    "Strait", "Island", "Islands", "Zoom", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December", "Since", "During",
    "After", "Before", "While", "When", "Where", "Why", "How", "What", "Who", "Which", "There",
    "Here", "Both", "Each", "All", "Some", "Many", "Most", "Other", "Another", "One", "Two",
    "Three", "First", "Second", "Third", "Fourth", "Finally", "Next", "Also", "Even", "Just",
    "Still", "Yet", "However", "Moreover", "Furthermore", "Nevertheless", "Nonetheless",
    "Therefore", "Thus", "Meanwhile", "Despite", "Although", "Though", "Given", "Under",
    "Among", "Between", "Within", "Without", "With", "From", "To", "By", "Of", "Not", "No",
    "Yes", "Q&A", "Ph.D.", "Dr.", "Mr.", "Ms.", "Mrs.", "Prof.", "Photo", "Source", "Picture",
    "Publication", "Volume", "Issue", "Editor", "Note", "Tel", "Fax", "Leave", "Reply",
    "Government", "Prime", "Minister", "President", "Secretary", "Chief", "Cabinet", "Senior",
    "Research", "Fellow", "Director", "Professor", "Advisory", "Committee", "Program", "Project",
    "Internet", "Facebook", "Twitter", "Covid", "COVID-19", "Today", "Tomorrow", "Yesterday",
    "Currently", "Recently", "Perhaps", "Only", "Such", "Whether", "Unique", "Likely",
    "Deemed", "Turning", "Building", "Promoting", "Clarity", "Ambiguity", "Time", "Changes",
    "Experts", "Growing", "Overt", "Times", "Americans", "Japanese", "Taiwanese", "Chinese",
    "American", "Korean", "Australian", "British", "Russian", "European", "Western", "Asian",
    "Democratic", "Liberal", "Republic", "National", "International", "Global", "Free", "Open",
    "Indo-Pacific", "Beyond", "United", "Arguably", "Ties", "Tourists", "Links", "Additionally",
    "Further", "Closer", "Economic", "Defense", "Security", "Taiwan", "Japan", "China",
}
