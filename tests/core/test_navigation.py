"""The console's main nav: which sections and links each role sees, and which one is current."""

import lxml.html
import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _main_nav(client, url="/"):
    """The main nav as {"": top-level link texts, "<menu>": the menu's link texts}."""
    response = client.get(url)
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.content)
    (nav,) = tree.xpath('//nav[@aria-label="Main"]')
    sections = {"": [a.text_content().strip() for a in nav.xpath("./a")]}
    for menu in nav.xpath("./details"):
        title = menu.xpath("./summary")[0].text_content().strip()
        sections[title] = [a.text_content().strip() for a in menu.xpath(".//a")]
    return sections, nav


def test_an_agent_sees_the_ledger_payables_and_receivables_but_no_insight_or_admin(client, agent):
    client.force_login(agent)
    sections, _ = _main_nav(client)
    assert sections == {
        "": ["Overview", "Cases"],
        "Ledger": ["Parties", "Invoices", "Payments"],
        "Payables": ["Approvals", "Watch"],
        "Receivables": ["Cash", "Credit control"],
    }


def test_a_lead_also_sees_imports_and_insight(client, lead):
    client.force_login(lead)
    sections, _ = _main_nav(client)
    assert sections == {
        "": ["Overview", "Cases"],
        "Ledger": ["Parties", "Invoices", "Payments", "Imports"],
        "Payables": ["Approvals", "Watch"],
        "Receivables": ["Cash", "Credit control"],
        "Insight": ["Dashboards", "Surveys"],
    }


def test_an_admin_sees_every_section(client, admin_user):
    client.force_login(admin_user)
    sections, nav = _main_nav(client)
    assert sections == {
        "": ["Overview", "Cases"],
        "Ledger": ["Parties", "Invoices", "Payments", "Imports"],
        "Payables": ["Approvals", "Watch"],
        "Receivables": ["Cash", "Credit control"],
        "Insight": ["Dashboards", "Surveys"],
        "Admin": ["Audit log", "Admin site"],
    }
    hrefs = {a.text_content().strip(): a.get("href") for a in nav.xpath(".//a")}
    assert hrefs["Cash"] == "/receivables/"
    assert hrefs["Approvals"] == "/payables/approvals/"
    assert hrefs["Admin site"] == "/admin/"
    assert hrefs["Audit log"] == "/audit/"


def test_a_menu_shows_only_the_links_a_user_may_follow(client):
    # Staff without a role: the audit log is not theirs, the admin site is.
    client.force_login(UserFactory(username="plain-staff", is_staff=True))
    sections, _ = _main_nav(client, "/login/")
    assert sections["Admin"] == ["Admin site"]
    assert "Payables" not in sections and "Insight" not in sections


def test_the_current_page_and_its_section_are_marked(client, agent):
    client.force_login(agent)
    _, nav = _main_nav(client, "/receivables/")
    assert [a.text_content() for a in nav.xpath('.//a[@aria-current="page"]')] == ["Cash"]
    current = nav.xpath('./details/summary[contains(@class, "is-current")]')
    assert [summary.text_content() for summary in current] == ["Receivables"]

    _, nav = _main_nav(client, "/")
    assert [a.text_content() for a in nav.xpath('.//a[@aria-current="page"]')] == ["Overview"]
    assert nav.xpath('./details/summary[contains(@class, "is-current")]') == []
