from django.urls import path

from serment.core import import_views

from . import views

app_name = "admissions"
urlpatterns = [
    path("", views.index, name="index"),
    path("figures/<str:figure>/", views.drilldown, name="drilldown"),
    path("export/", views.export, name="export"),
    path("candidates/", views.candidate_list, name="candidates"),
    path("candidates/new/", views.candidate_new, name="candidate_new"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate"),
    path("candidates/<int:pk>/step/", views.candidate_step, name="candidate_step"),
    path("candidates/<int:pk>/withdraw/", views.candidate_withdraw, name="candidate_withdraw"),
    path("probation/", views.reminders, name="reminders"),
    path("probation/<int:member_pk>/", views.probation, name="probation"),
    path("targets/", views.targets, name="targets"),
    path("import/<slug:kind>/", import_views.legacy, name="import"),
]
