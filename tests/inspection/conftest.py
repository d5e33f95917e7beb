"""Inspection fixtures: the shared ``world``, plus inspection staff on G1 (below the
D1 inspector) and on D2 (a sibling subtree), and a post held by bob."""

import datetime as dt

import pytest

from serment.core.actors import SYSTEM
from serment.members.actions import assign_post
from tests import factories as f

UBKT = "Ủy ban Kiểm tra Huyện ủy 1"


@pytest.fixture
def insp(world):
    w = world
    w.g1_inspector = f.user("g1_inspector")
    f.role(w.g1_inspector, w.G1, "inspection_staff")
    w.d2_inspector = f.user("d2_inspector")
    f.role(w.d2_inspector, w.D2, "inspection_staff")
    w.bob_post = assign_post(
        by=SYSTEM, member=w.bob, organisation=w.C2, post="secretary", on=dt.date(2018, 1, 1)
    )
    return w


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def client():
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def records(insp):
    """One of each record inside D1's subtree and one inside D2's."""
    from serment.inspection.actions import lodge_complaint, plan_inspection, receive_case, record_discipline

    w = insp
    w.nobody = f.user("nobody")
    w.p_inspector = f.user("p_inspector")
    f.role(w.p_inspector, w.P, "inspection_staff")
    w.alice_decision = record_discipline(
        by=SYSTEM, member=w.alice, form="reprimand", decided_on=dt.date(2023, 2, 1), deciding_body=UBKT
    )
    w.alice_complaint = lodge_complaint(
        by=SYSTEM,
        decision=w.alice_decision,
        received_decision_on=dt.date(2023, 2, 2),
        lodged_on=dt.date(2023, 2, 20),
        level=3,
        handling_body="Ủy ban Kiểm tra Tỉnh ủy",
    )
    w.carol_decision = record_discipline(
        by=SYSTEM,
        member=w.carol,
        form="warning",
        decided_on=dt.date(2023, 3, 1),
        deciding_body="UBKT Huyện ủy 2",
    )
    w.d1_case = receive_case(
        by=SYSTEM,
        committee=w.D1,
        kind="denunciation",
        channel="post",
        received_on=dt.date(2023, 4, 1),
        sender_name="Người tố cáo Bí Mật",
        concerned_member=w.alice,
        summary="Tố cáo vi phạm",
    )
    w.d2_case = receive_case(
        by=SYSTEM,
        committee=w.D2,
        kind="petition",
        channel="post",
        received_on=dt.date(2023, 4, 2),
        sender_name="Người kiến nghị",
        summary="Kiến nghị",
    )
    w.d1_inspection = plan_inspection(
        by=SYSTEM,
        committee=w.D1,
        year=2023,
        kind="inspection",
        mode="regular",
        topic="Thực hiện quy chế",
        starts_on=dt.date(2023, 5, 1),
        ends_on=dt.date(2023, 5, 20),
        deadline=dt.date(2023, 6, 30),
        subject_organisation=w.G1,
    )
    w.d2_inspection = plan_inspection(
        by=SYSTEM,
        committee=w.D2,
        year=2023,
        kind="supervision",
        mode="thematic",
        topic="Chuyên đề",
        starts_on=dt.date(2023, 5, 1),
        ends_on=dt.date(2023, 5, 20),
        deadline=dt.date(2023, 6, 30),
        subject_organisation=w.G2,
    )
    return w
