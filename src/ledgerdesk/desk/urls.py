from django.urls import path

from ledgerdesk.desk import views, views_case

app_name = "desk"
urlpatterns = [
    path("", views.my_queue, name="my_queue"),
    path("team/<slug:code>/", views.team_queue, name="team_queue"),
    path("search/", views.search, name="search"),
    path("quarantine/", views.quarantine, name="quarantine"),
    path("quarantine/<int:pk>/raw/", views.quarantine_raw, name="quarantine_raw"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("cases/<str:reference>/", views_case.case_detail, name="case"),
    path("cases/<str:reference>/reply/", views_case.reply, name="reply"),
    path("cases/<str:reference>/coach/", views_case.coach_review, name="coach"),
    path("cases/<str:reference>/state/", views_case.change_state, name="state"),
    path("cases/<str:reference>/assign/", views_case.assign, name="assign"),
    path("cases/<str:reference>/merge/", views_case.merge, name="merge"),
    path("cases/<str:reference>/split/", views_case.split, name="split"),
]
