/* Optional C accelerator for the PostgreSQL import's row formatting (loaders.py, CopyText).
 *
 * voucher_rows() appends the COPY text lines of one voucher's #TRANS rows to a bytearray,
 * byte for byte what the Python common-case loop (CopyText._voucher_rows) produces, and
 * returns True; or it appends nothing and returns False as soon as a row needs the Python
 * path (which also fills the caches, creates a missing account or refuses the file).
 * batch_rows() does that for the vouchers of a batch from `start` on and returns the index
 * of the first one Python has to do (one with #RTRANS/#BTRANS, or not of the usual types,
 * included), so that a batch costs one call per fallback rather than one per voucher.
 * A row goes to Python when:
 *   - the account, the date, the object list or the quantity is not in its cache (only
 *     hits are used; a miss is where Python has work to do);
 *   - str(amount) fails the shape check of the Python loop (longer than 16, an "E", more
 *     than two decimals; then check_amount decides);
 *   - a non-empty text or signature is not copy-safe (copy_text returns it unchanged only
 *     when str.isprintable() and there is no backslash; Py_UNICODE_ISPRINTABLE is what
 *     str.isprintable uses per character);
 *   - anything of an unexpected type or size (Python then does whatever it does with it).
 * Errors Python would raise at the same point (an unhashable key, a failing __str__)
 * propagate; that voucher's rows are then not in `out` either. The work is done in the
 * order of the Python loop (account, amount, date, objects, quantity, text, signature), so
 * which error or fallback comes first is the same.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <datetime.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define NULL_TEXT "\\N"
#define INT_CHARS 24 /* enough for any long long plus its sign */

/* 1 when the 1-byte character is printable (str.isprintable) and not a backslash */
static unsigned char safe_table[256];

/* copy_text(value) is value itself: every character printable, no backslash */
static int
copy_safe(PyObject *value)
{
    Py_ssize_t size = PyUnicode_GET_LENGTH(value);
    int kind = PyUnicode_KIND(value);
    const void *data = PyUnicode_DATA(value);
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *chars = data;
        for (Py_ssize_t i = 0; i < size; i++) {
            if (!safe_table[chars[i]]) {
                return 0;
            }
        }
        return 1;
    }
    for (Py_ssize_t i = 0; i < size; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 256 ? !safe_table[c] : !Py_UNICODE_ISPRINTABLE(c)) {
            return 0;
        }
    }
    return 1;
}

/* decimal digits of value into buffer (INT_CHARS bytes); returns the length */
static Py_ssize_t
format_int(long long value, char *buffer)
{
    char digits[INT_CHARS];
    int n = 0;
    /* through unsigned, so that LLONG_MIN negates without overflow */
    unsigned long long magnitude = value < 0 ? 0ULL - (unsigned long long)value : (unsigned long long)value;
    do {
        digits[n++] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude);
    Py_ssize_t length = 0;
    if (value < 0) {
        buffer[length++] = '-';
    }
    while (n) {
        buffer[length++] = digits[--n];
    }
    return length;
}

/* An exact int's value. 1: done; 0: not an exact int or out of range (the Python path
 * prints it, as f"{value}" does); -1: error. */
static int
exact_int(PyObject *value, long long *number)
{
    if (!PyLong_CheckExact(value)) {
        return 0;
    }
    int overflow = 0;
    *number = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (overflow) {
        return 0;
    }
    return *number == -1 && PyErr_Occurred() ? -1 : 1;
}

/* An exact int as text; returns as exact_int */
static int
int_text(PyObject *value, char *buffer, Py_ssize_t *length)
{
    long long number;
    int ok = exact_int(value, &number);
    if (ok > 0) {
        *length = format_int(number, buffer);
    }
    return ok;
}

/* The cached text for key: a new reference to an exact str, or NULL with no error set (a
 * miss, or a value of another type: the Python path then decides) or with one (propagate). */
static PyObject *
cached(PyObject *cache, PyObject *key)
{
    PyObject *value = PyDict_GetItemWithError(cache, key);
    if (value == NULL || !PyUnicode_CheckExact(value)) {
        return NULL;
    }
    return Py_NewRef(value);
}

