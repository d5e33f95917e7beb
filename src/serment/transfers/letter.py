"""The transfer letter as a PDF, in the official form (giấy giới thiệu sinh hoạt đảng):
the Party header with the sending committee, the letter's number and dateline, the
member's particulars, where they go, the package's id and checksum (so the receiving
side can tell the file belongs to this letter), and the signature block.

Every text reaches ReportLab through ``oath.minutes._text``, which escapes it for the
paragraph markup (a name such as ``<img src=…>`` is printed, never obeyed); the font is
the minutes' DejaVu, which covers Vietnamese.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from serment.core.dates import long_date, show_date
from serment.core.imports import parse_date
from serment.oath.minutes import BLANK, _fonts, _text

from .models import TransferLetter


def letter_pdf(letter: TransferLetter) -> bytes:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font, bold = _fonts()
    normal = ParagraphStyle("normal", fontName=font, fontSize=11, leading=16)
    centre = ParagraphStyle("centre", parent=normal, alignment=TA_CENTER)
    centre_bold = ParagraphStyle("centre_bold", parent=centre, fontName=bold)
    title = ParagraphStyle("title", parent=centre_bold, fontSize=15, leading=20, spaceBefore=14)
    small = ParagraphStyle("small", parent=normal, fontSize=8.5, leading=11)

    package: dict[str, Any] = letter.package
    record, sent = package["member"], package["letter"]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=1.8 * cm,
        topMargin=1.8 * cm,
        bottomMargin=1.8 * cm,
        title=_("Transfer letter %(number)s") % {"number": letter.number},
    )
    header = Table(
        [
            [
                Paragraph("<b>" + _text(sent["from_committee"]["name"].upper()) + "</b>", centre),
                Paragraph("<u>" + _text(_("COMMUNIST PARTY OF VIETNAM")) + "</u>", centre_bold),
            ],
            [
                Paragraph(_text(_("No. %(number)s") % {"number": letter.number}), centre),
                Paragraph("<i>" + _text(long_date(letter.issued_on)) + "</i>", centre),
            ],
            [Paragraph("*", centre), ""],
        ],
        colWidths=[7.2 * cm, 9.5 * cm],
    )
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))

    def line(label: str, value: Any) -> Any:
        shown = show_date(parse_date(value)) if label.endswith(":d") else value
        label = label.removesuffix(":d")
        return Paragraph(
            f"<b>{_text(label)}</b> " + _text(shown if shown not in (None, "") else BLANK), normal
        )

    story: list[Any] = [
        header,
        Paragraph(_text(pgettext("document title", "LETTER OF TRANSFER OF PARTY ACTIVITIES")), title),
        Spacer(1, 0.4 * cm),
        Paragraph(_text(_("The committee introduces Comrade:")), normal),
        line(_("Full name:"), record["full_name"]),
        line(_("Date of birth:") + ":d", record["date_of_birth"]),
        line(_("Party card number:"), record.get("card_number")),
        line(_("Admitted to the Party on:") + ":d", record["admitted_on"]),
        line(_("Official member since:") + ":d", record.get("official_on")),
        line(_("Leaving the cell:"), sent["from_cell"]["name"]),
        line(_("To carry on Party activities at:"), sent["destination"]),
        Spacer(1, 0.3 * cm),
        Paragraph(
            _text(
                _(
                    "The receiving committee registers the comrade and presents them to their new cell "
                    "within 30 working days of receiving this letter."
                )
            ),
            normal,
        ),
        Spacer(1, 0.8 * cm),
    ]
    signatures = Table(
        [
            [Paragraph(_text(_("ON BEHALF OF THE COMMITTEE")), centre_bold)],
            [Paragraph("<i>" + _text(_("(signature, full name and seal)")) + "</i>", centre)],
            [Spacer(1, 2.2 * cm)],
        ],
        colWidths=[8.3 * cm],
        hAlign="RIGHT",
    )
    story += [
        signatures,
        Spacer(1, 0.8 * cm),
        Paragraph(
            _text(
                _("Package %(id)s, checksum SHA-256 %(checksum)s (the member's record and history, as JSON).")
                % {"id": letter.package_id, "checksum": letter.checksum}
            ),
            small,
        ),
    ]
    doc.build(story)
    return out.getvalue()
