from django.urls import path

from hiddenharm.safeguarding import views_referrals

app_name = "safeguarding"
urlpatterns = [
    path("referrals/", views_referrals.referral_list, name="referrals"),
    path(
        "clients/<int:client_id>/refer/",
        views_referrals.referral_create,
        name="referral_create",
    ),
    path("referrals/<int:referral_id>/", views_referrals.referral_detail, name="referral_detail"),
    path(
        "referrals/<int:referral_id>/change/", views_referrals.referral_edit, name="referral_edit"
    ),
    path(
        "referrals/<int:referral_id>/<str:action>/",
        views_referrals.referral_move,
        name="referral_move",
    ),
]
