/* Optional C accelerator for the SIE 4 reader's fast path (reader.py, SieReader._read_sie4).
 *
 * Scanner.scan() consumes consecutive lines of one chunk while they have the simple shapes
 * the Python fast path handles (#VER, its "{", #TRANS rows, "}"), and stops, without having
 * changed anything for that line, at the first line it does not handle exactly like the
 * Python fast path would: Python then reads that line (fast path or general path) and calls
 * scan() again. Rules that keep both paths identical:
 *   - splitting on whitespace is str.split()'s (Py_UNICODE_ISSPACE), stripping is str.strip()'s;
 *   - accounts, dates and object lists are only taken from the reader's caches (a miss stops
 *     the scan so that Python validates and fills the cache);
 *   - an amount not in the cache must consist of 0-9 . - only and is created with the exact
 *     context's create_decimal (as the Python path does); the row total is summed with the
 *     Decimal + operator, in the current context, in row order;
 *   - a "}" closes the voucher here only in the common case (total zero; no changes unless
 *     the reader passed RowChange: it then counts the finished vouchers' changes itself);
 *   - a line with quoted fields, a quantity or a sign is split as lexer._TOKEN would split it
 *     (possessive like reader.ROW_HEAD / VER_FIELDS, so an unterminated quote stops the scan);
 *   - a #RTRANS is read only with the #TRANS after it, when that one is identical in account,
 *     objects and amount (else both go to Python, which warns); a #BTRANS is read alone;
 *   - an IndexError/ValueError/ArithmeticError stops the scan at that line (Python's fast
 *     path falls back to the general path on exactly those); other errors propagate.
 * Memory: at most MAX_DONE finished vouchers are returned per call.
 *
 * Raw fingerprints (a re-import's shortcut, see reader.SieReader.skip_known): a voucher read
 * here whole, from its #VER line through its closing "}" line within one call (so no line of
 * it went to Python: no problem was logged, it balances, it has no history rows), gets in
 * `raw` a 64-bit hash of exactly that text; others keep 0. Parsing such a text from mode 1
 * gives the same voucher whatever precedes or follows it. So a block of the file whose
 * hash is in `known` (raw -> content fingerprint) whose fingerprint is still in `claims`
 * is not parsed: the claim is popped and recorded (voucher id -> #VER line) in `skipped`.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>
#include <string.h>

#define MAX_SPANS 32
#define MAX_DONE 16

#define MODE_NONE 0
#define MODE_VER 1
#define MODE_OPEN 2
#define MODE_ROWS 3

typedef struct {
    Py_ssize_t start, end;
} Span;

/* Direct-mapped memos in front of the reader's caches, so that a cached account, date,
 * object list or amount costs no substring and no dict lookup. A memo only ever holds
 * (key, value) pairs the reader's own cache held (or, for amounts, exact_decimal(key)):
 * the caches' values are functions of their keys, so a memo hit gives exactly what the
 * Python path would find or compute. Bounded: MEMO_SLOTS entries each. */
#define MEMO_BITS 10
#define MEMO_SLOTS (1 << MEMO_BITS)
#define MEMO_ACCOUNTS 0
#define MEMO_DATES 1
#define MEMO_OBJECTS 2
#define MEMO_AMOUNTS 3
#define MEMO_COUNT 4

typedef struct {
    PyObject *key; /* exact str */
    PyObject *value;
    /* For keys taken from a 1-byte-kind line and at most 16 characters: their length and
     * characters (zero-padded), compared without touching the key object; else size -1. */
    Py_ssize_t size;
    uint64_t w0, w1;
} MemoSlot;

typedef struct {
    MemoSlot slots[MEMO_SLOTS];
} Memo;

typedef struct {
    PyObject_HEAD
    PyObject *accounts;      /* dict str -> str */
    PyObject *dates;         /* dict str -> date */
    PyObject *amounts;       /* dict str -> Decimal */
    PyObject *objects;       /* dict str -> tuple of pairs */
    PyObject *exact_decimal; /* callable str -> Decimal */
    PyTypeObject *row_type;  /* a tuple subclass (NamedTuple Row) */
    PyObject *voucher_type;  /* callable, 9 positional arguments */
    PyObject *no_objects;    /* () */
    PyObject *zero;          /* Decimal(0) */
    PyObject *change_type;   /* RowChange, or NULL: #RTRANS / #BTRANS go to Python */
    Py_ssize_t cache_limit;
    Memo *memo;              /* MEMO_COUNT memos, see below */
    /* When voucher_type is a slots dataclass whose __init__ only assigns its 9 fields (the
     * reader checks that and passes the field names), the offsets of those slots: the
     * voucher is then allocated and filled here, as its __init__ would; else 0. */
    Py_ssize_t voucher_offsets[10];
    int voucher_direct;
    PyObject *known;   /* dict raw fingerprint -> content fingerprint, or NULL: skip nothing */
    PyObject *claims;  /* dict content fingerprint -> voucher id */
    PyObject *skipped; /* dict voucher id -> #VER line */
    Py_ssize_t skipped_rows;
} Scanner;

/* The state of one scan() call. Every PyObject * here is a strong reference or NULL. */
typedef struct {
    int mode;
    PyObject *voucher; /* NULL = None */
    PyObject *rows;    /* the voucher's rows list; NULL when voucher is NULL */
    PyObject *total;   /* Decimal */
    PyObject *done;    /* list of finished vouchers */
    Py_ssize_t line_no;
    Py_ssize_t ver_start; /* offset of the open voucher's #VER line if read in this call, else -1 */
    int had_change;       /* the open voucher has history rows */
} State;

static PyObject *str_empty;   /* "" */
static PyObject *str_changes; /* "changes" */
static PyObject *str_escaped; /* \" */
static PyObject *str_quote;   /* " */
static PyObject *str_added;   /* "added" */
static PyObject *str_removed; /* "removed" */

/* 0: stop quietly (no error, or an error the Python fast path also falls back on, cleared);
 * -1: an error to propagate. */
static int
soft_fail(void)
{
    if (!PyErr_Occurred()) {
        return 0;
    }
    if (PyErr_ExceptionMatches(PyExc_IndexError) || PyErr_ExceptionMatches(PyExc_ValueError) ||
        PyErr_ExceptionMatches(PyExc_ArithmeticError)) {
        PyErr_Clear();
        return 0;
    }
    return -1;
}

/* --- character helpers; `kind` is a constant in each specialised copy ---------------------- */

#define CH(i) PyUnicode_READ(kind, data, (i))

/* Py_UNICODE_ISSPACE (str.split's and str.strip's whitespace) of the 256 1-byte characters */
static unsigned char space_table[256];

#define IS_SPACE(c) (kind == PyUnicode_1BYTE_KIND ? space_table[(c) & 0xFF] : Py_UNICODE_ISSPACE(c))

static Py_ALWAYS_INLINE inline Py_ssize_t
find_char(int kind, const void *data, Py_ssize_t from, Py_ssize_t to, Py_UCS4 c)
{
    if (from >= to) {
        return -1;
    }
    if (kind == PyUnicode_1BYTE_KIND) {
        const char *base = (const char *)data;
        const char *hit = memchr(base + from, (int)c, (size_t)(to - from));
        return hit == NULL ? -1 : hit - base;
    }
    for (Py_ssize_t i = from; i < to; i++) {
        if (CH(i) == c) {
            return i;
        }
    }
    return -1;
}

static Py_ALWAYS_INLINE inline int
has_brace(int kind, const void *data, Py_ssize_t from, Py_ssize_t to)
{
    for (Py_ssize_t i = from; i < to; i++) {
        Py_UCS4 c = CH(i);
        if (c == '{' || c == '}') {
            return 1;
        }
    }
    return 0;
}

