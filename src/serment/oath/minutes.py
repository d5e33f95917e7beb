"""Printable minutes of a cell's thematic meeting (PDF), laid out as the form a cell
files: the Party header with the committee and the cell, the dateline, place, start
and end time, chair and note-taker, attendance counts, each member's report type and
the collective's suggestions, then the signature blocks.

Every text that reaches ReportLab goes through ``_text``: ReportLab's paragraphs read
a markup language (``<img src=…>`` embeds a file from the server's disk, ``<link>``
plants a link, and an unbalanced tag is a crash), so names, titles and suggestions
are escaped, never passed as markup.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from serment.core.dates import long_date, show_date, show_time

from .queries import MeetingSheet

# Vietnamese needs a font with its diacritics: DejaVu from Debian's fonts-dejavu-core,
# embedded in the PDF (TrueType subsets). Nothing is copied into the repository.
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")
FONT_FILES = {"SermentSans": "DejaVuSans.ttf", "SermentSans-Bold": "DejaVuSans-Bold.ttf"}
BLANK = "……………………"


def _fonts() -> tuple[str, str]:
    """(regular, bold) font names, registered once; Helvetica when DejaVu is missing."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    if "SermentSans" in registered and "SermentSans-Bold" in registered:
        return "SermentSans", "SermentSans-Bold"
    for folder in FONT_DIRS:
        paths = {name: Path(folder) / file for name, file in FONT_FILES.items()}
        if all(p.exists() for p in paths.values()):
            for name, path in paths.items():
                pdfmetrics.registerFont(TTFont(name, str(path)))
            pdfmetrics.registerFontFamily(
                "SermentSans",
                normal="SermentSans",
                bold="SermentSans-Bold",
                italic="SermentSans",
                boldItalic="SermentSans-Bold",
            )
            return "SermentSans", "SermentSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _text(value: Any) -> str:
    """Plain text made safe for ReportLab's paragraph markup; line breaks kept."""
    return escape(str(value if value is not None else "")).replace("\n", "<br/>")


def _or_blank(value: Any) -> str:
    return _text(value) if value not in (None, "") else BLANK


def minutes_pdf(sheet: MeetingSheet) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font, bold = _fonts()
    normal = ParagraphStyle("normal", fontName=font, fontSize=10.5, leading=14)
    centre = ParagraphStyle("centre", parent=normal, alignment=TA_CENTER)
    centre_bold = ParagraphStyle("centre_bold", parent=centre, fontName=bold)
    title = ParagraphStyle("title", parent=centre_bold, fontSize=15, leading=20, spaceBefore=12)
    cell_style = ParagraphStyle("cell", parent=normal, fontSize=9.5, leading=12)
    head_style = ParagraphStyle("head", parent=cell_style, fontName=bold)

    m = sheet.meeting
    cell = m.cell
    committee = cell.parent.name if cell.parent_id else ""
    present = [r for r in sheet.rows if r["attendance"] and r["attendance"].present]
    absent = [r for r in sheet.rows if r["attendance"] and not r["attendance"].present]
    unrecorded = [r for r in sheet.rows if r["attendance"] is None]

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=1.8 * cm,
        topMargin=1.8 * cm,
        bottomMargin=1.8 * cm,
        title=_("Minutes of the thematic meeting “%(t)s”") % {"t": m.campaign.title},
    )
    dateline = _("%(place)s, %(date)s") % {"place": m.place or BLANK, "date": long_date(m.held_on)}
    header = Table(
        [
            [
                Paragraph(_text(committee.upper()), centre),
                Paragraph("<u>" + _text(_("COMMUNIST PARTY OF VIETNAM")) + "</u>", centre_bold),
            ],
            [
                Paragraph("<b>" + _text(cell.name.upper()) + "</b>", centre),
                Paragraph("<i>" + _text(dateline) + "</i>", centre),
            ],
            [Paragraph("*", centre), ""],
        ],
        colWidths=[7.2 * cm, 9.5 * cm],
    )
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))

    story: list[Any] = [
        header,
        Paragraph(_text(pgettext("document title", "MINUTES")), title),
        Paragraph(_text(_("Thematic meeting “%(t)s”") % {"t": m.campaign.title}), centre_bold),
        Spacer(1, 0.4 * cm),
        Paragraph(
            _text(
                _("Time: from %(start)s, %(date)s.")
                % {"start": show_time(m.starts_at) or BLANK, "date": show_date(m.held_on)}
            ),
            normal,
        ),
        Paragraph(_text(_("Place: %(place)s.") % {"place": m.place or BLANK}), normal),
        Paragraph(
            _text(
                _("Chair: %(chair)s. Note-taker: %(note_taker)s.")
                % {"chair": m.chair or BLANK, "note_taker": m.note_taker or BLANK}
            ),
            normal,
        ),
        Paragraph(
            _text(
                _("Members of the cell: %(n)d; present: %(p)d; absent: %(a)d; not recorded: %(u)d.")
                % {"n": len(sheet.rows), "p": len(present), "a": len(absent), "u": len(unrecorded)}
            ),
            normal,
        ),
    ]
    for r in absent:
        a = r["attendance"]
        reason = a.get_absence_reason_display() + (f" ({a.absence_note})" if a.absence_note else "")
        story.append(
            Paragraph(
                "– "
                + _text(
                    _("%(name)s, absent: %(reason)s") % {"name": r["member"].full_name, "reason": reason}
                ),
                normal,
            )
        )
    story.append(Spacer(1, 0.4 * cm))

    data = [
        [
            Paragraph(_text(_("No.")), head_style),
            Paragraph(_text(_("Member")), head_style),
            Paragraph(_text(_("Attendance")), head_style),
            Paragraph(_text(_("Report type")), head_style),
            Paragraph(_text(_("The collective's suggestions")), head_style),
        ]
    ]
    for i, r in enumerate(sheet.rows, 1):
        a, p = r["attendance"], r["presentation"]
        if a is None:
            attendance = "—"
        elif a.present:
            attendance = pgettext("attendance", "Present")
        else:
            attendance = pgettext("attendance", "Absent")
        data.append(
            [
                Paragraph(str(i), cell_style),
                Paragraph(_text(r["member"].full_name), cell_style),
                Paragraph(_text(attendance), cell_style),
                Paragraph(_text(p.get_report_type_display() if p else ""), cell_style),
                Paragraph(_text(p.suggestions if p else ""), cell_style),
            ]
        )
    table = Table(data, colWidths=[1 * cm, 4 * cm, 2.4 * cm, 3.3 * cm, 6 * cm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 0.4 * cm),
        Paragraph(_text(_("The meeting ended at %(end)s.") % {"end": show_time(m.ends_at) or BLANK}), normal),
        Spacer(1, 0.8 * cm),
    ]
    sign = _("(signature and full name)")
    signatures = Table(
        [
            [
                Paragraph(_text(_("NOTE-TAKER")), centre_bold),
                Paragraph(_text(pgettext("signature", "CHAIR")), centre_bold),
            ],
            [
                Paragraph("<i>" + _text(sign) + "</i>", centre),
                Paragraph("<i>" + _text(sign) + "</i>", centre),
            ],
            [Spacer(1, 2 * cm), Spacer(1, 2 * cm)],
            [Paragraph(_text(m.note_taker), centre_bold), Paragraph(_text(m.chair), centre_bold)],
        ],
        colWidths=[8.3 * cm, 8.3 * cm],
    )
    story.append(signatures)
    doc.build(story)
    return out.getvalue()
