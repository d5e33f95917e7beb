from django.urls import path

from . import views

app_name = "home"
urlpatterns = [
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("me/", views.me, name="me"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/remind-me/", views.remind_me, name="remind_me"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
]