/* str.split() of data[from:to]: the number of fields, or -1 if more than MAX_SPANS. */
static Py_ALWAYS_INLINE inline int
split(int kind, const void *data, Py_ssize_t from, Py_ssize_t to, Span *spans)
{
    int n = 0;
    Py_ssize_t i = from;
    for (;;) {
        while (i < to && IS_SPACE(CH(i))) {
            i++;
        }
        if (i >= to) {
            return n;
        }
        if (n == MAX_SPANS) {
            return -1;
        }
        spans[n].start = i;
        while (i < to && !IS_SPACE(CH(i))) {
            i++;
        }
        spans[n].end = i;
        n++;
    }
}

static Py_ALWAYS_INLINE inline int
span_is(int kind, const void *data, Span span, const char *word, Py_ssize_t size)
{
    if (span.end - span.start != size) {
        return 0;
    }
    for (Py_ssize_t i = 0; i < size; i++) {
        if (CH(span.start + i) != (Py_UCS4)(unsigned char)word[i]) {
            return 0;
        }
    }
    return 1;
}

/* lexer.parse_amount's -?([0-9]+(\.[0-9]*)?|\.[0-9]+): the strings the exact context turns
 * into a Decimal among those of 0-9 . - only (the Python fast path's AMOUNT_CHARS test). */
static Py_ALWAYS_INLINE inline int
amount_ok(int kind, const void *data, Span span)
{
    Py_ssize_t i = span.start;
    int digits = 0, dots = 0;
    if (i < span.end && CH(i) == '-') {
        i++;
    }
    for (; i < span.end; i++) {
        Py_UCS4 c = CH(i);
        if (c >= '0' && c <= '9') {
            digits++;
        }
        else if (c == '.' && !dots) {
            dots = 1;
        }
        else {
            return 0;
        }
    }
    return digits > 0;
}

static inline PyObject *
substring(PyObject *line, Span span)
{
    return PyUnicode_Substring(line, span.start, span.end);
}

/* rest[:end].replace('\\"', '"') */
static inline PyObject *
unescaped(PyObject *line, Span span)
{
    PyObject *raw = substring(line, span);
    if (raw == NULL) {
        return NULL;
    }
    PyObject *out = PyUnicode_Replace(raw, str_escaped, str_quote, -1);
    Py_DECREF(raw);
    return out;
}

typedef struct {
    MemoSlot *slot;
    int short_key; /* the span fits the slot's w0/w1 */
    uint64_t w0, w1;
} MemoProbe;

static Py_ALWAYS_INLINE inline void
memo_probe(Memo *memo, int kind, const void *data, Span span, MemoProbe *probe)
{
    Py_ssize_t size = span.end - span.start;
    if (kind == PyUnicode_1BYTE_KIND && size <= 16) {
        /* (a loop, not memcpy: for these few bytes gcc's rep movsb costs more) */
        const unsigned char *chars = (const unsigned char *)data + span.start;
        uint64_t w0 = 0, w1 = 0;
        Py_ssize_t i = 0;
        for (; i < size && i < 8; i++) {
            w0 |= (uint64_t)chars[i] << (8 * i);
        }
        for (; i < size; i++) {
            w1 |= (uint64_t)chars[i] << (8 * (i - 8));
        }
        probe->w0 = w0;
        probe->w1 = w1;
        uint64_t h = (probe->w0 ^ (probe->w1 * 0xC2B2AE3D27D4EB4FULL) ^ (uint64_t)size) * 0x9E3779B97F4A7C15ULL;
        probe->slot = &memo->slots[h >> (64 - MEMO_BITS)];
        probe->short_key = 1;
        return;
    }
    uint64_t h = 14695981039346656037ULL;
    for (Py_ssize_t i = span.start; i < span.end; i++) {
        h = (h ^ CH(i)) * 1099511628211ULL;
    }
    probe->slot = &memo->slots[(h ^ (h >> 29)) & (MEMO_SLOTS - 1)];
    probe->short_key = 0;
    probe->w0 = probe->w1 = 0;
}

static Py_ALWAYS_INLINE inline int
memo_hit(MemoProbe *probe, int kind, const void *data, Span span)
{
    MemoSlot *slot = probe->slot;
    Py_ssize_t size = span.end - span.start;
    if (slot->key == NULL) {
        return 0;
    }
    if (probe->short_key) {
        if (slot->size >= 0) {
            return slot->size == size && slot->w0 == probe->w0 && slot->w1 == probe->w1;
        }
    }
    PyObject *key = slot->key;
    if (PyUnicode_GET_LENGTH(key) != size) {
        return 0;
    }
    int key_kind = PyUnicode_KIND(key);
    const void *key_data = PyUnicode_DATA(key);
    if (key_kind == kind) {
        return memcmp(key_data, (const char *)data + span.start * kind, (size_t)(size * kind)) == 0;
    }
    for (Py_ssize_t i = 0; i < size; i++) {
        if (PyUnicode_READ(key_kind, key_data, i) != CH(span.start + i)) {
            return 0;
        }
    }
    return 1;
}

/* Stores (key, value), stealing key and taking a new reference to value. */
static inline void
memo_store(MemoProbe *probe, PyObject *key, PyObject *value, Span span)
{
    MemoSlot *slot = probe->slot;
    Py_XSETREF(slot->key, key);
    Py_XSETREF(slot->value, Py_NewRef(value));
    slot->size = probe->short_key ? span.end - span.start : -1;
    slot->w0 = probe->w0;
    slot->w1 = probe->w1;
}

/* A new reference to the value the reader's cache (dict) holds for line[span], through the
 * memo; NULL on a miss (no error set) or an error. */
static Py_ALWAYS_INLINE inline PyObject *
cached(Scanner *self, int which, PyObject *dict, PyObject *line, int kind, const void *data, Span span)
{
    MemoProbe probe;
    memo_probe(&self->memo[which], kind, data, span, &probe);
    if (memo_hit(&probe, kind, data, span)) {
        return Py_NewRef(probe.slot->value);
    }
    PyObject *key = substring(line, span);
    if (key == NULL) {
        return NULL;
    }
    PyObject *value = PyDict_GetItemWithError(dict, key);
    if (value == NULL) {
        Py_DECREF(key);
        return NULL;
    }
    Py_INCREF(value);
    memo_store(&probe, key, value, span);
    return value;
}

/* A new reference to the Decimal of line[span] (already checked with amount_ok). */
static Py_ALWAYS_INLINE inline PyObject *
amount_of(Scanner *self, PyObject *line, int kind, const void *data, Span span)
{
    MemoProbe probe;
    memo_probe(&self->memo[MEMO_AMOUNTS], kind, data, span, &probe);
    if (memo_hit(&probe, kind, data, span)) {
        return Py_NewRef(probe.slot->value);
    }
    PyObject *key = substring(line, span);
    if (key == NULL) {
        return NULL;
    }
    PyObject *value = PyObject_CallOneArg(self->exact_decimal, key);
    if (value == NULL) {
        Py_DECREF(key);
        return NULL;
    }
    memo_store(&probe, key, value, span);
    return value;
}

