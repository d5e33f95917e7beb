from django.urls import path

from serment.core import import_views

from . import views

app_name = "ratings"
urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/new/", views.open_round, name="open_round"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/decide/", views.decide_round, name="decide_round"),
    path("r/<int:pk>/", views.rating_detail, name="rating"),
    path("r/<int:pk>/<slug:step>/", views.rating_step, name="step"),
    path("report/", views.report, name="report"),
    path("report/records/", views.records, name="records"),
    path("targets/new/", views.target_new, name="target_new"),
    path("import/", import_views.legacy, {"kind": "ratings"}, name="import"),
]
