# cython: language_level=3, boundscheck=True, wraparound=False, cdivision=False
"""Whole-word matching of vocabulary terms, in C (vocabulary.py documents the term syntax).

The engine scans every request's text for its vocabularies; with Python's `re` that was about
a fifth of an evaluation, most of it the regex engine walking a trie of hundreds of terms. This
module walks the same trie itself, at word starts only, with the regex's semantics:

- a term matches where a word starts (a word character after a non-word character or at the
  start) and must end at a word boundary (regex `\\b`), word characters being what `\\w` is
  for a str pattern: alphanumeric in Unicode's sense, or `_`;
- `*` is any run of word characters (greedy, then shorter), `?` one word character, any other
  character itself (texts and terms are both `normalise`d, so no case folding here);
- among terms that match at one place, the first in the order the old regex tried them wins:
  at each trie node its branches in the sorted order of their regex atoms, then the end of a
  term (the regex was `(?:branches)?`, greedy). `findall` then goes on after the match, as
  `re.findall` does.

The walk keeps its own stack, sized at build time by the longest term, so a long term cannot
exhaust the C stack; every read of the text is checked against its length.
"""

import re

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.unicode cimport (
    Py_UNICODE_ISALNUM,
    PyUnicode_DATA,
    PyUnicode_KIND,
    PyUnicode_READ,
)
from libc.stdint cimport int32_t, uint32_t, uint64_t

# characters as plain unsigned integers: Cython would treat arithmetic on Py_UCS4 as text
ctypedef uint32_t _Char

cdef enum _Atom:
    _LITERAL = 0
    _ONE_WORD_CHAR = 1  # "?": regex \w
    _WORD_CHARS = 2  # "*": regex \w*

#: the most vocabularies one trie can tell apart (one bit each in a 64-bit mask)
MAX_BITS = 64


cdef struct _Text:
    const void* data
    int kind
    Py_ssize_t length


cdef struct _Frame:
    # one step of the walk: at `node`, having read the text up to `pos`; _order[cursor] is the
    # next branch to try (up to _order[stop]), `star` the next length of a "*" branch being
    # tried (-1: not begun)
    int32_t node
    int32_t cursor
    int32_t stop
    Py_ssize_t pos
    Py_ssize_t star


cdef bint _ASCII_WORD[128]
for _code in range(128):
    _ASCII_WORD[_code] = chr(_code).isalnum() or _code == 0x5F


cdef inline bint _is_word(_Char c) noexcept:
    if c < 128:
        return _ASCII_WORD[c]
    return Py_UNICODE_ISALNUM(<Py_UCS4>c)


cdef inline bint _word_at(const _Text* t, Py_ssize_t i) noexcept:
    # whether the character at i is a word character (False outside the text)
    if i < 0 or i >= t.length:
        return False
    return _is_word(<_Char>PyUnicode_READ(t.kind, t.data, i))


cdef inline bint _boundary(const _Text* t, Py_ssize_t i) noexcept:
    # regex \b at i: a word character on exactly one side
    return _word_at(t, i - 1) != _word_at(t, i)


cdef inline _Text _text(str text):
    cdef _Text t
    t.data = PyUnicode_DATA(text)
    t.kind = PyUnicode_KIND(text)
    t.length = len(text)
    return t


def _regex_atom(str char):
    # the atom the old regex trie used for a term character: its branches were tried in the
    # sorted order of these strings, which `findall` keeps
    if char == "*":
        return r"\w*"
    if char == "?":
        return r"\w"
    return re.escape(char)


cdef enum:
    # frames kept on the C stack; a deeper trie (a term longer than this) gets a heap stack
    _LOCAL_FRAMES = 64


