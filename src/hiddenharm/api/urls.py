from django.urls import path

from hiddenharm.api import views

app_name = "api"

urlpatterns = [
    path("api-tokens/", views.token_list, name="tokens"),
]
