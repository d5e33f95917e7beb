"""The inspection pages for the every-URL access test (tests/security/test_every_url.py),
on the shared ``web`` world: only the D1 inspector sees D1's records (alice, the person
concerned, her own decisions); every other role gets a 404; D2's records are out of
everyone's scope on D1's side. The full matrix with more inspectors is
tests/inspection/test_confidentiality.py."""

import datetime as dt

from django.urls import reverse

from serment.core.actors import SYSTEM
from tests.security.access_cases import UrlCase
from tests.web.conftest import ACTORS


def _expect(*ok, status=200):
    return {a: status if a in ok else 404 for a in ACTORS}


def _cached(w, name, build):
    if not hasattr(w, name):
        setattr(w, name, build())
    return getattr(w, name)


def decision(w, side="in"):
    from serment.inspection.actions import record_discipline

    member = w.alice if side == "in" else w.carol
    return _cached(
        w,
        f"_decision_{side}",
        lambda: record_discipline(
            by=SYSTEM, member=member, form="reprimand", decided_on=dt.date(2023, 2, 1), deciding_body="UBKT"
        ),
    )


def complaint(w, side="in"):
    from serment.inspection.actions import lodge_complaint

    return _cached(
        w,
        f"_complaint_{side}",
        lambda: lodge_complaint(
            by=SYSTEM,
            decision=decision(w, side),
            received_decision_on=dt.date(2023, 2, 2),
            lodged_on=dt.date(2023, 2, 10),
            level=3,
            handling_body="UBKT Tỉnh ủy",
        ),
    )


def case(w, side="in"):
    from serment.inspection.actions import receive_case

    return _cached(
        w,
        f"_case_{side}",
        lambda: receive_case(
            by=SYSTEM,
            committee=w.D1 if side == "in" else w.D2,
            kind="petition",
            channel="post",
            received_on=dt.date(2023, 3, 1),
            sender_name="A",
            summary="Kiến nghị",
        ),
    )


def inspection(w, side="in"):
    from serment.inspection.actions import plan_inspection

    return _cached(
        w,
        f"_inspection_{side}",
        lambda: plan_inspection(
            by=SYSTEM,
            committee=w.D1 if side == "in" else w.D2,
            year=2023,
            kind="inspection",
            mode="regular",
            topic="Quy chế",
            starts_on=dt.date(2023, 4, 1),
            ends_on=dt.date(2023, 4, 10),
            deadline=dt.date(2023, 5, 1),
            subject_organisation=w.G1 if side == "in" else w.G2,
        ),
    )


def _r(name, *args):
    return reverse(name, args=args)


INSPECTOR = _expect("inspector")
CASES = [
    UrlCase("inspection index", lambda w: _r("inspection:index"), expected_in=INSPECTOR),
    UrlCase("inspection plan", lambda w: _r("inspection:plan"), expected_in=INSPECTOR),
    UrlCase("inspection cases", lambda w: _r("inspection:cases"), expected_in=INSPECTOR),
    UrlCase("inspection report", lambda w: _r("inspection:report"), expected_in=INSPECTOR),
    UrlCase(
        "inspection report records",
        lambda w: _r("inspection:records") + "?figure=cases.open&year=2023",
        expected_in=INSPECTOR,
    ),
    UrlCase(
        "discipline register",
        lambda w: _r("inspection:register"),
        expected_in=_expect("inspector", "alice_user"),
    ),
    UrlCase(
        "discipline decision",
        lambda w: _r("inspection:decision", decision(w).pk),
        lambda w: _r("inspection:decision", decision(w, "out").pk),
        expected_in=_expect("inspector", "alice_user"),
        expected_out=_expect(),
    ),
    UrlCase(
        "start a discipline decision",
        lambda w: _r("inspection:decision_start") + f"?card={w.alice.card_number}",
        lambda w: _r("inspection:decision_start") + f"?card={w.carol.card_number}",
        expected_in=_expect("inspector", status=302),
        expected_out=_expect(),
    ),
    UrlCase(
        "new discipline decision",
        lambda w: _r("inspection:decision_new", "member", w.alice.pk),
        lambda w: _r("inspection:decision_new", "member", w.carol.pk),
        expected_in=INSPECTOR,
        expected_out=_expect(),
    ),
    UrlCase(
        "annul a discipline decision",
        lambda w: _r("inspection:annul", decision(w).pk),
        lambda w: _r("inspection:annul", decision(w, "out").pk),
        expected_in=INSPECTOR,
        expected_out=_expect(),
    ),
    UrlCase(
        "restore the rights after an annulment",
        lambda w: _r("inspection:restore_rights", decision(w).pk),
        lambda w: _r("inspection:restore_rights", decision(w, "out").pk),
        expected_in=INSPECTOR,
        expected_out=_expect(),
    ),
    UrlCase(
        "complaint about discipline",
        lambda w: _r("inspection:complaint_new", decision(w).pk),
        lambda w: _r("inspection:complaint_new", decision(w, "out").pk),
        expected_in=INSPECTOR,
        expected_out=_expect(),
    ),
    UrlCase(
        "decide a complaint",
        lambda w: _r("inspection:complaint_decide", complaint(w).pk),
        lambda w: _r("inspection:complaint_decide", complaint(w, "out").pk),
        expected_in=INSPECTOR,
        expected_out=_expect(),
    ),
    UrlCase(
        "case detail",
        lambda w: _r("inspection:case", case(w).pk),
        lambda w: _r("inspection:case", case(w, "out").pk),
        expected_in=INSPECTOR,
        expected_out=_expect(),
    ),
    UrlCase(
        "close a case",
        lambda w: _r("inspection:case_close", case(w).pk),
        lambda w: _r("inspection:case_close", case(w, "out").pk),
        expected_in=INSPECTOR,
        expected_out=_expect(),
    ),
    UrlCase(
        "new case",
        lambda w: _r("inspection:case_new", w.D1.pk),
        lambda w: _r("inspection:case_new", w.D2.pk),
        expected_in=INSPECTOR,
        expected_out=_expect(),
    ),
    UrlCase(
        "plan an inspection",
        lambda w: _r("inspection:inspection_new", w.D1.pk),
        lambda w: _r("inspection:inspection_new", w.D2.pk),
        expected_in=INSPECTOR,
        expected_out=_expect(),
    ),
    UrlCase(
        "conclude an inspection",
        lambda w: _r("inspection:inspection_conclude", inspection(w).pk),
        lambda w: _r("inspection:inspection_conclude", inspection(w, "out").pk),
        expected_in=INSPECTOR,
        expected_out=_expect(),
    ),
]
