"""Import throughput for ERP CSV exports and UBL e-invoices.

    .venv/bin/python bench/import_invoices.py            # 100,000 invoices in each format
    .venv/bin/python bench/import_invoices.py --quick    # 2,000 in each, well under a minute

Generates a CSV export (two lines per invoice, 300 vendors) and one UBL file
per invoice, imports each into a fresh database through the same code as
`ledgerdesk import-invoices`, then imports them again to time the idempotent
"nothing new" pass. Prints a table and, last, one JSON line.
"""

from __future__ import annotations

import argparse
import random
import shutil
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from _setup import django_with_fresh_database, emit, summary

VENDORS = 300

UBL = """<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
 <cbc:ID>{number}</cbc:ID>
 <cbc:IssueDate>{issued}</cbc:IssueDate>
 <cbc:DueDate>{due}</cbc:DueDate>
 <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
 <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
 <cac:OrderReference><cbc:ID>PO-{number}</cbc:ID></cac:OrderReference>
 <cac:AccountingSupplierParty><cac:Party>
  <cac:PartyName><cbc:Name>{vendor}</cbc:Name></cac:PartyName>
  <cac:PostalAddress><cbc:CityName>Utrecht</cbc:CityName><cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
  <cac:PartyTaxScheme><cbc:CompanyID>{tax_id}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
  <cac:PartyLegalEntity><cbc:RegistrationName>{vendor}</cbc:RegistrationName></cac:PartyLegalEntity>
 </cac:Party></cac:AccountingSupplierParty>
 <cac:AccountingCustomerParty><cac:Party>
  <cac:PostalAddress><cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
  <cac:PartyLegalEntity><cbc:RegistrationName>Hub Shared Services BV</cbc:RegistrationName></cac:PartyLegalEntity>
 </cac:Party></cac:AccountingCustomerParty>
 <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">{tax}</cbc:TaxAmount></cac:TaxTotal>
 <cac:LegalMonetaryTotal>
  <cbc:LineExtensionAmount currencyID="EUR">{net}</cbc:LineExtensionAmount>
  <cbc:TaxExclusiveAmount currencyID="EUR">{net}</cbc:TaxExclusiveAmount>
  <cbc:TaxInclusiveAmount currencyID="EUR">{total}</cbc:TaxInclusiveAmount>
  <cbc:PayableAmount currencyID="EUR">{total}</cbc:PayableAmount>
 </cac:LegalMonetaryTotal>
 <cac:InvoiceLine>
  <cbc:ID>1</cbc:ID>
  <cbc:InvoicedQuantity unitCode="EA">{quantity}</cbc:InvoicedQuantity>
  <cbc:LineExtensionAmount currencyID="EUR">{net}</cbc:LineExtensionAmount>
  <cac:Item><cbc:Name>Office supplies</cbc:Name>
   <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
  </cac:Item>
  <cac:Price><cbc:PriceAmount currencyID="EUR">{price}</cbc:PriceAmount></cac:Price>
 </cac:InvoiceLine>
</Invoice>
"""

CSV_HEADER = (
    "direction,number,party_name,party_tax_id,issue_date,due_date,currency,net_amount,"
    "tax_amount,total_amount,status,line_description,line_quantity,line_unit_price,"
    "line_net_amount,line_tax_rate\n"
)


def _invoice(rng: random.Random, i: int) -> dict:
    vendor = rng.randrange(VENDORS)
    quantity = rng.randint(1, 40)
    price = Decimal(rng.randint(100, 50_000)) / 100
    net = quantity * price
    tax = (net * Decimal("0.21")).quantize(Decimal("0.01"))
    issued = date(2026, 5, 1) + timedelta(days=rng.randrange(180))
    return {
        "number": f"INV-{i:07d}",
        "vendor": f"Bench Vendor {vendor:03d} BV",
        "tax_id": f"NL{vendor:09d}B01",
        "issued": issued.isoformat(),
        "due": (issued + timedelta(days=30)).isoformat(),
        "quantity": quantity,
        "price": f"{price:.2f}",
        "net": f"{net:.2f}",
        "tax": f"{tax:.2f}",
        "total": f"{net + tax:.2f}",
    }


def write_csv(path: Path, count: int, rng: random.Random) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(CSV_HEADER)
        for i in range(count):
            inv = _invoice(rng, i)
            half = (Decimal(inv["net"]) / 2).quantize(Decimal("0.01"))
            rest = Decimal(inv["net"]) - half
            base = (
                f"ap,{inv['number']},{inv['vendor']},{inv['tax_id']},{inv['issued']},"
                f"{inv['due']},EUR,{inv['net']},{inv['tax']},{inv['total']},received"
            )
            out.write(f"{base},Office supplies,1,{half},{half},21\n")
            out.write(f"{base},Delivery,1,{rest},{rest},21\n")


def write_ubl(folder: Path, count: int, rng: random.Random) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"inv-{i:07d}.xml"
        path.write_text(UBL.format(**_invoice(rng, 10_000_000 + i)), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="invoices per format")
    parser.add_argument("--quick", action="store_true", help="2,000 invoices per format")
    args = parser.parse_args()
    count = 2_000 if args.quick else args.count

    workdir = django_with_fresh_database("import")
    from ledgerdesk.core import audit
    from ledgerdesk.ledger.importer import import_files
    from ledgerdesk.ledger.models import Invoice

    rng = random.Random(42)
    csv_path = workdir / "erp-export.csv"
    write_csv(csv_path, count, rng)
    ubl_paths = write_ubl(workdir / "ubl", count, rng)

    results: dict = {"invoices_per_format": count}
    with audit.acting_as(label="bench"):
        started = time.perf_counter()
        csv_summary = import_files([csv_path])
        csv_seconds = time.perf_counter() - started
        assert csv_summary.total("added") == count, csv_summary.line()

        file_times: list[float] = []
        last = [time.perf_counter()]

        def timed(_outcome):
            now = time.perf_counter()
            file_times.append((now - last[0]) * 1000)
            last[0] = now

        started = last[0] = time.perf_counter()
        ubl_summary = import_files(ubl_paths, on_file=timed)
        ubl_seconds = time.perf_counter() - started
        assert ubl_summary.total("added") == count, ubl_summary.line()

        started = time.perf_counter()
        again = import_files([csv_path])
        csv_again_seconds = time.perf_counter() - started
        assert again.total("added") == 0 and again.total("skipped") == count

    assert Invoice.objects.count() == 2 * count
    results.update(
        csv_seconds=round(csv_seconds, 2),
        csv_invoices_per_second=round(count / csv_seconds, 1),
        csv_reimport_seconds=round(csv_again_seconds, 2),
        csv_reimport_invoices_per_second=round(count / csv_again_seconds, 1),
        ubl_seconds=round(ubl_seconds, 2),
        ubl_invoices_per_second=round(count / ubl_seconds, 1),
        ubl_ms_per_file=summary(file_times),
    )
    print(f"{'format':<14}{'invoices':>10}{'seconds':>10}{'per second':>12}")
    print(f"{'CSV':<14}{count:>10}{csv_seconds:>10.1f}{count / csv_seconds:>12.0f}")
    print(
        f"{'CSV again':<14}{count:>10}{csv_again_seconds:>10.1f}{count / csv_again_seconds:>12.0f}"
    )
    print(f"{'UBL (1/file)':<14}{count:>10}{ubl_seconds:>10.1f}{count / ubl_seconds:>12.0f}")
    shutil.rmtree(workdir, ignore_errors=True)
    emit(results)


if __name__ == "__main__":
    main()
