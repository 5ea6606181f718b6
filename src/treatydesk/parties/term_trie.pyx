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
    PyUnicode_1BYTE_KIND,
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
# past the end of the text: no character has this value (Unicode ends at 0x10FFFF)
cdef _Char _NONE = 0xFFFFFFFF


cdef struct _Text:
    const void* data
    int kind
    Py_ssize_t length


cdef struct _Frame:
    # one step of the walk: at `node`, having read the text up to `pos`, whose character is
    # `c` (_NONE past the end); cand[i:n] are the branches still to try that can read `c`, in
    # the order the regex tried them; `star` is the next length of a "*" branch being tried
    # (-1: not begun)
    int32_t node
    int32_t cand[3]
    int32_t n
    int32_t i
    Py_ssize_t pos
    Py_ssize_t star
    _Char c


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


cdef inline _Char _char_at(const _Text* t, Py_ssize_t i) noexcept:
    if i < t.length:
        return <_Char>PyUnicode_READ(t.kind, t.data, i)
    return _NONE


cdef extern from "Python.h":
    # Python 3.11 and older: a string a C extension made with the deprecated
    # PyUnicode_FromUnicode has no kind, data or length until this sets them (later
    # versions define it as a no-op)
    int PyUnicode_READY(object text) except -1
    Py_ssize_t PyUnicode_GET_LENGTH(object text)
    object PyUnicode_Substring(object text, Py_ssize_t start, Py_ssize_t end)


cdef inline _Text _text(object text) except *:
    # any str, subclasses too (StrEnum members are texts like others); its length is the
    # C-level one, not a subclass's __len__, so no subclass can make a walk read past its data
    cdef _Text t
    if not isinstance(text, str):
        raise TypeError(f"a text must be a str, not {type(text).__name__}")
    PyUnicode_READY(text)
    t.length = PyUnicode_GET_LENGTH(text)
    t.data = PyUnicode_DATA(text)
    t.kind = PyUnicode_KIND(text)
    return t


