"""What the ledger tells other apps, so it need not know them.

`invoices_created` is sent once the import that created the invoices has committed, with
`ids`: the new invoices' primary keys. Payables listens to check and route new vendor bills.
"""

from django.dispatch import Signal

invoices_created = Signal()
