"""Staff roles: Agent, Lead, Manager and Admin, as groups with permissions.

The groups are kept in step with this table after every migrate, so a new
permission reaches every installation without a manual step.
"""

from __future__ import annotations

from importlib import import_module

from django.contrib.auth.models import Group, Permission

AGENT = "Agent"
LEAD = "Lead"
MANAGER = "Manager"
ADMIN = "Admin"

_READ_LEDGER = [
    "parties.view_party",
    "parties.view_contact",
    "parties.view_bankaccount",
    "ledger.view_invoice",
    "ledger.view_invoiceline",
    "ledger.view_invoicestatuschange",
    "ledger.view_purchaseorder",
    "ledger.view_purchaseorderline",
    "ledger.view_goodsreceipt",
    "ledger.view_goodsreceiptline",
    "ledger.view_payment",
    "ledger.view_paymentallocation",
]
_DESK_AGENT = [
    "desk.view_case",
    "desk.add_case",
    "desk.change_case",
    "desk.view_message",
    "desk.view_caseevent",
    "desk.view_attachment",
    "desk.view_cannedreply",
    "desk.view_team",
    "desk.view_tierrule",
    "desk.view_slapolicy",
]
# Leads tune the desk without code: tier rules, canned replies, SLA policies, teams.
_DESK_LEAD = [
    *(
        f"desk.{action}_{model}"
        for action in ("add", "change", "delete")
        for model in ("tierrule", "cannedreply", "slapolicy")
    ),
    "desk.change_team",
    "mail.view_quarantinedmail",
    "mail.view_processedmail",
]
_AGENT = [
    "core.use_console",
    *_READ_LEDGER,
    *_DESK_AGENT,
    "parties.add_contact",
    "parties.change_contact",
]
_LEAD = [
    *_AGENT,
    *_DESK_LEAD,
    "parties.change_party",
    # The second pair of eyes on a bank detail change: agents record the call-back, leads approve.
    "parties.change_bankaccount",
    "parties.view_bankdetailschange",
    "parties.change_bankdetailschange",
    "ledger.change_invoice",
    "core.view_importrun",
]
_MANAGER = [*_LEAD, "core.view_auditentry"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    AGENT: _AGENT,
    LEAD: _LEAD,
    MANAGER: _MANAGER,
    # Admin: everything on the ledger apps and users, but the audit log stays
    # read-only for everyone (its model has no change/delete permission at all).
    ADMIN: [
        *_MANAGER,
        "parties.*",
        "ledger.*",
        "desk.*",
        "mail.*",
        "core.add_apitoken",
        "core.view_apitoken",
        "core.delete_apitoken",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
    ],
}

STAFF_ROLES = (AGENT, LEAD, MANAGER, ADMIN)


# Apps that declare their own grants in `<app>/roles.py` (GRANTS: role -> permission codes).
# A role receives its own grants and those of every role below it.
GRANTING_APPS = ("receivables", "creditcontrol", "surveys", "insights", "payables", "watch")


def _app_grants(role: str) -> list[str]:
    below = STAFF_ROLES[: STAFF_ROLES.index(role) + 1]
    codes: list[str] = []
    for app in GRANTING_APPS:
        grants = import_module(f"ledgerdesk.{app}.roles").GRANTS
        for name in below:
            codes.extend(grants.get(name, ()))
    return codes


def _resolve(codes: list[str]) -> list[Permission]:
    wanted = Permission.objects.select_related("content_type")
    result: dict[int, Permission] = {}
    for code in codes:
        app_label, codename = code.split(".", 1)
        query = wanted.filter(content_type__app_label=app_label)
        if codename != "*":
            query = query.filter(codename=codename)
        for perm in query:
            result[perm.pk] = perm
    return list(result.values())


def sync_roles() -> None:
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(_resolve([*codes, *_app_grants(name)]))


def sync_roles_after_migrate(**kwargs) -> None:
    sync_roles()


def role_of(user) -> str:
    """The highest role a user holds, for display ("Lead")."""
    if user.is_superuser:
        return ADMIN
    names = {g.name for g in user.groups.all()}
    for role in reversed(STAFF_ROLES):
        if role in names:
            return role
    return ""
