"""The discipline decisions the cadre bars read, behind one function: the one
register of ``serment.inspection`` (``member_disciplines``, ``in_force``)."""

from serment.inspection.queries import DisciplineFact, in_force, member_disciplines

__all__ = ["DisciplineFact", "in_force", "member_disciplines"]
