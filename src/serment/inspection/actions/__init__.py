"""Inspection actions, by topic; other apps and the interfaces import from here."""

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

__all__ = [
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
]
