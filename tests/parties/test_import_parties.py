import pytest
from django.core.management import CommandError, call_command

from ledgerdesk.core.models import AuditEntry, ImportRun
from ledgerdesk.parties.importer import import_parties
from ledgerdesk.parties.models import Contact, Party

pytestmark = pytest.mark.django_db

GOOD = (
    "name,roles,tax_id,external_id,default_currency,payment_terms_days,criticality,country,"
    "contact_name,contact_email,contact_phone,preferred_channel,language,time_zone,personal_notes\n"
    "Acme Supplies B.V.,vendor,NL123456789B01,V1001,EUR,30,strategic,NL,"
    "Jan de Vries,jan@acme.example,+31 20 123 4567,phone,nl,Europe/Amsterdam,"
    "Back from vacation on the 12th\n"
    "Acme Supplies B.V.,vendor,NL123456789B01,V1001,EUR,30,strategic,NL,"
    "Petra Smit,petra@acme.example,,email,nl,Europe/Amsterdam,\n"
    "Nordic Retail AB,both,SE556677889901,C2001,SEK,45,normal,SE,"
    "Anna Berg,anna@nordic.example,,portal,sv,Europe/Stockholm,Birthday 3 March\n"
)


def test_it_imports_parties_and_contacts():
    outcome = import_parties(GOOD.encode(), "parties.csv")
    assert outcome.error == ""
    assert (outcome.added, outcome.contacts_added) == (2, 3)
    acme = Party.objects.get(external_id="V1001")
    assert acme.is_vendor and not acme.is_customer
    assert acme.is_strategic
    assert acme.payment_terms_days == 30
    jan = acme.contacts.get(email="jan@acme.example")
    assert jan.preferred_channel == Contact.Channel.PHONE
    assert jan.language == "nl"
    assert jan.personal_notes == "Back from vacation on the 12th"
    nordic = Party.objects.get(name="Nordic Retail AB")
    assert nordic.is_vendor and nordic.is_customer
    assert nordic.default_currency == "SEK"


def test_the_same_file_twice_adds_nothing_and_says_so():
    import_parties(GOOD.encode(), "parties.csv")
    audit_count = AuditEntry.objects.count()
    again = import_parties(GOOD.encode(), "parties.csv")
    assert (again.added, again.updated, again.skipped) == (0, 0, 2)
    assert (again.contacts_added, again.contacts_updated) == (0, 0)
    assert Party.objects.count() == 2 and Contact.objects.count() == 3
    assert AuditEntry.objects.count() == audit_count
    assert ImportRun.objects.first().outcome == ImportRun.Outcome.NOTHING_NEW
    assert "2 unchanged" in again.line()


def test_a_changed_row_updates_and_is_audited():
    import_parties(GOOD.encode(), "parties.csv")
    changed = GOOD.replace(
        "Acme Supplies B.V.,vendor,NL123456789B01,V1001,EUR,30,",
        "Acme Supplies B.V.,vendor,NL123456789B01,V1001,EUR,60,",
    )
    outcome = import_parties(changed.encode(), "parties.csv")
    assert outcome.updated == 1
    entry = AuditEntry.objects.get(object_type="parties.party", action="update")
    assert entry.before == {"payment_terms_days": 30}
    assert entry.after == {"payment_terms_days": 60}


def test_a_party_is_matched_by_tax_id_or_name_never_duplicated():
    import_parties(GOOD.encode(), "parties.csv")
    by_name = "name,roles\nACME SUPPLIES BV,customer\n"
    outcome = import_parties(by_name.encode(), "more.csv")
    assert outcome.updated == 1 and outcome.added == 0
    acme = Party.objects.get(external_id="V1001")
    assert acme.is_vendor and acme.is_customer  # a role is added, never taken away
    by_tax = "name,roles,tax_id\nAcme (trading name),vendor,nl 1234.56789.b01\n"
    import_parties(by_tax.encode(), "tax.csv")
    assert Party.objects.count() == 2


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        ("roles\nvendor\n", "line 1: missing column(s): name"),
        ("name,roles,colour\nA,vendor,red\n", "line 1: unknown column(s): colour"),
        ("name,roles\nA,supplier\n", "line 2: roles: 'supplier' is not vendor, customer or both"),
        (
            "name,roles,default_currency\nA,vendor,EURO\n",
            "line 2: default_currency: 'EURO' is not an ISO 4217",
        ),
        ("name,roles\nA,vendor\nB,vendor,extra\n", "line 3: expected 2 fields, found 3"),
        (
            "name,roles,contact_email\nA,vendor,not-an-email\n",
            "line 2: contact_email: 'not-an-email'",
        ),
        (
            "name,roles,contact_name,time_zone\nA,vendor,X,Mars/Olympus\n",
            "line 2: time_zone: 'Mars/Olympus'",
        ),
        ("name,roles,payment_terms_days\nA,vendor,-5\n", "line 2: payment_terms_days"),
        ("", "line 1: the file is empty"),
        ("name,roles\n", "line 2: the file has a header but no rows"),
    ],
)
def test_a_bad_file_is_rejected_whole_naming_line_and_column(csv_text, message):
    good_first = csv_text
    outcome = import_parties(good_first.encode(), "bad.csv")
    assert message in outcome.error
    assert Party.objects.count() == 0
    assert ImportRun.objects.get().outcome == ImportRun.Outcome.REJECTED


def test_nothing_is_half_written_when_a_later_row_is_bad():
    text = GOOD + "Broken Ltd,vendor,,,EUR,abc,normal,GB,,,,,,,\n"
    outcome = import_parties(text.encode(), "parties.csv")
    assert "line 5: payment_terms_days" in outcome.error
    assert Party.objects.count() == 0 and Contact.objects.count() == 0


def test_non_utf8_is_refused():
    outcome = import_parties("name,roles\nCafé,vendor\n".encode("latin-1"), "latin.csv")
    assert "not UTF-8" in outcome.error


def test_the_command_prints_a_summary_and_fails_on_rejects(tmp_path, capsys):
    good = tmp_path / "parties.csv"
    good.write_text(GOOD)
    bad = tmp_path / "bad.csv"
    bad.write_text("name\nA\n")
    call_command("import_parties", str(good))
    assert "2 parties added" in capsys.readouterr().out
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_parties", str(bad))
    assert "missing column(s): roles" in capsys.readouterr().out
