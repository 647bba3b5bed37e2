"""The one normalisation of text for matching: what a search, a place look-up or any comparison of
typed words compares. The text as typed is always what is kept and shown; this form is only
compared against (a report's search column, the gazetteer's index).

Arabic is written with optional marks and interchangeable letters: الجفره and الجفرة, اطلاق and
إطلاق, مسيرة and مسيّرة are the same words to a reader, so they must be to a search. Latin is
case-folded and loses its accents (Abyār = Abyar). Digits of every script become ASCII.
"""

import re
import unicodedata

# Letters that stand for one another once written quickly, each to the form a search compares.
# Hamza on or under alef and alef madda decompose (NFKD) into a bare alef and a mark, which is
# dropped with the harakat; alef wasla has no decomposition, so it is named here.
LETTERS = str.maketrans(
    {
        "\u0671": "\u0627",  # ٱ alef wasla -> ا
        "\u0649": "\u064a",  # ى alef maqsura -> ي
        "\u06cc": "\u064a",  # ی Persian yeh (Persian keyboards) -> ي
        "\u06a9": "\u0643",  # ک Persian keheh -> ك
        "\u0629": "\u0647",  # ة ta marbuta -> ه
        "\u0640": None,  # ـ tatweel: stretches a word, says nothing
        **{chr(0x0660 + i): str(i) for i in range(10)},  # ٠-٩ Arabic-Indic digits
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # ۰-۹ Persian digits
    }
)

# Punctuation and symbols separate words ("al-Shati" = "al Shati", "سرت،" = "سرت").
SEPARATOR = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """The form two texts are compared in: equal when a reader would take them for the same."""
    if not text:
        return ""
    # NFKD splits أ إ آ ؤ ئ into a letter and its hamza or madda, é into e and its accent, and
    # presentation forms (ﻻ) into plain letters; every such mark (Mn: harakat, shadda, sukun,
    # superscript alef, Quranic marks, Latin accents) is then dropped.
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return SEPARATOR.sub(" ", bare.translate(LETTERS).casefold()).strip()


def searchable(texts) -> str:
    """Texts as a search column keeps them: each normalised, one per line, with a space at either
    end so that a whole word is found as " word " (see whole_word)."""
    return "\n".join(f" {normalise(t or '')} " for t in texts)


def whole_word(term: str) -> str:
    """A normalised term as it occurs in a searchable() column only as whole words."""
    return f" {term} "


def is_arabic(term: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in term)
