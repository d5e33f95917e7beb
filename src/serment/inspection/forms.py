"""Forms of the inspection pages. They only parse input: every rule is in the
``check_*`` functions the actions call, whose refusals become field errors."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serment.core.forms import DateField, with_blank

from .policies import (
    MEMBER_DISCIPLINE_FORMS,
    ORGANISATION_DISCIPLINE_FORMS,
    ActivityKind,
    ActivityMode,
    CaseChannel,
    CaseKind,
    CaseOutcome,
    ComplaintLevel,
    ComplaintOutcome,
    Conclusion,
    DisciplineForm,
)


class DecisionForm(forms.Form):
    form = forms.ChoiceField(label=_("Form of discipline"), choices=with_blank(DisciplineForm.choices))
    decided_on = DateField(label=_("Decided on"))
    announced_on = DateField(
        label=_("Announced on"), required=False, help_text=_("Empty: the day of the decision.")
    )
    deciding_body = forms.CharField(label=_("Deciding body"), max_length=200)
    document_ref = forms.CharField(label=_("Document reference"), max_length=100, required=False)
    violation = forms.CharField(label=_("Violation"), max_length=500, required=False, widget=forms.Textarea)
    self_detected = forms.BooleanField(label=_("Self-detected and remedied"), required=False)

    def __init__(self, *args, for_member: bool, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = MEMBER_DISCIPLINE_FORMS if for_member else ORGANISATION_DISCIPLINE_FORMS
        self.fields["form"].choices = with_blank(
            [(c, label) for c, label in DisciplineForm.choices if c in allowed]
        )


class AnnulForm(forms.Form):
    on = DateField(label=_("Annulled on"))
    document_ref = forms.CharField(label=_("Annulment document"), max_length=100)
    reason = forms.CharField(label=_("Why the decision was wrong"), max_length=500, widget=forms.Textarea)


class RestoreRightsForm(forms.Form):
    cell_code = forms.CharField(
        label=_("Cell (code)"),
        max_length=50,
        required=False,
        help_text=_("For an expulsion: the cell the member returns to; empty, their last cell."),
    )


class ComplaintForm(forms.Form):
    received_decision_on = DateField(label=_("Decision received by the complainant on"))
    lodged_on = DateField(label=_("Complaint lodged on"))
    level = forms.TypedChoiceField(
        label=_("Handled at"), choices=with_blank(ComplaintLevel.choices), coerce=int
    )
    handling_body = forms.CharField(label=_("Handling body"), max_length=200)
    grounds = forms.CharField(label=_("Grounds"), max_length=500, required=False, widget=forms.Textarea)


class ComplaintDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=with_blank(ComplaintOutcome.choices))
    new_form = forms.ChoiceField(
        label=_("New form (when changed)"), choices=[("", "—"), *DisciplineForm.choices], required=False
    )
    decided_on = DateField(label=_("Decided on"))
    document_ref = forms.CharField(label=_("Document reference"), max_length=100, required=False)


class CaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=with_blank(CaseKind.choices))
    channel = forms.ChoiceField(label=_("Channel"), choices=with_blank(CaseChannel.choices))
    received_on = DateField(label=_("Received on"))
    reference = forms.CharField(label=_("Register number"), max_length=50, required=False)
    anonymous = forms.BooleanField(label=_("Anonymous"), required=False)
    sender_name = forms.CharField(label=_("Sender"), max_length=200, required=False)
    sender_contact = forms.CharField(label=_("Sender's address or phone"), max_length=200, required=False)
    concerned_card = forms.CharField(
        label=_("Party card number of the member concerned"), max_length=20, required=False
    )
    concerned_org_code = forms.CharField(
        label=_("Code of the organisation concerned"), max_length=30, required=False
    )
    summary = forms.CharField(
        label=pgettext_lazy("content of a letter", "Summary"), max_length=1000, widget=forms.Textarea
    )


class CaseCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=with_blank([(c, label) for c, label in CaseOutcome.choices if c != CaseOutcome.NOT_HANDLED]),
    )
    closed_on = DateField(label=_("Closed on"))
    outcome_note = forms.CharField(
        label=_("Conclusion"), max_length=1000, required=False, widget=forms.Textarea
    )


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=with_blank(ActivityKind.choices))
    mode = forms.ChoiceField(label=_("Mode"), choices=with_blank(ActivityMode.choices))
    subject_card = forms.CharField(
        label=_("Party card number of the member inspected"), max_length=20, required=False
    )
    subject_org_code = forms.CharField(
        label=_("Code of the organisation inspected"), max_length=30, required=False
    )
    topic = forms.CharField(label=_("Subject matter"), max_length=500)
    team = forms.CharField(label=_("Team"), max_length=500, required=False)
    starts_on = DateField(label=_("From"))
    ends_on = DateField(label=_("Until"))
    deadline = DateField(label=_("Deadline for the conclusion"))


class ConcludeForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=with_blank(Conclusion.choices))
    concluded_on = DateField(label=_("Concluded on"))
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea, required=False)


class YearOrgForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    org = forms.TypedChoiceField(label=_("Organisation"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [("", _("Everything I see"))] + [
            (o.pk, f"{'· ' * o.depth}{o.name} ({o.code})") for o in organisations
        ]
