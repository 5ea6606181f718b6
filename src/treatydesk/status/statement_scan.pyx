# cython: language_level=3, boundscheck=True, wraparound=False, cdivision=False
"""One pass over a declaration's text: the articles it names and whether it reads as a
reservation (declarations.py documents the forms; this module is their scanner).

Compiled with Cython because the importer reads megabytes of statements per status file and
every regex pass over that text cost about a tenth of a bare XML parse; this scanner reads each
character once, in C. Matching is ASCII case-insensitive, as the regexes it replaced were on
the lower-cased text, with `\\s`, `\\d` and word characters in their Unicode meaning (as Python's
`re` has them). Reads go through `_at`, which answers 0 outside the text, or, in the loops over
Latin-1 text, through pointer reads checked against the length first, so no index can leave
the string whatever the input.
"""

from libc.stdint cimport uint64_t
from libc.string cimport memcpy
from cpython.unicode cimport (
    Py_UNICODE_ISALNUM,
    Py_UNICODE_ISDECIMAL,
    Py_UNICODE_ISSPACE,
    PyUnicode_DATA,
    PyUnicode_KIND,
    PyUnicode_READ,
)


cdef extern from *:
    # GCC and Clang; the index of the lowest set bit of a non-zero word
    int _count_trailing_zeros "__builtin_ctzll" (unsigned long long) noexcept

import sys

cdef bint _LITTLE_ENDIAN = sys.byteorder == "little"

# characters as plain unsigned integers: Cython would treat arithmetic on Py_UCS4 as text
ctypedef unsigned int _Char


cdef struct _Text:
    const void* data
    int kind
    Py_ssize_t length


cdef struct _Item:
    # one article with its paragraph and subparagraph as read: [start, end) spans of the text
    Py_ssize_t end
    Py_ssize_t article_start
    Py_ssize_t article_end
    Py_ssize_t paragraph_start
    Py_ssize_t paragraph_end
    _Char letter


cdef inline _Char _at(const _Text* t, Py_ssize_t i) noexcept:
    if i < 0 or i >= t.length:
        return 0
    return <_Char>PyUnicode_READ(t.kind, t.data, i)


cdef inline _Char _lower(_Char c) noexcept:
    # what str.lower() gives for the characters the forms are made of: ASCII letters, and
    # the Kelvin sign, the one other character that lower-cases to one of them (U+0130 gives
    # "i" plus a combining dot, which no form can continue, so it is left as it is)
    if 0x41 <= c <= 0x5A:
        return c + 32
    if c == 0x212A:
        return 0x6B
    return c


cdef inline bint _is_az(_Char c) noexcept:
    c = _lower(c)
    return 0x61 <= c <= 0x7A


cdef inline bint _is_word(_Char c) noexcept:
    return c == 0x5F or Py_UNICODE_ISALNUM(<Py_UCS4>c)


cdef inline bint _word_start(const _Text* t, Py_ssize_t i) noexcept:
    return not _is_az(_at(t, i - 1))


cdef inline bint _word_end(const _Text* t, Py_ssize_t i) noexcept:
    # a regex \b after a word character: the next one is not a word character (or none)
    return not _is_word(_at(t, i))


cdef bint _has(const _Text* t, Py_ssize_t i, const char* word) noexcept:
    # the lower-case ASCII `word` at i, ignoring ASCII case
    cdef Py_ssize_t k = 0
    while word[k]:
        if _lower(_at(t, i + k)) != <_Char><unsigned char>word[k]:
            return False
        k += 1
    return True


cdef inline Py_ssize_t _spaces(const _Text* t, Py_ssize_t i) noexcept:
    while Py_UNICODE_ISSPACE(<Py_UCS4>_at(t, i)):
        i += 1
    return i


cdef inline bint _is_digit(_Char c) noexcept:
    # ASCII first: the library call is for the other scripts' digits
    if c < 0x80:
        return 0x30 <= c <= 0x39
    return Py_UNICODE_ISDECIMAL(<Py_UCS4>c)


cdef inline Py_ssize_t _digits(const _Text* t, Py_ssize_t i) noexcept:
    while _is_digit(_at(t, i)):
        i += 1
    return i


