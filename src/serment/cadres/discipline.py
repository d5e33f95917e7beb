"""The discipline decisions the cadre bars read, behind one module: the inspection
app's register (``serment.inspection.queries``), whose facts carry the form in
effect after any complaint, the announcement date the bars count from and the lapse
date (Quy định 69-QĐ/TW: 12 months after the announcement, never for expulsion)."""

from __future__ import annotations

from serment.inspection.queries import DisciplineFact, in_force, member_disciplines

__all__ = ["DisciplineFact", "in_force", "member_disciplines"]