typedef struct {
    const char *data;
    Py_ssize_t size;
} Text;

/* The UTF-8 of an exact str. 1: done; 0: not encodable (lone surrogates: the Python path
 * then raises its own error when it encodes the batch); -1: error. */
static int
utf8(PyObject *value, Text *text)
{
    text->data = PyUnicode_AsUTF8AndSize(value, &text->size);
    if (text->data != NULL) {
        return 1;
    }
    if (PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) {
        PyErr_Clear();
        return 0;
    }
    return -1;
}

/* A text or signature column. 1: done; 0: the Python path; -1: error. */
static int
free_text(PyObject *value, Text *text)
{
    if (!PyUnicode_CheckExact(value)) {
        return 0;
    }
    if (PyUnicode_GET_LENGTH(value) == 0) {
        text->data = "";
        text->size = 0;
        return 1;
    }
    if (!copy_safe(value)) {
        return 0;
    }
    return utf8(value, text);
}

/* Most pieces are a few bytes, where a byte loop beats the memcpy the compiler inlines
 * (rep movsb, slow to start). */
static inline char *
put(char *at, const char *data, Py_ssize_t size)
{
    if (size > 16) {
        memcpy(at, data, (size_t)size);
        return at + size;
    }
    for (Py_ssize_t i = 0; i < size; i++) {
        at[i] = data[i];
    }
    return at + size;
}

#define PUT(p, n) (at = put(at, (p), (n)))
#define PUT_TEXT(t) PUT((t).data, (t).size)
#define PUT_CHAR(c) (*at++ = (c))

