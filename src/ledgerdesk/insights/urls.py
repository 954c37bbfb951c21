from django.urls import path

from ledgerdesk.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("agents/", views.agents, name="agents"),
    path("finance/", views.finance, name="finance"),
    path("csv/<slug:key>/", views.export_csv, name="csv"),
]