/* A Row (account, objects, amount, date, text, quantity, sign); steals the seven references. */
static inline PyObject *
new_row_full(Scanner *self, PyObject *account, PyObject *objects, PyObject *amount, PyObject *row_date,
             PyObject *row_text, PyObject *quantity, PyObject *sign)
{
    PyObject *row = self->row_type->tp_alloc(self->row_type, 7);
    if (row == NULL) {
        Py_DECREF(account);
        Py_DECREF(objects);
        Py_DECREF(amount);
        Py_DECREF(row_date);
        Py_DECREF(row_text);
        Py_DECREF(quantity);
        Py_DECREF(sign);
        return NULL;
    }
    PyTuple_SET_ITEM(row, 0, account);
    PyTuple_SET_ITEM(row, 1, objects);
    PyTuple_SET_ITEM(row, 2, amount);
    PyTuple_SET_ITEM(row, 3, row_date);
    PyTuple_SET_ITEM(row, 4, row_text);
    PyTuple_SET_ITEM(row, 5, quantity);
    PyTuple_SET_ITEM(row, 6, sign);
    return row;
}

/* A Row (account, objects, amount, date, text, None, ""); steals the five references. */
static inline PyObject *
new_row(Scanner *self, PyObject *account, PyObject *objects, PyObject *amount, PyObject *row_date,
        PyObject *row_text)
{
    return new_row_full(self, account, objects, amount, row_date, row_text, Py_NewRef(Py_None),
                        Py_NewRef(str_empty));
}

/* total += amount; rows.append(row). Steals row. 1 consumed, 0 stop, -1 error. */
static inline int
add_row(State *st, PyObject *row)
{
    PyObject *total = PyNumber_Add(st->total, PyTuple_GET_ITEM(row, 2));
    if (total == NULL) {
        Py_DECREF(row);
        return soft_fail();
    }
    if (PyList_Append(st->rows, row) < 0) {
        Py_DECREF(row);
        Py_DECREF(total);
        return -1;
    }
    Py_DECREF(row);
    Py_SETREF(st->total, total);
    return 1;
}

/* --- "}" ------------------------------------------------------------------------------------ */

/* 1 consumed, 0 stop, -1 error. The common case of _close(); the rest goes to Python. */
static int
close_voucher(Scanner *self, State *st)
{
    if (st->voucher == NULL) {
        return 0;
    }
    int truth = PyObject_IsTrue(st->total);
    if (truth != 0) {
        return truth < 0 ? soft_fail() : 0;
    }
    if (self->change_type == NULL) {
        PyObject *changes = PyObject_GetAttr(st->voucher, str_changes);
        if (changes == NULL) {
            return soft_fail();
        }
        truth = PyObject_IsTrue(changes);
        Py_DECREF(changes);
        if (truth != 0) {
            return truth < 0 ? soft_fail() : 0;
        }
    }
    if (PyList_Append(st->done, st->voucher) < 0) {
        return -1;
    }
    if (PyDict_GET_SIZE(self->amounts) >= self->cache_limit) {
        PyDict_Clear(self->amounts);
    }
    Py_CLEAR(st->voucher);
    Py_CLEAR(st->rows);
    st->mode = MODE_VER;
    return 1;
}

/* --- #TRANS / "}" (mode 3) ------------------------------------------------------------------ */

#define TEXT_NONE 0      /* no text field: "" */
#define TEXT_AS_IS 1     /* the span as it stands */

/* The rest of a #TRANS row once its object list is known (a new reference, consumed here),
 * in the Python fast path's order: account, amount, date (NULL: none), text. Then the row is
 * added. 1 consumed, 0 stop, -1 error. */
static Py_ALWAYS_INLINE inline int
finish_row(Scanner *self, State *st, PyObject *line, int kind, const void *data, PyObject *objects,
           Span account_span, Span amount_span, const Span *date_span, Span text_span, int text_how)
{
    PyObject *account = cached(self, MEMO_ACCOUNTS, self->accounts, line, kind, data, account_span);
    if (account == NULL) {
        Py_DECREF(objects);
        return soft_fail();
    }
    PyObject *amount = amount_of(self, line, kind, data, amount_span);
    PyObject *row_date = NULL, *row_text = NULL;
    if (amount == NULL) {
        goto fail;
    }
    row_date = date_span != NULL ? cached(self, MEMO_DATES, self->dates, line, kind, data, *date_span)
                                 : Py_NewRef(Py_None);
    if (row_date == NULL) {
        goto fail;
    }
    row_text = text_how == TEXT_NONE ? Py_NewRef(str_empty) : substring(line, text_span);
    if (row_text == NULL) {
        goto fail;
    }
    PyObject *row = new_row(self, account, objects, amount, row_date, row_text);
    if (row == NULL) {
        return -1;
    }
    return add_row(st, row);
fail:
    Py_DECREF(objects);
    Py_DECREF(account);
    Py_XDECREF(amount);
    Py_XDECREF(row_date);
    return soft_fail();
}

/* --- lines with quoted fields, quantities, signs, #RTRANS / #BTRANS ---------------------- */

#define TOK_BARE 0
#define TOK_QUOTED 1 /* the span is what is inside the quotes */
#define TOK_LIST 2   /* the span includes the braces */
#define MAX_TOKENS 8

typedef struct {
    Py_ssize_t start, end;
    int type, escaped;
} Token;

/* The quote that closes a quoted field whose text starts at j (a quote after a backslash is
 * \", the first other quote closes it), or -1; *escaped is set when a \" was met. */
static Py_ALWAYS_INLINE inline Py_ssize_t
closing_quote(int kind, const void *data, Py_ssize_t j, Py_ssize_t to, int *escaped)
{
    Py_ssize_t q = find_char(kind, data, j, to, '"');
    while (q > j && CH(q - 1) == '\\') {
        *escaped = 1;
        q = find_char(kind, data, q + 1, to, '"');
    }
    return q;
}

/* lexer._TOKEN's split of data[from:to], possessive like reader.ROW_HEAD: the number of
 * tokens, or -1 where the fast path gives up (an unterminated quote or list, a stray },
 * more than `max` tokens). */
static Py_ALWAYS_INLINE inline int
tokenize(int kind, const void *data, Py_ssize_t from, Py_ssize_t to, Token *tok, int max)
{
    int n = 0;
    Py_ssize_t i = from;
    for (;;) {
        while (i < to && IS_SPACE(CH(i))) {
            i++;
        }
        if (i >= to) {
            return n;
        }
        if (n == max) {
            return -1;
        }
        Py_UCS4 c = CH(i);
        Token *t = &tok[n++];
        t->escaped = 0;
        if (c == '"') {
            Py_ssize_t q = closing_quote(kind, data, i + 1, to, &t->escaped);
            if (q < 0) {
                return -1;
            }
            t->type = TOK_QUOTED;
            t->start = i + 1;
            t->end = q;
            i = q + 1;
        }
        else if (c == '{') {
            Py_ssize_t j = i + 1;
            for (;;) {
                if (j >= to) {
                    return -1;
                }
                Py_UCS4 d = CH(j);
                if (d == '}') {
                    break;
                }
                if (d == '"') {
                    int ignored = 0;
                    j = closing_quote(kind, data, j + 1, to, &ignored);
                    if (j < 0) {
                        return -1;
                    }
                }
                j++;
            }
            t->type = TOK_LIST;
            t->start = i;
            t->end = j + 1;
            i = j + 1;
        }
        else if (c == '}') {
            return -1;
        }
        else {
            Py_ssize_t j = i + 1;
            while (j < to) {
                Py_UCS4 d = CH(j);
                if (IS_SPACE(d) || d == '"' || d == '{' || d == '}') {
                    break;
                }
                j++;
            }
            t->type = TOK_BARE;
            t->start = i;
            t->end = j;
            i = j;
        }
    }
}

static Py_ALWAYS_INLINE inline Span
span_of(const Token *t)
{
    Span span = {t->start, t->end};
    return span;
}

