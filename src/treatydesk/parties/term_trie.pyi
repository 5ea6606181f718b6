# Types of the Cython module term_trie.pyx (mypy cannot read Cython).

from collections.abc import Iterable

MAX_BITS: int

class TermTrie:
    def __init__(self, terms: Iterable[tuple[str, int]]) -> None: ...
    def findall(self, text: str) -> list[str]: ...
    def bits(self, text: str) -> int: ...
