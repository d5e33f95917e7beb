from django.urls import path

from serment.core import import_views
from serment.members import export_views

from . import views

app_name = "organisations"
urlpatterns = [
    path("import/", import_views.import_page, {"kind": "organisations"}, name="import"),
    path("export/", export_views.organisation_export, name="export"),
    path("pick/", views.pick, name="pick"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/new/", views.create_child, name="create_child"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/move/", views.move, name="move"),
]