/* A new reference to a token's text: as is, or with \" made a quote. */
static inline PyObject *
token_text(PyObject *line, const Token *t)
{
    return t->escaped ? unescaped(line, span_of(t)) : substring(line, span_of(t));
}

#define LABEL_TRANS 0
#define LABEL_RTRANS 1
#define LABEL_BTRANS 2

/* The Row of a #TRANS / #RTRANS / #BTRANS line, any field bare or quoted (the reader's
 * row-head path). 1 with *out (a new reference) and *label; 0 stop; -1 error. */
static Py_ALWAYS_INLINE inline int
parse_row(Scanner *self, PyObject *line, int kind, const void *data, Py_ssize_t from, Py_ssize_t len,
          PyObject **out, int *label)
{
    Token t[MAX_TOKENS];
    int n = tokenize(kind, data, from, len, t, MAX_TOKENS);
    if (n < 4 || t[0].type != TOK_BARE) {
        return 0;
    }
    Span head = span_of(&t[0]);
    if (span_is(kind, data, head, "#TRANS", 6)) {
        *label = LABEL_TRANS;
    }
    else if (span_is(kind, data, head, "#RTRANS", 7)) {
        *label = LABEL_RTRANS;
    }
    else if (span_is(kind, data, head, "#BTRANS", 7)) {
        *label = LABEL_BTRANS;
    }
    else {
        return 0;
    }
    if (t[1].type == TOK_LIST || t[1].escaped || t[1].end == t[1].start || t[2].type != TOK_LIST) {
        return 0;
    }
    for (int k = 3; k < n; k++) {
        if (t[k].type == TOK_LIST) {
            return 0;
        }
    }
    int has_date = n > 4 && t[4].end > t[4].start;
    int has_quantity = n > 6 && t[6].end > t[6].start;
    if (!amount_ok(kind, data, span_of(&t[3])) || (has_quantity && !amount_ok(kind, data, span_of(&t[6])))) {
        return 0;
    }
    PyObject *objects = t[2].end - t[2].start == 2
                            ? Py_NewRef(self->no_objects) /* "{}" (the reader does not cache it) */
                            : cached(self, MEMO_OBJECTS, self->objects, line, kind, data, span_of(&t[2]));
    if (objects == NULL) {
        return soft_fail();
    }
    PyObject *account = cached(self, MEMO_ACCOUNTS, self->accounts, line, kind, data, span_of(&t[1]));
    PyObject *amount = NULL, *row_date = NULL, *row_text = NULL, *quantity = NULL, *sign = NULL;
    if (account == NULL) {
        goto fail;
    }
    amount = amount_of(self, line, kind, data, span_of(&t[3]));
    if (amount == NULL) {
        goto fail;
    }
    row_date = has_date ? cached(self, MEMO_DATES, self->dates, line, kind, data, span_of(&t[4]))
                        : Py_NewRef(Py_None);
    if (row_date == NULL) {
        goto fail;
    }
    row_text = n > 5 ? token_text(line, &t[5]) : Py_NewRef(str_empty);
    if (row_text == NULL) {
        goto fail;
    }
    quantity = has_quantity ? amount_of(self, line, kind, data, span_of(&t[6])) : Py_NewRef(Py_None);
    if (quantity == NULL) {
        goto fail;
    }
    sign = n > 7 ? token_text(line, &t[7]) : Py_NewRef(str_empty);
    if (sign == NULL) {
        goto fail;
    }
    *out = new_row_full(self, account, objects, amount, row_date, row_text, quantity, sign);
    return *out == NULL ? -1 : 1;
fail:
    Py_DECREF(objects);
    Py_XDECREF(account);
    Py_XDECREF(amount);
    Py_XDECREF(row_date);
    Py_XDECREF(row_text);
    Py_XDECREF(quantity);
    return soft_fail();
}

/* voucher.changes.append(RowChange(kind, row, len(rows))). 1 done, 0 stop, -1 error. */
static int
add_change(Scanner *self, State *st, PyObject *kind_name, PyObject *row)
{
    PyObject *changes = PyObject_GetAttr(st->voucher, str_changes);
    if (changes == NULL) {
        return soft_fail();
    }
    if (!PyList_CheckExact(changes)) {
        Py_DECREF(changes);
        return 0;
    }
    PyObject *position = PyLong_FromSsize_t(PyList_GET_SIZE(st->rows));
    if (position == NULL) {
        Py_DECREF(changes);
        return -1;
    }
    PyObject *args[3] = {kind_name, row, position};
    PyObject *change = PyObject_Vectorcall(self->change_type, args, 3, NULL);
    Py_DECREF(position);
    if (change == NULL) {
        Py_DECREF(changes);
        return -1;
    }
    int rc = PyList_Append(changes, change);
    Py_DECREF(change);
    Py_DECREF(changes);
    st->had_change = 1;
    return rc < 0 ? -1 : 1;
}

/* A row line the simple path does not read. A #RTRANS is read with the identical #TRANS on
 * the next line of the text (ending before text_len), or not at all. 1 (or 2: two lines,
 * *line_end set to the end of the second) consumed, 0 stop, -1 error. */
static Py_ALWAYS_INLINE inline int
row_tokens(Scanner *self, State *st, PyObject *line, int kind, const void *data, Py_ssize_t from,
           Py_ssize_t len, Py_ssize_t text_len, Py_ssize_t *line_end)
{
    PyObject *row = NULL;
    int label = 0;
    int r = parse_row(self, line, kind, data, from, len, &row, &label);
    if (r <= 0) {
        return r;
    }
    if (label == LABEL_TRANS) {
        return add_row(st, row);
    }
    if (self->change_type == NULL) {
        Py_DECREF(row);
        return 0;
    }
    if (label == LABEL_BTRANS) {
        r = add_change(self, st, str_removed, row);
        Py_DECREF(row);
        return r;
    }
    if (len >= text_len) { /* the #TRANS is in the next chunk: Python pairs them */
        Py_DECREF(row);
        return 0;
    }
    Py_ssize_t next = len + 1;
    Py_ssize_t next_end = find_char(kind, data, next, text_len, '\n');
    if (next_end < 0) {
        next_end = text_len;
    }
    PyObject *paired = NULL;
    int paired_label = 0;
    r = parse_row(self, line, kind, data, next, next_end, &paired, &paired_label);
    if (r <= 0) {
        Py_DECREF(row);
        return r;
    }
    PyObject *total = NULL;
    if (paired_label != LABEL_TRANS) {
        goto stop;
    }
    for (int k = 0; k < 3; k++) { /* pending[0][:3] != row[:3] */
        int same = PyObject_RichCompareBool(PyTuple_GET_ITEM(row, k), PyTuple_GET_ITEM(paired, k), Py_EQ);
        if (same <= 0) {
            r = same < 0 ? soft_fail() : 0;
            goto done;
        }
    }
    total = PyNumber_Add(st->total, PyTuple_GET_ITEM(paired, 2));
    if (total == NULL) {
        r = soft_fail();
        goto done;
    }
    r = add_change(self, st, str_added, row);
    if (r <= 0) {
        goto done;
    }
    if (PyList_Append(st->rows, paired) < 0) {
        r = -1;
        goto done;
    }
    Py_SETREF(st->total, total);
    total = NULL;
    *line_end = next_end;
    r = 2;
    goto done;
stop:
    r = 0;
done:
    Py_XDECREF(total);
    Py_DECREF(row);
    Py_DECREF(paired);
    return r;
}

