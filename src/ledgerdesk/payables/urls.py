from django.urls import path

from ledgerdesk.payables import views, views_runs

app_name = "payables"
urlpatterns = [
    path("approvals/", views.my_approvals, name="approvals"),
    path("approvals/<int:pk>/", views.decide_in_console, name="decide_step"),
    path("approve/<str:token>/", views.decide_by_link, name="decide"),
    path("duplicates/<int:pk>/", views.decide_duplicate, name="decide_duplicate"),
    path("invoices/<int:pk>/recheck/", views.recheck, name="recheck"),
    path("runs/", views_runs.run_list, name="runs"),
    path("runs/new/", views_runs.run_new, name="run_new"),
    path("runs/<int:pk>/", views_runs.run_detail, name="run"),
    path("runs/<int:pk>/payments.csv", views_runs.run_csv, name="run_csv"),
    path("runs/<int:pk>/<str:action>/", views_runs.run_action, name="run_action"),
]
