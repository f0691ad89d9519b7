from django.contrib import admin
from django.urls import include, path

from hiddenharm.api.api import api
from hiddenharm.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("account/", include("hiddenharm.api.urls")),
    path("", include("hiddenharm.accounts.urls")),
    path("clients/", include("hiddenharm.cases.urls")),
    path("audit/", include("hiddenharm.audit.urls")),
    path("", include("hiddenharm.partnership.urls")),
    path("safeguarding/screening/", include("hiddenharm.safeguarding.screening.urls")),
    path("safeguarding/plans/", include("hiddenharm.safeguarding.plans.urls")),
    path("safeguarding/", include("hiddenharm.safeguarding.urls")),
    # Staff only (Django's own checks): setting up organisations, teams and people.
    path("admin/", admin.site.urls),
]

# A refusal: the 403 page, which offers "break the glass" for a client of one's own service
# outside one's caseload.
handler403 = "hiddenharm.safeguarding.views_sharing.permission_denied"
