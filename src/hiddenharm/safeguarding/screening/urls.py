from django.urls import path

from hiddenharm.safeguarding.screening import views

app_name = "screening"
urlpatterns = [
    path("due/", views.due, name="due"),
    path("clients/<int:client_id>/new/", views.screening_create, name="create"),
    path("<int:screening_id>/", views.screening_detail, name="detail"),
]
