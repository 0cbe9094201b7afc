"""Suggestions for a mistyped name: the "did you mean ...?" of errors and warnings."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["close_names", "did_you_mean"]


def close_names(word: str, names: Iterable[str], limit: int = 3) -> list[str]:
    """The names a user who typed ``word`` most likely meant, best first.

    Case is ignored. First the same name in another case, then names ending in
    ``.`` + ``word`` (a blueprint's route asked for by its handler's name), then
    ``difflib``'s close matches; ``word`` itself is never suggested.

    Args:
        word: What was asked for.
        names: What exists.
        limit: At most this many suggestions.

    Returns:
        Up to ``limit`` names, without repeats.
    """
    by_lower: dict[str, list[str]] = {}
    for name in names:
        by_lower.setdefault(name.lower(), []).append(name)
    lower = word.lower()
    found = list(by_lower.get(lower, ()))
    found += [
        name
        for key, same in by_lower.items()
        if key.endswith("." + lower)
        for name in same
    ]
    from difflib import get_close_matches  # an error path: not at import

    for key in get_close_matches(lower, list(by_lower), n=limit):
        found += by_lower[key]
    return [name for name in dict.fromkeys(found) if name != word][:limit]


def did_you_mean(names: Iterable[str]) -> str:
    """``"; did you mean 'a' or 'b'?"``, or ``""`` when there is nothing to
    suggest: the end of a message."""
    quoted = [repr(name) for name in names]
    if not quoted:
        return ""
    return f"; did you mean {' or '.join(quoted)}?"
