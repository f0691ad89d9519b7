from django.urls import path

from hiddenharm.partnership import views, views_dashboard, views_directory, views_public

app_name = "partnership"

urlpatterns = [
    path("partnership/", views_dashboard.dashboard, name="dashboard"),
    path("partnership/recommendations/", views.recommendations, name="recommendations"),
    path("partnership/recommendations/<int:number>/", views.recommendation, name="recommendation"),
    path("partnership/markers/", views.markers, name="markers"),
    path("partnership/across-areas/", views.rollups, name="rollups"),
    path("partnership/export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("partnership/export.pdf", views.export, {"fmt": "pdf"}, name="export_pdf"),
    path("directory/", views_directory.directory, name="directory"),
    path("directory/add/", views_directory.directory_add, name="directory_add"),
    path("directory/<int:entry_id>/", views_directory.directory_edit, name="directory_edit"),
    path("help/", views_public.public_help, name="public_help"),
    path("help/staying-safe-online/", views_public.public_online, name="public_online"),
    path("exit/", views_public.exit_page, name="exit"),
]
