from django.urls import path

from serment.core import import_views

from . import views

app_name = "oath"
urlpatterns = [
    path("", views.index, name="index"),
    path("me/", views.me, name="me"),
    path("me/promises/new/", views.promise_add, name="promise_add"),
    path("members/<int:member_id>/promises/new/", views.member_promise_add, name="member_promise_add"),
    path("promises/import/", import_views.legacy, {"kind": "promises"}, name="promise_import"),
    path("promises/<int:pk>/update/", views.promise_update, name="promise_update"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_launch, name="campaign_launch"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:campaign_id>/my-self-assessment/", views.assessment_edit, name="assessment"),
    path("campaigns/<int:pk>/close/", views.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/import/", import_views.legacy, {"kind": "paper-campaigns"}, name="import"),
    path("campaigns/<int:pk>/coverage/", views.coverage, name="coverage"),
    path("campaigns/<int:pk>/coverage/<str:kind>/", views.coverage_list, name="coverage_list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/minutes.pdf", views.meeting_minutes, name="minutes"),
    path("meetings/<int:pk>/<str:what>/", views.meeting_act, name="meeting_act"),
]
