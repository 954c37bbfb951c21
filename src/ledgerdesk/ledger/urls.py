from django.urls import path

from ledgerdesk.ledger import views

app_name = "ledger"
urlpatterns = [
    path("invoices/", views.invoice_list, name="invoices"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice"),
    path("payments/", views.payment_list, name="payments"),
    path("payments/<int:pk>/", views.payment_detail, name="payment"),
    path("purchase-orders/<int:pk>/", views.purchase_order_detail, name="purchase_order"),
    path("imports/", views.import_list, name="imports"),
]
