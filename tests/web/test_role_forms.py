"""Grant and revoke roles, create sign-in accounts (provincial administrator)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.urls import reverse

from serment.accounts.models import RoleGrant
from serment.core.models import AuditEntry

User = get_user_model()


def grants() -> list[tuple]:
    return list(
        RoleGrant.objects.order_by("pk").values_list(
            "user__username", "organisation__code", "role", "ends_on"
        )
    )


def test_granting_a_role_on_a_cell(client, web):
    client.force_login(web.admin)
    response = client.post(
        reverse("accounts:grant", args=[web.C2.pk]), {"user": "nobody", "role": "secretary"}
    )
    assert response.status_code == 302
    assert grants()[-1] == ("nobody", "C2", "secretary", None)
    latest = AuditEntry.objects.first()
    assert (latest.action, latest.target_id, latest.actor) == ("role.grant", web.nobody.pk, web.admin)


def test_granting_a_role_already_held_is_refused(client, web):
    before, audit_count = grants(), AuditEntry.objects.count()
    client.force_login(web.admin)
    response = client.post(
        reverse("accounts:grant", args=[web.G1.pk]), {"user": "g1_staff", "role": "org_staff"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"role": ["This user already holds this role here."]}
    assert (grants(), AuditEntry.objects.count()) == (before, audit_count)


def test_secretary_role_is_offered_only_on_cells(client, web):
    client.force_login(web.admin)
    on_committee = client.get(reverse("accounts:grant", args=[web.G1.pk])).context["form"]
    on_cell = client.get(reverse("accounts:grant", args=[web.C1.pk])).context["form"]
    assert [r for r, _label in on_committee.fields["role"].choices] == [
        "",  # no default: the user chooses the role
        "admin",
        "org_staff",
        "inspection_staff",
        "leader",
    ]
    assert [r for r, _label in on_cell.fields["role"].choices] == [
        "",
        "admin",
        "org_staff",
        "inspection_staff",
        "secretary",
        "leader",
    ]


def test_revoking_a_role(client, web):
    client.force_login(web.admin)
    response = client.post(
        reverse("accounts:revoke", args=[web.secretary_grant.pk]), {"ends_on": "2024-05-01"}
    )
    assert response.status_code == 302
    web.secretary_grant.refresh_from_db()
    assert web.secretary_grant.ends_on == dt.date(2024, 5, 1)
    assert AuditEntry.objects.first().action == "role.revoke"


def test_revoking_before_the_start_is_refused(client, web):
    before = grants()
    client.force_login(web.admin)
    response = client.post(
        reverse("accounts:revoke", args=[web.secretary_grant.pk]), {"ends_on": "1999-12-31"}
    )
    assert response.context["form"].errors == {"ends_on": ["A role cannot end before it starts."]}
    assert grants() == before


def test_creating_an_account_with_a_role(client, web):
    client.force_login(web.admin)
    response = client.post(
        reverse("accounts:new_user", args=[web.G2.pk]),
        {
            "username": "g2_staff",
            "full_name": "Võ Thị Hoa",
            "password": "a-long-password",
            "role": "org_staff",
        },
    )
    assert response.status_code == 302
    account = User.objects.get(username="g2_staff")
    assert (account.first_name, account.last_name, account.check_password("a-long-password")) == (
        "Võ Thị",
        "Hoa",
        True,
    )
    assert grants()[-1] == ("g2_staff", "G2", "org_staff", None)
    assert list(AuditEntry.objects.values_list("action", flat=True)[:2]) == ["role.grant", "user.create"]


def test_an_invalid_role_creates_no_account(client, web):
    client.force_login(web.admin)
    response = client.post(
        reverse("accounts:new_user", args=[web.G2.pk]),
        {"username": "ghost", "role": "secretary"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "role": ["Select a valid choice. secretary is not one of the available choices."]
    }
    assert User.objects.filter(username="ghost").exists() is False


def test_a_taken_user_name_is_refused(client, web):
    count = User.objects.count()
    client.force_login(web.admin)
    response = client.post(reverse("accounts:new_user", args=[web.G2.pk]), {"username": "alice"})
    assert response.context["form"].errors == {"username": ["The user name alice is taken."]}
    assert User.objects.count() == count
