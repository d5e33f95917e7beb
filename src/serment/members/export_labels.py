"""The member export in the reader's language: headers and coded values written as
users file them (``Họ và tên``, ``Nữ``, ``Miễn công tác và sinh hoạt đảng``), and read
back by the member import (which accepts every spelling listed here).

Vietnamese headers are the import's own (``Column.vietnamese``); English headers are
the column keys written as words ("Full name" reads back as ``full_name``); French
headers and words are listed below and added to what the import accepts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from serment.core.imports import normalise_header

FRENCH_HEADERS = {
    "card_number": "Numéro de carte",
    "citizen_id": "Numéro d’identité",
    "full_name": "Nom complet",
    "date_of_birth": "Date de naissance",
    "sex": "Sexe",
    "ethnicity": "Ethnie",
    "religion": "Religion",
    "home_town": "Lieu d’origine",
    "phone": "Téléphone",
    "email": "Courriel",
    "education_level": "Niveau d’études",
    "theory_level": "Niveau de théorie politique",
    "admitted_on": "Date d’admission",
    "official_on": "Date de titularisation",
    "cell_code": "Code de la cellule",
    "joined_cell_on": "Arrivée dans la cellule",
    "state": "Situation",
    "state_since": "Depuis le",
    "state_until": "Jusqu’au",
    "state_reason": "Motif",
    "destination": "Destination",
    "document_ref": "Référence du document",
}

ENGLISH_HEADERS = {"citizen_id": "Citizen ID", "email": "Email"}  # each reads back as its key

# value → (Vietnamese, French); English keeps the value, an English word.
VALUE_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "sex": {"male": ("Nam", "Homme"), "female": ("Nữ", "Femme")},
    "state": {
        "active": ("Đang sinh hoạt", "Actif"),
        "exempt": ("Miễn công tác và sinh hoạt đảng", "Dispensé"),
        "transferred_out": ("Chuyển sinh hoạt tạm thời", "Transféré temporairement"),
        "left": ("Ra khỏi Đảng", "Sorti du registre"),
    },
    "state_reason": {
        "age": ("Tuổi cao", "Âge"),
        "illness": ("Ốm đau", "Maladie"),
        "request": ("Theo đơn", "Sur demande"),
        "work": ("Công tác", "Travail"),
        "training": ("Học tập", "Formation"),
        "struck_off": ("Xóa tên", "Radié"),
        "expelled": ("Khai trừ", "Exclu"),
        "deceased": ("Từ trần", "Décédé"),
        "resigned": ("Xin ra khỏi Đảng", "Démission"),
        "transferred_away": ("Chuyển ra ngoài tỉnh", "Muté hors de la province"),
        "not_recognised": ("Không công nhận chính thức", "Non titularisé"),
    },
}


def _language(language: str | None) -> str:
    from django.utils import translation

    code = (language or translation.get_language() or "en").split("-")[0]
    return code if code in ("vi", "fr") else "en"


def header(columns: Sequence[Any], language: str | None = None) -> list[str]:
    """The export's header row in ``language`` (the active one by default)."""
    lang = _language(language)
    if lang == "vi":
        return [c.vietnamese for c in columns]
    if lang == "fr":
        return [FRENCH_HEADERS.get(c.key, c.key) for c in columns]
    return [ENGLISH_HEADERS.get(c.key, c.key.replace("_", " ").capitalize()) for c in columns]


def localise(keys: Sequence[str], row: Sequence[Any], language: str | None = None) -> list[Any]:
    """A row with its coded values in ``language``; dates stay dates."""
    lang = _language(language)
    if lang == "en":
        return list(row)
    index = 0 if lang == "vi" else 1
    out = []
    for key, value in zip(keys, row, strict=True):
        words = VALUE_WORDS.get(key)
        out.append(words[value][index] if words and value in words else value)
    return out


def french_headers(key: str) -> tuple[str, ...]:
    """Spellings the import accepts besides its own, for column ``key``."""
    return (FRENCH_HEADERS[key],) if key in FRENCH_HEADERS else ()


def accepted_words(key: str) -> dict[str, str]:
    """Normalised words → value, for the import of column ``key`` (both languages)."""
    return {
        normalise_header(word): value
        for value, spellings in VALUE_WORDS.get(key, {}).items()
        for word in spellings
    }
