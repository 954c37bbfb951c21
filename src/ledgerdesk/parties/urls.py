from django.urls import path

from ledgerdesk.parties import views, views_bank

app_name = "parties"
urlpatterns = [
    path("", views.party_list, name="list"),
    path("<int:pk>/", views.party_detail, name="detail"),
    path("<int:pk>/contacts/new/", views.contact_edit, name="contact_new"),
    path("<int:pk>/contacts/<int:contact_pk>/", views.contact_edit, name="contact_edit"),
    path("<int:pk>/bank-changes/<int:change_pk>/", views_bank.detail, name="bank_change"),
    path(
        "<int:pk>/bank-changes/<int:change_pk>/verify/",
        views_bank.verify,
        name="bank_change_verify",
    ),
    path(
        "<int:pk>/bank-changes/<int:change_pk>/approve/",
        views_bank.approve,
        name="bank_change_approve",
    ),
    path(
        "<int:pk>/bank-changes/<int:change_pk>/reject/",
        views_bank.reject,
        name="bank_change_reject",
    ),
]
