"""No default on a consequential choice: a form saved without choosing is refused on
that field, never recorded as Excellent, Administrator or an official transfer."""

import re

import pytest

from serment.accounts.forms import GrantRoleForm
from serment.admissions.forms import CandidateForm
from serment.inspection.forms import (
    CaseCloseForm,
    CaseForm,
    ComplaintDecisionForm,
    ComplaintForm,
    ConcludeForm,
    DecisionForm,
    InspectionForm,
)
from serment.members.forms import AssignPostForm, ExemptForm, TransferForm
from serment.oath.forms import PromiseForm, PromiseUpdateForm
from serment.organisations.forms import OrganisationCreateForm
from serment.ratings.forms import CorrectForm, DecideForm, ReviewForm, SelfAssessForm

CASES = {
    "self-rating level": (lambda w, d: SelfAssessForm(d, scored=False, collective=False), "level"),
    "collective's proposed level": (lambda w, d: ReviewForm(d), "level"),
    "decided level": (lambda w, d: DecideForm(d), "level"),
    "corrected level": (lambda w, d: CorrectForm(d), "level"),
    "role granted": (lambda w, d: GrantRoleForm(d, organisation=w.P), "role"),
    "exemption reason": (lambda w, d: ExemptForm(d, member=w.alice, user=w.admin), "reason"),
    "post": (lambda w, d: AssignPostForm(d, member=w.alice, user=w.admin), "post"),
    "kind of transfer": (lambda w, d: TransferForm(d, member=w.alice, user=w.admin), "internal"),
    "candidate's sex": (lambda w, d: CandidateForm(d, user=w.admin), "sex"),
    "promise occasion": (lambda w, d: PromiseForm(d), "occasion"),
    "promise made to": (lambda w, d: PromiseForm(d), "to_whom"),
    "promise state": (lambda w, d: PromiseUpdateForm(d), "state"),
    "organisation kind": (lambda w, d: OrganisationCreateForm(d, parent=w.P), "kind"),
    "form of a member's discipline": (lambda w, d: DecisionForm(d, for_member=True), "form"),
    "form of an organisation's discipline": (lambda w, d: DecisionForm(d, for_member=False), "form"),
    "level a complaint is handled at": (lambda w, d: ComplaintForm(d), "level"),
    "outcome of a complaint": (lambda w, d: ComplaintDecisionForm(d), "outcome"),
    "kind of a case": (lambda w, d: CaseForm(d), "kind"),
    "channel of a case": (lambda w, d: CaseForm(d), "channel"),
    "outcome of a case": (lambda w, d: CaseCloseForm(d), "outcome"),
    "kind of an inspection": (lambda w, d: InspectionForm(d), "kind"),
    "mode of an inspection": (lambda w, d: InspectionForm(d), "mode"),
    "conclusion of an inspection": (lambda w, d: ConcludeForm(d), "conclusion"),
}


@pytest.mark.parametrize("case", CASES)
def test_nothing_is_chosen_before_the_user_chooses(world, case):
    make, field = CASES[case]
    html = str(make(world, None)[field])
    chosen = re.findall(r'value="([^"]*)"[^>]*\b(?:selected|checked)\b', html)
    assert chosen in ([], [""]), html
    if "<select" in html:  # a browser shows the first option when none is selected
        assert re.search(r"<option[^>]*>", html).group(0).startswith('<option value=""'), html


@pytest.mark.parametrize("case", CASES)
def test_saving_without_choosing_is_an_error_on_that_field(world, case):
    make, field = CASES[case]
    form = make(world, {})
    assert not form.is_valid()
    assert field in form.errors
