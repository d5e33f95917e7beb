"""The list and detail pages run the same number of queries for 1 row as for 3."""

import datetime as dt

import pytest
from django.urls import reverse

from serment.core.actors import SYSTEM
from serment.members.actions import assign_post, transfer_member
from tests import factories as f


@pytest.fixture
def tree(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    province = f.org("province")
    district = f.org("district_committee", province)
    grassroots = f.org("grassroots_committee", district)
    cells = [f.org("cell", grassroots) for _ in range(2)]
    admin = f.user()
    f.role(admin, province, "admin")
    return province, district, grassroots, cells, admin


@pytest.mark.parametrize("rows", [1, 3])
def test_member_list(client, tree, rows, django_assert_num_queries):
    _province, _district, _grassroots, cells, admin = tree
    for _ in range(rows):
        f.member(cells[0])
    client.force_login(admin)
    # session, user, scope (grants, own record), picker, count, page, unread notifications
    with django_assert_num_queries(8):
        response = client.get(reverse("members:list"))
    assert len(response.context["page"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_member_page(client, tree, rows, django_assert_num_queries):
    province, district, grassroots, cells, admin = tree
    member = f.member(cells[0])
    for i in range(rows):
        assign_post(
            by=SYSTEM,
            member=member,
            organisation=(cells[0], grassroots, district)[i],  # one post held once at a time
            post="committee_member",
            on=dt.date(2015, 1, 1 + i),
        )
        transfer_member(by=SYSTEM, member=member, to=cells[(i + 1) % 2], on=dt.date(2016, 1, 1 + i))
    client.force_login(admin)
    # session, user, scope ×2, member, open period, posts, memberships, periods, all posts, audit,
    # unread notifications, the names of the organisations the audit history refers to (ux's readable
    # history: one in_bulk query per referenced model for the whole history, not per entry)
    with django_assert_num_queries(13):
        response = client.get(reverse("members:detail", args=[member.pk]))
    assert len(response.context["audit"]) == 1 + 2 * rows


@pytest.mark.parametrize("rows", [1, 3])
def test_organisation_page(client, tree, rows, django_assert_num_queries):
    province, district, grassroots, cells, admin = tree
    extra = [f.org("grassroots_committee", district) for _ in range(rows - 1)]
    for g in [grassroots, *extra]:
        f.member(cells[0] if g is grassroots else f.org("cell", g))
    client.force_login(admin)
    # session, user, scope ×2, organisation, ancestors, children, member counts,
    # cell paths, subtree members, subtree organisations, audit, unread notifications,
    # the organisation breadcrumb, the names of the organisations the audit history refers to (ux's
    # readable history: one in_bulk query per referenced model for the whole history, not per entry)
    with django_assert_num_queries(15):
        response = client.get(reverse("organisations:detail", args=[district.pk]))
    assert len(response.context["children"]) == rows