static Py_ALWAYS_INLINE inline int
rows_line(Scanner *self, State *st, PyObject *line, int kind, const void *data, Py_ssize_t from, Py_ssize_t len,
          Py_ssize_t text_len, Py_ssize_t *line_end)
{
    Span sp[MAX_SPANS];
    Span text_span = {0, 0};
    if (st->rows == NULL) {
        return 0;
    }
    if (find_char(kind, data, from, len, '"') >= 0) {
        return row_tokens(self, st, line, kind, data, from, len, text_len, line_end);
    }
    int n = split(kind, data, from, len, sp);
    if (n <= 0) {
        return 0;
    }
    if (!span_is(kind, data, sp[0], "#TRANS", 6)) {
        if (n == 1 && span_is(kind, data, sp[0], "}", 1)) {
            return close_voucher(self, st);
        }
        return row_tokens(self, st, line, kind, data, from, len, text_len, line_end);
    }
    if (n < 3) {
        return 0;
    }
    PyObject *objects;
    int i;
    Span p2 = sp[2];
    if (p2.end - p2.start == 2 && CH(p2.start) == '{' && CH(p2.start + 1) == '}') {
        objects = Py_NewRef(self->no_objects);
        i = 3;
    }
    else if (CH(p2.start) == '{') {
        int j = 2;
        while (CH(sp[j].end - 1) != '}') {
            j++;
            if (j >= n) {
                return 0;
            }
        }
        /* key = " ".join(parts[2 : j + 1]): the line itself when the gaps are single blanks */
        int single = 1;
        for (int k = 2; k < j; k++) {
            if (sp[k + 1].start - sp[k].end != 1 || CH(sp[k].end) != ' ') {
                single = 0;
                break;
            }
        }
        if (single) {
            Span whole = {p2.start, sp[j].end};
            objects = cached(self, MEMO_OBJECTS, self->objects, line, kind, data, whole);
        }
        else {
            PyObject *list = PyList_New(j - 1);
            if (list == NULL) {
                return -1;
            }
            for (int k = 2; k <= j; k++) {
                PyObject *part = substring(line, sp[k]);
                if (part == NULL) {
                    Py_DECREF(list);
                    return -1;
                }
                PyList_SET_ITEM(list, k - 2, part);
            }
            PyObject *blank = PyUnicode_FromOrdinal(' ');
            PyObject *key = blank == NULL ? NULL : PyUnicode_Join(blank, list);
            Py_XDECREF(blank);
            Py_DECREF(list);
            if (key == NULL) {
                return -1;
            }
            objects = PyDict_GetItemWithError(self->objects, key);
            Py_XINCREF(objects);
            Py_DECREF(key);
        }
        if (objects == NULL) {
            return soft_fail();
        }
        i = j + 1;
    }
    else {
        return 0;
    }
    int values = n - i;
    if (values == 4 || values == 5) { /* a quantity, a sign */
        Py_DECREF(objects);
        return row_tokens(self, st, line, kind, data, from, len, text_len, line_end);
    }
    if (values < 1 || values > 3 || (values == 3 && has_brace(kind, data, sp[i + 2].start, sp[i + 2].end)) ||
        !amount_ok(kind, data, sp[i])) {
        Py_DECREF(objects);
        return 0;
    }
    if (values == 3) {
        text_span = sp[i + 2];
    }
    return finish_row(self, st, line, kind, data, objects, sp[1], sp[i], values >= 2 ? &sp[i + 1] : NULL,
                      text_span, values == 3 ? TEXT_AS_IS : TEXT_NONE);
}

/* --- #VER (mode 1) -------------------------------------------------------------------------- */

static Py_ALWAYS_INLINE inline int
ver_line(Scanner *self, State *st, PyObject *line, int kind, const void *data, Py_ssize_t from, Py_ssize_t len)
{
    Span sp[MAX_SPANS];
    Span text_span = {0, 0}, reg_span = {0, 0}, sign_span = {0, 0};
    int has_text = 0, has_reg = 0, has_sign = 0, escaped = 0;
    int escaped_ids[3] = {0, 0, 0}; /* series, number, sign */
    Py_ssize_t q1 = find_char(kind, data, from, len, '"');
    if (q1 >= 0) { /* any field bare or quoted: reader.VER_FIELDS */
        Token t[7];
        int n = tokenize(kind, data, from, len, t, 7);
        if (n < 4 || t[0].type != TOK_BARE || !span_is(kind, data, span_of(&t[0]), "#VER", 4) ||
            t[3].end == t[3].start) {
            return 0;
        }
        for (int k = 1; k < n; k++) {
            if (t[k].type == TOK_LIST) {
                return 0;
            }
            sp[k] = span_of(&t[k]);
        }
        escaped_ids[0] = t[1].escaped;
        escaped_ids[1] = t[2].escaped;
        if (n > 4) {
            text_span = sp[4];
            has_text = 1;
            escaped = t[4].escaped;
        }
        if (n > 5 && t[5].end > t[5].start) {
            reg_span = sp[5];
            has_reg = 1;
        }
        if (n > 6) {
            sign_span = sp[6];
            has_sign = 1;
            escaped_ids[2] = t[6].escaped;
        }
    }
    else {
        int n = split(kind, data, from, len, sp);
        if (n < 4 || n > 7 || !span_is(kind, data, sp[0], "#VER", 4) || has_brace(kind, data, from, len)) {
            return 0;
        }
        if (n > 4) {
            text_span = sp[4];
            has_text = 1;
        }
        if (n > 5) {
            reg_span = sp[5];
            has_reg = 1;
        }
        if (n > 6) {
            sign_span = sp[6];
            has_sign = 1;
        }
    }
    PyObject *args[10] = {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    PyObject *voucher = NULL;
    int result = 0;
    args[2] = cached(self, MEMO_DATES, self->dates, line, kind, data, sp[3]);
    if (args[2] == NULL) {
        goto done;
    }
    args[4] = has_reg ? cached(self, MEMO_DATES, self->dates, line, kind, data, reg_span) : Py_NewRef(Py_None);
    if (args[4] == NULL) {
        goto done;
    }
    args[0] = escaped_ids[0] ? unescaped(line, sp[1]) : substring(line, sp[1]);
    args[1] = escaped_ids[1] ? unescaped(line, sp[2]) : substring(line, sp[2]);
    args[3] = !has_text ? Py_NewRef(str_empty) : escaped ? unescaped(line, text_span) : substring(line, text_span);
    args[5] = !has_sign       ? Py_NewRef(str_empty)
              : escaped_ids[2] ? unescaped(line, sign_span)
                               : substring(line, sign_span);
    args[6] = PyList_New(0);
    args[7] = PyList_New(0);
    args[8] = PyLong_FromSsize_t(st->line_no);
    args[9] = PyLong_FromLong(0); /* raw: set when the voucher closes in this call */
    for (int k = 0; k < 10; k++) {
        if (args[k] == NULL) {
            goto done;
        }
    }
    if (self->voucher_direct) {
        PyTypeObject *tp = (PyTypeObject *)self->voucher_type;
        voucher = tp->tp_alloc(tp, 0);
        if (voucher == NULL) {
            goto done;
        }
        for (int k = 0; k < 10; k++) {
            *(PyObject **)((char *)voucher + self->voucher_offsets[k]) = Py_NewRef(args[k]);
        }
    }
    else {
        voucher = PyObject_Vectorcall(self->voucher_type, args, 10, NULL);
        if (voucher == NULL) {
            goto done;
        }
    }
    Py_XSETREF(st->voucher, voucher);
    Py_XSETREF(st->rows, Py_NewRef(args[6]));
    Py_SETREF(st->total, Py_NewRef(self->zero));
    st->mode = MODE_OPEN;
    result = 1;
done:
    if (result == 0) {
        result = soft_fail();
    }
    for (int k = 0; k < 10; k++) {
        Py_XDECREF(args[k]);
    }
    return result;
}

/* --- "{" (mode 2) --------------------------------------------------------------------------- */

static Py_ALWAYS_INLINE inline int
open_line(State *st, int kind, const void *data, Py_ssize_t from, Py_ssize_t len)
{
    Py_ssize_t a = from, b = len;
    while (a < b && IS_SPACE(CH(a))) {
        a++;
    }
    while (b > a && IS_SPACE(CH(b - 1))) {
        b--;
    }
    if (b - a != 1 || CH(a) != '{') {
        return 0;
    }
    st->mode = MODE_ROWS;
    return 1;
}

#undef CH

/* --- raw fingerprints ------------------------------------------------------------------------ */

static inline uint64_t
rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

#define RAW_P1 0x9E3779B185EBCA87ULL
#define RAW_P2 0xC2B2AE3D27D4EB4FULL
#define RAW_P3 0x165667B19E3779F9ULL

/* A 64-bit hash of the text (1-byte characters), never 0, as a BIGINT (signed). An xxHash64-like
 * round per 8 bytes and its final avalanche: not cryptographic, as the content fingerprint. */
static int64_t
raw_hash(const unsigned char *p, Py_ssize_t n)
{
    uint64_t h = RAW_P3 ^ ((uint64_t)n * RAW_P1);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h ^= rotl64(w * RAW_P2, 31) * RAW_P1;
        h = rotl64(h, 27) * RAW_P1 + RAW_P3;
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, p, (size_t)n);
    h ^= rotl64((w ^ (uint64_t)n) * RAW_P2, 31) * RAW_P1;
    h ^= h >> 33;
    h *= RAW_P2;
    h ^= h >> 29;
    h *= RAW_P3;
    h ^= h >> 32;
    return h ? (int64_t)h : 1;
}

