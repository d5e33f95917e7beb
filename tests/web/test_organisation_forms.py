"""Create, edit and move organisations from their pages."""

from django.urls import reverse

from serment.core.models import AuditEntry
from serment.organisations.models import Organisation


def tree_of(w) -> list[tuple]:
    return list(Organisation.objects.values_list("code", "name", "path", "dissolved_on"))


def test_creating_a_cell_under_a_grassroots_committee(client, web):
    client.force_login(web.g1_staff)
    response = client.post(
        reverse("organisations:create_child", args=[web.G1.pk]),
        {"kind": "cell", "code": "C9", "name": "Chi bộ thôn 9", "founded_on": "2024-02-03"},
    )
    cell = Organisation.objects.get(code="C9")
    assert response.status_code == 302
    assert response.url == reverse("organisations:detail", args=[cell.pk])
    assert (cell.parent, cell.kind, cell.path) == (web.G1, "cell", f"{web.G1.path}{cell.pk}/")
    latest = AuditEntry.objects.first()
    assert (latest.action, latest.target_id, latest.actor) == ("organisation.create", cell.pk, web.g1_staff)


def test_creating_offers_only_kinds_allowed_under_the_parent(client, web):
    client.force_login(web.g1_staff)
    response = client.get(reverse("organisations:create_child", args=[web.G1.pk]))
    assert [k for k, _label in response.context["form"].fields["kind"].choices] == [
        "",  # no default: the user chooses the kind
        "sub_committee",
        "cell",
    ]


def test_creating_with_a_used_code_shows_the_error_and_writes_nothing(client, web):
    before, audit_count = tree_of(web), AuditEntry.objects.count()
    client.force_login(web.g1_staff)
    response = client.post(
        reverse("organisations:create_child", args=[web.G1.pk]),
        {"kind": "cell", "code": "C2", "name": "Chi bộ trùng"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"code": ["The code C2 is already used."]}
    assert (tree_of(web), AuditEntry.objects.count()) == (before, audit_count)


def test_editing_a_cell(client, web):
    client.force_login(web.d1_staff)
    response = client.post(
        reverse("organisations:edit", args=[web.C2.pk]),
        {"code": "C2", "name": "Chi bộ khu phố 2", "founded_on": "1990-01-01", "dissolved_on": ""},
    )
    assert response.status_code == 302
    web.C2.refresh_from_db()
    assert web.C2.name == "Chi bộ khu phố 2"
    assert AuditEntry.objects.first().changes == {
        "name": ["Chi bộ thôn 2", "Chi bộ khu phố 2"],
        "founded_on": [None, "1990-01-01"],
    }


def test_dissolving_a_cell_that_still_has_members_is_refused(client, web):
    before, audit_count = tree_of(web), AuditEntry.objects.count()
    client.force_login(web.d1_staff)
    response = client.post(
        reverse("organisations:edit", args=[web.C2.pk]),
        {"code": "C2", "name": "Chi bộ thôn 2", "dissolved_on": "2024-01-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "dissolved_on": ["Transfer the members out before dissolving the cell."]
    }
    assert (tree_of(web), AuditEntry.objects.count()) == (before, audit_count)


def test_moving_a_grassroots_committee_to_another_district(client, web):
    client.force_login(web.admin)
    response = client.get(reverse("organisations:move", args=[web.G1.pk]))
    offered = [o.code for o in response.context["form"].fields["parent"].queryset]
    assert offered == ["P", "D2"]
    response = client.post(reverse("organisations:move", args=[web.G1.pk]), {"parent": web.D2.pk})
    assert response.status_code == 302
    web.C1.refresh_from_db()
    assert web.C1.path.startswith(web.D2.path)
    assert AuditEntry.objects.first().action == "organisation.move"


def test_moving_under_an_organisation_outside_the_choices_is_refused(client, web):
    before = tree_of(web)
    client.force_login(web.d1_staff)
    response = client.post(reverse("organisations:move", args=[web.G1.pk]), {"parent": web.D2.pk})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "parent": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert tree_of(web) == before


def test_organisation_page_shows_children_counts_and_history(client, web):
    client.force_login(web.d1_staff)
    response = client.get(reverse("organisations:detail", args=[web.G1.pk]))
    assert [(c.name, c.cell_count, c.member_count) for c in response.context["children"]] == [
        ("Chi bộ thôn 1", 1, 1),
        ("Chi bộ thôn 2", 1, 1),
    ]
    assert response.context["counts"] == {"members": 2, "cells": 2, "grassroots": 1}
    assert [a.action for a in response.context["audit"]] == ["organisation.create"]
    assert [a.name for a in response.context["ancestors"]] == ["Huyện ủy 1"]
