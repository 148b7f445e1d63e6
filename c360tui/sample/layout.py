"""The six feeds the generator writes: their names, files and column order (specs/sources.toml)."""

from __future__ import annotations

# fmt: off
FEEDS: tuple[str, ...] = (
    "crm_contacts", "crm_leads", "billing_accounts", "support_tickets", "marketing_contacts",
    "product_usage",
)

# Header of each feed, in the order the generator writes its cells.
COLUMNS: dict[str, tuple[str, ...]] = {
    "crm_contacts": (
        "contact_id", "first_name", "last_name", "email", "phone", "title", "account_name",
        "website", "owner", "lead_source", "status", "do_not_call", "plan", "time_zone",
        "last_activity", "last_modified",
    ),
    "crm_leads": (
        "Lead ID", "First Name", "Last Name", "Email", "Phone", "Company", "Title", "Lead Source",
        "Status", "Owner", "Do Not Call", "Last Modified",
    ),
    "billing_accounts": (
        "account_number", "contact_first", "contact_last", "billing_email", "billing_phone",
        "company_name", "plan", "arr", "payment_status", "renewal_date", "billing_address",
        "updated",
    ),
    "support_tickets": (
        "ticket_id", "requester_email", "requester_phone", "requester_first_name",
        "requester_last_name", "organization", "subject", "severity", "status", "created_at",
        "sla_due_at", "csat", "escalated", "updated_at",
    ),
    "marketing_contacts": (
        "id", "email", "phone", "first_name", "last_name", "company", "intent_score",
        "last_touch_at", "web_visits_30d", "unsubscribed", "timezone", "updated_at",
    ),
    "product_usage": (
        "user_id", "user_email", "account_domain", "weekly_active_minutes", "last_login_at",
        "seats_used",
    ),
}
# fmt: on

FILES: dict[str, str] = {
    feed: f"{feed}.jsonl" if feed == "marketing_contacts" else f"{feed}.csv" for feed in FEEDS
}