/* One row, appended to out. 1: done; 0: the Python path (nothing appended); -1: error. */
static int
write_row(PyObject *out, PyObject *row, Py_ssize_t position, const char *prefix, Py_ssize_t prefix_size,
          const char *middle, Py_ssize_t middle_size, PyObject *accounts, PyObject *dates,
          PyObject *objects, PyObject *quantities)
{
    /* A Row is a tuple (NamedTuple): account, objects, amount, date, text, quantity, sign */
    if (!PyTuple_Check(row) || PyTuple_GET_SIZE(row) != 7) {
        return 0;
    }
    int result = -1;
    PyObject *amount = NULL, *day = NULL, *refs = NULL, *quantity = NULL;
    char account_text[INT_CHARS], position_text[INT_CHARS];
    Py_ssize_t account_size = 0, position_size = format_int((long long)position, position_text);

    PyObject *account_id = PyDict_GetItemWithError(accounts, PyTuple_GET_ITEM(row, 0));
    if (account_id == NULL) {
        result = PyErr_Occurred() ? -1 : 0;
        goto done;
    }
    /* converted at once: the dict value is only borrowed */
    result = int_text(account_id, account_text, &account_size);
    if (result <= 0) {
        goto done;
    }
    result = -1;

    amount = PyObject_Str(PyTuple_GET_ITEM(row, 2));
    if (amount == NULL) {
        goto done;
    }
    /* the Python loop's check, on characters: ASCII keeps characters and bytes the same */
    Py_ssize_t amount_size = PyUnicode_GET_LENGTH(amount);
    if (!PyUnicode_CheckExact(amount) || !PyUnicode_IS_ASCII(amount) || amount_size > 16) {
        result = 0;
        goto done;
    }
    const char *amount_data = (const char *)PyUnicode_DATA(amount);
    if (memchr(amount_data, 'E', (size_t)amount_size) != NULL) {
        result = 0;
        goto done;
    }
    const char *dot = memchr(amount_data, '.', (size_t)amount_size);
    if (dot != NULL && amount_size - (dot - amount_data) > 3) {
        result = 0;
        goto done;
    }

    /* strong references from here: a key's __hash__/__eq__ could change the caches */
    day = cached(dates, PyTuple_GET_ITEM(row, 3));
    if (day == NULL) {
        result = PyErr_Occurred() ? -1 : 0;
        goto done;
    }
    refs = cached(objects, PyTuple_GET_ITEM(row, 1));
    if (refs == NULL) {
        result = PyErr_Occurred() ? -1 : 0;
        goto done;
    }
    PyObject *quantity_key = PyTuple_GET_ITEM(row, 5);
    if (quantity_key != Py_None) {
        quantity = cached(quantities, quantity_key);
        if (quantity == NULL) {
            result = PyErr_Occurred() ? -1 : 0;
            goto done;
        }
    }

    /* no Python code runs after this point, so the UTF-8 pointers stay valid */
    Text day_text, refs_text, quantity_text = {NULL_TEXT, 2}, text, sign;
    if ((result = free_text(PyTuple_GET_ITEM(row, 4), &text)) <= 0 ||
        (result = free_text(PyTuple_GET_ITEM(row, 6), &sign)) <= 0 ||
        (result = utf8(day, &day_text)) <= 0 || (result = utf8(refs, &refs_text)) <= 0 ||
        (quantity != NULL && (result = utf8(quantity, &quantity_text)) <= 0)) {
        goto done;
    }
    result = -1;

    /* prefix account \t T \t position \t amount \t quantity \t date middle text \t sign \t refs \n */
    Py_ssize_t size = PyByteArray_GET_SIZE(out);
    Py_ssize_t length = prefix_size + account_size + 3 + position_size + 1 + amount_size + 1 +
                        quantity_text.size + 1 + day_text.size + middle_size + text.size + 1 + sign.size +
                        1 + refs_text.size + 1;
    if (length > PY_SSIZE_T_MAX - size) {
        PyErr_NoMemory();
        goto done;
    }
    if (PyByteArray_Resize(out, size + length) < 0) {
        goto done;
    }
    char *at = PyByteArray_AS_STRING(out) + size;
    PUT(prefix, prefix_size);
    PUT(account_text, account_size);
    PUT("\tT\t", 3);
    PUT(position_text, position_size);
    PUT_CHAR('\t');
    PUT(amount_data, amount_size);
    PUT_CHAR('\t');
    PUT_TEXT(quantity_text);
    PUT_CHAR('\t');
    PUT_TEXT(day_text);
    PUT(middle, middle_size);
    PUT_TEXT(text);
    PUT_CHAR('\t');
    PUT_TEXT(sign);
    PUT_CHAR('\t');
    PUT_TEXT(refs_text);
    PUT_CHAR('\n');
    result = 1;

done:
    Py_XDECREF(amount);
    Py_XDECREF(day);
    Py_XDECREF(refs);
    Py_XDECREF(quantity);
    return result;
}

/* One voucher's rows, appended to out. 1: done; 0: the Python path (out as it was); -1: error
 * (out as it was too). */
static int
write_voucher(PyObject *out, PyObject *rows, PyObject *fiscal_year_id, PyObject *voucher_id, long long period,
              PyObject *accounts, PyObject *dates, PyObject *objects, PyObject *quantities)
{
    /* "fiscal_year_id \t voucher_id \t" and "\t period \t", as in the Python loop */
    char prefix[2 * INT_CHARS + 2], middle[INT_CHARS + 2];
    Py_ssize_t fiscal_size, voucher_size;
    int ok;
    if ((ok = int_text(fiscal_year_id, prefix, &fiscal_size)) <= 0) {
        return ok;
    }
    prefix[fiscal_size] = '\t';
    if ((ok = int_text(voucher_id, prefix + fiscal_size + 1, &voucher_size)) <= 0) {
        return ok;
    }
    Py_ssize_t prefix_size = fiscal_size + 1 + voucher_size;
    prefix[prefix_size++] = '\t';
    middle[0] = '\t';
    Py_ssize_t middle_size = 1 + format_int(period, middle + 1);
    middle[middle_size++] = '\t';

    Py_ssize_t start = PyByteArray_GET_SIZE(out);
    /* the size is read again each time: a key's __eq__ could even change the list */
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(rows); i++) {
        PyObject *row = Py_NewRef(PyList_GET_ITEM(rows, i));
        ok = write_row(out, row, i, prefix, prefix_size, middle, middle_size, accounts, dates, objects,
                       quantities);
        Py_DECREF(row);
        if (ok <= 0) {
            /* nothing of this voucher stays in out: the Python path formats all of it */
            if (PyByteArray_GET_SIZE(out) > start) {
                PyObject *type, *value, *traceback;
                PyErr_Fetch(&type, &value, &traceback);
                /* shrinking only fails if memory does; then the first error is the one to tell */
                if (PyByteArray_Resize(out, start) < 0) {
                    if (type == NULL) {
                        return -1;
                    }
                    PyErr_Clear();
                }
                PyErr_Restore(type, value, traceback);
            }
            return ok;
        }
    }
    return 1;
}

