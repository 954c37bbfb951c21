from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ledgerdesk.api import api
from ledgerdesk.core import views as core_views

admin.site.site_header = "LedgerDesk administration"
admin.site.site_title = "LedgerDesk"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", core_views.healthz, name="healthz"),
    path("parties/", include("ledgerdesk.parties.urls")),
    path("ledger/", include("ledgerdesk.ledger.urls")),
    path("desk/", include("ledgerdesk.desk.urls")),
    path("portal/", include("ledgerdesk.portal.urls")),
    path("receivables/", include("ledgerdesk.receivables.urls")),
    path("credit/", include("ledgerdesk.creditcontrol.urls")),
    path("surveys/", include("ledgerdesk.surveys.urls")),
    path("insights/", include("ledgerdesk.insights.urls")),
    path("payables/", include("ledgerdesk.payables.urls")),
    path("watch/", include("ledgerdesk.watch.urls")),
    path("audit/", core_views.audit_log, name="audit"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
