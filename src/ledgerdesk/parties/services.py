"""Finding and creating parties. Imports and the desk call these, never the models directly."""

from __future__ import annotations

from ledgerdesk.parties.models import Contact, Party, normalize_name, normalize_tax_id

VENDOR = "vendor"
CUSTOMER = "customer"


class PartyResolver:
    """Finds the party an incoming document names, creating it only when it is new.

    A party is the same organisation when its tax id matches, or, failing
    that, its normalised name ("ACME B.V." is "Acme BV"); a tax id that
    differs is kept on the party we already have, not made a new party. Results are cached
    for the resolver's life, so an import of 100,000 invoices from 300
    vendors asks the database about each vendor once.
    """

    def __init__(self):
        self._by_tax: dict[str, Party] = {}
        self._by_name: dict[str, list[Party]] = {}
        self.created: list[Party] = []

    def resolve(
        self,
        *,
        name: str,
        role: str,
        tax_id: str = "",
        currency: str = "EUR",
        country: str = "",
        city: str = "",
        email: str = "",
        contact_name: str = "",
        phone: str = "",
    ) -> Party:
        party = self.find(name=name, tax_id=tax_id)
        if party is None:
            party = Party.objects.create(
                name=name.strip()[:200],
                tax_id=tax_id.strip()[:40],
                is_vendor=role == VENDOR,
                is_customer=role == CUSTOMER,
                default_currency=currency,
                country=country[:2].upper(),
                city=city[:100],
            )
            self.created.append(party)
            if email or contact_name:
                Contact.objects.create(
                    party=party,
                    name=(contact_name or name)[:150],
                    email=email[:254],
                    phone=phone[:40],
                    is_primary=True,
                )
        else:
            changed = []
            if role == VENDOR and not party.is_vendor:
                party.is_vendor = True
                changed.append("is_vendor")
            if role == CUSTOMER and not party.is_customer:
                party.is_customer = True
                changed.append("is_customer")
            if tax_id and not party.tax_id:
                party.tax_id = tax_id.strip()[:40]
                changed += ["tax_id", "tax_id_key"]
            if changed:
                party.save()
        self.remember(party)
        return party

    def find(self, *, name: str, tax_id: str = "") -> Party | None:
        tax_key = normalize_tax_id(tax_id)
        name_key = normalize_name(name)
        if tax_key:
            if tax_key in self._by_tax:
                return self._by_tax[tax_key]
            party = Party.objects.filter(tax_id_key=tax_key).order_by("pk").first()
            if party is not None:
                return party
        if name_key:
            if name_key not in self._by_name:
                self._by_name[name_key] = list(
                    Party.objects.filter(name_key=name_key).order_by("pk")
                )
            # Same name, no tax id match: the same organisation (the rule is "by tax
            # id or name, never duplicated"); prefer one whose tax id agrees.
            known = self._by_name[name_key]
            for party in known:
                if not tax_key or not party.tax_id_key or party.tax_id_key == tax_key:
                    return party
            if known:
                return known[0]
        return None

    def checkpoint(self) -> int:
        return len(self.created)

    def rollback_to(self, checkpoint: int) -> None:
        """The caller's transaction was rolled back: forget what it made or changed."""
        del self.created[checkpoint:]
        self._by_tax.clear()
        self._by_name.clear()

    def remember(self, party: Party) -> None:
        if party.tax_id_key:
            self._by_tax[party.tax_id_key] = party
        if party.name_key:
            known = self._by_name.setdefault(party.name_key, [])
            if party not in known:
                known.append(party)
