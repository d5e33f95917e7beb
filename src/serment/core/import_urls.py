"""The one import page: ``/imports/``, ``/imports/<kind>/`` and its template and error file."""

from django.urls import path

from . import import_views

app_name = "imports"
urlpatterns = [
    path("", import_views.index, name="index"),
    path("<slug:kind>/", import_views.import_page, name="kind"),
    path("<slug:kind>/template.csv", import_views.template, name="template"),
    path("<slug:kind>/errors.csv", import_views.errors, name="errors"),
]
