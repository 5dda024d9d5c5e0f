"""Why each field of an article has the value it has.

Every field is picked from candidates, each with its source (JSON-LD, a meta
tag, the markup, a second opinion). The picking functions report the winner
and the candidates it beat through ``choose``; while ``recording()`` is
active those reports are kept. Every extraction records them: the fields
that are guesses become ``Article.uncertain``, and ``newsroom extract
--explain`` prints the whole record.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Iterator


@dataclass(frozen=True)
class Candidate:
    value: object
    source: str  # "json-ld headline", "meta og:title", "markup <h1>", "second opinion: htmldate", ...
    raw: object = None  # the value as the page wrote it, when it was rewritten (a date read into ISO)
    uncertain: bool = False  # a guess from weak evidence


@dataclass
class FieldChoice:
    name: str
    value: object
    source: str | None
    beaten: list[Candidate] = field(default_factory=list)
    uncertain: bool = False
    agreeing: list[str] = field(default_factory=list)  # other sources that gave the same value


_RECORD: ContextVar[dict[str, FieldChoice] | None] = ContextVar("field_choices", default=None)


def choose(name: str, winner: Candidate | None, candidates: list[Candidate] = ()) -> object:
    """Report the winning candidate of a field (None: no value) and return its value."""
    record = _RECORD.get()
    if record is not None:
        beaten = [c for c in candidates if winner is None or c is not winner and c.value != winner.value]
        agreeing = [c.source for c in candidates if winner is not None and c is not winner
                    and c.value == winner.value and c.source != winner.source]
        record[name] = FieldChoice(name, winner.value if winner else None, winner.source if winner else None,
                                   beaten, bool(winner and winner.uncertain), agreeing)
    return winner.value if winner else None


def mark_uncertain(name: str, value: object, source: str) -> None:
    """A field given a fallback value (no source for it): reported as uncertain."""
    record = _RECORD.get()
    if record is not None:
        previous = record.get(name)
        record[name] = FieldChoice(name, value, source, previous.beaten if previous else [], True)


def overrule(name: str, value: object, taken_out: list[Candidate]) -> None:
    """A later check took candidates out of a field's chosen value (it needs a
    field picked after this one): the record shows the value left and why."""
    record = _RECORD.get()
    if record is not None and name in record:
        record[name].value = value
        record[name].beaten.extend(taken_out)


FIELD_ORDER = ("headline", "byline", "published", "tags", "image")


def uncertain_fields(choices: dict[str, FieldChoice]) -> tuple[str, ...]:
    """The fields whose value is a guess from weak evidence, in field order."""
    return tuple(sorted((c.name for c in choices.values() if c.uncertain and c.value not in (None, "", [], ())),
                        key=lambda n: FIELD_ORDER.index(n) if n in FIELD_ORDER else 99))


@contextmanager
def recording() -> Iterator[dict[str, FieldChoice]]:
    """Keep every field choice made inside the block, by field name. Inside
    an outer ``recording()`` the outer record is kept, so both see every choice."""
    outer = _RECORD.get()
    if outer is not None:
        yield outer
        return
    record: dict[str, FieldChoice] = {}
    token = _RECORD.set(record)
    try:
        yield record
    finally:
        _RECORD.reset(token)


def _short(value: object, width: int = 100) -> str:
    if hasattr(value, "url") and hasattr(value, "caption"):  # a lead image
        value = " | ".join(f"{k}: {v}" for k, v in (("url", value.url), ("caption", value.caption),
                                                      ("credit", value.credit)) if v)
    text = " ".join(str(value).split()) if not isinstance(value, (list, tuple)) else "; ".join(map(str, value))
    return text if len(text) <= width else text[:width - 1] + "…"


def format_choices(choices: dict[str, FieldChoice]) -> str:
    """One block per field: its value, where it came from, and what it beat."""
    lines = []
    ordered = sorted(choices.values(), key=lambda c: FIELD_ORDER.index(c.name) if c.name in FIELD_ORDER else 99)
    for choice in ordered:
        flag = "  (uncertain)" if choice.uncertain else ""
        if choice.value in (None, "", [], ()):
            lines.append(f"{choice.name}: none{flag}")
        else:
            lines.append(f"{choice.name}: {_short(choice.value, 160)}{flag}")
            lines.append(f"    from {choice.source}")
            if choice.agreeing:
                lines.append(f"    agreeing: {', '.join(dict.fromkeys(choice.agreeing))}")
        for candidate in choice.beaten:
            shown = candidate.raw if candidate.raw is not None else candidate.value
            lines.append(f"    beat {candidate.source}: {_short(shown, 80)}")
    return "\n".join(lines)
