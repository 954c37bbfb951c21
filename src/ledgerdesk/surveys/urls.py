from django.urls import path

from ledgerdesk.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    # The rating link the customer opens is a portal address, `portal:survey` (/portal/s/…):
    # everything outside /portal/ is the staff console.
]