/* voucher.raw = the hash of its text (none when the text holds a NUL, which COPY drops). */
static int
set_raw(Scanner *self, PyObject *voucher, const unsigned char *p, Py_ssize_t n)
{
    if (memchr(p, 0, (size_t)n) != NULL) {
        return 0;
    }
    PyObject *raw = PyLong_FromLongLong(raw_hash(p, n));
    if (raw == NULL) {
        return -1;
    }
    if (self->voucher_direct) {
        PyObject **slot = (PyObject **)((char *)voucher + self->voucher_offsets[9]);
        Py_XSETREF(*slot, raw);
        return 0;
    }
    int rc = PyObject_SetAttrString(voucher, "raw", raw);
    Py_DECREF(raw);
    return rc;
}

/* At a #VER line (mode 1): its block (through the next line that starts with "}") when its
 * hash is known and its content fingerprint still claimable: claimed, recorded, 1 (*end: the
 * end of its last line, *lines: its lines); 0: read it as usual; -1: an error. */
static int
skip_block(Scanner *self, State *st, const unsigned char *data, Py_ssize_t from, Py_ssize_t len,
           Py_ssize_t *end, Py_ssize_t *lines)
{
    if (len - from < 5 || memcmp(data + from, "#VER", 4) != 0) {
        return 0;
    }
    Py_ssize_t count = 1;
    Py_ssize_t at = from;
    for (;;) {
        const unsigned char *nl = memchr(data + at, '\n', (size_t)(len - at));
        if (nl == NULL) {
            return 0; /* the block goes on in the next chunk */
        }
        at = nl - data + 1;
        count++;
        if (at < len && data[at] == '}') {
            break;
        }
        if (at < len && data[at] == '#' && len - at >= 4 && memcmp(data + at, "#VER", 4) == 0) {
            return 0;
        }
    }
    const unsigned char *nl = memchr(data + at, '\n', (size_t)(len - at));
    Py_ssize_t stop = nl == NULL ? len : nl - data;
    if (count < 3) {
        return 0;
    }
    PyObject *raw = PyLong_FromLongLong(raw_hash(data + from, stop - from));
    if (raw == NULL) {
        return -1;
    }
    PyObject *fingerprint = PyDict_GetItemWithError(self->known, raw); /* borrowed */
    Py_DECREF(raw);
    if (fingerprint == NULL) {
        return PyErr_Occurred() ? -1 : 0;
    }
    Py_INCREF(fingerprint);
    PyObject *voucher_id = PyDict_GetItemWithError(self->claims, fingerprint);
    if (voucher_id == NULL) {
        Py_DECREF(fingerprint);
        return PyErr_Occurred() ? -1 : 0;
    }
    Py_INCREF(voucher_id);
    int rc = PyDict_DelItem(self->claims, fingerprint);
    Py_DECREF(fingerprint);
    PyObject *line = rc < 0 ? NULL : PyLong_FromSsize_t(st->line_no);
    if (line == NULL || PyDict_SetItem(self->skipped, voucher_id, line) < 0) {
        Py_XDECREF(line);
        Py_DECREF(voucher_id);
        return -1;
    }
    Py_DECREF(line);
    Py_DECREF(voucher_id);
    self->skipped_rows += count - 3;
    *end = stop;
    *lines = count;
    return 1;
}

static Py_ALWAYS_INLINE inline int
one_line(Scanner *self, State *st, PyObject *line, int kind, const void *data, Py_ssize_t from, Py_ssize_t len,
         Py_ssize_t text_len, Py_ssize_t *line_end)
{
    switch (st->mode) {
    case MODE_ROWS:
        return rows_line(self, st, line, kind, data, from, len, text_len, line_end);
    case MODE_VER:
        return ver_line(self, st, line, kind, data, from, len);
    case MODE_OPEN:
        return open_line(st, kind, data, from, len);
    default:
        return 0;
    }
}

/* Lines of text from *pos on (each ends at a "\n" or at the end of text), while they are
 * consumed; *pos ends at the first line not consumed, or len + 1 after the last line.
 * Returns 0, or -1 on an error. */
static Py_ALWAYS_INLINE inline int
scan_text(Scanner *self, State *st, PyObject *text, int kind, const void *data, Py_ssize_t len,
          Py_ssize_t *pos, Py_ssize_t *consumed, Py_ssize_t line_no)
{
    Py_ssize_t from = *pos;
    while (from <= len && st->mode != MODE_NONE && PyList_GET_SIZE(st->done) < MAX_DONE) {
        st->line_no = line_no + *consumed + 1;
        int mode = st->mode;
        if (mode == MODE_VER && kind == PyUnicode_1BYTE_KIND && self->known != NULL) {
            Py_ssize_t end = 0, lines = 0;
            int s = skip_block(self, st, (const unsigned char *)data, from, len, &end, &lines);
            if (s < 0) {
                return -1;
            }
            if (s > 0) {
                *consumed += lines;
                from = end + 1;
                continue;
            }
        }
        Py_ssize_t to = find_char(kind, data, from, len, '\n');
        if (to < 0) {
            to = len;
        }
        Py_ssize_t line_end = to;
        Py_ssize_t finished = PyList_GET_SIZE(st->done);
        int r = one_line(self, st, text, kind, data, from, to, len, &line_end);
        if (r < 0) {
            return -1;
        }
        if (r == 0) {
            break;
        }
        if (mode == MODE_VER) {
            st->ver_start = from;
            st->had_change = 0;
        }
        else if (mode == MODE_ROWS && PyList_GET_SIZE(st->done) > finished) {
            if (st->ver_start >= 0 && !st->had_change && kind == PyUnicode_1BYTE_KIND &&
                set_raw(self, PyList_GET_ITEM(st->done, finished), (const unsigned char *)data + st->ver_start,
                        line_end - st->ver_start) < 0) {
                return -1;
            }
            st->ver_start = -1;
        }
        *consumed += r; /* 2: a #RTRANS and its #TRANS */
        from = line_end + 1;
    }
    *pos = from;
    return 0;
}

