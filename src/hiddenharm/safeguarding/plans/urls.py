from django.urls import path

from hiddenharm.safeguarding.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("upcoming/", views.upcoming, name="upcoming"),
    path("overdue/", views.overdue, name="overdue"),
    path("clients/<int:client_id>/new/", views.plan_create, name="create"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/end/", views.plan_end, name="end"),
    path("<int:plan_id>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("<int:plan_id>/report.pdf", views.report_pdf, name="report"),
    path("meetings/<int:meeting_id>/", views.meeting_edit, name="meeting_edit"),
    path(
        "meetings/<int:meeting_id>/contribution/",
        views.contribution_edit,
        name="contribution",
    ),
]
