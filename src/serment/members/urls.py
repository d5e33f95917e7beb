from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/posts/<int:holding_pk>/end/", views.end_post, name="end_post"),
    path("<int:pk>/<slug:action>/", views.member_action, name="action"),
]
