from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from serment.api.api import api
from serment.core import views as core_views
from serment.home import views as home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("", include("serment.home.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("imports/", include("serment.core.import_urls")),
    path("org/", include("serment.organisations.urls")),
    path("members/", include("serment.members.urls")),
    path("accounts/", include("serment.accounts.urls")),
    path("oath/", include("serment.oath.urls")),
    path("ratings/", include("serment.ratings.urls")),
    path("admissions/", include("serment.admissions.urls")),
    path("inspection/", include("serment.inspection.urls")),
    path("cadres/", include("serment.cadres.urls")),
    path("api/", api.urls),
    path("account/tokens/", include("serment.api.urls")),
    path("django-admin/", admin.site.urls),
    path("jobs/", include("serment.jobs.urls")),
]
