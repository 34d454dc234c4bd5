"""Text as Chinese keyboards type it → the ASCII the keys are stored in. No Django import.

A Chinese input method in full-width mode types ２０２６－１１ for 2026-11 and ＬＪ０００００１ for
LJ000001; stored as typed, the same month or 工号 exists twice. `to_halfwidth` maps only the
characters that can appear in a key — digits, Latin letters, the hyphen/minus, slash, colon, full
stop, underscore and the ideographic space — to ASCII, each through NFKC (the Unicode
compatibility mapping), so Chinese text, full-width brackets and other punctuation are untouched
(NFKC on the whole string would also rewrite ①, ㈠, ｶ, compatibility ideographs …).

Used by the imports for every key field (工号, months, periods, dates, years) and meant for the web
forms and the API wherever a period or a 工号 is typed.
"""

from __future__ import annotations

import unicodedata

# The full-width forms of what keys are made of (U+FF10–FF19, U+FF21–FF3A, U+FF41–FF5A, － ／ ：
# ． ＿) and the ideographic space U+3000, mapped by NFKC.
_FULL_WIDTH = "－／：．＿\u3000" + "".join(
    chr(c) for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
)
# Dashes an input method or a word processor puts where a hyphen was meant (hyphen, non-breaking
# hyphen, figure dash, en dash, minus sign, small hyphen-minus). NFKC keeps most of them as they
# are, so they are mapped by hand. The em dash (——, 破折号) is punctuation, not a hyphen: kept.
_DASHES = "\u2010\u2011\u2012\u2013\u2212\ufe63"

_TABLE = {ord(c): unicodedata.normalize("NFKC", c) for c in _FULL_WIDTH} | {ord(c): "-" for c in _DASHES}


def to_halfwidth(text: str) -> str:
    """"２０２６－１１" → "2026-11", "ＬＪ０００００１" → "LJ000001"; "（公司）张三" unchanged."""
    if text.isascii():
        return text
    return text.translate(_TABLE)