static int
check_caches(PyObject *const *caches)
{
    for (int i = 0; i < 3; i++) {
        if (!PyDict_Check(caches[i])) {
            PyErr_SetString(PyExc_TypeError, "dates, objects and quantities must be dicts");
            return -1;
        }
    }
    return 0;
}

PyDoc_STRVAR(voucher_rows_doc,
             "voucher_rows(out, rows, fiscal_year_id, voucher_id, period, accounts, dates, objects, "
             "quantities, /)\n--\n\n"
             "Append the COPY text of the voucher's #TRANS rows to the bytearray out and return True;\n"
             "or append nothing and return False when a row needs the Python path (see loaders.py).");

static PyObject *
voucher_rows(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 9) {
        PyErr_Format(PyExc_TypeError, "voucher_rows() takes 9 positional arguments (%zd given)", nargs);
        return NULL;
    }
    if (!PyByteArray_Check(args[0]) || !PyList_Check(args[1]) || !PyDict_Check(args[5])) {
        PyErr_SetString(PyExc_TypeError,
                        "voucher_rows(): out must be a bytearray, rows a list, accounts a dict");
        return NULL;
    }
    if (check_caches(args + 6) < 0) {
        return NULL;
    }
    long long period;
    int ok = exact_int(args[4], &period);
    if (ok > 0) {
        ok = write_voucher(args[0], args[1], args[2], args[3], period, args[5], args[6], args[7], args[8]);
    }
    return ok < 0 ? NULL : Py_NewRef(ok ? Py_True : Py_False);
}

static PyObject *str_changes, *str_date, *str_rows;

/* The voucher's attribute; NULL with an error set (propagate) or without (the Python path). */
static PyObject *
attribute(PyObject *voucher, PyObject *name)
{
    PyObject *value = PyObject_GetAttr(voucher, name);
    if (value == NULL && PyErr_ExceptionMatches(PyExc_AttributeError)) {
        PyErr_Clear(); /* the Python path tells what is missing */
    }
    return value;
}

/* batch[index] in C. 1: done; 0: the Python path; -1: error. */
static int
batch_voucher(PyObject *out, PyObject *batch, PyObject *ids, Py_ssize_t index, PyObject *by_year,
              PyObject *const *caches)
{
    PyObject *pair = PyList_GET_ITEM(batch, index);
    if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
        return 0;
    }
    PyObject *fiscal_year_id = PyTuple_GET_ITEM(pair, 0), *voucher = PyTuple_GET_ITEM(pair, 1);
    int result = -1;
    Py_INCREF(pair); /* keeps both alive */
    /* taken first: an attribute could be a property that changes ids */
    PyObject *voucher_id = Py_NewRef(PyList_GET_ITEM(ids, index));
    PyObject *changes = NULL, *rows = NULL, *day = NULL;
    /* "if voucher.changes": C does the common case only */
    changes = attribute(voucher, str_changes);
    if (changes == NULL) {
        result = PyErr_Occurred() ? -1 : 0;
        goto done;
    }
    int has_changes = PyObject_IsTrue(changes);
    if (has_changes != 0) {
        result = has_changes < 0 ? -1 : 0;
        goto done;
    }
    rows = attribute(voucher, str_rows);
    day = rows == NULL ? NULL : attribute(voucher, str_date);
    if (day == NULL) {
        result = PyErr_Occurred() ? -1 : 0;
        goto done;
    }
    if (!PyList_Check(rows) || !PyDate_CheckExact(day)) {
        result = 0;
        goto done;
    }
    /* day.year * 100 + day.month */
    long long period = PyDateTime_GET_YEAR(day) * 100LL + PyDateTime_GET_MONTH(day);
    PyObject *accounts = PyDict_GetItemWithError(by_year, fiscal_year_id);
    if (accounts == NULL || !PyDict_Check(accounts)) {
        result = PyErr_Occurred() ? -1 : 0;
        goto done;
    }
    Py_INCREF(accounts);
    result = write_voucher(out, rows, fiscal_year_id, voucher_id, period, accounts, caches[0], caches[1],
                           caches[2]);
    Py_DECREF(accounts);
