"""Factories that go through the domain actions, so tests set up data the way users do."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth import get_user_model

from serment.accounts.actions import grant_role
from serment.core.actors import SYSTEM
from serment.members.actions import register_member
from serment.organisations.actions import create_organisation

_seq = itertools.count(1)


def org(kind: str, parent=None, name: str | None = None, code: str | None = None):
    n = next(_seq)
    return create_organisation(
        by=SYSTEM, code=code or f"{kind[:3].upper()}{n}", name=name or f"{kind} {n}", kind=kind, parent=parent
    )


def user(username: str | None = None, password: str = "pw"):
    return get_user_model().objects.create_user(username=username or f"user{next(_seq)}", password=password)


def role(u, organisation, role_name: str):
    return grant_role(
        by=SYSTEM, user=u, organisation=organisation, role=role_name, starts_on=dt.date(2000, 1, 1)
    )


def member(cell, **kw):
    n = next(_seq)
    defaults = dict(
        full_name=f"Nguyễn Văn {n}",
        date_of_birth=dt.date(1980, 1, 1),
        sex="male",
        admitted_on=dt.date(2010, 5, 19),
        official_on=dt.date(2011, 5, 19),
        card_number=f"C{n:08d}",
        citizen_id=f"0{n:011d}",
    )
    defaults.update(kw)
    return register_member(by=SYSTEM, organisation=cell, **defaults)
