"""Common English first-name nicknames mapped to one canonical given name.

Only unambiguous nicknames are listed: "chris" could be Christopher or Christine, so it stays
itself, because a wrong equivalence would merge two different people (precision first).
"""

from __future__ import annotations

# canonical name -> nicknames and spelling variants that mean it
_GROUPS: dict[str, tuple[str, ...]] = {
    "abigail": ("abby", "abbie", "gail"),
    "albert": ("bert", "bertie"),
    "alexander": ("alec", "sandy", "xander", "alexandr"),
    "alfred": ("alf", "alfie"),
    "andrew": ("andy", "drew"),
    "anthony": ("tony", "antony"),
    "arthur": ("art", "artie"),
    "barbara": ("barb", "babs", "barbie"),
    "benjamin": ("ben", "benny", "benji"),
    "bradley": ("brad",),
    "catherine": ("cathy", "cath", "cathie"),
    "charles": ("charlie", "chuck", "chas", "chaz"),
    "christopher": ("kit", "topher", "christoph"),
    "cynthia": ("cindy",),
    "daniel": ("dan", "danny"),
    "david": ("dave", "davey", "davy"),
    "deborah": ("deb", "debbie", "debby", "debra"),
    "donald": ("don", "donnie"),
    "dorothy": ("dot", "dottie", "dolly"),
    "douglas": ("doug",),
    "edward": ("ed", "eddie", "ned", "ted", "teddy"),
    "elizabeth": (
        "liz",
        "lizzie",
        "lizzy",
        "beth",
        "betty",
        "betsy",
        "eliza",
        "libby",
        "elisabeth",
    ),
    "eugene": ("gene",),
    "frances": ("fran", "frannie"),
    "francis": ("frank", "frankie"),
    "frederick": ("fred", "freddie", "freddy", "fritz"),
    "gerald": ("gerry", "jerry"),
    "gregory": ("greg",),
    "harold": ("hal", "harry"),
    "henry": ("hank", "harry"),
    "isabella": ("bella", "izzy", "isabel", "isabelle"),
    "jacob": ("jake",),
    "james": ("jim", "jimmy", "jamie", "jimbo"),
    "jennifer": ("jen", "jenny", "jenn"),
    "jessica": ("jess", "jessie"),
    "john": ("jack", "johnny", "jon", "jonny"),
    "jonathan": ("jonny",),
    "joseph": ("joe", "joey"),
    "joshua": ("josh",),
    "judith": ("judy", "judi"),
    "katherine": ("kate", "katie", "kathy", "kat", "kitty", "kathryn", "katharine", "katy"),
    "kenneth": ("ken", "kenny"),
    "lawrence": ("larry", "laurence"),
    "leonard": ("leo", "len", "lenny"),
    "margaret": ("peggy", "maggie", "meg", "marge", "margie", "greta", "madge"),
    "matthew": ("matt", "matty"),
    "michael": ("mike", "mikey", "mick", "mickey"),
    "nathaniel": ("nate", "nat"),
    "nicholas": ("nick", "nicky", "nico", "nicolas"),
    "pamela": ("pam",),
    "patricia": ("patty", "patsy", "trish", "tricia"),
    "patrick": ("paddy",),
    "peter": ("pete",),
    "philip": ("phil", "phillip"),
    "raymond": ("ray",),
    "rebecca": ("becky", "becca"),
    "richard": ("rich", "richie", "dick", "rick", "ricky"),
    "robert": ("bob", "bobby", "rob", "robbie", "bert", "robby"),
    "ronald": ("ron", "ronnie"),
    "samuel": ("sammy",),
    "stephen": ("steve", "stevie", "steven"),
    "susan": ("sue", "susie", "suzy", "suzanne"),
    "theodore": ("theo",),
    "thomas": ("tom", "tommy"),
    "timothy": ("tim", "timmy"),
    "victoria": ("vicky", "vicki", "tori"),
    "walter": ("walt", "wally"),
    "william": ("bill", "billy", "will", "willy", "willie"),
    "zachary": ("zach", "zack"),
}


def _build_index() -> dict[str, str]:
    """Invert the groups into nickname -> canonical, dropping names claimed by two groups."""
    index: dict[str, str] = {}
    ambiguous: set[str] = set()
    for canonical, nicknames in _GROUPS.items():
        for nickname in nicknames:
            if nickname in index and index[nickname] != canonical:
                ambiguous.add(nickname)
            index[nickname] = canonical
    for nickname in ambiguous:
        del index[nickname]
    return index


NICKNAMES: dict[str, str] = _build_index()
