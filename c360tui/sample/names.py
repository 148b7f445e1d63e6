"""Data tables for the sample generator: people's names, companies, titles, owners, subjects.

Kept as plain tuples so the generator can pick from them with one `random` call per value.
"""

from __future__ import annotations

import unicodedata

# fmt: off
# Canonical given name -> nicknames a person also goes by (common, unambiguous English ones).
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Rob", "Bobby"),
    "William": ("Bill", "Will", "Billy"),
    "Katherine": ("Kate", "Katie", "Kathy"),
    "Elizabeth": ("Liz", "Beth", "Betsy"),
    "Michael": ("Mike",),
    "James": ("Jim", "Jimmy"),
    "Richard": ("Rick", "Rich"),
    "Thomas": ("Tom", "Tommy"),
    "Joseph": ("Joe",),
    "Jennifer": ("Jen", "Jenny"),
    "Margaret": ("Maggie", "Peggy"),
    "Daniel": ("Dan", "Danny"),
    "Matthew": ("Matt",),
    "Anthony": ("Tony",),
    "Andrew": ("Andy", "Drew"),
    "Patricia": ("Trish", "Patty"),
    "Susan": ("Sue",),
    "Deborah": ("Deb", "Debbie"),
    "Rebecca": ("Becky",),
    "Nicholas": ("Nick",),
    "Benjamin": ("Ben",),
    "Timothy": ("Tim",),
    "Stephen": ("Steve",),
    "Edward": ("Ed", "Ted"),
    "Charles": ("Charlie", "Chuck"),
    "Jessica": ("Jess",),
    "Victoria": ("Vicky",),
    "Abigail": ("Abby",),
    "Gregory": ("Greg",),
    "Jacob": ("Jake",),
    "Joshua": ("Josh",),
    "Zachary": ("Zach",),
    "Catherine": ("Cathy",),
    "Frederick": ("Fred",),
    "Lawrence": ("Larry",),
    "Raymond": ("Ray",),
    "Ronald": ("Ron",),
    "Donald": ("Don",),
    "Kenneth": ("Ken",),
    "Peter": ("Pete",),
    "Douglas": ("Doug",),
    "Pamela": ("Pam",),
    "Cynthia": ("Cindy",),
    "Barbara": ("Barb",),
    "David": ("Dave",),
    "Nathaniel": ("Nate",),
}

# Given names without a common nickname, including accented ones (folded in emails).
_PLAIN_FIRST = (
    "Mary", "Linda", "Sarah", "Karen", "Nancy", "Lisa", "Betty", "Sandra", "Ashley", "Emily",
    "Donna", "Michelle", "Carol", "Amanda", "Melissa", "Stephanie", "Laura", "Sharon", "Amy",
    "Anna", "Angela", "Helen", "Brenda", "Emma", "Olivia", "Sophia", "Ava", "Mia", "Harper",
    "Kevin", "Brian", "George", "Jason", "Ryan", "Gary", "Eric", "Scott", "Brandon", "Justin",
    "Tyler", "Aaron", "Adam", "Nathan", "Kyle", "Noah", "Ethan", "Liam", "Lucas", "Mason", "Priya",
    "Wei", "Hiroshi", "Aisha", "Omar", "Fatima", "Mateo", "Diego", "Ingrid", "Lars", "José", "Zoë",
    "Renée", "Chloé", "François", "Björn", "Søren", "Jürgen", "Inés", "Ángel", "Noémie", "Agnès",
    "Łukasz", "Zoltán", "Mónica", "Raúl", "Siobhán", "Dagný", "Maëlle", "Hannah", "Grace", "Lily",
    "Ella", "Nora", "Leah", "Ruth", "Paul", "Mark", "Jeremy", "Sean", "Keith", "Carl", "Dennis",
    "Jerome", "Marcus", "Jamal", "Darnell", "Keisha", "Tanya",
)

FIRST_NAMES: tuple[str, ...] = tuple(NICKNAMES) + _PLAIN_FIRST

