"""Who gets what on the import pages (every URL pattern of ``/imports/``): 403 when
the user's role allows the kind nowhere, 404 for an unknown kind or a target outside
what the user sees, 200 otherwise."""

import pytest

from .conftest import ACTORS, status_as

IMPORTERS = ("admin", "d1_staff", "g1_staff", "outsider")  # hold IMPORT somewhere


def expect(ok=(), not_found=()):
    """200 for ``ok``, 404 for ``not_found``, 403 for the rest."""
    return {a: 200 if a in ok else 404 if a in not_found else 403 for a in ACTORS}


CASES = [
    ("index", lambda w: "/imports/", expect(ok=(*IMPORTERS, "secretary", "inspector"))),
    ("member page", lambda w: "/imports/members/", expect(ok=IMPORTERS)),
    ("member template", lambda w: "/imports/members/template.csv", expect(ok=IMPORTERS)),
    ("member error file, none yet", lambda w: "/imports/members/errors.csv", expect(not_found=IMPORTERS)),
    ("organisation page", lambda w: "/imports/organisations/", expect(ok=IMPORTERS)),
    # confidential: only inspection staff import discipline decisions (issue 9)
    ("discipline page", lambda w: "/imports/discipline/", expect(ok=("inspector",))),
    ("rating page", lambda w: "/imports/ratings/", expect(ok=(*IMPORTERS, "secretary"))),
    ("candidate page", lambda w: "/imports/candidates/", expect(ok=(*IMPORTERS, "secretary"))),
    (
        "targets into D1",
        lambda w: f"/imports/targets/?org={w.D1.pk}",
        expect(ok=("admin", "d1_staff"), not_found=("g1_staff", "outsider")),
    ),
    (
        "targets into G2",
        lambda w: f"/imports/targets/?org={w.G2.pk}",
        expect(ok=("admin", "outsider"), not_found=("d1_staff", "g1_staff")),
    ),
    ("unknown kind", lambda w: "/imports/nothing/", expect(not_found=ACTORS)),
]


@pytest.mark.parametrize("name,url,expected", CASES, ids=[c[0] for c in CASES])
def test_import_access_matrix(client, web, name, url, expected):
    got = {a: status_as(client, getattr(web, a), url(web)) for a in ACTORS}
    assert got == expected


def test_old_import_addresses_lead_to_the_one_page(client, web):
    client.force_login(web.d1_staff)
    assert client.get("/oath/promises/import/").url == "/imports/promises/"
    assert client.get("/ratings/import/").url == "/imports/ratings/"
    assert (
        client.get(f"/admissions/import/targets/?org={web.D1.pk}").url == f"/imports/targets/?org={web.D1.pk}"
    )
    assert client.get("/members/import/").status_code == 200
    client.logout()
    assert client.get("/imports/members/").status_code == 302  # to the sign-in page
