from django.urls import path

from ledgerdesk.portal import (
    views,
    views_account,
    views_auth,
    views_bank,
    views_cases,
    views_upload,
)
from ledgerdesk.surveys import views as survey_views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views_auth.login_view, name="login"),
    path("login/code/", views_auth.code_view, name="code"),
    path("logout/", views_auth.logout_view, name="logout"),
    path("welcome/<str:token>/", views_auth.welcome, name="welcome"),
    path("invite/<int:contact_id>/", views_auth.invite, name="invite"),
    path("invoices/", views.invoice_list, name="invoices"),
    path("invoices/submit/", views_upload.submit, name="submit_invoice"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice"),
    path("invoices/<int:pk>/copy.pdf", views_account.invoice_copy, name="invoice_copy"),
    path("invoices/<int:pk>/ask/", views_cases.ask, name="ask"),
    path("payments/", views.payment_list, name="payments"),
    path("payments/<int:pk>/", views.payment_detail, name="payment"),
    path("account/", views_account.account, name="account"),
    path("account/invoices/", views_account.customer_invoices, name="customer_invoices"),
    path("account/statement/", views_account.statement_view, name="statement"),
    path("cases/", views_cases.case_list, name="cases"),
    path("cases/<str:reference>/", views_cases.case_detail, name="case"),
    path("profile/", views_cases.profile, name="profile"),
    path("profile/contact-person/", views_account.contact_person, name="contact_person"),
    path("profile/bank/", views_bank.bank_details, name="bank"),
    path("i/<str:token>/", views.signed_invoice, name="signed_invoice"),
    # A survey e-mail's rating link (surveys app): no account needed, the signed token is the key.
    path("s/<str:token>/", survey_views.answer, name="survey"),
]