done:
    Py_XDECREF(changes);
    Py_XDECREF(rows);
    Py_XDECREF(day);
    Py_DECREF(voucher_id);
    Py_DECREF(pair);
    return result;
}

PyDoc_STRVAR(batch_rows_doc,
             "batch_rows(out, batch, ids, start, by_year, dates, objects, quantities, /)\n--\n\n"
             "voucher_rows for batch[start], batch[start + 1] ... (pairs (fiscal_year_id, voucher), with\n"
             "the ids ids[start] ...; accounts = by_year[fiscal_year_id]) while they take the C path;\n"
             "returns the index of the first one that does not (len(batch) when all did). An error\n"
             "leaves the rows of the vouchers before it in out.");

static PyObject *
batch_rows(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 8) {
        PyErr_Format(PyExc_TypeError, "batch_rows() takes 8 positional arguments (%zd given)", nargs);
        return NULL;
    }
    PyObject *out = args[0], *batch = args[1], *ids = args[2], *by_year = args[4];
    if (!PyByteArray_Check(out) || !PyList_Check(batch) || !PyList_Check(ids) || !PyDict_Check(by_year)) {
        PyErr_SetString(PyExc_TypeError,
                        "batch_rows(): out must be a bytearray, batch and ids lists, by_year a dict");
        return NULL;
    }
    if (check_caches(args + 5) < 0) {
        return NULL;
    }
    Py_ssize_t index = PyLong_AsSsize_t(args[3]);
    if (index == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (index < 0) {
        PyErr_SetString(PyExc_ValueError, "batch_rows(): start must not be negative");
        return NULL;
    }
    /* both sizes read again each time, as in voucher_rows */
    for (; index < PyList_GET_SIZE(batch) && index < PyList_GET_SIZE(ids); index++) {
        int ok = batch_voucher(out, batch, ids, index, by_year, args + 5);
        if (ok < 0) {
            return NULL;
        }
        if (ok == 0) {
            break;
        }
    }
    return PyLong_FromSsize_t(index);
}

/* ---- Voucher fingerprints (a re-import writes only the vouchers that changed; loaders.py) ---- */

#define MIX_K 0x9E3779B97F4A7C15ULL

static inline uint64_t
mix(uint64_t h, uint64_t word)
{
    h = (h ^ word) * MIX_K;
    return h ^ (h >> 29);
}

static uint64_t
mix_bytes(uint64_t h, const char *p, Py_ssize_t n)
{
    h = mix(h, (uint64_t)n);
    while (n >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        h = mix(h, word);
        p += 8;
        n -= 8;
    }
    uint64_t tail = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        tail |= (uint64_t)(unsigned char)p[i] << (8 * i);
    }
    return mix(h, tail);
}

/* The content the COPY text holds, hashed straight from the reader's objects: a re-import
 * asks whether a voucher changed before any text is formatted, so the unchanged ones (all
 * but a few) cost a walk over their fields and nothing else. Every value is hashed with a
 * tag (strings and lists with their length too), so that different field sequences feed
 * different words. Strings are
 * hashed as UTF-8, dates as their numbers, amounts by their coefficient and exponent (or
 * as str() gives them; Decimal's own hash costs 4x str() on a new value); anything of
 * another type by its repr(), deterministic for the types a voucher holds. A voucher
 * fingerprinted on one path never matches the other: it is then rewritten, not lost. */

