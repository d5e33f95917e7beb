from django.urls import path

from . import views

app_name = "oath"
urlpatterns = [
    path("", views.index, name="index"),
]
