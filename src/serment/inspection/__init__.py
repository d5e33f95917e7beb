"""The inspection commission's work (DOMAIN §7): inspection and supervision plans,
the one register of discipline decisions, complaints about discipline, petitions
and denunciations. Confidential: only inspection staff of the competent committee
and above see these records; the person concerned sees the decisions on themselves.

Other apps read discipline only through ``serment.inspection.queries``
(``member_disciplines``, ``in_force``, ``disciplined_in_year``).
"""