LAST_NAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark",
    "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green",
    "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell",
    "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris", "Rogers", "Reed", "Cook",
    "Morgan", "Bell", "Murphy", "Bailey", "Cooper", "Richardson", "Cox", "Howard", "Ward",
    "Peterson", "Gray", "Watson", "Brooks", "Kelly", "Sanders", "Price", "Bennett", "Wood",
    "Barnes", "Ross", "Henderson", "Coleman", "Jenkins", "Perry", "Powell", "Long", "Patterson",
    "Hughes", "Flores", "Washington", "Butler", "Simmons", "Foster", "Bryant", "Alexander",
    "Russell", "Griffin", "Hayes", "Myers", "Ford", "Hamilton", "Graham", "Sullivan", "Wallace",
    "Woods", "Cole", "West", "Jordan", "Owens", "Reynolds", "Fisher", "Ellis", "Harrison",
    "Gibson", "McDonald", "Marshall", "Patel", "Nguyen", "Kim", "Chen", "Wang", "Singh", "Shah",
    "Tanaka", "Suzuki", "Okafor", "Mensah", "Kowalski", "Novak", "Schmidt", "Schneider", "Fischer",
    "Weber", "Wagner", "Becker", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "García",
    "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Sánchez", "Ramírez",
    "Núñez", "Muñoz", "Müller", "Schäfer", "Jäger", "Öztürk", "Lefèvre", "Dubois", "Moreau",
    "Lindqvist", "Østergaard", "O'Brien", "O'Connor", "McAllister", "D'Angelo", "Smith-Jones",
    "Lloyd-Evans", "van der Berg", "de la Cruz", "Fitzgerald", "Gallagher", "Brennan", "Doyle",
    "Quinn", "Byrne", "Walsh", "Kennedy", "Lynch", "Hart", "Lambert", "Blake", "Hudson", "Fox",
    "Stone", "Hunt", "Palmer", "Black", "Holmes", "Knight", "Lane",
)

# Email local-part patterns a company uses for everyone (f = first, l = last, i = initial).
EMAIL_PATTERNS: tuple[str, ...] = ("f.l", "f.l", "f.l", "il", "fl", "f_l", "f", "fi")

