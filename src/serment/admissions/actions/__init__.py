"""Admission of new members (DOMAIN §5). Each function is one atomic, audited change;
the pages, the importers, the CLI and the demo call these and nothing else writes
candidates, steps, helpers, reviews, targets or peer figures.

The actions are split by topic; import them from here."""

from ._common import CANDIDATE_FIELDS, in_progress_refusals, steps_for
from .candidates import (
    IntroducerInput,
    check_hold_ceremony,
    check_record_step,
    check_register_candidate,
    check_withdraw_candidate,
    deciding_body,
    hold_ceremony,
    official_members_of_cell,
    record_step,
    register_candidate,
    vote_refusals,
    withdraw_candidate,
)
from .probation import (
    assign_helper,
    check_assign_helper,
    check_recognise,
    check_refuse_recognition,
    recognise,
    refuse_recognition,
)
from .targets import (
    PeerRow,
    check_replace_peer_figures,
    check_set_target,
    peer_row_refusals,
    repeated_peer_refusals,
    replace_peer_figures,
    set_target,
)

__all__ = [
    "CANDIDATE_FIELDS",
    "IntroducerInput",
    "PeerRow",
    "assign_helper",
    "check_assign_helper",
    "check_hold_ceremony",
    "check_recognise",
    "check_record_step",
    "check_refuse_recognition",
    "check_register_candidate",
    "check_set_target",
    "check_withdraw_candidate",
    "deciding_body",
    "hold_ceremony",
    "in_progress_refusals",
    "official_members_of_cell",
    "recognise",
    "record_step",
    "refuse_recognition",
    "register_candidate",
    "replace_peer_figures",
    "check_replace_peer_figures",
    "peer_row_refusals",
    "repeated_peer_refusals",
    "set_target",
    "steps_for",
    "vote_refusals",
    "withdraw_candidate",
]
