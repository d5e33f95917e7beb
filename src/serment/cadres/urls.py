from django.urls import path

from . import views

app_name = "cadres"
urlpatterns = [
    path("", views.index, name="index"),
    path("posts/", views.posts, name="posts"),
    path("decisions/", views.movements, name="movements"),
    path("decisions/<int:pk>/", views.movement, name="movement"),
    path("planning/", views.planning, name="planning"),
    path("planning/<int:pk>/remove/", views.plan_remove, name="plan_remove"),
    path("member/<int:pk>/", views.member, name="member"),
    path("member/<int:pk>/decision/", views.record_movement, name="record_movement"),
    path("member/<int:pk>/plan/", views.plan_add, name="plan_add"),
    path("member/<int:pk>/locality/", views.set_locality, name="set_locality"),
    path("report/", views.report, name="report"),
]
