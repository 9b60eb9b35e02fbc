"""Words are not variables: a run of letters that reads as a word is asked about, not multiplied.

``content/words.txt`` and ``content/keywords.txt`` (made by ``scripts/make_word_list.py``) hold common
English words of three or more letters and every keyword of every command (``at``, ``to``, ``wrt``…). When the lexer would split
such a run into single-letter variables (``about`` → a·b·o·u·t), it asks what was meant instead of
answering a question nobody asked. ``ax^2 + bx + c`` still reads as a·x² + b·x + c.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from bot.errors import WordNotVariables

CONTENT = Path(__file__).resolve().parents[2] / "content"

# Words learners use for "about the point" / "at the point": the keyword they probably meant.
_MEANT = {
    "about": "at", "around": "at", "near": "at", "centred": "at", "centered": "at", "centre": "at",
    "center": "at", "when": "at", "where": "at", "for": "at", "with": "wrt", "respect": "wrt",
    "then": "and", "over": "/", "times": "*", "plus": "+", "minus": "-",
}


@cache
def english_words() -> frozenset[str]:
    return frozenset((CONTENT / "words.txt").read_text(encoding="utf-8").split())


@cache
def command_keywords() -> frozenset[str]:
    return frozenset((CONTENT / "keywords.txt").read_text(encoding="utf-8").split())


def check_run(letters: str, column: int, *, long_only: bool = False) -> None:
    """Refuse ``letters`` (a run about to become single-letter variables, or with ``long_only`` a run
    of four or more letters split around a function or constant name) when it is a word."""
    word = letters.lower()
    keyword = word in command_keywords() and not long_only
    if not keyword and (len(word) < 3 or word not in english_words()):
        return
    product = f"the product {'·'.join(letters)}" if not long_only else "a product of letters and functions"
    meant = _MEANT.get(word)
    if meant is not None:
        question = f"did you mean `{meant}`?"
    elif keyword:
        question = f"`{word}` is a keyword: it goes after the expression, with a space on each side"
    else:
        question = "a word is not part of an expression"
    raise WordNotVariables(
        f"'{letters}' at column {column} is a word, not {product} — {question}",
        hint="If you did mean a product, put * between the factors"
        + ("." if long_only else f" ({'*'.join(letters)})."),
        column=column,
    )