cdef bint _item(const _Text* t, Py_ssize_t i, _Item* item) noexcept:
    """An article number at i with its paragraph ("(3)", ", paragraph 3", "para. 3") and its
    subparagraph ("(c)"); False when no digit is at i."""
    cdef Py_ssize_t q, r, end
    end = _digits(t, i)
    if end == i:
        return False
    item.article_start = i
    item.article_end = end
    item.paragraph_start = item.paragraph_end = 0
    item.letter = 0
    # the paragraph, in brackets or in words
    q = _spaces(t, end)
    if _at(t, q) == 0x28:  # "("
        r = _spaces(t, q + 1)
        q = _digits(t, r)
        if q > r and _at(t, _spaces(t, q)) == 0x29:
            item.paragraph_start, item.paragraph_end = r, q
            end = _spaces(t, q) + 1
    else:
        if _at(t, q) == 0x2C:  # ","
            q += 1
        q = _spaces(t, q)
        if _has(t, q, "paragraph"):
            q += 9
            if _lower(_at(t, q)) == 0x73:  # "s"
                q += 1
        elif _has(t, q, "para."):
            q += 5
        else:
            q = -1
        if q >= 0:
            r = _spaces(t, q)
            q = _digits(t, r)
            if q > r:
                item.paragraph_start, item.paragraph_end = r, q
                end = q
    item.end = _subparagraph(t, end, item)
    return True


cdef Py_ssize_t _subparagraph(const _Text* t, Py_ssize_t i, _Item* item) noexcept:
    """After an optional subparagraph at i, one letter in brackets ("(c)", "( C )") that goes
    into item.letter; i itself when there is none."""
    cdef Py_ssize_t q = _spaces(t, i), r
    if _at(t, q) == 0x28:  # "("
        q = _spaces(t, q + 1)
        if _is_az(_at(t, q)):
            r = _spaces(t, q + 1)
            if _at(t, r) == 0x29:  # ")"
                item.letter = _lower(_at(t, q))
                return r + 1
    return i


cdef inline Py_ssize_t _copy_ascii(const _Text* t, Py_ssize_t start, Py_ssize_t end,
                                   char* out, Py_ssize_t n) noexcept:
    # the digits at [start, end) appended to out[n:] (room for 24 characters is checked by
    # the caller); -1 when one is not ASCII
    cdef _Char c
    for start in range(start, end):
        c = _at(t, start)
        if c >= 0x80:
            return -1
        out[n] = <char>c
        n += 1
    return n


cdef str _canonical(str text, const _Item* item):
    # Thousands of items per status file: an ASCII item is written into one buffer and made
    # one string (the slices and formatting below would make three).
    cdef char out[32]
    cdef Py_ssize_t n = 0
    cdef _Text t
    if (item.article_end - item.article_start) + (item.paragraph_end - item.paragraph_start) < 24:
        t.data = PyUnicode_DATA(text)
        t.kind = PyUnicode_KIND(text)
        t.length = len(text)
        n = _copy_ascii(&t, item.article_start, item.article_end, out, 0)
        if n >= 0 and item.paragraph_end > item.paragraph_start:
            out[n] = b"("
            n = _copy_ascii(&t, item.paragraph_start, item.paragraph_end, out, n + 1)
            if n >= 0:
                out[n] = b")"
                n += 1
        if n >= 0:
            if item.letter:
                out[n] = b"("
                out[n + 1] = <char>item.letter
                out[n + 2] = b")"
                n += 3
            return out[:n].decode("ascii")
    cdef str result = text[item.article_start:item.article_end]
    if item.paragraph_end > item.paragraph_start:
        result = f"{result}({text[item.paragraph_start:item.paragraph_end]})"
    if item.letter:
        result = f"{result}({chr(<long>item.letter)})"
    return result


cdef Py_ssize_t _separator(const _Text* t, Py_ssize_t i) noexcept:
    """Where the item after a list separator (",", "and", "or", "&") starts, or -1."""
    cdef Py_ssize_t q = _spaces(t, i)
    cdef _Char c = _at(t, q)
    if c == 0x2C or c == 0x26:  # "," "&"
        return _spaces(t, q + 1)
    # "and" and "or" as whole words: no word character may touch either end
    if _is_word(_at(t, q - 1)):
        return -1
    if _has(t, q, "and") and _word_end(t, q + 3):
        return _spaces(t, q + 3)
    if _has(t, q, "or") and _word_end(t, q + 2):
        return _spaces(t, q + 2)
    return -1


cdef Py_ssize_t _article_word(const _Text* t, Py_ssize_t i) noexcept:
    """After "article", "articles", "art.", "arts." at i (a word start), or -1."""
    cdef Py_ssize_t q
    if not _has(t, i, "art"):
        return -1
    q = i + 3
    if _has(t, q, "icle"):
        q += 4
        if _lower(_at(t, q)) == 0x73:
            q += 1
        return q
    if _lower(_at(t, q)) == 0x73:
        q += 1
    if _at(t, q) == 0x2E:  # "."
        return q + 1
    return -1