/* CPython's decimal.Decimal object (Modules/_decimal: PyObject_HEAD, a cached hash, libmpdec's
 * mpd_t, a small inline coefficient). Reading its fields spares a str() per amount (the
 * largest cost of a fingerprint); the module checks the layout on known values when it
 * loads, and uses str() whenever it does not match (another Python, a subclass). */
typedef struct {
    uint8_t flags;
    Py_ssize_t exp, digits, len, alloc;
    uint64_t *data;
} MpdMirror;

typedef struct {
    PyObject_HEAD
    Py_hash_t hash;
    MpdMirror dec;
} DecimalMirror;

static PyTypeObject *decimal_type; /* set when the layout check passed */

/* 1 when the Decimal `value` has this sign/special flags, exponent and coefficient words */
static int
decimal_reads_as(PyObject *value, uint8_t flags, Py_ssize_t exp, Py_ssize_t len, uint64_t first)
{
    MpdMirror *dec = &((DecimalMirror *)value)->dec;
    return (dec->flags & 0x0F) == flags && dec->exp == exp && dec->len == len && dec->data != NULL &&
           dec->data[0] == first;
}

static int
check_decimal_layout(void)
{
    PyObject *module = PyImport_ImportModule("decimal");
    if (module == NULL) {
        return -1;
    }
    PyObject *type = PyObject_GetAttrString(module, "Decimal");
    Py_DECREF(module);
    if (type == NULL) {
        return -1;
    }
    PyObject *negative = PyObject_CallFunction(type, "s", "-12.34");
    PyObject *large = PyObject_CallFunction(type, "s", "12345678901234567890123.5");
    int ok = negative != NULL && large != NULL && PyType_Check(type) &&
             ((PyTypeObject *)type)->tp_basicsize >= (Py_ssize_t)sizeof(DecimalMirror) &&
             decimal_reads_as(negative, 1, -2, 1, 1234) &&
             decimal_reads_as(large, 0, -1, 2, 6789012345678901235ULL) &&
             ((DecimalMirror *)large)->dec.data[1] == 12345;
    Py_XDECREF(negative);
    Py_XDECREF(large);
    PyErr_Clear();
    if (ok) {
        decimal_type = (PyTypeObject *)type; /* kept for the module's life */
    } else {
        Py_DECREF(type);
    }
    return 0;
}

/* A Decimal's value as words: sign and kind, exponent, coefficient (exact; 1.5 and 1.50
 * differ, which only rewrites such a voucher). 1: done; 0: use str(). */
static int
hash_decimal(uint64_t *h, PyObject *value)
{
    if (decimal_type == NULL || Py_TYPE(value) != decimal_type) {
        return 0;
    }
    MpdMirror *dec = &((DecimalMirror *)value)->dec;
    if (dec->len < 0 || dec->data == NULL) {
        return 0;
    }
    *h = mix(*h, 'm');
    *h = mix(*h, (uint64_t)(dec->flags & 0x0F));
    *h = mix(*h, (uint64_t)dec->exp);
    *h = mix(*h, (uint64_t)dec->len);
    for (Py_ssize_t i = 0; i < dec->len; i++) {
        *h = mix(*h, dec->data[i]);
    }
    return 1;
}

static PyObject *str_series, *str_number, *str_text, *str_registered, *str_sign, *str_kind,
    *str_row, *str_position;

static int hash_value(uint64_t *h, PyObject *value, int depth);

static int
hash_text(uint64_t *h, PyObject *value, char tag)
{
    Py_ssize_t size;
    const char *text = PyUnicode_AsUTF8AndSize(value, &size);
    if (text == NULL) {
        return -1;
    }
    *h = mix(*h, (uint64_t)tag);
    *h = mix_bytes(*h, text, size);
    return 0;
}

