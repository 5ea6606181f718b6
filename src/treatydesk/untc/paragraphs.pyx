# cython: language_level=3, boundscheck=True, wraparound=False
"""The text of one MTDSG cell or paragraph, cleaned as the importer keeps it.

Compiled with Cython because a status file carries megabytes of declarations, and the passes
this replaces (a regex split for escaped markers, six replacements and a regex for whitespace,
a strip) each cost a tenth of a bare XML parse. Here the text is read in C, eight bytes at a
time where nothing needs changing, and copied only where something changes. Every read stays
below the string's own length (bounds-checked indexing, or pointer reads checked against the
length first), so no input can read outside it.
"""

from cpython.unicode cimport Py_UNICODE_ISSPACE, PyUnicode_DATA, PyUnicode_KIND, PyUnicode_READ
from libc.stdint cimport uint64_t
from libc.string cimport memchr, memcmp, memcpy

#: the whitespace the depositary leaves in its text (tabs, line breaks, no-break spaces...):
#: each run of these becomes one space; other Unicode spaces are kept where they stand
cdef inline bint _squashed(unsigned int c) noexcept:
    return c == 0x20 or c == 0x09 or c == 0x0A or c == 0x0D or c == 0xA0 or c == 0x0B or c == 0x0C


#: per Latin-1 character: _SQUASHED for the whitespace above, _ODD for all of it but the space
cdef unsigned char _CLASS[256]
cdef enum:
    _SQUASHED = 1
    _ODD = 2


cdef void _fill_classes() noexcept:
    cdef unsigned int c
    for c in range(256):
        _CLASS[c] = (_SQUASHED if _squashed(c) else 0) | (_ODD if _squashed(c) and c != 0x20 else 0)


_fill_classes()

_OPEN = "<superscript>"
_CLOSE = "</superscript>"


cdef str _without_escaped_markers_latin1(str text, list markers):
    """_without_escaped_markers for Latin-1 text, where a search for "<" is the C library's
    memchr and the tags are compared as bytes: about a third of the cost in a file whose
    paragraphs each carry a marker."""
    cdef const char* data = <const char*>PyUnicode_DATA(text)
    cdef Py_ssize_t length = len(text), begin = 0, at = 0, inner, close
    cdef const char* found
    cdef list pieces = None
    while at < length:
        found = <const char*>memchr(data + at, 0x3C, length - at)  # "<"
        if found == NULL:
            break
        at = found - data
        if at + 13 <= length and memcmp(data + at, b"<superscript>", 13) == 0:
            inner = at + 13
            found = <const char*>memchr(data + inner, 0x3C, length - inner)
            if found != NULL:
                close = found - data
                if close + 14 <= length and memcmp(data + close, b"</superscript>", 14) == 0:
                    if pieces is None:
                        pieces = []
                    pieces.append(text[begin:at])
                    marker = text[inner:close].strip()
                    if marker:
                        markers.append(marker)
                    begin = at = close + 14
                    continue
        at += 1
    if pieces is None:
        return text
    pieces.append(text[begin:])
    return "".join(pieces)


cdef str _without_escaped_markers(str text, list markers):
    """The text without the footnote markers left entity-escaped in it ("<superscript>3
    </superscript>" as text, not as elements); the stripped markers are added to `markers`."""
    cdef Py_ssize_t begin = 0, at, inner, close
    cdef list pieces = []
    at = text.find(_OPEN)
    while at >= 0:
        inner = at + len(_OPEN)
        close = text.find("<", inner)
        if close >= 0 and text.startswith(_CLOSE, close):
            pieces.append(text[begin:at])
            marker = text[inner:close].strip()
            if marker:
                markers.append(marker)
            begin = close + len(_CLOSE)
            at = text.find(_OPEN, begin)
        else:
            at = text.find(_OPEN, at + 1)
    if not pieces:
        return text
    pieces.append(text[begin:])
    return "".join(pieces)


def clean_paragraph(str text not None):
    """(text, markers): escaped footnote markers removed and returned, the ends stripped, and
    every run of spaces, tabs, line breaks and no-break spaces inside made one space."""
    cdef list pieces = []
    cdef list markers = []
    _clean_into(text, pieces, markers, True)
    return "".join(pieces), markers  # one piece is returned as it is, not copied


def join_paragraphs(list paragraphs not None):
    """(text, markers) of one statement: each paragraph cleaned as by clean_paragraph, those
    left empty dropped with their markers, the rest joined with a blank line between. A
    paragraph given as a (text, markers) pair was cleaned already (the importer's paragraphs
    with child elements) and is taken as it is. One call per statement, not per paragraph:
    a status file has thousands of paragraphs."""
    cdef list pieces = []
    cdef list markers = []
    for paragraph in paragraphs:
        if type(paragraph) is tuple:
            text, found = paragraph
            if text:
                if pieces:
                    pieces.append("\n\n")
                pieces.append(text)
                markers.extend(found)
        else:
            _clean_into(paragraph, pieces, markers, False)
    return "".join(pieces), markers


