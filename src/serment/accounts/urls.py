from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("org/<int:pk>/", views.org_roles, name="org_roles"),
    path("org/<int:pk>/grant/", views.grant, name="grant"),
    path("org/<int:pk>/new-user/", views.new_user, name="new_user"),
    path("grants/<int:pk>/revoke/", views.revoke, name="revoke"),
]
