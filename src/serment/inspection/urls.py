from django.urls import path

from . import views

app_name = "inspection"
urlpatterns = [
    path("", views.index, name="index"),
    path("discipline/", views.register, name="register"),
    path("discipline/<int:pk>/", views.decision_detail, name="decision"),
    path("discipline/new/", views.decision_start, name="decision_start"),
    path("discipline/<int:pk>/annul/", views.decision_annul, name="annul"),
    path("discipline/<int:pk>/restore/", views.decision_restore, name="restore_rights"),
    path("discipline/<int:pk>/complaint/", views.complaint_new, name="complaint_new"),
    path("discipline/complaint/<int:pk>/decide/", views.complaint_decide, name="complaint_decide"),
    path("discipline/<slug:subject>/<int:pk>/new/", views.decision_new, name="decision_new"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/close/", views.case_close, name="case_close"),
    path("cases/new/<int:committee_pk>/", views.case_new, name="case_new"),
    path("plan/", views.plan, name="plan"),
    path("plan/new/<int:committee_pk>/", views.inspection_new, name="inspection_new"),
    path("plan/<int:pk>/conclude/", views.inspection_conclude, name="inspection_conclude"),
    path("report/", views.report, name="report"),
    path("report/records/", views.records, name="records"),
]
