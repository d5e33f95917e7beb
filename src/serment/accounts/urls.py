from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "accounts"

_password_form = "accounts/password_form.html"
_password_done = "accounts/password_done.html"

urlpatterns = [
    path("org/<int:pk>/", views.org_roles, name="org_roles"),
    path("org/<int:pk>/grant/", views.grant, name="grant"),
    path("org/<int:pk>/new-user/", views.new_user, name="new_user"),
    path("grants/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("members/<int:pk>/sign-in-account/", views.link_member, name="link_member"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name=_password_form, success_url=reverse_lazy("accounts:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name=_password_done),
        name="password_change_done",
    ),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name=_password_form,
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name=_password_done),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name=_password_form, success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name=_password_done),
        name="password_reset_complete",
    ),
]
