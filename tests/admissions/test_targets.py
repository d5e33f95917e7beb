"""Committees set yearly targets for themselves and the committees under them."""

import pytest

from serment.admissions import actions
from serment.admissions.models import AdmissionTarget
from serment.core.errors import DomainError, NotPermitted


def test_a_district_sets_its_own_target_and_one_for_its_grassroots_committee(world):
    actions.set_target(by=world.d1_staff, organisation=world.D1, year=2023, target=120)
    actions.set_target(by=world.d1_staff, organisation=world.G1, year=2023, target=40, set_by=world.D1)
    assert list(
        AdmissionTarget.objects.values_list("organisation__code", "year", "target", "set_by__code")
    ) == [
        ("D1", 2023, 120, "D1"),
        ("G1", 2023, 40, "D1"),
    ]


def test_setting_a_target_again_changes_it(world):
    actions.set_target(by=world.admin, organisation=world.P, year=2023, target=2000)
    actions.set_target(by=world.admin, organisation=world.P, year=2023, target=2100)
    assert list(AdmissionTarget.objects.values_list("target", flat=True)) == [2100]


def test_a_grassroots_committee_cannot_set_its_district_target(world):
    with pytest.raises(NotPermitted):
        actions.set_target(by=world.g1_staff, organisation=world.D1, year=2023, target=120)


def test_a_committee_cannot_set_targets_outside_its_subtree(world):
    with pytest.raises(DomainError) as refusal:
        actions.set_target(by=world.d1_staff, organisation=world.G2, year=2023, target=5, set_by=world.D1)
    assert refusal.value.message == "Đảng bộ xã 2 is not under Huyện ủy 1."


def test_cells_have_no_targets(world):
    with pytest.raises(DomainError) as refusal:
        actions.set_target(by=world.admin, organisation=world.C1, year=2023, target=2)
    assert refusal.value.message == "Targets are set for committees, not for cells (Chi bộ thôn 1)."


def test_a_target_must_be_positive(world):
    with pytest.raises(DomainError) as refusal:
        actions.set_target(by=world.admin, organisation=world.P, year=2023, target=0)
    assert refusal.value.field == "target"
