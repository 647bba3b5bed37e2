"""Checks shared by every command: each failure names the field at fault."""

import datetime as dt
import re
import unicodedata

from django.utils.translation import gettext as _

from .errors import Invalid

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_BIDI_OVERRIDES = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Dates the committee's record can hold: wide enough for any agreement, narrow enough that
# arithmetic on them (deadlines counted in months) never leaves the calendar.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def text(value, field: str, *, max_length: int = 2000, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid(_("must be text"), field)
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()  # browsers send CRLF
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" for c in value):
        raise Invalid(_("contains control characters"), field)
    if _BIDI_OVERRIDES.search(value):
        # Embeddings, overrides and isolates can make a record display other than it reads.
        raise Invalid(_("contains invisible direction-control characters"), field)
    if required and not value:
        raise Invalid(_("is required"), field)
    if len(value) > max_length:
        raise Invalid(_("is longer than %(n)d characters") % {"n": max_length}, field)
    return value


def script(value: str) -> str:
    """'ar' when a text has more Arabic letters than Latin ones, else 'en'."""
    return "ar" if len(_ARABIC.findall(value)) > len(_LATIN.findall(value)) else "en"


def bilingual(data: dict, field: str, *, max_length: int = 2000, required: bool = False, prefix: str = "") -> dict:
    """A text given in Arabic, English or both: `field_ar` / `field_en`, or `field` in either script.

    Returns {"field_ar": ..., "field_en": ...}; errors name `prefix + field`.
    """
    ar = text(data.get(f"{field}_ar"), f"{prefix}{field}_ar", max_length=max_length)
    en = text(data.get(f"{field}_en"), f"{prefix}{field}_en", max_length=max_length)
    either = text(data.get(field), f"{prefix}{field}", max_length=max_length)
    if either:
        if script(either) == "ar":
            ar = ar or either
        else:
            en = en or either
    if required and not (ar or en):
        raise Invalid(_("is required, in Arabic or in English"), f"{prefix}{field}")
    return {f"{field}_ar": ar, f"{field}_en": en}


def date(value, field: str, *, required: bool = False) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise Invalid(_("is required"), field)
        return None
    if isinstance(value, dt.datetime):
        raise Invalid(_("must be a date (YYYY-MM-DD), not a time"), field)
    parsed = None
    if isinstance(value, dt.date):
        parsed = value
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            parsed = dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if parsed is None:
        raise Invalid(_("must be a date written YYYY-MM-DD"), field)
    if not EARLIEST <= parsed <= LATEST:
        raise Invalid(_("must be between %(first)s and %(last)s") % {"first": EARLIEST, "last": LATEST}, field)
    return parsed


def choice(value, field: str, choices, *, required: bool = True) -> str:
    """One of `choices`: a sequence of codes, or a Django Choices class, whose labels the error then
    names beside the codes ("Approve (approve)"): a person reads the label, a program sends the code."""
    codes = list(choices.values) if hasattr(choices, "labels") else list(choices)
    if value in (None, "") and not required:
        return ""
    if value not in codes:
        if hasattr(choices, "labels"):
            shown = ", ".join(f"{label} ({code})" for code, label in zip(codes, choices.labels))
        else:
            shown = ", ".join(map(str, codes))
        if value in (None, ""):
            raise Invalid(_("choose one: %(choices)s") % {"choices": shown}, field)
        raise Invalid(_("must be one of: %(choices)s") % {"choices": shown}, field)
    return value


def integer(value, field: str, *, minimum: int | None = None, maximum: int | None = None, required: bool = True):
    if value in (None, "") and not required:
        return None
    if isinstance(value, bool):
        raise Invalid(_("must be a whole number"), field)
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,9}", value.strip()):
        value = int(value)
    if not isinstance(value, int):
        raise Invalid(_("must be a whole number"), field)
    if minimum is not None and value < minimum:
        raise Invalid(_("must be at least %(n)d") % {"n": minimum}, field)
    if maximum is not None and value > maximum:
        raise Invalid(_("must be at most %(n)d") % {"n": maximum}, field)
    return value


def iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None
