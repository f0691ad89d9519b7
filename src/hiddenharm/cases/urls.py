from django.urls import path

from hiddenharm.cases import (
    views_caseload,
    views_children,
    views_clients,
    views_dashboard,
    views_episodes,
    views_exchange,
    views_worklists,
)

app_name = "cases"
urlpatterns = [
    path("", views_clients.client_search, name="client_search"),
    path("new/", views_clients.client_create, name="client_create"),
    path("<int:client_id>/", views_clients.client_detail, name="client_detail"),
    path("<int:client_id>/edit/", views_clients.client_edit, name="client_edit"),
    path("episodes/<int:episode_id>/edit/", views_episodes.episode_edit, name="episode_edit"),
    path("reviews/<int:record_id>/edit/", views_episodes.review_edit, name="review_edit"),
    path("children/<int:child_id>/edit/", views_children.child_edit, name="child_edit"),
    path(
        "child-records/<int:status_id>/edit/",
        views_children.child_status_edit,
        name="child_status_edit",
    ),
    path(
        "pregnancies/<int:pregnancy_id>/edit/",
        views_children.pregnancy_edit,
        name="pregnancy_edit",
    ),
    path("<int:client_id>/episodes/new/", views_episodes.episode_create, name="episode_create"),
    path("<int:client_id>/children/new/", views_children.child_create, name="child_create"),
    path(
        "<int:client_id>/pregnancies/new/",
        views_children.pregnancy_create,
        name="pregnancy_create",
    ),
    path("episodes/<int:episode_id>/start/", views_episodes.start_items, name="start_items"),
    path("episodes/<int:episode_id>/review/", views_episodes.review_create, name="review_create"),
    path("episodes/<int:episode_id>/discharge/", views_episodes.discharge, name="discharge"),
    path("children/<int:child_id>/", views_children.child_detail, name="child_detail"),
    path(
        "children/<int:child_id>/status/",
        views_children.child_status_create,
        name="child_status_create",
    ),
    path("worklist/", views_worklists.worklist, name="worklist"),
    path("caseload/", views_caseload.caseload, name="caseload"),
    path("caseload/assign/", views_caseload.assign_many, name="assign_many"),
    path("<int:client_id>/assign/", views_caseload.client_assign, name="client_assign"),
    path("figures/", views_dashboard.dashboard, name="dashboard"),
    path("figures/report/", views_dashboard.area_report, name="area_report"),
    path("figures/problems/", views_dashboard.figure_problems, name="figure_problems"),
    path("exchange/", views_exchange.exchange, name="exchange"),
    path("exchange/export/", views_exchange.export, name="export"),
]