/* --- the type ------------------------------------------------------------------------------- */

PyDoc_STRVAR(scan_doc,
             "scan(text, pos, line_no, mode, voucher, rows, total)\n"
             "--\n\n"
             "Consume the lines of text (split at \\n) from offset pos on while they are simple.\n"
             "Returns (pos, lines consumed, mode, voucher, rows, total, finished vouchers); pos is\n"
             "the offset of the first line not consumed (len(text) + 1: none left); line_no is the\n"
             "number of the line before the one at pos.");

static PyObject *
Scanner_scan(Scanner *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7) {
        PyErr_SetString(PyExc_TypeError, "scan() takes exactly 7 arguments");
        return NULL;
    }
    PyObject *text = args[0];
    if (!PyUnicode_CheckExact(text)) {
        PyErr_SetString(PyExc_TypeError, "scan(): text must be a str");
        return NULL;
    }
    if (PyUnicode_READY(text) < 0) {
        return NULL;
    }
    Py_ssize_t pos = PyLong_AsSsize_t(args[1]);
    if (pos == -1 && PyErr_Occurred()) {
        return NULL;
    }
    Py_ssize_t line_no = PyLong_AsSsize_t(args[2]);
    if (line_no == -1 && PyErr_Occurred()) {
        return NULL;
    }
    long mode = PyLong_AsLong(args[3]);
    if (mode == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (pos < 0) {
        PyErr_SetString(PyExc_ValueError, "scan(): negative pos");
        return NULL;
    }
    State st;
    st.mode = (mode == MODE_VER || mode == MODE_OPEN || mode == MODE_ROWS) ? (int)mode : MODE_NONE;
    st.voucher = args[4] == Py_None ? NULL : Py_NewRef(args[4]);
    st.rows = NULL;
    if (st.voucher != NULL && PyList_CheckExact(args[5])) {
        st.rows = Py_NewRef(args[5]);
    }
    if ((st.voucher == NULL) != (st.mode == MODE_VER)) {
        st.mode = MODE_NONE; /* an inconsistent state: leave it to Python */
    }
    st.total = Py_NewRef(args[6]);
    st.ver_start = -1;
    st.had_change = 0;
    st.done = PyList_New(0);
    if (st.done == NULL) {
        goto error;
    }
    Py_INCREF(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    Py_ssize_t consumed = 0;
    int rc;
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        rc = scan_text(self, &st, text, PyUnicode_1BYTE_KIND, data, len, &pos, &consumed, line_no);
        break;
    case PyUnicode_2BYTE_KIND:
        rc = scan_text(self, &st, text, PyUnicode_2BYTE_KIND, data, len, &pos, &consumed, line_no);
        break;
    default:
        rc = scan_text(self, &st, text, PyUnicode_4BYTE_KIND, data, len, &pos, &consumed, line_no);
        break;
    }
    Py_DECREF(text);
    if (rc < 0) {
        goto error;
    }
    if (consumed == 0) {
        st.mode = (int)mode; /* nothing was consumed: hand the caller's mode back */
    }
    PyObject *result = Py_BuildValue("(nniOOOO)", pos, consumed, st.mode, st.voucher ? st.voucher : Py_None,
                                     st.rows ? st.rows : Py_None, st.total, st.done);
    Py_XDECREF(st.voucher);
    Py_XDECREF(st.rows);
    Py_DECREF(st.total);
    Py_DECREF(st.done);
    return result;
error:
    Py_XDECREF(st.voucher);
    Py_XDECREF(st.rows);
    Py_DECREF(st.total);
    Py_XDECREF(st.done);
    return NULL;
}

static void
memo_clear(Scanner *self)
{
    if (self->memo == NULL) {
        return;
    }
    for (int m = 0; m < MEMO_COUNT; m++) {
        for (int i = 0; i < MEMO_SLOTS; i++) {
            Py_CLEAR(self->memo[m].slots[i].key);
            Py_CLEAR(self->memo[m].slots[i].value);
        }
    }
}

/* 1 and the offsets when `type` is a plain class with writable object slots named `names`
 * (9 of them) and object's __new__; 0 when it is not; -1 on an error. */
static int
voucher_offsets(PyObject *type, PyObject *names, Py_ssize_t *offsets)
{
    if (!PyType_Check(type) || !PyTuple_Check(names) || PyTuple_GET_SIZE(names) != 10) {
        return 0;
    }
    PyTypeObject *tp = (PyTypeObject *)type;
    if (tp->tp_new != PyBaseObject_Type.tp_new || tp->tp_itemsize != 0 || tp->tp_alloc == NULL ||
        tp->tp_dictoffset != 0) {
        return 0;
    }
    for (Py_ssize_t k = 0; k < 10; k++) {
        PyObject *name = PyTuple_GET_ITEM(names, k);
        if (!PyUnicode_Check(name)) {
            return 0;
        }
        PyObject *descr = PyObject_GetAttr(type, name);
        if (descr == NULL) {
            PyErr_Clear();
            return 0;
        }
        int ok = 0;
        if (Py_IS_TYPE(descr, &PyMemberDescr_Type) && PyDescr_TYPE(descr) == tp) {
            PyMemberDef *member = ((PyMemberDescrObject *)descr)->d_member;
            if (member->type == T_OBJECT_EX && !(member->flags & READONLY) &&
                member->offset >= (Py_ssize_t)sizeof(PyObject) &&
                member->offset + (Py_ssize_t)sizeof(PyObject *) <= tp->tp_basicsize) {
                offsets[k] = member->offset;
                ok = 1;
            }
        }
        Py_DECREF(descr);
        if (!ok) {
            return 0;
        }
        for (Py_ssize_t other = 0; other < k; other++) {
            if (offsets[other] == offsets[k]) {
                return 0;
            }
        }
    }
    return 1;
}

