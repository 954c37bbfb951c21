"""Bank detail changes: held on submit, called back on a number on file, approved by a second
colleague, every step audited and e-mailed to the old address, and scoped in the portal."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from ledgerdesk.core import roles
from ledgerdesk.core.models import AuditEntry
from ledgerdesk.parties import bank_changes
from ledgerdesk.parties.models import BankAccount, BankDetailsChange
from tests.factories import UserFactory
from tests.portal.conftest import world  # noqa: F401  (the portal personas, as a fixture)

NEW_IBAN = "DE89370400440532013000"
OFFICE = "+31 20 555 0100"


@pytest.fixture
def acme(world):  # noqa: F811
    world.a.contact.phone = OFFICE
    world.a.contact.save()
    return world.a


@pytest.fixture
def second_lead(db):
    return UserFactory(username="lead2", role=roles.LEAD)


def _request(vendor, **overrides):
    mail.outbox.clear()
    values = {"iban": NEW_IBAN, "holder_name": "Acme Supplies BV"}
    values.update(overrides)
    return bank_changes.request_change(
        vendor.party, user=vendor.account.user, contact=vendor.contact, **values
    )


def _audit_notes(change):
    return list(
        AuditEntry.objects.filter(object_type="parties.bankdetailschange", object_id=str(change.pk))
        .order_by("id")
        .values_list("after__state", "actor_label")
    )


def test_a_request_is_held_and_its_account_pending_never_active(acme):
    old = bank_changes.payable_account(acme.party)
    change = _request(acme)
    assert change.state == BankDetailsChange.State.HELD
    assert change.account.status == BankAccount.Status.PENDING
    assert change.previous_account == old
    assert change.phones_on_file == [OFFICE]
    assert bank_changes.payable_account(acme.party) == old
    assert not BankAccount.objects.filter(iban=NEW_IBAN, status="active").exists()


def test_payable_account_never_answers_a_pending_account(db):
    from tests.factories import PartyFactory

    party = PartyFactory()
    BankAccount.objects.create(party=party, iban=NEW_IBAN, status=BankAccount.Status.PENDING)
    assert bank_changes.payable_account(party) is None
    active = BankAccount.objects.create(party=party, iban="NL91ABNA0417164300")
    BankAccount.objects.create(party=party, iban="GB29NWBK60161331926819", status="retired")
    assert bank_changes.payable_account(party) == active


def test_an_invalid_iban_is_refused_naming_the_field(acme):
    with pytest.raises(ValidationError) as raised:
        _request(acme, iban="NL91ABNA0417164301")
    assert "iban" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        _request(acme, bic="NOT A BIC")
    assert "bic" in raised.value.message_dict
    assert not BankDetailsChange.objects.exists()
    assert not BankAccount.objects.filter(status="pending").exists()


def test_only_one_open_request_at_a_time(acme):
    _request(acme)
    with pytest.raises(ValidationError) as raised:
        _request(acme, iban="NL91ABNA0417164300")
    assert "already waiting" in raised.value.message_dict["iban"][0]


def test_the_call_back_must_use_a_number_on_file_before_the_request(acme, agent):
    change = _request(acme)
    # The fraudster changes the phone number after asking for the change: it does not count.
    acme.contact.phone = "+44 7700 900123"
    acme.contact.save()
    with pytest.raises(ValidationError) as raised:
        bank_changes.record_verification(change, agent, "+44 7700 900123", "spoke to Jan")
    assert "phone_called" in raised.value.message_dict
    assert OFFICE in raised.value.message_dict["phone_called"][0]
    with pytest.raises(ValidationError) as raised:
        bank_changes.record_verification(change, agent, OFFICE, "  ")
    assert "note" in raised.value.message_dict
    change = bank_changes.record_verification(change, agent, "+31205550100", "Jan confirmed")
    assert change.state == "verified" and change.verified_by == agent
    assert change.verified_phone == "+31205550100" and change.verified_at is not None
    assert BankAccount.objects.get(pk=change.account_id).status == "pending"


def test_the_same_colleague_cannot_verify_and_approve(acme, lead):
    change = bank_changes.record_verification(_request(acme), lead, OFFICE, "Jan confirmed")
    with pytest.raises(ValidationError) as raised:
        bank_changes.approve(change, lead)
    assert "approved_by" in raised.value.message_dict
    assert BankAccount.objects.get(pk=change.account_id).status == "pending"


def test_the_database_refuses_one_person_verifying_and_approving(acme, lead):
    change = bank_changes.record_verification(_request(acme), lead, OFFICE, "Jan confirmed")
    with pytest.raises(IntegrityError), transaction.atomic():
        BankDetailsChange.objects.filter(pk=change.pk).update(approved_by=lead, state="approved")


def test_approval_needs_a_call_back_first(acme, lead):
    with pytest.raises(ValidationError) as raised:
        bank_changes.approve(_request(acme), lead)
    assert "state" in raised.value.message_dict


def test_approval_activates_the_new_account_and_retires_the_old(acme, agent, lead):
    old = bank_changes.payable_account(acme.party)
    change = bank_changes.record_verification(_request(acme), agent, OFFICE, "Jan confirmed")
    change = bank_changes.approve(change, lead)
    assert change.state == "approved" and change.approved_by == lead
    old.refresh_from_db()
    assert old.status == "retired"
    assert bank_changes.payable_account(acme.party) == change.account
    assert change.account.status == "active"
    with pytest.raises(ValidationError):
        bank_changes.approve(change, UserFactory(username="lead3", role=roles.LEAD))


def test_reject_retires_the_pending_account_and_keeps_the_old(acme, agent):
    old = bank_changes.payable_account(acme.party)
    change = _request(acme)
    with pytest.raises(ValidationError) as raised:
        bank_changes.reject(change, agent, "")
    assert "reason" in raised.value.message_dict
    change = bank_changes.reject(change, agent, "Jan never asked for this")
    assert change.state == "rejected" and change.rejected_by == agent
    assert BankAccount.objects.get(pk=change.account_id).status == "retired"
    assert bank_changes.payable_account(acme.party) == old
    with pytest.raises(ValidationError):
        bank_changes.record_verification(change, agent, OFFICE, "too late")


def test_every_step_is_in_the_audit_log_with_who(acme, agent, lead):
    change = _request(acme)
    bank_changes.record_verification(change, agent, OFFICE, "Jan confirmed")
    bank_changes.approve(change, lead)
    assert _audit_notes(change) == [
        ("held", "jan@acme.example"),
        ("verified", "agent"),
        ("approved", "lead"),
    ]
    account_entries = AuditEntry.objects.filter(
        object_type="parties.bankaccount", object_id=str(change.account_id)
    ).order_by("id")
    assert list(account_entries.values_list("after__status", flat=True)) == [
        "pending",
        "active",
    ]


def test_every_step_is_e_mailed_to_the_old_address_without_the_new_iban(acme, agent, lead):
    change = _request(acme)
    acme.contact.email = "fraudster@evil.example"
    acme.contact.save()
    bank_changes.record_verification(change, agent, OFFICE, "Jan confirmed")
    bank_changes.approve(change, lead)
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert message.to == ["jan@acme.example"]
        assert "ending 3000" in message.body
        assert NEW_IBAN not in message.body and "0532013000" not in message.body
    assert "now in use" in mail.outbox[-1].subject


# --- Portal ------------------------------------------------------------------------------------


def test_a_vendor_submits_new_details_and_sees_them_held(acme):
    url = reverse("portal:bank")
    response = acme.client.get(reverse("portal:profile"))
    assert url in response.content.decode()
    response = acme.client.post(
        url, {"iban": "DE89 3704 0044 0532 0130 00", "holder_name": "Acme"}, follow=True
    )
    page = response.content.decode()
    assert "Held until we have called you back on the number we have on file" in page
    assert "On hold: we will call you back" in page
    assert "ending <strong>0231</strong>" in page  # still paid into the old account
    change = BankDetailsChange.objects.get()
    assert change.requested_by_contact == acme.contact and change.state == "held"


def test_the_portal_shows_iban_errors_next_to_the_field(acme):
    response = acme.client.post(
        reverse("portal:bank"), {"iban": "DE00 1234", "holder_name": "Acme"}
    )
    assert response.status_code == 400
    assert 'id="field-iban"' in response.content.decode()
    assert "not a valid IBAN" in response.content.decode()
    assert not BankDetailsChange.objects.exists()


def test_vendor_b_neither_sees_nor_acts_on_vendor_a_s_request(world):  # noqa: F811
    change = _request(world.a)
    page = world.b.client.get(reverse("portal:bank")).content.decode()
    assert "Account ending 3000" not in page
    assert "On hold" not in page
    # B's submission only ever creates B's request; A's stays untouched.
    world.b.client.post(reverse("portal:bank"), {"iban": NEW_IBAN, "holder_name": "B"})
    assert BankDetailsChange.objects.filter(party=world.b.party).count() == 1
    change.refresh_from_db()
    assert change.state == "held"
    # Console addresses are not portal pages: a portal user gets 403, not A's request.
    for name in ("bank_change", "bank_change_verify", "bank_change_approve"):
        url = reverse(f"parties:{name}", args=[change.party_id, change.pk])
        response = (world.b.client.post if name != "bank_change" else world.b.client.get)(url)
        assert response.status_code == 403


def test_customers_have_no_bank_page(world):  # noqa: F811
    assert world.c.client.get(reverse("portal:bank")).status_code == 404


def test_a_portal_user_cannot_reach_the_console_views(acme):
    change = _request(acme)
    client = acme.client
    assert client.get(change.get_absolute_url()).status_code == 403
    for name in ("bank_change_verify", "bank_change_approve", "bank_change_reject"):
        url = reverse(f"parties:{name}", args=[change.party_id, change.pk])
        assert client.post(url, {"reason": "x", "phone_called": OFFICE}).status_code == 403
    assert BankDetailsChange.objects.get().state == "held"


# --- Console -----------------------------------------------------------------------------------


def test_console_call_back_then_lead_approval(acme, client, agent, lead, second_lead):
    change = _request(acme)
    client.force_login(agent)
    party_page = client.get(acme.party.get_absolute_url()).content.decode()
    assert change.get_absolute_url() in party_page
    page = client.get(change.get_absolute_url()).content.decode()
    assert "Record call-back" in page and OFFICE in page
    verify = reverse("parties:bank_change_verify", args=[change.party_id, change.pk])
    response = client.post(verify, {"phone_called": "+1 555 0000", "note": "x"})
    assert response.status_code == 400
    response = client.post(verify, {"phone_called": OFFICE, "note": "Spoke to Jan"})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.state == "verified"
    # Agents record call-backs; approving needs the Lead role.
    approve = reverse("parties:bank_change_approve", args=[change.party_id, change.pk])
    assert client.post(approve).status_code == 403
    client.force_login(lead)
    assert "Approve" in client.get(change.get_absolute_url()).content.decode()
    client.post(approve)
    change.refresh_from_db()
    assert change.state == "approved"
    assert bank_changes.payable_account(acme.party).iban == NEW_IBAN


def test_console_a_lead_who_called_back_cannot_approve(acme, client, lead):
    change = bank_changes.record_verification(_request(acme), lead, OFFICE, "Jan confirmed")
    client.force_login(lead)
    page = client.get(change.get_absolute_url()).content.decode()
    assert "a second colleague must approve" in page
    approve = reverse("parties:bank_change_approve", args=[change.party_id, change.pk])
    response = client.post(approve, follow=True)
    assert "A second colleague must approve" in response.content.decode()
    change.refresh_from_db()
    assert change.state == "verified"


def test_console_reject(acme, client, agent):
    change = _request(acme)
    client.force_login(agent)
    reject = reverse("parties:bank_change_reject", args=[change.party_id, change.pk])
    assert client.post(reject, {"reason": ""}).status_code == 400
    assert client.post(reject, {"reason": "Not asked for"}).status_code == 302
    change.refresh_from_db()
    assert change.state == "rejected"


def test_the_request_page_is_404_under_another_party(world, client, agent):  # noqa: F811
    change = _request(world.a)
    client.force_login(agent)
    url = reverse("parties:bank_change", args=[world.b.party.pk, change.pk])
    assert client.get(url).status_code == 404


def test_the_portal_bank_page_refuses_the_signed_out_and_staff(db, client, agent):
    url = reverse("portal:bank")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/")
    client.force_login(agent)
    assert client.get(url).status_code == 403
    assert client.post(url, {"iban": NEW_IBAN, "holder_name": "x"}).status_code == 403
    assert not BankDetailsChange.objects.exists()


def test_leads_approve_and_agents_do_not(agent, lead):
    assert agent.has_perm("parties.change_contact")
    assert not agent.has_perm("parties.change_bankaccount")
    assert lead.has_perm("parties.change_bankaccount")
    assert lead.has_perm("parties.change_bankdetailschange")


def test_without_a_phone_on_file_there_is_no_call_back(world, agent, client):  # noqa: F811
    change = _request(world.a)  # A's contact has no phone in the portal personas
    assert change.phones_on_file == []
    with pytest.raises(ValidationError) as raised:
        bank_changes.record_verification(change, agent, "+31 20 555 0100", "x")
    assert "reject the request" in raised.value.message_dict["phone_called"][0]
    client.force_login(agent)
    assert (
        "cannot be verified by a call-back"
        in client.get(change.get_absolute_url()).content.decode()
    )
