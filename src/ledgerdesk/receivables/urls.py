from django.urls import path

from ledgerdesk.receivables import views

app_name = "receivables"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("upload/", views.upload, name="upload"),
    path("statement/<int:pk>/", views.statement_detail, name="statement"),
    path("line/<int:pk>/", views.line_detail, name="line"),
]