# fmt: on


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters only, accents folded: "José García" -> "josegarcia"."""
    folded = unicodedata.normalize("NFKD", text.replace("ø", "o").replace("Ø", "O"))
    folded = folded.replace("ł", "l").replace("Ł", "L")
    return "".join(ch for ch in folded.lower() if "a" <= ch <= "z")


# Precomputed slugs so a row never folds accents itself.
SLUG: dict[str, str] = {name: ascii_slug(name) for name in FIRST_NAMES + LAST_NAMES}

# fmt: off
# Company names are built as "<Prefix> <Core> <Descriptor>" plus a legal suffix.
COMPANY_PREFIX: tuple[str, ...] = (
    "Bright", "Blue", "North", "South", "East", "West", "Silver", "Golden", "Red", "Green", "Iron",
    "Granite", "Summit", "Harbor", "River", "Cedar", "Maple", "Oak", "Pine", "Willow", "Aspen",
    "Birch", "Falcon", "Eagle", "Hawk", "Raven", "Orion", "Vega", "Nova", "Polar", "Coastal",
    "Prairie", "Canyon", "Mesa", "Delta", "Alpine", "Atlas", "Beacon", "Crescent", "Crystal",
    "Ember", "Frontier", "Glacier", "Horizon", "Keystone", "Lakeside", "Liberty", "Meridian",
    "Midland", "Nimbus", "Northstar", "Pacific", "Pioneer", "Quantum", "Redwood", "Sterling",
    "Stonebridge", "Sunrise", "Tidal", "Trident", "Union", "Vertex", "Vista", "Westbrook",
    "Wildflower", "Zenith", "Apex", "Arbor", "Bay", "Bluebird", "Copper", "Hollow", "Juniper",
    "Kestrel", "Lantern", "Lighthouse", "Magnolia", "Monarch", "Oakridge", "Parkside",
)
COMPANY_CORE: tuple[str, ...] = (
    "Harbor", "Ridge", "Bridge", "Field", "Point", "Peak", "Gate", "Works", "Stone", "Path",
    "Wave", "Leaf", "Crest", "Forge", "Brook", "Haven", "Grove", "Spring", "Valley", "Line",
    "Loop", "Mark", "Port", "Rock", "Shore", "Sky", "Star", "Trail", "Vale", "Wind", "Yard", "Arc",
    "Axis", "Bloom", "Cloud", "Core", "Dock", "Edge", "Flow", "Frame", "Gear", "Hive", "Keel",
    "Lake", "Mill", "Nest", "Orbit", "Pulse", "Quay", "Root", "Sail", "Tower", "Vault", "Wharf",
    "Wing", "Bolt", "Current", "Draft", "Ember", "Fjord", "Glen", "Heath", "Isle",
)
COMPANY_DESCRIPTOR: tuple[str, ...] = (
    "", "Analytics", "Labs", "Systems", "Logistics", "Health", "Foods", "Software", "Robotics",
    "Energy", "Capital", "Media", "Networks", "Consulting", "Manufacturing", "Biotech", "Freight",
    "Retail", "Security", "Design", "Data", "Platforms", "Payments", "Insurance", "Telecom",
    "Studios", "Partners", "Industries", "Group", "Holdings", "Supply", "Technologies",
)

# Legal suffixes per country with the spellings different systems use for the same suffix.
LEGAL_SUFFIXES: dict[str, tuple[tuple[str, ...], ...]] = {
    "US": (("Inc", "Inc.", ", Inc."), ("LLC", ", LLC", "L.L.C."), ("Corp", "Corp.", "Corporation")),
    "UK": (("Ltd", "Ltd.", "Limited"), ("PLC", "plc")),
    "DE": (("GmbH",), ("AG",)),
}
TLDS: dict[str, str] = {"US": ".com", "UK": ".co.uk", "DE": ".de"}

TITLES: tuple[str, ...] = (
    "VP Engineering", "Head of Data", "CTO", "IT Manager", "Procurement Manager", "CFO",
    "Controller", "Operations Manager", "Director of Marketing", "Software Engineer",
    "Data Analyst", "Customer Success Lead", "Head of Operations", "Product Manager",
    "Engineering Manager", "Finance Director", "Office Manager", "Sales Operations Analyst",
    "Chief Revenue Officer", "Solutions Architect", "DevOps Engineer", "Security Lead",
    "Marketing Operations Manager", "Head of Support", "COO", "Founder & CEO",
)

# The sales team: SDRs own leads; account executives and CSMs own customer accounts.
SDR_OWNERS: tuple[str, ...] = (
    "Maya Patel", "Jordan Lee", "Chris Okafor", "Taylor Brooks", "Sam Rivera", "Alex Kim",
    "Priya Shah", "Devon Carter", "Riley Nguyen", "Morgan Hayes", "Jamie Fischer", "Casey Walsh",
)
ACCOUNT_OWNERS: tuple[str, ...] = (
    "Dana Whitfield", "Marcus Bell", "Elena Rossi", "Grant Howell", "Nadia Karim", "Owen Fletcher",
    "Hana Sato", "Victor Lindqvist",
)

LEAD_SOURCES: tuple[str, ...] = (
    "Website", "Webinar", "Referral", "Trade Show", "Outbound", "Paid Search", "Partner",
    "Content Download", "LinkedIn", "Free Trial",
)

TICKET_SUBJECTS: tuple[str, ...] = (
    "Cannot log in after SSO change", "Invoice shows the wrong amount", "API returns 429 errors",
    "Export to CSV times out", "Request to add seats", "Data sync delayed by hours",
    "Dashboard loads slowly", "Webhook deliveries failing", "Password reset email not received",
    "Need a copy of our contract", "Integration with Salesforce broken", "Billing address change",
    "User cannot be deactivated", "Scheduled report missing data", "Question about renewal",
    "Error 500 on the settings page", "Mobile app crashes on start", "Cancel our subscription",
    "Duplicate charges on card", "Permissions reset after upgrade",
)

STREETS: tuple[str, ...] = (
    "Market St", "Main St", "Broadway", "Mission St", "Elm St", "Oak Ave", "Pine St",
    "Congress Ave", "Peachtree St", "Michigan Ave", "Lake Shore Dr", "Howard St", "Park Ave",
    "Commerce St", "5th Ave", "2nd St", "Union St", "Harbor Blvd", "Innovation Way", "Tech Pkwy",
)
UK_STREETS: tuple[str, ...] = (
    "High Street", "Station Road", "Church Lane", "King Street", "Queen's Road", "Mill Lane",
    "Victoria Road", "Bridge Street", "Old Street", "Canal Street",
)
DE_STREETS: tuple[str, ...] = (
    "Hauptstraße", "Bahnhofstraße", "Schillerstraße", "Goethestraße", "Gartenweg", "Lindenallee",
    "Friedrichstraße", "Kastanienweg", "Am Markt", "Berliner Allee",
)
# fmt: on
