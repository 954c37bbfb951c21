from django.urls import path

from ledgerdesk.watch import views

app_name = "watch"
urlpatterns = [
    path("", views.overview, name="overview"),
]