cdef class TermTrie:
    """The terms of one or more vocabularies, each term tagged with a bit (0 to 63).

    `findall(text)` gives the matched words as `re.findall` gave them for the old trie pattern
    `\\b(?:trie)\\b`; `bits(text)` the bits of every vocabulary with a term in the text."""

    # node i's branches are edges [_first[i], _first[i + 1]), in the order they are tried
    cdef int32_t* _first
    # the edges in the order a walk reads them: _order[e] = e for the nodes' edges, then for
    # each ASCII character (from _root_at) the root's branches that can read it: a word start
    # goes straight to them instead of trying every first character of every term
    cdef int32_t* _order
    cdef int32_t _root_at[128]
    cdef int32_t _root_stop[128]
    cdef uint32_t* _kind
    cdef _Char* _char
    cdef int32_t* _target
    # the bits of the terms that end at each node (0: none), of the terms below each node (a
    # walk collecting bits skips a branch that can add none), and of all terms
    cdef uint64_t* _ends
    cdef uint64_t* _below
    cdef uint64_t _all
    cdef Py_ssize_t _nodes
    # frames a walk needs: one per character of the longest term, and the root's
    cdef Py_ssize_t _depth

    def __cinit__(self):
        self._first = NULL
        self._kind = NULL
        self._char = NULL
        self._target = NULL
        self._ends = NULL
        self._below = NULL
        self._order = NULL

    def __init__(self, terms):
        """`terms`: (term, bit) pairs, the terms normalised (vocabulary.normalise), each
        beginning with a word character or `?`."""
        if self._first != NULL:
            raise TypeError("a TermTrie is built once")
        # nodes as [bits of the terms ending here, character, {regex atom: child}]
        cdef list root = [0, "", {}]
        cdef list node
        cdef Py_ssize_t depth = 0
        for term, bit in terms:
            if not isinstance(term, str) or not term:
                raise ValueError(f"a term must be a non-empty string, not {term!r}")
            if not (term[0] == "?" or term[0] == "_" or term[0].isalnum()):
                raise ValueError(f"term {term!r} must begin with a word character or '?'")
            if isinstance(bit, bool) or not isinstance(bit, int) or not 0 <= bit < MAX_BITS:
                raise ValueError(f"bit {bit!r} of term {term!r} is not between 0 and 63")
            node = root
            for char in term:
                atom = _regex_atom(char)
                child = node[2].get(atom)
                if child is None:
                    child = node[2][atom] = [0, char, {}]
                node = child
            node[0] |= 1 << bit
            depth = max(depth, len(term))
        # breadth-first, each node's children in the sorted order of their regex atoms
        order = [root]
        cdef Py_ssize_t n = 0
        while n < len(order):
            order.extend(order[n][2][atom] for atom in sorted(order[n][2]))
            n += 1
        self._nodes = len(order)
        edges = self._nodes - 1
        self._first = <int32_t*>PyMem_Malloc((self._nodes + 1) * sizeof(int32_t))
        self._kind = <uint32_t*>PyMem_Malloc(max(edges, 1) * sizeof(uint32_t))
        self._char = <_Char*>PyMem_Malloc(max(edges, 1) * sizeof(_Char))
        self._target = <int32_t*>PyMem_Malloc(max(edges, 1) * sizeof(int32_t))
        self._ends = <uint64_t*>PyMem_Malloc(self._nodes * sizeof(uint64_t))
        self._below = <uint64_t*>PyMem_Malloc(self._nodes * sizeof(uint64_t))
        # at most three root branches read one character: itself, "?" and "*"
        self._order = <int32_t*>PyMem_Malloc((edges + 3 * 128) * sizeof(int32_t))
        if (self._first == NULL or self._kind == NULL or self._char == NULL
                or self._target == NULL or self._ends == NULL or self._below == NULL
                or self._order == NULL):
            raise MemoryError()
        self._depth = depth + 1
        # breadth-first order gives each node's children consecutive indexes
        cdef Py_ssize_t i, e = 0, following = 1
        self._all = 0
        for i in range(self._nodes):
            node = order[i]
            self._first[i] = e
            self._ends[i] = node[0]
            self._all |= <uint64_t>node[0]
            for atom in sorted(node[2]):
                char = node[2][atom][1]
                if char == "*":
                    self._kind[e], self._char[e] = _WORD_CHARS, 0
                elif char == "?":
                    self._kind[e], self._char[e] = _ONE_WORD_CHAR, 0
                else:
                    self._kind[e], self._char[e] = _LITERAL, ord(char)
                self._target[e] = following
                following += 1
                e += 1
        self._first[self._nodes] = e
        for e in range(edges):
            self._order[e] = e
        # children come after their parents in breadth-first order: fill _below from the end
        for i in range(self._nodes - 1, -1, -1):
            self._below[i] = self._ends[i]
            for e in range(self._first[i], self._first[i + 1]):
                self._below[i] |= self._below[self._target[e]]
        cdef Py_ssize_t at = edges
        for i in range(128):
            self._root_at[i] = at
            if _ASCII_WORD[i]:  # walks begin at word starts only
                for e in range(self._first[0], self._first[1]):
                    if self._kind[e] != _LITERAL or self._char[e] == i:
                        self._order[at] = e
                        at += 1
            self._root_stop[i] = at

    def __dealloc__(self):
        PyMem_Free(self._first)
        PyMem_Free(self._kind)
        PyMem_Free(self._char)
        PyMem_Free(self._target)
        PyMem_Free(self._ends)
        PyMem_Free(self._below)
        PyMem_Free(self._order)

    cdef inline bint _may_start(self, _Char c) noexcept:
        # whether a term can begin with c (a cheap test at each word start)
        return c >= 128 or self._root_stop[c] > self._root_at[c]

    cdef Py_ssize_t _walk(self, const _Text* t, Py_ssize_t start, _Frame* stack,
                          uint64_t* found) noexcept:
        """The trie walked from `start` in the regex's order. With `found` NULL: the end of
        the first match (-1: none). Otherwise every match is visited and the bits of its
        terms are added to `*found`, until it holds every bit of the trie; -1."""
        cdef _Frame* f
        cdef Py_ssize_t depth = 0, next_pos, k
        cdef int32_t edge
        cdef uint32_t kind
        cdef uint64_t ending
        cdef int32_t child
        cdef _Char first = <_Char>PyUnicode_READ(t.kind, t.data, start)
        stack[0].node = 0
        if first < 128:
            stack[0].cursor = self._root_at[first]
            stack[0].stop = self._root_stop[first]
        else:
            stack[0].cursor = self._first[0]
            stack[0].stop = self._first[1]
        stack[0].pos = start
        stack[0].star = -1
        while depth >= 0:
            f = &stack[depth]
            if f.cursor < f.stop:
                edge = self._order[f.cursor]
                kind = self._kind[edge]
                next_pos = -1
                if found != NULL and not (self._below[self._target[edge]] & ~found[0]):
                    f.cursor += 1  # nothing below it that is not found already
                elif kind == _LITERAL:
                    f.cursor += 1
                    if (f.pos < t.length and <_Char>PyUnicode_READ(t.kind, t.data, f.pos)
                            == self._char[edge]):
                        next_pos = f.pos + 1
                elif kind == _ONE_WORD_CHAR:
                    f.cursor += 1
                    if _word_at(t, f.pos):
                        next_pos = f.pos + 1
                else:
                    # greedy: the longest run of word characters first, then one fewer each time
                    if f.star < 0:
                        k = f.pos
                        while _word_at(t, k):
                            k += 1
                        f.star = k
                    else:
                        f.star -= 1
                    if f.star < f.pos:
                        f.star = -1
                        f.cursor += 1
                    else:
                        next_pos = f.star
                if next_pos >= 0:
                    # depth + 1 < self._depth: a child is one character further into a term
                    depth += 1
                    child = self._target[edge]
                    stack[depth].node = child
                    stack[depth].cursor = self._first[child]
                    stack[depth].stop = self._first[child + 1]
                    stack[depth].pos = next_pos
                    stack[depth].star = -1
                continue
            # every branch tried: the end of a term here counts if a word ends here too
            ending = self._ends[f.node]
            if found != NULL:
                ending &= ~found[0]
            if ending and _boundary(t, f.pos):
                if found == NULL:
                    return f.pos
                found[0] |= ending
                if found[0] == self._all:
                    return -1
            depth -= 1
        return -1

    def findall(self, str text):
        """The words matched, left to right, without overlaps (as `re.findall`)."""
        cdef _Text t = _text(text)
        cdef _Frame local[_LOCAL_FRAMES]
        cdef _Frame* stack = local
        cdef list words = []
        cdef Py_ssize_t i = 0, end
        cdef bint before = False, here
        cdef _Char c
        if self._depth > _LOCAL_FRAMES:
            stack = <_Frame*>PyMem_Malloc(self._depth * sizeof(_Frame))
            if stack == NULL:
                raise MemoryError()
        try:
            while i < t.length:
                c = <_Char>PyUnicode_READ(t.kind, t.data, i)
                here = _is_word(c)
                if here and not before and self._may_start(c):
                    end = self._walk(&t, i, stack, NULL)
                    if end > i:
                        words.append(text[i:end])
                        # the next word start is looked for from the match's end on
                        before = _word_at(&t, end - 1)
                        i = end
                        continue
                before = here
                i += 1
        finally:
            if stack != local:
                PyMem_Free(stack)
        return words

    def bits(self, str text):
        """The bits of the vocabularies with a term in the text (0: none)."""
        cdef _Text t = _text(text)
        cdef _Frame local[_LOCAL_FRAMES]
        cdef _Frame* stack = local
        cdef uint64_t found = 0
        cdef Py_ssize_t i
        cdef bint before = False, here
        cdef _Char c
        if self._all == 0:
            return 0
        if self._depth > _LOCAL_FRAMES:
            stack = <_Frame*>PyMem_Malloc(self._depth * sizeof(_Frame))
            if stack == NULL:
                raise MemoryError()
        for i in range(t.length):
            c = <_Char>PyUnicode_READ(t.kind, t.data, i)
            here = _is_word(c)
            if here and not before and self._may_start(c):
                self._walk(&t, i, stack, &found)
                if found == self._all:
                    break
            before = here
        if stack != local:
            PyMem_Free(stack)
        return found
