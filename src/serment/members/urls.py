from django.urls import path

from serment.core import import_views

from . import export_views, views

app_name = "members"
urlpatterns = [
    path("import/", import_views.import_page, {"kind": "members"}, name="import"),
    path("export/", export_views.member_export, name="export"),
    path("", views.member_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/posts/<int:holding_pk>/end/", views.end_post, name="end_post"),
    path("<int:pk>/<slug:action>/", views.member_action, name="action"),
]
