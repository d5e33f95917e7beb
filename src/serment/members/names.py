"""How a member's name is searched and sorted: the one place that derives the stored
``search_name`` and ``sort_name`` from ``full_name``. Every path that writes a name
(``register_member``, ``update_member_details``, ``register_members_bulk`` used by the
importer) calls ``name_keys``.

- Search ignores case and diacritics: "nguyen van" finds "Nguyễn Văn" (đ counts as d).
- Vietnamese readers sort by the given name (the last word), then the middle names,
  then the surname, letter by letter in the Vietnamese alphabet (a ă â b c d đ e ê …,
  so "Hồ" before "Huỳnh" and "Phạm" before "Phan"), and tones only break ties (no tone,
  huyền, hỏi, ngã, sắc, nặng).

The sort key uses only the letters a–z in fixed-width fields, so it orders the same
under SQLite's binary collation and any PostgreSQL collation.
"""

from __future__ import annotations

import unicodedata

# The Vietnamese alphabet (with f, j, w, z for names of other origins) in dictionary order.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Tone marks (combining characters) in dictionary order, after "no tone".
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
# Letter marks that make a distinct letter of the alphabet.
LETTER_MARKS = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô",
                ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}  # fmt: skip
TOKEN_LETTERS = 8  # the longest Vietnamese syllable has 7 letters ("nghiêng")
MAX_TOKENS = 6
SORT_NAME_LENGTH = MAX_TOKENS * (TOKEN_LETTERS * 2 + 1)
SEARCH_NAME_LENGTH = 120


def search_key(text: str) -> str:
    """Lower case, no diacritics, đ → d, single spaces: what search compares."""
    decomposed = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.lower().split())[:SEARCH_NAME_LENGTH]


def _letters_and_tone(word: str) -> tuple[list[str], int]:
    """The word's letters in the Vietnamese alphabet and its tone (0 for none)."""
    letters: list[str] = []
    tone = 0
    for c in unicodedata.normalize("NFD", word.lower()):
        if c in TONES:
            tone = TONES[c]
        elif unicodedata.combining(c):
            if letters and (letters[-1], c) in LETTER_MARKS:
                letters[-1] = LETTER_MARKS[(letters[-1], c)]
        else:
            letters.append(c)
    return letters, tone


def _letter_code(letter: str) -> str:
    """Two letters b..z that sort as ``letter`` does in the alphabet; other characters
    (digits, foreign letters) after every letter of the alphabet."""
    index = ALPHABET.find(letter)
    if index < 0:
        index = len(ALPHABET) + (ord(letter) % 200)
    return chr(98 + index // 24) + chr(98 + index % 24)


def sort_key(full_name: str) -> str:
    """The key that orders names as Vietnamese readers expect (see the module's docstring)."""
    words = (full_name or "").split()
    if not words:
        return ""
    ordered = [words[-1], *words[1:-1], words[0]] if len(words) > 1 else words
    ordered = ordered[:MAX_TOKENS]
    primary, tones = [], []
    for word in ordered:
        letters, tone = _letters_and_tone(word)
        code = "".join(_letter_code(c) for c in letters[:TOKEN_LETTERS])
        primary.append(code.ljust(TOKEN_LETTERS * 2, "a"))
        tones.append(chr(97 + tone))
    return ("".join(primary) + "".join(tones))[:SORT_NAME_LENGTH]


def name_keys(full_name: str) -> dict[str, str]:
    """The derived columns to store beside ``full_name``."""
    return {"search_name": search_key(full_name), "sort_name": sort_key(full_name)}
