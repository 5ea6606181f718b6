"""Finding a participant in a snapshot by what a person types: its key, ISO code or name."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz, process

from treatydesk.errors import InvalidInput, NotFound
from treatydesk.status.model import Participant, Snapshot

__all__ = ["find_participant", "fold"]

_SPACES = re.compile(r"\s+")


def fold(name: str) -> str:
    """Case-, accent- and spacing-insensitive form of a name, for matching only (the
    depositary's spellings and what a person types are compared in this form)."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("\u2019", "'").replace("`", "'")
    return _SPACES.sub(" ", bare).strip().casefold()


def find_participant(snapshot: Snapshot, query: str) -> Participant:
    """The participant whose key, ISO 3166 alpha-3 code or name matches `query` (case- and
    accent-insensitive, so "cote d'ivoire" finds "Côte d'Ivoire"); NotFound with the three
    closest names otherwise."""
    wanted = fold(query)
    if not wanted:
        raise InvalidInput("empty participant name or code")
    for participant in snapshot.participants:
        if wanted in (fold(participant.key), fold(participant.iso3 or ""), fold(participant.name)):
            return participant
    names = [p.name for p in snapshot.participants]
    close = process.extract(query, names, scorer=fuzz.WRatio, processor=fold, limit=3)
    raise NotFound(
        f"no participant {query!r} in the {snapshot.treaty.reference} snapshot",
        suggestions=[match[0] for match in close],
    )
