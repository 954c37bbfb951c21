from django.urls import path

from ledgerdesk.parties import views

app_name = "parties"
urlpatterns = [
    path("", views.party_list, name="list"),
    path("<int:pk>/", views.party_detail, name="detail"),
    path("<int:pk>/contacts/new/", views.contact_edit, name="contact_new"),
    path("<int:pk>/contacts/<int:contact_pk>/", views.contact_edit, name="contact_edit"),
]
