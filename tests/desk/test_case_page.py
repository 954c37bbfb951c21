"""The case page: header with the three SLA clocks, the timeline, the party's 360° panel and
the linked invoices, in a number of queries that does not grow with the timeline."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ledgerdesk.desk import services
from ledgerdesk.desk.models import Attachment, Case, Message
from tests.factories import ContactFactory, InvoiceFactory, PartyFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def inbound(case, text, n=1, **kwargs):
    message = Message(
        message_id=f"{case.reference}-{n}-{text[:8]}@vendor.example",
        sender_name=kwargs.pop("sender_name", "Jan de Vries"),
        sender_email=kwargs.pop("sender_email", "jan@acme.example"),
        subject=kwargs.pop("subject", case.subject),
        text=text,
        at=kwargs.pop("at", timezone.now()),
        **kwargs,
    )
    return services.record_inbound(case, message)


@pytest.fixture
def story(ap_team, agent):
    vendor = PartyFactory(name="Acme Supplies BV", payment_terms_days=45)
    contact = ContactFactory(
        party=vendor,
        name="Jan de Vries",
        email="jan@acme.example",
        language="nl",
        time_zone="Europe/Amsterdam",
        preferred_channel="phone",
        personal_notes="Back from holiday on the 12th",
    )
    linked = InvoiceFactory(party=vendor, number="4411", amount_open=Decimal("1520.00"))
    InvoiceFactory(party=vendor, number="4412", status="on_hold")
    InvoiceFactory(party=vendor, number="OLD-1", status="paid", amount_open=0)
    PaymentFactory(party=vendor, reference="PAY-77", amount=Decimal("990.00"))
    case = services.open_case(
        team=ap_team,
        subject="Invoice 4411 not paid",
        party=vendor,
        contact=contact,
        invoices=[linked],
        owner=agent,
        opened_at=timezone.now() - dt.timedelta(minutes=5),
    )
    other = services.open_case(
        team=ap_team, subject="Credit note question", party=vendor, contact=contact, owner=agent
    )
    message = inbound(
        case,
        "Hello, when will invoice 4411 be paid?",
        quoted_text="> On Monday you wrote: we pay on Friday",
        signature="Jan de Vries\nAcme Supplies BV",
    )
    attachment = Attachment(
        message=message, filename="remittance.pdf", content_type="application/pdf", size=9
    )
    attachment.file.save("remittance.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    services.add_note(case, "Checked with treasury: payment run Thursday.")
    return {"case": case, "other": other, "vendor": vendor, "attachment": attachment}


def test_header_shows_who_what_and_the_three_clocks(agent_client, story):
    case = story["case"]
    page = agent_client.get(case.get_absolute_url()).content.decode()
    assert f'<span class="ref">{case.reference}</span> Invoice 4411 not paid' in page
    for text in (
        ">Acme Supplies BV</a>",
        'Jan de Vries · <a href="mailto:jan@acme.example">',
        "Payment status",
        "E-mail · opened",
        "Agent Morgan · Accounts Payable",
        "Tier 3: no criticality rule matched",
        ">Acknowledge</span>",
        ">First response</span>",
        ">Resolution</span>",
    ):
        assert text in page, text
    # Due times in the viewer's time zone, with the zone named.
    due = timezone.localtime(case.first_response_due).strftime("%H:%M")
    assert f"{due} CET" in page or f"{due} CEST" in page


def test_timeline_folds_quoted_text_and_highlights_notes(agent_client, story):
    page = agent_client.get(story["case"].get_absolute_url()).content.decode()
    assert "Hello, when will invoice 4411 be paid?" in page
    assert "<summary>Show quoted text</summary>" in page
    details = page.split("<summary>Show quoted text</summary>", 1)[1].split("</details>", 1)[0]
    assert "&gt; On Monday you wrote" in details and "Acme Supplies BV" in details
    assert 'class="tl tl-note"' in page and "Checked with treasury" in page
    assert "not sent to the customer" in page
    assert "Case opened (E-mail)." in page and "Owner: Agent Morgan." in page
    # Oldest first; at the same moment the system event before the message.
    assert page.index("Case opened") < page.index("when will invoice 4411") < page.index("treasury")


def test_attachments_download_through_the_console(agent_client, client, story):
    attachment = story["attachment"]
    page = agent_client.get(story["case"].get_absolute_url()).content.decode()
    url = f"/desk/attachments/{attachment.pk}/"
    assert f'href="{url}" download>remittance.pdf</a>' in page
    response = agent_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n"
    assert response["Content-Disposition"].startswith('attachment; filename="remittance.pdf"')
    assert agent_client.get("/desk/attachments/999999/").status_code == 404


def test_party_panel_tells_the_whole_story(agent_client, story):
    page = agent_client.get(story["case"].get_absolute_url()).content.decode()
    panel = page.split('class="card party-panel"', 1)[1]
    for text in (
        "Vendor · pays in EUR · terms 45 days",
        "Prefers</dt><dd>Phone",
        "Language</dt><dd>nl",
        "Europe/Amsterdam",
        "there now",
        "Back from holiday on the 12th",
        ">4411</a>",
        ">4412</a>",
        "On hold",
        "€1,520.00",
        "PAY-77",
        "€990.00",
        story["other"].reference,
        "Credit note question",
    ):
        assert text in panel, text
    assert "OLD-1" not in panel  # paid: not open
    linked = page.split('id="linked-h"', 1)[1].split("</section>", 1)[0]
    assert ">4411</a>" in linked and "4412" not in linked


def test_a_case_without_party_says_who_asked(agent_client, ap_team):
    case = services.open_case(
        team=ap_team, subject="Who are you?", requester_email="someone@gmail.example"
    )
    page = agent_client.get(case.get_absolute_url()).content.decode()
    assert "not identified" in page and "someone@gmail.example" in page
    assert "No invoice linked." in page


def test_a_merged_case_points_to_its_target_and_offers_no_composer(agent_client, story):
    services.merge(story["other"], story["case"])
    page = agent_client.get(story["other"].get_absolute_url()).content.decode()
    assert f'Merged into <a href="{story["case"].get_absolute_url()}">' in page
    assert 'id="composer"' not in page and "Work the case" not in page
    assert Case.objects.get(pk=story["other"].pk).state == "merged"


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_case_page_query_count_does_not_grow_with_the_timeline(agent_client, story):
    case = story["case"]
    few = _count(agent_client, case.get_absolute_url())
    for n in range(10):
        message = inbound(case, f"Any news? ({n})", n=n + 2)
        Attachment.objects.create(
            message=message, filename=f"f{n}.txt", content_type="text/plain", size=1, file="x"
        )
        services.add_note(case, f"Chased treasury ({n})")
    many = _count(agent_client, case.get_absolute_url())
    # session, user, permissions (user, group), the case joined with team, party, contact,
    # owner and its merge and split links, the linked invoices in link order, the canned
    # replies, messages with their authors, their attachments (one prefetch), events with
    # their actors, the owners for the reassign form, the user's groups for the role in the
    # top bar, the party's open invoices, payments and other open cases with their owners.
    assert few == many == 15
