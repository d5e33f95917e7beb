"""Inspection actions, by topic; other apps and the interfaces import from here."""

from .cases import check_close_case, check_receive_case, close_case, receive_case
from .complaints import (
    check_decide_complaint,
    check_lodge_complaint,
    decide_complaint,
    lodge_complaint,
)
from .discipline import (
    PastDiscipline,
    annul_discipline,
    check_annul_discipline,
    check_inspection_right,
    check_record_discipline,
    import_disciplines,
    record_discipline,
)
from .inspections import (
    check_conclude_inspection,
    check_plan_inspection,
    conclude_inspection,
    plan_inspection,
)
from .restoration import annulled_on, check_restore_rights, last_cell, posts_ended_by, restore_rights

__all__ = [
    "check_close_case",
    "check_conclude_inspection",
    "check_plan_inspection",
    "check_receive_case",
    "close_case",
    "conclude_inspection",
    "plan_inspection",
    "receive_case",
    "PastDiscipline",
    "annul_discipline",
    "check_annul_discipline",
    "check_decide_complaint",
    "check_inspection_right",
    "check_lodge_complaint",
    "check_record_discipline",
    "decide_complaint",
    "import_disciplines",
    "lodge_complaint",
    "record_discipline",
    "annulled_on",
    "check_restore_rights",
    "last_cell",
    "posts_ended_by",
    "restore_rights",
]