cdef Py_ssize_t _paragraph_of_article(const _Text* t, Py_ssize_t i, _Item* item,
                                       Py_ssize_t* article_word) noexcept:
    """"paragraph 2 of article 65", "paragraph 1 (c) of the article 35" at i: its end, or -1.
    The item gets the article, paragraph and letter; article_word where "art" starts."""
    cdef Py_ssize_t q, r, s
    if not _has(t, i, "paragraph"):
        return -1
    q = i + 9
    if _lower(_at(t, q)) == 0x73:
        q += 1
    r = _spaces(t, q)
    if r == q:
        return -1
    q = _digits(t, r)
    if q == r:
        return -1
    item.paragraph_start, item.paragraph_end = r, q
    item.letter = 0
    q = _subparagraph(t, q, item)
    r = _spaces(t, q)
    if r == q or not _has(t, r, "of"):
        return -1
    q = r + 2
    r = _spaces(t, q)
    if r == q:
        return -1
    if _has(t, r, "the"):
        s = _spaces(t, r + 3)
        if s > r + 3:
            r = s
    if not _has(t, r, "art"):
        return -1
    article_word[0] = r
    q = r + 3
    if _has(t, q, "icle"):
        q += 4
    elif _at(t, q) == 0x2E:
        q += 1
    else:
        return -1
    r = _spaces(t, q)
    q = _digits(t, r)
    if q == r:
        return -1
    item.article_start, item.article_end = r, q
    item.end = q
    return q


cdef bint _reservation_sign(const _Text* t, Py_ssize_t i) noexcept:
    """At a word start: "reserves", "reserved", "reserving", "reservation(s)"; "not [consider
    itself] bound by"; "not apply"."""
    cdef Py_ssize_t q, r, s
    if _has(t, i, "reserv"):
        q = i + 6
        if _has(t, q, "es") or _has(t, q, "ed"):
            return _word_end(t, q + 2)
        if _has(t, q, "ing"):
            return _word_end(t, q + 3)
        if _has(t, q, "ation"):
            q += 5
            if _word_end(t, q):
                return True
            return _lower(_at(t, q)) == 0x73 and _word_end(t, q + 1)
        return False
    if not _has(t, i, "not"):
        return False
    q = _spaces(t, i + 3)
    if q == i + 3:
        return False
    if _has(t, q, "apply"):
        return _word_end(t, q + 5)
    if _has(t, q, "consider"):
        r = _spaces(t, q + 8)
        if r > q + 8 and _has(t, r, "itself"):
            s = _spaces(t, r + 6)
            if s > r + 6:
                q = s
    if not _has(t, q, "bound"):
        return False
    r = _spaces(t, q + 5)
    return r > q + 5 and _has(t, r, "by") and _word_end(t, r + 2)


#: per Latin-1 character: _AZ when it lower-cases to an ASCII letter, _START when it can begin
#: a form (a, p, r, n in either case)
cdef unsigned char _CLASS[256]
cdef enum:
    _AZ = 1
    _START = 2


cdef void _fill_classes() noexcept:
    cdef unsigned int c
    for c in range(256):
        _CLASS[c] = (_AZ if _is_az(c) else 0) | (
            _START if _lower(c) in (0x61, 0x70, 0x72, 0x6E) else 0)


_fill_classes()
#: the second letter of the form that begins with each first letter
cdef unsigned char _SECOND[128]
_SECOND[0x61] = 0x72  # "art"
_SECOND[0x70] = 0x61  # "paragraph"
_SECOND[0x72] = 0x65  # "reserv"
_SECOND[0x6E] = 0x6F  # "not"


