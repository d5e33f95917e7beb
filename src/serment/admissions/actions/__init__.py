"""Admission of new members (DOMAIN §5). Each function is one atomic, audited change;
the pages, the importers, the CLI and the demo call these and nothing else writes
candidates, steps, helpers, reviews, targets or peer figures.

The actions are split by topic; import them from here."""

from ._common import CANDIDATE_FIELDS, steps_for
from .candidates import (
    IntroducerInput,
    hold_ceremony,
    official_members_of_cell,
    record_step,
    register_candidate,
    withdraw_candidate,
)
from .probation import assign_helper, recognise, refuse_recognition
from .targets import PeerRow, replace_peer_figures, set_target

__all__ = [
    "CANDIDATE_FIELDS",
    "IntroducerInput",
    "PeerRow",
    "assign_helper",
    "hold_ceremony",
    "official_members_of_cell",
    "recognise",
    "record_step",
    "refuse_recognition",
    "register_candidate",
    "replace_peer_figures",
    "set_target",
    "steps_for",
    "withdraw_candidate",
]
