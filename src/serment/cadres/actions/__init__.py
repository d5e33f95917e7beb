"""Every change of cadre work: posts held, movement decisions, planning, and the
local/non-local overrides. Each action checks with its ``check_*`` (the bars of
``bars.py`` included), writes in one transaction and records the audit entry.

The actions are split by topic; import them from here."""

from ._common import default_management_level
from .locality import check_award, check_set_locality, set_locality
from .movements import check_record_movement, record_movement
from .planning import add_to_planning, check_add_to_planning, check_remove_from_planning, remove_from_planning
from .posts import assign_post, check_assign_post, check_end_post, end_post

__all__ = [
    "add_to_planning",
    "assign_post",
    "check_add_to_planning",
    "check_assign_post",
    "check_award",
    "check_end_post",
    "check_record_movement",
    "check_remove_from_planning",
    "check_set_locality",
    "default_management_level",
    "end_post",
    "record_movement",
    "remove_from_planning",
    "set_locality",
]