static int
hash_value(uint64_t *h, PyObject *value, int depth)
{
    if (value == Py_None) {
        *h = mix(*h, 'n');
        return 0;
    }
    if (PyUnicode_CheckExact(value)) {
        return hash_text(h, value, 's');
    }
    if (PyDate_CheckExact(value)) {
        *h = mix(*h, 'd');
        *h = mix(*h, (uint64_t)(PyDateTime_GET_YEAR(value) * 10000 + PyDateTime_GET_MONTH(value) * 100 +
                                PyDateTime_GET_DAY(value)));
        return 0;
    }
    if (PyLong_CheckExact(value)) {
        long long number = PyLong_AsLongLong(value);
        if (number == -1 && PyErr_Occurred()) {
            return -1;
        }
        *h = mix(*h, 'i');
        *h = mix(*h, (uint64_t)number);
        return 0;
    }
    if (PyTuple_Check(value) && depth < 4) { /* a Row, an object list, an object pair */
        Py_ssize_t size = PyTuple_GET_SIZE(value);
        *h = mix(*h, 't');
        *h = mix(*h, (uint64_t)size);
        for (Py_ssize_t i = 0; i < size; i++) {
            if (hash_value(h, PyTuple_GET_ITEM(value, i), depth + 1) < 0) {
                return -1;
            }
        }
        return 0;
    }
    if (hash_decimal(h, value)) {
        return 0;
    }
    PyObject *text = strcmp(Py_TYPE(value)->tp_name, "decimal.Decimal") == 0 ? PyObject_Str(value) : NULL;
    if (text != NULL) {
        int result = hash_text(h, text, 'm');
        Py_DECREF(text);
        return result;
    }
    if (PyErr_Occurred()) {
        return -1;
    }
    text = PyObject_Repr(value);
    if (text == NULL) {
        return -1;
    }
    int result = hash_text(h, text, 'r');
    Py_DECREF(text);
    return result;
}

/* h mixed with voucher.<name>; -1 with an error set */
static int
hash_attribute(uint64_t *h, PyObject *object, PyObject *name)
{
    PyObject *value = PyObject_GetAttr(object, name);
    if (value == NULL) {
        return -1;
    }
    int result = hash_value(h, value, 0);
    Py_DECREF(value);
    return result;
}

/* the items of the list voucher.<name>, each through `item` */
static int
hash_list(uint64_t *h, PyObject *voucher, PyObject *name, int (*item)(uint64_t *, PyObject *))
{
    PyObject *list = PyObject_GetAttr(voucher, name);
    if (list == NULL) {
        return -1;
    }
    PyObject *items = PySequence_Fast(list, "fingerprint_batch(): rows and changes must be sequences");
    Py_DECREF(list);
    if (items == NULL) {
        return -1;
    }
    Py_ssize_t size = PySequence_Fast_GET_SIZE(items);
    *h = mix(*h, 'l');
    *h = mix(*h, (uint64_t)size);
    int result = 0;
    for (Py_ssize_t i = 0; i < size && result == 0; i++) {
        result = item(h, PySequence_Fast_GET_ITEM(items, i));
    }
    Py_DECREF(items);
    return result;
}

static int
hash_row(uint64_t *h, PyObject *row)
{
    return hash_value(h, row, 0);
}

static int
hash_change(uint64_t *h, PyObject *change)
{
    if (hash_attribute(h, change, str_kind) < 0 || hash_attribute(h, change, str_position) < 0) {
        return -1;
    }
    return hash_attribute(h, change, str_row);
}

PyDoc_STRVAR(fingerprint_batch_doc,
             "fingerprint_batch(batch, source, /)\n--\n\n"
             "The fingerprints (signed 64-bit ints) of the vouchers of batch, a list of\n"
             "(fiscal_year_id, voucher) pairs: their series, number, date, text, registered date,\n"
             "signature, rows and changes with the source; not the year, ids or line numbers.");

