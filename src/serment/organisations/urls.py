from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/new/", views.create_child, name="create_child"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/move/", views.move, name="move"),
]
