"""Every change in the oath campaign (DOMAIN §3): one atomic, audited function each.

Views, the paper importer, the demo and the CLI call these; nothing else writes
the oath app's models.

The actions are split by topic; import them from here."""

from ._common import (
    ASSESSMENT_TEXTS,
    EXPECTABLE_STATES,
    cell_refusals,
    meeting_date_refusals,
    member_at_meeting_refusals,
    open_refusals,
    report_type_for,
)
from .campaigns import (
    check_close_campaign,
    check_remind_not_submitted,
    close_campaign,
    launch_campaign,
    remind_not_submitted,
    save_self_assessment,
    submit_self_assessment,
)
from .meetings import (
    PaperMeeting,
    check_another_meeting,
    check_record_attendance,
    check_record_meeting_details,
    check_record_presentation,
    close_meeting,
    correct_meeting,
    presentation_refusals,
    record_attendance,
    record_everyone_present,
    record_meeting_details,
    record_paper_meetings,
    record_presentation,
    record_suggestions,
    reschedule_meeting,
    schedule_meeting,
)
from .promises import NewPromise, add_promise, check_promise, import_promises, record_oath, update_promise

__all__ = [
    "check_close_campaign",
    "check_remind_not_submitted",
    "close_campaign",
    "ASSESSMENT_TEXTS",
    "EXPECTABLE_STATES",
    "NewPromise",
    "PaperMeeting",
    "check_another_meeting",
    "add_promise",
    "cell_refusals",
    "check_promise",
    "check_record_meeting_details",
    "check_record_attendance",
    "check_record_presentation",
    "close_meeting",
    "correct_meeting",
    "import_promises",
    "launch_campaign",
    "meeting_date_refusals",
    "member_at_meeting_refusals",
    "open_refusals",
    "presentation_refusals",
    "record_attendance",
    "record_everyone_present",
    "record_oath",
    "record_paper_meetings",
    "record_meeting_details",
    "record_presentation",
    "record_suggestions",
    "remind_not_submitted",
    "report_type_for",
    "reschedule_meeting",
    "save_self_assessment",
    "schedule_meeting",
    "submit_self_assessment",
    "update_promise",
]
