from django.urls import path

from hiddenharm.safeguarding import views_referrals, views_sharing

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
    path("clients/<int:client_id>/share/", views_sharing.share_create, name="share_create"),
    path("sharing/", views_sharing.share_list, name="share_list"),
    path("requests/", views_sharing.request_list, name="request_list"),
    path("requests/new/", views_sharing.request_create, name="request_create"),
    path("requests/<int:request_id>/", views_sharing.request_detail, name="request_detail"),
    path("clients/<int:client_id>/break-the-glass/", views_sharing.glass_break, name="glass_break"),
    path("break-the-glass/", views_sharing.glass_list, name="glass_list"),
    path(
        "break-the-glass/<int:glass_id>/reviewed/",
        views_sharing.glass_review,
        name="glass_review",
    ),
    path("protocols/", views_sharing.protocol_list, name="protocols"),
    path("protocols/edit/", views_sharing.protocol_edit, name="protocol_edit"),
    path("activity/", views_sharing.activity_view, name="activity"),
]