def plain_ascii(object text):
    """Whether `text` is printable ASCII with single spaces between its words and none at
    either end: then vocabulary.normalise has only to lower-case it. One pass in C (str's
    isprintable looks every character up in Unicode's tables)."""
    cdef _Text t = _text(text)
    cdef Py_ssize_t i
    cdef const unsigned char* data
    cdef unsigned char c, before = 0x20  # a space at the start counts as a run of spaces
    if t.kind != PyUnicode_1BYTE_KIND:
        return False
    data = <const unsigned char*>t.data
    for i in range(t.length):
        c = data[i]
        if c < 0x20 or c > 0x7E or (c == 0x20 and before == 0x20):
            return False
        before = c
    return t.length == 0 or before != 0x20


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

    # the edges: node i's are [_first[i], _first[i + 1]), in the order the regex tried them
    cdef int32_t* _first
    cdef uint32_t* _kind
    cdef int32_t* _target
    # a node's literal edges again, sorted by character for a binary search: node i's are
    # [_lit_first[i], _lit_first[i + 1]) of _lit_char (the character) and _lit_edge (the edge)
    cdef int32_t* _lit_first
    cdef _Char* _lit_char
    cdef int32_t* _lit_edge
    # each node's "?" and "*" edge (-1: none)
    cdef int32_t* _one
    cdef int32_t* _many
    # the bits of the terms that end at each node (0: none), of the terms below each node (a
    # walk collecting bits skips a branch that can add none), and of all terms
    cdef uint64_t* _ends
    cdef uint64_t* _below
    cdef uint64_t _all
    cdef Py_ssize_t _nodes
    # frames a walk needs: one per character of the longest term, and the root's
    cdef Py_ssize_t _depth
    # which ASCII characters a term can begin with (a cheap test at each word start)
    cdef bint _starts[128]
    # set at the very end of __init__: a trie that failed to build is never walked (the
    # fields of a new object start zeroed: NULL tables, not built)
    cdef bint _built

    cdef void _release(self) noexcept:
        # frees the tables; safe on NULL ones
        PyMem_Free(self._first)
        PyMem_Free(self._kind)
        PyMem_Free(self._target)
        PyMem_Free(self._lit_first)
        PyMem_Free(self._lit_char)
        PyMem_Free(self._lit_edge)
        PyMem_Free(self._one)
        PyMem_Free(self._many)
        PyMem_Free(self._ends)
        PyMem_Free(self._below)
        self._first = self._target = self._lit_first = self._lit_edge = NULL
        self._one = self._many = NULL
        self._kind = NULL
        self._lit_char = NULL
        self._ends = self._below = NULL

    def __init__(self, terms):
        """`terms`: (term, bit) pairs, the terms normalised (vocabulary.normalise), each
        beginning with a word character or `?`."""
        if self._built:
            raise TypeError("a TermTrie is built once")
        self._release()  # what an __init__ that failed may have left
        # nodes as [bits of the terms ending here, character, {regex atom: child}]
        cdef list root = [0, "", {}]
        cdef list node
        cdef Py_ssize_t depth = 0
        for term, bit in terms:
            if not isinstance(term, str) or not term:
                raise ValueError(f"a term must be a non-empty string, not {term!r}")
            # an exact copy: a str subclass's own __len__, __iter__ or __getitem__ could
            # disagree with its characters, and the walk's stack is sized by the length
            term = str.__str__(term)
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
        size = max(edges, 1)
        self._first = <int32_t*>PyMem_Malloc((self._nodes + 1) * sizeof(int32_t))
        self._kind = <uint32_t*>PyMem_Malloc(size * sizeof(uint32_t))
        self._target = <int32_t*>PyMem_Malloc(size * sizeof(int32_t))
        self._lit_first = <int32_t*>PyMem_Malloc((self._nodes + 1) * sizeof(int32_t))
        self._lit_char = <_Char*>PyMem_Malloc(size * sizeof(_Char))
        self._lit_edge = <int32_t*>PyMem_Malloc(size * sizeof(int32_t))
        self._one = <int32_t*>PyMem_Malloc(self._nodes * sizeof(int32_t))
        self._many = <int32_t*>PyMem_Malloc(self._nodes * sizeof(int32_t))
        self._ends = <uint64_t*>PyMem_Malloc(self._nodes * sizeof(uint64_t))
        self._below = <uint64_t*>PyMem_Malloc(self._nodes * sizeof(uint64_t))
        if (self._first == NULL or self._kind == NULL or self._target == NULL
                or self._lit_first == NULL or self._lit_char == NULL or self._lit_edge == NULL
                or self._one == NULL or self._many == NULL or self._ends == NULL
                or self._below == NULL):
            self._release()
            raise MemoryError()
        self._depth = depth + 1
        # breadth-first order gives each node's children consecutive indexes
        cdef Py_ssize_t i, e = 0, following = 1, lit = 0
        self._all = 0
        for i in range(self._nodes):
            node = order[i]
            self._first[i] = e
            self._lit_first[i] = lit
            self._one[i] = self._many[i] = -1
            self._ends[i] = node[0]
            self._all |= <uint64_t>node[0]
            literals = []
            for atom in sorted(node[2]):
                char = node[2][atom][1]
                if char == "*":
                    self._kind[e] = _WORD_CHARS
                    self._many[i] = e
                elif char == "?":
                    self._kind[e] = _ONE_WORD_CHAR
                    self._one[i] = e
                else:
                    self._kind[e] = _LITERAL
                    literals.append((ord(char), e))
                self._target[e] = following
                following += 1
                e += 1
            for code, edge in sorted(literals):
                self._lit_char[lit] = code
                self._lit_edge[lit] = edge
                lit += 1
        self._first[self._nodes] = e
        self._lit_first[self._nodes] = lit
        # children come after their parents in breadth-first order: fill _below from the end
        for i in range(self._nodes - 1, -1, -1):
            self._below[i] = self._ends[i]
            for e in range(self._first[i], self._first[i + 1]):
                self._below[i] |= self._below[self._target[e]]
        for i in range(128):
            # walks begin at word starts only
            self._starts[i] = _ASCII_WORD[i] and (
                self._one[0] >= 0 or self._many[0] >= 0 or self._literal(0, i) >= 0)
        self._built = True

    def __dealloc__(self):
        self._release()

    cdef inline bint _may_start(self, _Char c) noexcept:
        # whether a term can begin with c
        return c >= 128 or self._starts[c]

    cdef inline int32_t _literal(self, int32_t node, _Char c) noexcept:
        # the node's literal edge for c (-1: none), by binary search
        cdef int32_t low = self._lit_first[node], high = self._lit_first[node + 1], middle
        while low < high:
            middle = (low + high) >> 1
            if self._lit_char[middle] < c:
                low = middle + 1
            else:
                high = middle
        if low < self._lit_first[node + 1] and self._lit_char[low] == c:
            return self._lit_edge[low]
        return -1

    cdef inline void _enter(self, _Frame* f, int32_t node, Py_ssize_t pos, _Char c) noexcept:
        # the frame at `node` and `pos`, with the branches that can read c in the regex's order
        # (edge order): the literal for c, "?" if c is a word character, and "*" (which may
        # read nothing)
        cdef int32_t a = -1, b = -1, x = -1, swap
        if c != _NONE:
            a = self._literal(node, c)
            if _is_word(c):
                b = self._one[node]
        x = self._many[node]
        # sort three edges (-1 last) by index
        if a < 0 or (b >= 0 and b < a):
            swap = a; a = b; b = swap
        if b < 0 or (x >= 0 and x < b):
            swap = b; b = x; x = swap
        if a < 0 or (b >= 0 and b < a):
            swap = a; a = b; b = swap
        f.node = node
        f.pos = pos
        f.c = c
        f.star = -1
        f.i = 0
        f.n = (a >= 0) + (b >= 0) + (x >= 0)
        f.cand[0] = a
        f.cand[1] = b
        f.cand[2] = x

    cdef Py_ssize_t _walk(self, const _Text* t, Py_ssize_t start, _Frame* stack,
                          uint64_t* found) noexcept:
        """The trie walked from `start` in the regex's order. With `found` NULL: the end of
        the first match (-1: none). Otherwise every match is visited and the bits of its
        terms are added to `*found`, until it holds every bit of the trie; -1."""
        cdef _Frame* f
        cdef Py_ssize_t depth = 0, next_pos, k
        cdef int32_t edge, child
        cdef uint64_t ending
        self._enter(&stack[0], 0, start, _char_at(t, start))
        while depth >= 0:
            f = &stack[depth]
            if f.i < f.n:
                edge = f.cand[f.i]
                child = self._target[edge]
                if found != NULL and not (self._below[child] & ~found[0]):
                    f.i += 1  # nothing below it that is not found already
                    f.star = -1
                    continue
                if self._kind[edge] != _WORD_CHARS:
                    # a literal or "?": it reads f.c (_enter chose only those that can)
                    f.i += 1
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
                        f.i += 1
                        continue
                    next_pos = f.star
                # depth + 1 < self._depth: a child is one character further into a term
                depth += 1
                self._enter(&stack[depth], child, next_pos, _char_at(t, next_pos))
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

    cdef int _check_built(self) except -1:
        # TermTrie.__new__ alone, or an __init__ that raised, leaves no trie to walk
        if not self._built:
            raise ValueError("this TermTrie was never built (its __init__ did not complete)")
        return 0

    def findall(self, object text):
        """The words matched, left to right, without overlaps (as `re.findall`)."""
        self._check_built()
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
                        words.append(PyUnicode_Substring(text, i, end))
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

    def bits(self, object text):
        """The bits of the vocabularies with a term in the text (0: none)."""
        self._check_built()
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