static PyObject *
fingerprint_batch(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyList_Check(args[0]) || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "fingerprint_batch(batch: list, source: str)");
        return NULL;
    }
    PyObject *batch = args[0];
    uint64_t seed = 0x2545F4914F6CDD1DULL;
    if (hash_text(&seed, args[1], 'S') < 0) {
        return NULL;
    }
    PyObject *const attributes[] = {str_series, str_number, str_date, str_text, str_registered, str_sign};
    PyObject *hashes = PyList_New(0);
    if (hashes == NULL) {
        return NULL;
    }
    for (Py_ssize_t index = 0; index < PyList_GET_SIZE(batch); index++) {
        PyObject *pair = PyList_GET_ITEM(batch, index);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "fingerprint_batch(): not a (fiscal_year_id, voucher) pair");
            goto error;
        }
        Py_INCREF(pair);
        PyObject *voucher = PyTuple_GET_ITEM(pair, 1);
        uint64_t h = seed;
        int failed = 0;
        for (size_t i = 0; i < sizeof attributes / sizeof attributes[0] && !failed; i++) {
            failed = hash_attribute(&h, voucher, attributes[i]) < 0;
        }
        failed = failed || hash_list(&h, voucher, str_rows, hash_row) < 0 ||
                 hash_list(&h, voucher, str_changes, hash_change) < 0;
        Py_DECREF(pair);
        if (failed) {
            goto error;
        }
        PyObject *number = PyLong_FromLongLong((long long)h);
        if (number == NULL || PyList_Append(hashes, number) < 0) {
            Py_XDECREF(number);
            goto error;
        }
        Py_DECREF(number);
    }
    return hashes;
error:
    Py_DECREF(hashes);
    return NULL;
}

static PyMethodDef copyrows_methods[] = {
    {"voucher_rows", (PyCFunction)(void (*)(void))voucher_rows, METH_FASTCALL, voucher_rows_doc},
    {"batch_rows", (PyCFunction)(void (*)(void))batch_rows, METH_FASTCALL, batch_rows_doc},
    {"fingerprint_batch", (PyCFunction)(void (*)(void))fingerprint_batch, METH_FASTCALL,
     fingerprint_batch_doc},
    {NULL, NULL, 0, NULL},
};

static int
copyrows_exec(PyObject *module)
{
    for (int c = 0; c < 256; c++) {
        safe_table[c] = Py_UNICODE_ISPRINTABLE((Py_UCS4)c) && c != '\\';
    }
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL || check_decimal_layout() < 0 ||
        PyModule_AddIntConstant(module, "decimal_fields", decimal_type != NULL) < 0) {
        return -1;
    }
    if (str_changes == NULL) {
        str_changes = PyUnicode_InternFromString("changes");
        str_date = PyUnicode_InternFromString("date");
        str_rows = PyUnicode_InternFromString("rows");
        str_series = PyUnicode_InternFromString("series");
        str_number = PyUnicode_InternFromString("number");
        str_text = PyUnicode_InternFromString("text");
        str_registered = PyUnicode_InternFromString("registered");
        str_sign = PyUnicode_InternFromString("sign");
        str_kind = PyUnicode_InternFromString("kind");
        str_row = PyUnicode_InternFromString("row");
        str_position = PyUnicode_InternFromString("position");
        if (str_changes == NULL || str_date == NULL || str_rows == NULL || str_series == NULL ||
            str_number == NULL || str_text == NULL || str_registered == NULL || str_sign == NULL ||
            str_kind == NULL || str_row == NULL || str_position == NULL) {
            return -1;
        }
    }
    return 0;
}

static PyModuleDef_Slot copyrows_slots[] = {
    {Py_mod_exec, copyrows_exec},
    {0, NULL},
};

static struct PyModuleDef copyrows_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "ledgerport.ledger._copyrows",
    .m_doc = "Optional C accelerator for the PostgreSQL import's COPY rows (see loaders.py).",
    .m_size = 0,
    .m_methods = copyrows_methods,
    .m_slots = copyrows_slots,
};

PyMODINIT_FUNC
PyInit__copyrows(void)
{
    return PyModuleDef_Init(&copyrows_module);
}