cdef int _clean_into(str text, list pieces, list markers, bint markers_of_empty) except -1:
    """Appends the cleaned text to `pieces` (after a blank line when pieces holds a paragraph
    already) and its markers to `markers`; when the text cleans to nothing, only its markers,
    and those only if `markers_of_empty`."""
    cdef Py_ssize_t start, end, i, run_start, copied
    cdef int kind
    cdef const void* data
    cdef list found = None
    if "<" in text:
        found = []
        if PyUnicode_KIND(text) == 1:
            text = _without_escaped_markers_latin1(text, found)
        else:
            text = _without_escaped_markers(text, found)
    kind = PyUnicode_KIND(text)
    data = PyUnicode_DATA(text)
    end = len(text)
    start = 0
    while start < end and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, start)):
        start += 1
    while end > start and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end - 1)):
        end -= 1
    if start == end:
        if found and markers_of_empty:
            markers.extend(found)
        return 0
    if pieces:
        pieces.append("\n\n")
    if found:
        markers.extend(found)
    # the first character to rewrite, if any (the stripped ends hold none)
    i = _next_edit(kind, data, start + 1, end)
    if i >= end:
        pieces.append(text if start == 0 and end == len(text) else text[start:end])
        return 0
    copied = start
    while i < end:
        while _squashed(PyUnicode_READ(kind, data, i - 1)):  # back to where the run starts
            i -= 1
        run_start = i
        while _squashed(PyUnicode_READ(kind, data, i)):  # the run ends before `end`
            i += 1
        pieces.append(text[copied:run_start])
        pieces.append(" ")
        copied = i
        i = _next_edit(kind, data, i + 1, end)
    pieces.append(text[copied:end])
    return 0


cdef inline bint _block_may_need_rewriting(uint64_t block) noexcept:
    """False when none of the 8 bytes is a tab, line break, vertical tab, form feed, carriage
    return (any byte below 0x0E counts, the rest cannot occur in XML text) or no-break space,
    and no two neighbouring bytes are spaces; True otherwise (possibly for nothing). The
    classic bit tricks for "has a byte below n" and "has a zero byte", plus an exact mask of
    the space bytes paired with itself shifted by one byte (neighbours are neighbours in
    either byte order)."""
    cdef uint64_t low = 0x0101010101010101ULL
    cdef uint64_t high = 0x8080808080808080ULL
    cdef uint64_t seven = 0x7F7F7F7F7F7F7F7FULL
    cdef uint64_t nbsp = block ^ (0xA0 * low)
    cdef uint64_t spaces = block ^ (0x20 * low)
    if ((block - 0x0E * low) & ~block & high) or ((nbsp - low) & ~nbsp & high):
        return True
    spaces = ~(((spaces & seven) + seven) | spaces | seven)  # 0x80 where a byte is a space
    return (spaces & (spaces >> 8)) != 0


cdef inline Py_ssize_t _next_edit(int kind, const void* data, Py_ssize_t i,
                                  Py_ssize_t end) noexcept:
    """The first position from i (>= 1) before `end` holding a character to rewrite, or end."""
    cdef const unsigned char* latin1
    cdef unsigned char before, current
    cdef unsigned int c
    cdef uint64_t block
    cdef Py_ssize_t stop
    if i >= end:
        return end
    if kind == 1:
        latin1 = <const unsigned char*>data
        while True:
            # Eight bytes at a time (those from i - 1, so that every pair ending at i..i+6 is
            # inside): most blocks of prose hold nothing to rewrite, and a few word
            # operations tell so (_block_may_need_rewriting); a block that may is read byte
            # by byte.
            while i + 7 <= end:
                memcpy(&block, latin1 + i - 1, 8)
                if _block_may_need_rewriting(block):
                    break
                i += 7
            stop = i + 7 if i + 7 < end else end
            # a character needs rewriting when it is whitespace other than a space, or a
            # space after whitespace
            before = _CLASS[latin1[i - 1]]
            while i < stop:
                current = _CLASS[latin1[i]]
                if current & (_ODD | (before & _SQUASHED)):
                    return i
                before = current
                i += 1
            if i >= end:
                return end
    while i < end:
        c = PyUnicode_READ(kind, data, i)
        if _squashed(c) and (c != 0x20 or _squashed(PyUnicode_READ(kind, data, i - 1))):
            return i
        i += 1
    return i
