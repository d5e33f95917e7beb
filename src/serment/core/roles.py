"""Roles held on an organisation, and what each allows within its subtree.

A role on an organisation covers that organisation and everything below it.
Permissions are plain strings so later apps (oath, ratings, inspection…) can
name their own without touching this module's callers.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    ORG_STAFF = "org_staff", _("Organisation staff")
    INSPECTION_STAFF = "inspection_staff", _("Inspection staff")
    SECRETARY = "secretary", _("Cell secretary")
    LEADER = "leader", _("Leader (read-only)")


class Perm:
    VIEW = "view"  # see organisations, members and their history
    MANAGE_MEMBERS = "manage_members"  # record lifecycle events, edit records
    MANAGE_ORGANISATIONS = "manage_organisations"
    IMPORT = "import"  # run imports into the subtree
    EXPORT = "export"
    MANAGE_ROLES = "manage_roles"
    INSPECTION = "inspection"  # confidential inspection, discipline, complaints
    RUN_MEETINGS = "run_meetings"  # cell meetings, campaigns at cell level
    MANAGE_CAMPAIGNS = "manage_campaigns"
    RATE = "rate"  # rating rounds: review and decide
    ADMISSIONS = "admissions"
    CADRES = "cadres"
    READ_CADRES = "read_cadres"  # posts, cadre decisions, planning (read)


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        {
            Perm.VIEW,
            Perm.MANAGE_MEMBERS,
            Perm.MANAGE_ORGANISATIONS,
            Perm.IMPORT,
            Perm.EXPORT,
            Perm.MANAGE_ROLES,
            Perm.RUN_MEETINGS,
            Perm.MANAGE_CAMPAIGNS,
            Perm.RATE,
            Perm.ADMISSIONS,
            Perm.CADRES,
            Perm.READ_CADRES,
        }
    ),
    Role.ORG_STAFF: frozenset(
        {
            Perm.VIEW,
            Perm.MANAGE_MEMBERS,
            Perm.MANAGE_ORGANISATIONS,
            Perm.IMPORT,
            Perm.EXPORT,
            Perm.RUN_MEETINGS,
            Perm.MANAGE_CAMPAIGNS,
            Perm.RATE,
            Perm.ADMISSIONS,
            Perm.CADRES,
            Perm.READ_CADRES,
        }
    ),
    Role.INSPECTION_STAFF: frozenset({Perm.VIEW, Perm.EXPORT, Perm.INSPECTION}),
    Role.SECRETARY: frozenset(
        {Perm.VIEW, Perm.MANAGE_MEMBERS, Perm.EXPORT, Perm.RUN_MEETINGS, Perm.RATE, Perm.ADMISSIONS}
    ),
    Role.LEADER: frozenset({Perm.VIEW, Perm.EXPORT, Perm.READ_CADRES}),
}
