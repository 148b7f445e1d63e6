"""The deliberate traps in the sample data: how often each fires and what it is for.

Rates are per eligible person or row (see each entry). The README the generator writes lists
every trap with its description and the count it actually produced.
"""

from __future__ import annotations

# Probabilities the generator draws against (each named for what it does to the data).
CRM_DUPLICATE = 0.04  # paying person: a second, older CRM contact row for the same person
LEAD_DUPLICATE = 0.03  # prospect: the same lead entered twice (webinar re-import)
CONVERTED_LEAD = 0.06  # paying person: their old pre-sale lead row is still in crm_leads
EMAIL_CASE_CRM = 0.08  # CRM row: email written with capitals
EMAIL_CASE_OTHER = 0.25  # non-CRM row: email written with capitals
EMAIL_PADDED = 0.01  # any row: email with surrounding spaces
NICKNAME = 0.3  # non-CRM row of a person whose name has a nickname: the nickname is used
LAST_NAME_TYPO = 0.04  # non-CRM row: last name with a typo
PHONE_TRANSPOSED = 0.04  # support/marketing row with a phone: two adjacent digits swapped
PLAN_CONFLICT = 0.15  # paying company: CRM still shows an older plan than billing
DNC_CRM = 0.03  # CRM row: do-not-call set
UNSUBSCRIBED = 0.06  # marketing row: unsubscribed (also set where CRM says do-not-call)

PHONE_CONFLICT = 0.12  # billing contact: billing has a new phone days after CRM's
ROLE_EMAIL = 0.15  # billing row: a shared accounts-payable address instead of the person's
STALE_CRM = 0.1  # CRM row last changed 1-3 years ago
STALE_MARKETING = 0.12  # marketing row last changed months to years ago
JUNK_EMAIL = 0.02  # lead/marketing/support row: junk email (test@test.com, n/a)
JUNK_PHONE = 0.03  # lead/support row: junk phone (0000000000, n/a)
SAME_NAME = 0.01  # person: takes the full name of an earlier, different person
SWITCHBOARD_COMPANY = 0.5  # company with 6+ people: its staff list the front-desk number
SWITCHBOARD_PERSON = 0.7  # person at such a company: CRM shows the switchboard, not their line
CHURN_RISK = 0.15  # paying company: weekly usage falling sharply

JUNK_EMAILS: tuple[str, ...] = ("test@test.com", "n/a", "none", "test@test.com")
JUNK_PHONES: tuple[str, ...] = ("0000000000", "n/a", "000-000-0000", "0000000000")

# trap key -> what it is and what a correct pipeline does with it (README text).
DESCRIPTIONS: dict[str, str] = {
    "crm_duplicate_contact": "A second, older crm_contacts row for the same person: different "
    "contact_id, email in other casing, phone in another format, sometimes the nickname, an old "
    "title. Should merge; the newer row's values win.",
    "lead_duplicate": "The same prospect twice in crm_leads (re-imported): other casing and phone "
    "format, sometimes the nickname. Should merge.",
    "converted_lead": "A paying person's old lead row (status qualified, a year or more old) is "
    "still in crm_leads next to their contact row. Should merge; lead_status is 'customer'.",
    "email_case": "Rows whose email differs from the person's only by capitals. Same email.",
    "email_padded": "Rows whose email has leading/trailing spaces. Same email once trimmed.",
    "nickname": "Rows using the person's nickname (Bob for Robert, Kate for Katherine...).",
    "last_name_typo": "Rows with a typo in the last name (swapped, dropped or doubled letter).",
    "phone_transposed": "Rows whose phone has two adjacent digits swapped. Never another "
    "person's real number; the email still links the row; the CRM phone is right.",
    "phone_formats": "Phones are written in many formats across and within feeds: "
    "(415) 555-0100, 415.555.0100, +1 415 555 0100, 4155550100, +44 20 7946 0123...",
    "switchboard": "Companies whose staff list the shared front-desk number in the CRM. The "
    "count is of people showing a switchboard number; it must never link them.",
    "switchboard_numbers": "Distinct switchboard numbers shared by more than five people.",
    "plan_conflict": "CRM shows an older plan than billing (billing is the system of record).",
    "dnc_crm": "CRM do_not_call is true.",
    "unsubscribed": "Marketing says unsubscribed.",
    "dnc_conflict": "Marketing says unsubscribed while the CRM says do_not_call false: both are "
    "systems of record for do_not_contact, so it is conflicted; the truth is do-not-contact.",
    "phone_conflict": "Billing has a new phone for its contact, changed a few days after the CRM "
    "row: both systems of record within the 30-day window, so the phone is conflicted.",
    "role_email": "Billing uses a shared accounts-payable address (billing@, ap@...) instead "
    "of the person's email; the phone still identifies the contact.",
    "stale_crm": "CRM rows last modified one to three years before as-of.",
    "stale_marketing": "Marketing rows last updated months to years before as-of.",
    "missing_value": "Empty cells / absent JSON keys (phone, title, email, time zone...).",
    "junk_email": "Junk emails (test@test.com, n/a, none): must never link anything.",
    "junk_phone": "Junk phones (0000000000, n/a, 000-000-0000): must never link anything.",
    "same_name_other_company": "A person with exactly the same full name as a different "
    "person at another company (precision trap: do not merge on name).",
    "same_name_same_company": "Two different people with the same full name at the same "
    "company, different emails and direct lines (precision trap).",
    "company_name_variants": "The company written differently per feed (Inc vs , Inc. vs no "
    "suffix, capitals, lower case); billing rows with a variant are counted.",
    "website_variants": "crm_contacts website as www.x.com, https://www.x.com/ or x.com; "
    "rows not written as the bare domain are counted.",
    "churn_risk_users": "Product users at companies whose weekly minutes fall sharply (oldest "
    "week first in weekly_active_minutes).",
}

# Deliberately bad rows (each expected in quarantine): feed -> reason kind.
BAD_ROWS: tuple[tuple[str, str], ...] = (
    ("crm_contacts", "naive_timestamp"),
    ("crm_leads", "future_timestamp"),
    ("billing_accounts", "out_of_range"),
    ("support_tickets", "missing_id"),
    ("marketing_contacts", "malformed_json"),
    ("product_usage", "not_a_number"),
)
