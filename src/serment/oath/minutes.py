"""Printable minutes of a cell's thematic meeting (PDF): attendance, then each
member's report type and the collective's suggestions."""

from __future__ import annotations

import io
from pathlib import Path

from django.utils.translation import gettext as _

from .queries import MeetingSheet

# Vietnamese needs a font with its diacritics; use the system's DejaVu when present.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "SermentSans" in pdfmetrics.getRegisteredFontNames():
        return "SermentSans"
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            pdfmetrics.registerFont(TTFont("SermentSans", path))
            return "SermentSans"
    return "Helvetica"


def minutes_pdf(sheet: MeetingSheet) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font()
    styles = getSampleStyleSheet()
    for s in styles.byName.values():
        s.fontName = font
    m = sheet.meeting
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, title=m.campaign.title)
    present = [r for r in sheet.rows if r["attendance"] and r["attendance"].present]
    absent = [r for r in sheet.rows if r["attendance"] and not r["attendance"].present]
    story = [
        Paragraph(m.cell.name, styles["Title"]),
        Paragraph(_("Minutes of the thematic meeting “%(t)s”") % {"t": m.campaign.title}, styles["Heading2"]),
        Paragraph(
            _("Held on %(d)s · %(s)s") % {"d": m.held_on.isoformat(), "s": m.get_status_display()},
            styles["Normal"],
        ),
        Paragraph(
            _("Members: %(n)d · present: %(p)d · absent: %(a)d")
            % {"n": len(sheet.rows), "p": len(present), "a": len(absent)},
            styles["Normal"],
        ),
        Spacer(1, 0.4 * cm),
    ]
    data = [[_("Member"), _("Attendance"), _("Report type"), _("The collective's suggestions")]]
    for r in sheet.rows:
        a, p = r["attendance"], r["presentation"]
        if a is None:
            attendance = "—"
        elif a.present:
            attendance = _("Present")
        else:
            attendance = _("Absent") + ": " + a.get_absence_reason_display()
        data.append(
            [
                Paragraph(r["member"].full_name, styles["Normal"]),
                Paragraph(attendance, styles["Normal"]),
                Paragraph(p.get_report_type_display() if p else "", styles["Normal"]),
                Paragraph((p.suggestions if p else "").replace("\n", "<br/>"), styles["Normal"]),
            ]
        )
    table = Table(data, colWidths=[4.5 * cm, 3.5 * cm, 3.5 * cm, 5.5 * cm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    doc.build(story)
    return out.getvalue()
