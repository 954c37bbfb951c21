"""pain.001.001.03 built from plain data: structure, sums and limits."""

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from ledgerdesk.payables.pain001 import Batch, Transfer, build

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def batch(transfers):
    return Batch(
        message_id="PR-EUR-2026-000001", created_at=dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC),
        initiator="Hub BV", execution_date=dt.date(2026, 11, 27), currency="EUR",
        debtor_name="Hub BV", debtor_iban="NL02ABNA0123456789", debtor_bic="", transfers=transfers,
    )  # fmt: skip


def test_without_a_bic_the_agent_says_not_provided():
    xml = etree.fromstring(build(batch((Transfer("E1", D("1"), "V", "DE89370400440532013000"),))))
    agent = xml.find("p:CstmrCdtTrfInitn/p:PmtInf/p:DbtrAgt/p:FinInstnId/p:Othr/p:Id", NS)
    assert agent.text == "NOTPROVIDED"
    assert xml.find(".//p:RmtInf", NS) is None


def test_bad_input_names_the_field():
    with pytest.raises(ValueError, match="^transfers:"):
        build(batch(()))
    with pytest.raises(ValueError, match="^amount:"):
        build(batch((Transfer("E1", D("0"), "V", "DE89370400440532013000"),)))
    with pytest.raises(ValueError, match="^end_to_end_id:"):
        build(batch((Transfer("E" * 36, D("1"), "V", "DE89370400440532013000"),)))


@given(st.lists(st.decimals(min_value=D("0.01"), max_value=D("999999.99"), places=2),
                min_size=1, max_size=30))  # fmt: skip
def test_control_sum_and_count_always_agree_with_the_transfers(amounts):
    transfers = tuple(
        Transfer(f"E{n}", amount, "Vendor", "DE89370400440532013000", remittance="Invoice 1")
        for n, amount in enumerate(amounts)
    )
    xml = etree.fromstring(build(batch(transfers)))
    header = xml.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert header.findtext("p:NbOfTxs", namespaces=NS) == str(len(amounts))
    assert D(header.findtext("p:CtrlSum", namespaces=NS)) == sum(amounts)
    listed = [D(e.text) for e in xml.iterfind(".//p:InstdAmt", NS)]
    assert listed == list(amounts)