cdef class _Scan:
    """The forms found so far in one text."""

    cdef _Text t
    cdef str text
    cdef Py_ssize_t resume  # article mentions do not overlap: the next may start here
    cdef bint reservation
    # the first pass keeps the items in order without repeats; only where a "paragraph N of
    # article M" form occurs (seldom) is the text read again, in order, with positions
    cdef bint in_order
    cdef dict items  # item -> None, in text order
    cdef list listed  # with in_order: (mention start, item) in text order
    cdef list paragraph_forms  # (position, item)
    cdef set taken  # where a "paragraph N of" form's article word starts

    def __cinit__(self, str text not None, bint in_order):
        self.text = text
        self.t.data = PyUnicode_DATA(text)
        self.t.kind = PyUnicode_KIND(text)
        self.t.length = len(text)
        self.resume = 0
        self.reservation = False
        self.in_order = in_order
        self.items = {}
        self.listed = []
        self.paragraph_forms = []
        self.taken = set()

    cdef int visit(self, Py_ssize_t i, _Char c) except -1:
        """A word starts at i with the lower-cased character c."""
        cdef _Item item
        cdef Py_ssize_t q, start
        cdef Py_ssize_t article_word = 0
        if c == 0x61:  # "a"
            if i >= self.resume:
                q = _article_word(&self.t, i)
                if q >= 0:
                    start = _spaces(&self.t, q)
                    while _item(&self.t, start, &item):
                        if self.in_order:
                            self.listed.append((i, _canonical(self.text, &item)))
                        else:
                            self.items[_canonical(self.text, &item)] = None
                        self.resume = item.end
                        start = _separator(&self.t, item.end)
                        if start < 0:
                            break
        elif c == 0x70:  # "p"
            if _paragraph_of_article(&self.t, i, &item, &article_word) >= 0:
                self.paragraph_forms.append((i, _canonical(self.text, &item)))
                self.taken.add(article_word)
        elif not self.reservation and (c == 0x72 or c == 0x6E):  # "r" "n"
            self.reservation = _reservation_sign(&self.t, i)
        return 0

    cdef int run(self) except -1:
        cdef Py_ssize_t i
        cdef _Char c
        cdef bint before_letter = False
        cdef unsigned char before, current
        cdef const unsigned char* latin1
        if self.t.kind == 1 and self.t.length:
            # the common case, every character below 256
            latin1 = <const unsigned char*>self.t.data
            i = self._word_starts_by_block(latin1) if _LITTLE_ENDIAN else 0
            before = _CLASS[latin1[i - 1]] if i else 0
            for i in range(i, self.t.length):
                # a form's first letter not after a letter: one lookup in a small table and
                # one rarely taken branch per character
                current = _CLASS[latin1[i]]
                if current & ~(before << 1) & _START:
                    self._second_letter(i, _lower(latin1[i]))
                before = current
            return 0
        for i in range(self.t.length):
            c = _lower(<_Char>PyUnicode_READ(self.t.kind, self.t.data, i))
            if not before_letter:
                self.visit(i, c)
            before_letter = 0x61 <= c <= 0x7A
        return 0

    cdef Py_ssize_t _word_starts_by_block(self, const unsigned char* latin1) except -1:
        """The run loop eight bytes at a time, up to the last whole block (returned). Word
        starts (an ASCII letter after anything but one) are found with word operations on
        the block, and only they are looked up; about one byte in six begins a word. Little-
        endian only: the byte before another is the next lower one in the word."""
        cdef uint64_t low = 0x0101010101010101ULL
        cdef uint64_t high = 0x8080808080808080ULL
        cdef uint64_t seven = 0x7F7F7F7F7F7F7F7FULL
        cdef uint64_t block, folded, bits, letters, starts
        cdef uint64_t letter_before = 0  # 0x80 when the byte before the block is a letter
        cdef Py_ssize_t i = 0, position
        cdef unsigned char c
        while i + 8 <= self.t.length:
            memcpy(&block, latin1 + i, 8)
            folded = block | (0x20 * low)  # ASCII capitals to small letters
            bits = folded & seven  # below 0x80: adding to a byte cannot carry into the next
            # 0x80 in each byte from "a" to "z" once folded, and below 0x80 before
            letters = ((bits + 0x1F * low) & ~(bits + 0x05 * low) & ~folded & high)
            starts = letters & ~((letters << 8) | letter_before)
            letter_before = (letters >> 56) & 0x80
            while starts:
                position = i + (_count_trailing_zeros(starts) >> 3)
                c = latin1[position]
                if _CLASS[c] & _START:
                    self._second_letter(position, _lower(c))
                starts &= starts - 1
            i += 8
        return i

    cdef inline int _second_letter(self, Py_ssize_t i, _Char c) except -1:
        if _lower(_at(&self.t, i + 1)) == _SECOND[c]:
            self.visit(i, c)
        return 0

    cdef tuple articles(self):
        if not self.paragraph_forms:
            return tuple(self.items)
        # With "paragraph N of article M" forms, every form counts where it stands, and a list
        # whose article word such a form already read is not read again; items of one list
        # keep their order under the sort (positions position, position + 1, ...).
        found = list(self.paragraph_forms)
        previous = -1
        offset = 0
        for mention, article in self.listed:
            if mention in self.taken:
                continue
            offset = offset + 1 if mention == previous else 0
            previous = mention
            found.append((mention + offset, article))
        found.sort(key=_first)
        return tuple(dict.fromkeys([article for _, article in found]))


def scan_statement(str text not None):
    """(articles, reads_as_reservation) for one statement; see declarations.analyse_statement."""
    cdef _Scan scan = _Scan(text, False)
    scan.run()
    if scan.paragraph_forms:
        scan = _Scan(text, True)
        scan.run()
    return scan.articles(), scan.reservation


def _first(pair):
    return pair[0]
