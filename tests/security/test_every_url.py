"""Every URL pattern has an access case (issue 13): the patterns are enumerated from
the resolver, and a pattern without a case fails. Cases come from
tests/web/test_access_matrix.py (exact matrices) and from every
``tests/<area>/access_cases.py`` (``CASES``: a list of ``UrlCase``), so an area adds
the cases of its pages in its own module."""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.web.conftest import ACTORS, status_as

from .access_cases import UrlCase

TESTS = Path(__file__).resolve().parents[1]

# Actors who see nothing under D2 / cell C3 (admin sees all; outsider works on D2).
D1_SIDE = ("d1_staff", "g1_staff", "secretary", "leader", "inspector", "alice_user", "nobody")


def all_cases() -> list[UrlCase]:
    from tests.web.test_access_matrix import CASES as MATRIX

    cases = [UrlCase(c[0], c[1], c[2], c[3], c[4]) for c in MATRIX]
    for module_file in sorted(TESTS.glob("*/access_cases.py")):
        module = importlib.import_module(f"tests.{module_file.parent.name}.access_cases")
        cases += module.CASES
    return cases


def pattern_names() -> set[str]:
    """Every named view of the site except the Django admin's (tested below as a whole)."""
    names: set[str] = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                walk(p.url_patterns, namespace + (f"{p.namespace}:" if p.namespace else ""))
            elif isinstance(p, URLPattern):
                names.add(namespace + (p.name or str(p.pattern)))

    walk(get_resolver().url_patterns)
    return names


CASES = all_cases()


def test_every_url_pattern_has_an_access_case(web):
    covered = {resolve(case.url_in(web).split("?")[0]).view_name for case in CASES}
    assert sorted(pattern_names() - covered) == []


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_role_in_and_out_of_scope(client, web, case):
    url_in = case.url_in(web)
    got_in = {a: status_as(client, getattr(web, a), url_in) for a in ACTORS}
    if case.expected_in is not None:
        assert got_in == case.expected_in
    assert {a: s for a, s in got_in.items() if s >= 500} == {}
    if case.url_out is None:
        return
    url_out = case.url_out(web)
    got_out = {a: status_as(client, getattr(web, a), url_out) for a in ACTORS}
    if case.expected_out is not None:
        assert got_out == case.expected_out
    assert {a: s for a, s in got_out.items() if s >= 500} == {}
    assert {a: got_out[a] for a in D1_SIDE if got_out[a] < 400} == {}


def test_the_django_admin_is_for_staff_only(client, web):
    """No role gives access to the Django admin: it answers the admin's sign-in page."""
    got = {a: status_as(client, getattr(web, a), "/django-admin/") for a in ACTORS}
    assert got == dict.fromkeys(ACTORS, 302)
