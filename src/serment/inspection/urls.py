from django.urls import path

from . import views

app_name = "inspection"
urlpatterns = [
    path("", views.index, name="index"),
    path("discipline/", views.register, name="register"),
    path("discipline/<int:pk>/", views.decision_detail, name="decision"),
    path("discipline/<int:pk>/annul/", views.decision_annul, name="annul"),
    path("discipline/<int:pk>/complaint/", views.complaint_new, name="complaint_new"),
    path("discipline/complaint/<int:pk>/decide/", views.complaint_decide, name="complaint_decide"),
    path("discipline/<slug:subject>/<int:pk>/new/", views.decision_new, name="decision_new"),
]