static int
Scanner_init(Scanner *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"accounts",   "dates", "amounts",     "objects",       "exact_decimal",
                             "row_type",   "voucher_type", "no_objects", "zero", "cache_limit",
                             "voucher_slots", "change_type", NULL};
    PyObject *accounts, *dates, *amounts, *objects, *exact_decimal, *row_type, *voucher_type;
    PyObject *no_objects, *zero, *voucher_slots = Py_None, *change_type = Py_None;
    Py_ssize_t cache_limit;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!O!O!O!OO!OO!On|OO:Scanner", kwlist, &PyDict_Type,
                                     &accounts, &PyDict_Type, &dates, &PyDict_Type, &amounts,
                                     &PyDict_Type, &objects, &exact_decimal, &PyType_Type, &row_type,
                                     &voucher_type, &PyTuple_Type, &no_objects, &zero, &cache_limit,
                                     &voucher_slots, &change_type)) {
        return -1;
    }
    int direct = 0;
    Py_ssize_t offsets[10] = {0};
    if (voucher_slots != Py_None) {
        direct = voucher_offsets(voucher_type, voucher_slots, offsets);
        if (direct < 0) {
            return -1;
        }
    }
    self->voucher_direct = direct;
    memcpy(self->voucher_offsets, offsets, sizeof(offsets));
    if (!PyType_IsSubtype((PyTypeObject *)row_type, &PyTuple_Type) ||
        (PyTypeObject *)row_type == &PyTuple_Type || ((PyTypeObject *)row_type)->tp_alloc == NULL) {
        PyErr_SetString(PyExc_TypeError, "Scanner: row_type must be a tuple subclass");
        return -1;
    }
    if (!PyCallable_Check(exact_decimal) || !PyCallable_Check(voucher_type) ||
        (change_type != Py_None && !PyCallable_Check(change_type))) {
        PyErr_SetString(PyExc_TypeError, "Scanner: exact_decimal and voucher_type must be callable");
        return -1;
    }
    Py_XSETREF(self->accounts, Py_NewRef(accounts));
    Py_XSETREF(self->dates, Py_NewRef(dates));
    Py_XSETREF(self->amounts, Py_NewRef(amounts));
    Py_XSETREF(self->objects, Py_NewRef(objects));
    Py_XSETREF(self->exact_decimal, Py_NewRef(exact_decimal));
    Py_XSETREF(self->row_type, (PyTypeObject *)Py_NewRef(row_type));
    Py_XSETREF(self->voucher_type, Py_NewRef(voucher_type));
    Py_XSETREF(self->no_objects, Py_NewRef(no_objects));
    Py_XSETREF(self->zero, Py_NewRef(zero));
    Py_XSETREF(self->change_type, change_type == Py_None ? NULL : Py_NewRef(change_type));
    self->cache_limit = cache_limit;
    if (self->memo == NULL) {
        self->memo = PyMem_Calloc(MEMO_COUNT, sizeof(Memo));
        if (self->memo == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    else {
        memo_clear(self); /* re-initialised with other caches */
    }
    return 0;
}

static int
Scanner_traverse(Scanner *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->accounts);
    Py_VISIT(self->dates);
    Py_VISIT(self->amounts);
    Py_VISIT(self->objects);
    Py_VISIT(self->exact_decimal);
    Py_VISIT(self->row_type);
    Py_VISIT(self->voucher_type);
    Py_VISIT(self->no_objects);
    Py_VISIT(self->zero);
    Py_VISIT(self->change_type);
    Py_VISIT(self->known);
    Py_VISIT(self->claims);
    Py_VISIT(self->skipped);
    if (self->memo != NULL) {
        for (int m = 0; m < MEMO_COUNT; m++) {
            for (int i = 0; i < MEMO_SLOTS; i++) {
                Py_VISIT(self->memo[m].slots[i].value);
            }
        }
    }
    return 0;
}

static int
Scanner_clear(Scanner *self)
{
    Py_CLEAR(self->accounts);
    Py_CLEAR(self->dates);
    Py_CLEAR(self->amounts);
    Py_CLEAR(self->objects);
    Py_CLEAR(self->exact_decimal);
    Py_CLEAR(self->row_type);
    Py_CLEAR(self->voucher_type);
    Py_CLEAR(self->no_objects);
    Py_CLEAR(self->zero);
    Py_CLEAR(self->change_type);
    Py_CLEAR(self->known);
    Py_CLEAR(self->claims);
    Py_CLEAR(self->skipped);
    memo_clear(self);
    return 0;
}

static void
Scanner_dealloc(Scanner *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    Scanner_clear(self);
    PyMem_Free(self->memo);
    self->memo = NULL;
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

static PyObject *
Scanner_scan_checked(Scanner *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (self->accounts == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Scanner not initialised");
        return NULL;
    }
    return Scanner_scan(self, args, nargs);
}

PyDoc_STRVAR(skip_known_doc,
             "skip_known(known, claims, skipped)\n"
             "--\n\n"
             "From now on, a voucher block whose raw fingerprint is a key of known (dict: raw\n"
             "fingerprint -> content fingerprint) whose value is still a key of claims (dict:\n"
             "content fingerprint -> voucher id) is not read: the claim is popped and skipped[id]\n"
             "set to the block's #VER line; skipped_rows counts its rows.");

static PyObject *
Scanner_skip_known(Scanner *self, PyObject *args)
{
    PyObject *known, *claims, *skipped;
    if (!PyArg_ParseTuple(args, "O!O!O!:skip_known", &PyDict_Type, &known, &PyDict_Type, &claims, &PyDict_Type,
                          &skipped)) {
        return NULL;
    }
    Py_XSETREF(self->known, Py_NewRef(known));
    Py_XSETREF(self->claims, Py_NewRef(claims));
    Py_XSETREF(self->skipped, Py_NewRef(skipped));
    Py_RETURN_NONE;
}

static PyMemberDef Scanner_members[] = {
    {"skipped_rows", T_PYSSIZET, offsetof(Scanner, skipped_rows), READONLY, "rows of the skipped blocks"},
    {NULL, 0, 0, 0, NULL},
};

static PyMethodDef Scanner_methods[] = {
    {"scan", (PyCFunction)(void (*)(void))Scanner_scan_checked, METH_FASTCALL, scan_doc},
    {"skip_known", (PyCFunction)Scanner_skip_known, METH_VARARGS, skip_known_doc},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot Scanner_slots[] = {
    {Py_tp_doc, "The C fast path of SieReader, bound to one reader's caches."},
    {Py_tp_init, Scanner_init},
    {Py_tp_new, PyType_GenericNew},
    {Py_tp_dealloc, Scanner_dealloc},
    {Py_tp_traverse, Scanner_traverse},
    {Py_tp_clear, Scanner_clear},
    {Py_tp_methods, Scanner_methods},
    {Py_tp_members, Scanner_members},
    {0, NULL},
};

static PyType_Spec Scanner_spec = {
    .name = "ledgerport.sie._fastsie.Scanner",
    .basicsize = sizeof(Scanner),
    .itemsize = 0,
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = Scanner_slots,
};

static int
fastsie_exec(PyObject *module)
{
    for (int c = 0; c < 256; c++) {
        space_table[c] = Py_UNICODE_ISSPACE((Py_UCS4)c) ? 1 : 0;
    }
    if (str_empty == NULL) {
        str_empty = PyUnicode_FromStringAndSize("", 0);
        if (str_empty == NULL) {
            return -1;
        }
    }
    if (str_escaped == NULL) {
        str_escaped = PyUnicode_FromString("\\\"");
        str_quote = PyUnicode_FromString("\"");
        if (str_escaped == NULL || str_quote == NULL) {
            return -1;
        }
    }
    if (str_added == NULL) {
        str_added = PyUnicode_InternFromString("added");
        str_removed = PyUnicode_InternFromString("removed");
        if (str_added == NULL || str_removed == NULL) {
            return -1;
        }
    }
    if (str_changes == NULL) {
        str_changes = PyUnicode_InternFromString("changes");
        if (str_added == NULL) {
        str_added = PyUnicode_InternFromString("added");
        str_removed = PyUnicode_InternFromString("removed");
        if (str_added == NULL || str_removed == NULL) {
            return -1;
        }
    }
    if (str_changes == NULL) {
            return -1;
        }
    }
    PyObject *type = PyType_FromModuleAndSpec(module, &Scanner_spec, NULL);
    if (type == NULL) {
        return -1;
    }
    int rc = PyModule_AddObjectRef(module, "Scanner", type);
    Py_DECREF(type);
    if (rc < 0) {
        return -1;
    }
    return PyModule_AddIntConstant(module, "MAX_DONE", MAX_DONE);
}

static PyModuleDef_Slot fastsie_slots[] = {
    {Py_mod_exec, fastsie_exec},
    {0, NULL},
};

static struct PyModuleDef fastsie_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "ledgerport.sie._fastsie",
    .m_doc = "Optional C accelerator for the SIE 4 reader's fast path (see reader.py).",
    .m_size = 0,
    .m_slots = fastsie_slots,
};

PyMODINIT_FUNC
PyInit__fastsie(void)
{
    return PyModuleDef_Init(&fastsie_module);
}
