from django.urls import path

from ledgerdesk.creditcontrol import views

app_name = "creditcontrol"
urlpatterns = [
    path("", views.follow_ups, name="follow_ups"),
    path("follow-ups/new/", views.follow_up_new, name="follow_up_new"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("follow-ups/<int:pk>/snooze/", views.follow_up_snooze, name="follow_up_snooze"),
    path("reminders/", views.reminders, name="reminders"),
    path("waivers/", views.waivers, name="waivers"),
    path("invoices/<int:pk>/waiver/", views.waiver_new, name="waiver_new"),
    path("waivers/<int:pk>/decide/", views.waiver_decide, name="waiver_decide"),
    path("arrangements/", views.arrangements, name="arrangements"),
    path("parties/<int:pk>/arrangement/", views.arrangement_new, name="arrangement_new"),
    path("parties/<int:pk>/statement/", views.statement, name="statement"),
    path("parties/<int:pk>/statement/send/", views.statement_send, name="statement_send"),
    path("parties/<int:pk>/schedule/", views.statement_schedule, name="schedule"),
]
