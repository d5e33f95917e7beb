"""Lifecycle of a member (DOMAIN §2). Each function is one atomic, audited change;
the web forms, the importer and the CLI call these and nothing else writes members.

The actions are split by topic; import them from here."""

from ._common import (
    DETAIL_FIELDS,
    RECORD_FIELDS,
    clean_member_details,
    current_refusals,
    validate_admission_dates,
    validate_cell,
    validate_exemption,
    validate_identity,
    validate_leaving,
    validate_temporary_transfer,
)
from .lifecycle import (
    check_exempt_member,
    check_register_member,
    check_remove_from_register,
    check_resume_activity,
    check_update_member_details,
    exempt_member,
    expel,
    record_death,
    register_member,
    remove_from_register,
    resume_activity,
    strike_off,
    transfer_out_of_province,
    update_member_details,
)
from .posts import assign_post, end_post
from .register import MemberRecord, check_member_records, register_members_bulk, validate_member_record
from .transfers import (
    check_transfer_member,
    check_transfer_temporarily,
    transfer_member,
    transfer_temporarily,
)

__all__ = [
    "DETAIL_FIELDS",
    "MemberRecord",
    "RECORD_FIELDS",
    "assign_post",
    "check_exempt_member",
    "check_member_records",
    "check_register_member",
    "check_remove_from_register",
    "check_resume_activity",
    "check_transfer_member",
    "check_transfer_temporarily",
    "check_update_member_details",
    "clean_member_details",
    "current_refusals",
    "end_post",
    "exempt_member",
    "expel",
    "record_death",
    "register_member",
    "register_members_bulk",
    "remove_from_register",
    "resume_activity",
    "strike_off",
    "transfer_member",
    "transfer_out_of_province",
    "transfer_temporarily",
    "update_member_details",
    "validate_admission_dates",
    "validate_cell",
    "validate_exemption",
    "validate_identity",
    "validate_leaving",
    "validate_member_record",
    "validate_temporary_transfer",
]
