/* _runtime.c: the sejit dispatcher, the part of sejit that runs on every call.
 *
 * A DispatcherBase holds the specializations compiled for one Python
 * function. A call classifies each positional argument into a 32-bit code
 * (kind, dtype, ndim, layout or weakness), looks the codes up among the
 * registered entries, unpacks the arguments into the descriptors of
 * sejit_abi.h, calls the kernel with the GIL released and boxes its result.
 * Everything the fast path needs is parsed into C structs when an entry is
 * registered (_add), so a call touches no dict and, for up to MAXFAST
 * arguments and results, allocates nothing.
 *
 * An unknown signature goes to the Python method self._compile_for(args),
 * which classifies the arguments again (through _key and arg_code, so both
 * sides share this file's classification), runs the engine or loads the disk
 * cache and registers the result with _add; then the lookup is retried once.
 *
 * Rule of the file: nothing a kernel or a caller does may crash the
 * interpreter. Every C-API return is checked, every error path releases what
 * it took, and what a kernel hands back (owners of returned arrays) is
 * validated before it is dereferenced.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>
#include <numpy/arrayscalars.h>

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sejit_abi.h"
#include "_kernel_errors.h"

/* The module's name. An ahead-of-time module (python -m sejit build, sejit/_aot.py) includes this
 * file into its own translation unit with SEJIT_RUNTIME_EMBEDDED defined: everything here is then
 * static, and its init calls sejit_runtime_init() for the runtime's module object. */
#ifndef SEJIT_RUNTIME_NAME
#define SEJIT_RUNTIME_NAME "sejit._runtime"
#endif

/* NumPy's BLAS once found (mod_load_blas), or NULL: every call's ctx->blas. */
static sejit_blas rt_blas;
static sejit_blas *rt_blas_ptr = NULL;
/* &rt_blas when the library has LAPACKE's np.linalg routines: ctx->lapack. */
static sejit_blas *rt_lapack_ptr = NULL;

#if NPY_ABI_VERSION < 0x02000000 /* NumPy 1.x headers */
#define NPY_NTYPES_LEGACY NPY_NTYPES
#define PyDataType_ELSIZE(descr) ((descr)->elsize)
#endif

/* Fast-path limits: calls with at most this many arguments or result leaves
 * use stack buffers only. */
#define MAXFAST 16
#define NDTYPES 13
#define NTYPENUMS 32 /* builtin NumPy type numbers are all below this */

/* Argument codes: kind << 24 | dtype << 16 | ndim << 8 | flags. Zero means
 * "not classifiable", so a valid code is never zero (kind is 1 or 2). */
#define KIND_ARRAY 1u
#define KIND_SCALAR 2u
#define FLAG_LAYOUT_C 1u /* arrays: C-contiguous */
/* arrays: some axis has extent 1. Such a call gets a specialization of its own, the only kind
 * compiled with run-time stretching of extents of 1 (docs/design.md, Shapes): the common
 * signature stays free of that second version and of its compile time. */
#define FLAG_UNIT 2u
#define FLAG_WEAK 1u     /* scalars: a Python int/float/complex (NEP 50) */
#define CODE(kind, dt, nd, fl) \
    (((uint32_t)(kind) << 24) | ((uint32_t)(dt) << 16) | ((uint32_t)(nd) << 8) | (uint32_t)(fl))
#define CODE_KIND(c) ((c) >> 24)
#define CODE_DTYPE(c) (((c) >> 16) & 0xffu)
#define CODE_NDIM(c) (((c) >> 8) & 0xffu)
#define CODE_FLAGS(c) ((c) & 0xffu)

static const char *const dtype_names[NDTYPES] = {
    [SEJIT_BOOL] = "bool",           [SEJIT_INT8] = "int8",       [SEJIT_INT16] = "int16",
    [SEJIT_INT32] = "int32",         [SEJIT_INT64] = "int64",     [SEJIT_UINT8] = "uint8",
    [SEJIT_UINT16] = "uint16",       [SEJIT_UINT32] = "uint32",   [SEJIT_UINT64] = "uint64",
    [SEJIT_FLOAT32] = "float32",     [SEJIT_FLOAT64] = "float64", [SEJIT_COMPLEX64] = "complex64",
    [SEJIT_COMPLEX128] = "complex128",
};

static const int dtype_itemsize[NDTYPES] = {
    [SEJIT_BOOL] = 1,      [SEJIT_INT8] = 1,     [SEJIT_INT16] = 2,    [SEJIT_INT32] = 4,
    [SEJIT_INT64] = 8,     [SEJIT_UINT8] = 1,    [SEJIT_UINT16] = 2,   [SEJIT_UINT32] = 4,
    [SEJIT_UINT64] = 8,    [SEJIT_FLOAT32] = 4,  [SEJIT_FLOAT64] = 8,  [SEJIT_COMPLEX64] = 8,
    [SEJIT_COMPLEX128] = 16,
};

/* log2 of the item sizes, all powers of two: the call path checks alignment
 * with a mask and turns byte strides into element strides with a shift, not
 * a division (tens of cycles each, several per array argument). */
static const uint8_t dtype_itemshift[NDTYPES] = {
    [SEJIT_BOOL] = 0,      [SEJIT_INT8] = 0,     [SEJIT_INT16] = 1,    [SEJIT_INT32] = 2,
    [SEJIT_INT64] = 3,     [SEJIT_UINT8] = 0,    [SEJIT_UINT16] = 1,   [SEJIT_UINT32] = 2,
    [SEJIT_UINT64] = 3,    [SEJIT_FLOAT32] = 2,  [SEJIT_FLOAT64] = 3,  [SEJIT_COMPLEX64] = 3,
    [SEJIT_COMPLEX128] = 4,
};

/* Filled at import: NumPy type number → sejit dtype (-1: unsupported), the
 * canonical descriptor of each sejit dtype, and the exact NumPy scalar types.
 * Mapping by (kind, item size) rather than by type number makes np.longlong
 * and np.int64 (distinct type numbers, same layout) both int64. */
static int8_t typenum_dtype[NTYPENUMS];
static PyArray_Descr *dtype_descr[NDTYPES];
static struct {
    PyTypeObject *type;
    int dtype;
} scalar_types[NTYPENUMS];
static int nscalar_types;

static PyObject *str_compile_for;  /* "_compile_for" */
static PyObject *str_hide_frames;  /* "_sejit_hide_frames" */

/* ------------------------------------------------------------------------ */
/* Classification                                                           */

static uint32_t classify_rest(PyObject *o, PyTypeObject *t);

/* The common cases, inlined into the call path; classify_rest does the rest. */
static inline __attribute__((always_inline)) uint32_t
classify(PyObject *o)
{
    PyTypeObject *t = Py_TYPE(o);
    /* Most common cases first, by exact type. */
    if (t == &PyFloat_Type)
        return CODE(KIND_SCALAR, SEJIT_FLOAT64, 0, FLAG_WEAK);
    if (t == &PyLong_Type)
        return CODE(KIND_SCALAR, SEJIT_INT64, 0, FLAG_WEAK);
    /* Exactly ndarray: a subclass may give operators another meaning
     * (numpy.matrix's * is a matrix product, masked arrays skip masked
     * elements), which compiled code would silently ignore. */
    if (PyArray_CheckExact(o)) {
        PyArrayObject *a = (PyArrayObject *)o;
        int tn = PyArray_TYPE(a);
        int nd = PyArray_NDIM(a);
        if (tn < 0 || tn >= NTYPENUMS || typenum_dtype[tn] < 0 || nd > SEJIT_MAXDIM ||
            !PyArray_ISNOTSWAPPED(a))
            return 0;
        uint32_t flags = PyArray_IS_C_CONTIGUOUS(a) ? FLAG_LAYOUT_C : 0;
        const npy_intp *dims = PyArray_DIMS(a);
        for (int k = 0; k < nd; k++)
            if (dims[k] == 1)
                flags |= FLAG_UNIT;
        return CODE(KIND_ARRAY, typenum_dtype[tn], nd, flags);
    }
    return classify_rest(o, t);
}

static uint32_t
classify_rest(PyObject *o, PyTypeObject *t)
{
    if (t == &PyBool_Type) /* weak: Python's bool, not NumPy's (True + True == 2) */
        return CODE(KIND_SCALAR, SEJIT_BOOL, 0, FLAG_WEAK);
    if (t == &PyComplex_Type)
        return CODE(KIND_SCALAR, SEJIT_COMPLEX128, 0, FLAG_WEAK);
    for (int i = 0; i < nscalar_types; i++)
        if (t == scalar_types[i].type)
            return CODE(KIND_SCALAR, scalar_types[i].dtype, 0, 0);
    /* Any other NumPy scalar (float16, datetime64, a subclass of np.float64
     * — which is also a Python float) is not accepted; only then may a
     * subclass of a Python number count as that number. */
    if (PyArray_IsScalar(o, Generic))
        return 0;
    if (PyLong_Check(o))
        return CODE(KIND_SCALAR, SEJIT_INT64, 0, FLAG_WEAK);
    if (PyFloat_Check(o))
        return CODE(KIND_SCALAR, SEJIT_FLOAT64, 0, FLAG_WEAK);
    if (PyComplex_Check(o))
        return CODE(KIND_SCALAR, SEJIT_COMPLEX128, 0, FLAG_WEAK);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Entries                                                                  */

/* RET_OPTIONAL: a bool leaf, true for None, then its one item's leaves. */
/* RET_LIST: a list (issue 14): two leaves, a 1-D buffer and the length;
 * boxed as a new Python list of its first `length` items. A list of tuples
 * has nitems scalar nodes after it, one per field, and travels as one
 * buffer per field then the length; its items are boxed as tuples. */
/* RET_STR: a run-time string (lower/strings.go): one leaf, a 1-D uint32
 * array of code points with stride 1, boxed as a new str.
 * RET_STRLIST: a list of strings: five leaves, the int64 arrays of the
 * items' starts and lengths (around the length n), the pool of code points
 * and its used count; boxed as a new list of new strs. */
/* RET_LISTLIST: a list of lists of numbers (lower/list_lists.go): three
 * leaves, the int64 buffers of the owner and data words of each item's box
 * and the length. A box is five int64 words: the inner list's length, its
 * buffer's owner and data addresses, its capacity, and its origin (the
 * index of the caller's inner list it started as, or -1). Items sharing a
 * box are boxed as one Python list, as they are one list in the kernel.
 * With the node's origins flag the result is (the list, a list of each
 * item's origin), for writing back into the caller's inner lists. */
/* RET_DICT, RET_SET: a dict or a set (lower/dicts.go), followed by its key
 * node and, for a dict, its value node (each a scalar or a str). Its
 * leaves: the keys and the values (each one array, or a list of strings'
 * five leaves), the live flags, the hash table, the entries used and the live
 * count; boxed as a new dict or set of the live entries, in order. */
enum { RET_NONE = 0, RET_SCALAR = 1, RET_ARRAY = 2, RET_TUPLE = 3, RET_OPTIONAL = 4, RET_LIST = 5, RET_STR = 6,
       RET_STRLIST = 7, RET_LISTLIST = 8, RET_DICT = 9, RET_SET = 10 };

/* One node of the result tree, flattened in preorder: a tuple node is
 * followed by its nitems subtrees. */
typedef struct {
    uint8_t kind, dtype, ndim;
    uint8_t numpy; /* RET_SCALAR: box as a NumPy scalar, not a Python number */
    int nitems;
} retnode;

/* How the monomorphic fast path checks and unpacks one argument of an entry
 * (built by plan_entry at _add time). Each op accepts only what classify()
 * would give the entry's code for *and* what unpacks without any possible
 * error; anything else falls back to the generic path, which classifies,
 * looks up and raises exactly as before. */
enum { P_F64W, P_I64W, P_BOOLW, P_C128W, P_NPSCALAR, P_ARRAY };

typedef struct {
    uint8_t op, ndim, shift, write;
    uint8_t span; /* P_ARRAY: record the bytes it spans, for the entry's overlap guard */
    uint32_t flags;        /* P_ARRAY: the code's FLAG_LAYOUT_C | FLAG_UNIT */
    PyTypeObject *type;    /* P_NPSCALAR: the scalar type */
    PyArray_Descr *descr;  /* P_ARRAY: the dtype's canonical descriptor (borrowed) */
} argplan;

/* A registered specialization. Entries are allocated one by one and never
 * moved or freed before the dispatcher dies: a call keeps its entry pointer
 * across the GIL release, while another thread may register more entries. */
typedef struct {
    Py_ssize_t nargs;
    uint32_t *key;    /* nargs codes */
    uint8_t *writes;  /* nargs flags: the kernel may write this array */
    uint8_t *guard;   /* nargs flags: copy this array if it overlaps a written one */
    uint8_t *owners;  /* nargs flags: the owner words of a list of arrays argument (int64) */
    int npairs;       /* every (guarded, written) pair of argument indices */
    Py_ssize_t (*pairs)[2];
    argplan *plan;    /* nargs steps of the fast path */
    sejit_entry_fn fn;
    int nleaves;
    long gil_min;     /* release the GIL from this many array elements; 0: always */
    long random;      /* the kernel draws from NumPy's global random state */
    int nret;
    retnode *ret;
    int onfail;       /* trailing list items of the result the kernel also sets when it fails */
    PyObject *abi;    /* the ABI dict, for introspection */
    PyObject *path;   /* the shared object's path */
} entry;

typedef struct {
    PyObject_HEAD
    PyObject *dict;
    PyObject *weakreflist;
    vectorcallfunc vectorcall;
    Py_ssize_t nentries, cap;
    entry **entries;
    entry *last; /* the entry called last: the fast path tries it first */
} Dispatcher;

static void
entry_free(entry *e)
{
    if (e == NULL)
        return;
    PyMem_Free(e->key);
    PyMem_Free(e->writes);
    PyMem_Free(e->guard);
    PyMem_Free(e->owners);
    PyMem_Free(e->pairs);
    PyMem_Free(e->plan);
    PyMem_Free(e->ret);
    Py_XDECREF(e->abi);
    Py_XDECREF(e->path);
    PyMem_Free(e);
}

static inline entry *
lookup(Dispatcher *self, const uint32_t *key, Py_ssize_t n)
{
    /* Keys are a few words long: an inline loop beats a call to memcmp. */
    for (Py_ssize_t i = 0; i < self->nentries; i++) {
        entry *e = self->entries[i];
        if (e->nargs != n)
            continue;
        Py_ssize_t k = 0;
        while (k < n && e->key[k] == key[k])
            k++;
        if (k == n)
            return e;
    }
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* ABI parsing (at _add time)                                               */

static int
dtype_from_name(PyObject *name)
{
    if (name == NULL || !PyUnicode_Check(name))
        return -1;
    for (int d = 0; d < NDTYPES; d++)
        if (PyUnicode_CompareWithASCIIString(name, dtype_names[d]) == 0)
            return d;
    return -1;
}

/* Borrowed item of a dict that must be present; sets ValueError if not. */
static PyObject *
abi_item(PyObject *d, const char *name, const char *where)
{
    if (!PyDict_Check(d)) {
        PyErr_Format(PyExc_ValueError, "invalid ABI: %s is not a dict", where);
        return NULL;
    }
    PyObject *v = PyDict_GetItemString(d, name);
    if (v == NULL && !PyErr_Occurred())
        PyErr_Format(PyExc_ValueError, "invalid ABI: %s has no '%s'", where, name);
    return v;
}

/* An int field in [lo, hi]. With dflt >= 0, a missing or null field reads as
 * dflt: encoders that omit zero values (Go's omitempty) stay compatible. */
static int
abi_int(PyObject *d, const char *name, const char *where, long lo, long hi, long dflt,
        long *out)
{
    if (dflt >= 0 && PyDict_Check(d)) {
        PyObject *v = PyDict_GetItemString(d, name);
        if (v == NULL || v == Py_None) {
            *out = dflt;
            return 0;
        }
    }
    PyObject *v = abi_item(d, name, where);
    if (v == NULL)
        return -1;
    long x = PyLong_Check(v) && !PyBool_Check(v) ? PyLong_AsLong(v) : -1;
    if (x == -1 && PyErr_Occurred())
        PyErr_Clear();
    if (!PyLong_Check(v) || PyBool_Check(v) || x < lo || x > hi) {
        PyErr_Format(PyExc_ValueError, "invalid ABI: %s '%s' must be an int in [%ld, %ld]",
                     where, name, lo, hi);
        return -1;
    }
    *out = x;
    return 0;
}

static int
abi_kind(PyObject *d, const char *where, const char **kinds, int nkinds)
{
    PyObject *k = abi_item(d, "kind", where);
    if (k == NULL)
        return -1;
    if (PyUnicode_Check(k))
        for (int i = 0; i < nkinds; i++)
            if (PyUnicode_CompareWithASCIIString(k, kinds[i]) == 0)
                return i;
    PyErr_Format(PyExc_ValueError, "invalid ABI: %s has unknown kind %R", where, k);
    return -1;
}

static int
count_ret(PyObject *r, int depth)
{
    static const char *kinds[] = {"none", "scalar", "array", "tuple", "optional", "list", "str", "strlist",
                                  "listlist", "dict", "set"};
    if (depth > 32) {
        PyErr_SetString(PyExc_ValueError, "invalid ABI: result nested too deeply");
        return -1;
    }
    int k = abi_kind(r, "ret", kinds, 11);
    if (k < 0)
        return -1;
    if (k != RET_TUPLE && k != RET_OPTIONAL && k != RET_LIST && k != RET_DICT && k != RET_SET)
        return 1;
    PyObject *items = PyDict_GetItemString(r, "items"); /* missing or null: () */
    if (items == NULL || items == Py_None)
        return 1;
    if (!PyList_Check(items)) {
        PyErr_SetString(PyExc_ValueError, "invalid ABI: tuple items must be a list");
        return -1;
    }
    if (k == RET_OPTIONAL && PyList_GET_SIZE(items) != 1) {
        PyErr_SetString(PyExc_ValueError, "invalid ABI: an optional result has one item");
        return -1;
    }
    if (k == RET_DICT || k == RET_SET) {
        /* the key (a scalar or a str) and, for a dict, the value (a scalar) */
        if (PyList_GET_SIZE(items) != (k == RET_DICT ? 2 : 1)) {
            PyErr_SetString(PyExc_ValueError, "invalid ABI: a dict has a key and a value item, a set a key item");
            return -1;
        }
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(items); i++) {
            int ik = abi_kind(PyList_GET_ITEM(items, i), "dict item", kinds, 10);
            if (ik != RET_SCALAR && ik != RET_STR) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_ValueError, "invalid ABI: a dict's keys and values must be scalars or strs");
                return -1;
            }
        }
        return 1 + (int)PyList_GET_SIZE(items);
    }
    int n = 1;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(items); i++) {
        if (k == RET_LIST) {
            /* a list of tuples: scalar fields; a list of arrays: one array item */
            int fk = abi_kind(PyList_GET_ITEM(items, i), "list item", kinds, 6);
            if (fk != RET_SCALAR && !(fk == RET_ARRAY && PyList_GET_SIZE(items) == 1)) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_ValueError, "invalid ABI: a list's items must be scalars, tuples of scalars or arrays");
                return -1;
            }
        }
        int c = count_ret(PyList_GET_ITEM(items, i), depth + 1);
        if (c < 0)
            return -1;
        n += c;
    }
    return n;
}

/* The number of leaves of a returned dict or set (RET_DICT, RET_SET node n,
 * followed by its key node and, for a dict, its value node): the keys and
 * the values (each one array, or a list of strings' five leaves), then the
 * live flags, the hash table, the entries used and the live count. */
static int
hashed_leaves(const retnode *n)
{
    return (n[1].kind == RET_STR ? 5 : 1) + (n->kind == RET_DICT && n[2].kind == RET_STR ? 5 : 1) + 4;
}

/* Sets n's dtype from the node's "dtype" name; -1 with an error set if it is
 * missing or unknown. */
static int
ret_dtype(PyObject *r, retnode *n)
{
    int d = dtype_from_name(abi_item(r, "dtype", "ret leaf"));
    if (d < 0) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "invalid ABI: unknown result dtype");
        return -1;
    }
    n->dtype = (uint8_t)d;
    return 0;
}

/* Fills nodes[*pos...] in preorder and counts leaves. Shapes were checked by
 * count_ret. */
static int
parse_ret(PyObject *r, retnode *nodes, int *pos, int *leaves)
{
    static const char *kinds[] = {"none", "scalar", "array", "tuple", "optional", "list", "str", "strlist",
                                  "listlist", "dict", "set"};
    retnode *n = &nodes[(*pos)++];
    int k = abi_kind(r, "ret", kinds, 11);
    if (k < 0)
        return -1;
    n->kind = (uint8_t)k;
    n->dtype = 0;
    n->ndim = 0;
    n->nitems = 0;
    n->numpy = 0;
    if (k == RET_SCALAR) {
        PyObject *np_flag = PyDict_GetItemString(r, "numpy"); /* missing: a Python number */
        n->numpy = np_flag != NULL && PyObject_IsTrue(np_flag) == 1;
    }
    if (k == RET_STR || k == RET_STRLIST) {
        (*leaves) += k == RET_STR ? 1 : 5;
        return 0;
    }
    if (k == RET_LISTLIST) {
        if (ret_dtype(r, n) < 0)
            return -1;
        PyObject *orig = PyDict_GetItemString(r, "origins"); /* missing: no origins */
        n->numpy = orig != NULL && PyObject_IsTrue(orig) == 1;
        (*leaves) += 3;
        return 0;
    }
    if (k == RET_DICT || k == RET_SET) {
        PyObject *items = PyDict_GetItemString(r, "items");
        int ignored = 0;
        n->nitems = (int)PyList_GET_SIZE(items);
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(items); i++)
            if (parse_ret(PyList_GET_ITEM(items, i), nodes, pos, &ignored) < 0)
                return -1;
        *leaves += hashed_leaves(n);
        return 0;
    }
    PyObject *fields = k == RET_LIST ? PyDict_GetItemString(r, "items") : NULL;
    if (fields != NULL && fields != Py_None && PyList_GET_SIZE(fields) > 0) {
        /* A list of tuples: one scalar node (and one buffer leaf) per field,
         * then the length. */
        n->nitems = (int)PyList_GET_SIZE(fields);
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(fields); i++)
            if (parse_ret(PyList_GET_ITEM(fields, i), nodes, pos, leaves) < 0)
                return -1;
        if (nodes[*pos - 1].kind == RET_ARRAY)
            *leaves += 1 + 2 * nodes[*pos - 1].ndim; /* a list of arrays: 2 + 2 ndim words, less the one counted */
        (*leaves)++;
    }
    else if (k == RET_SCALAR || k == RET_ARRAY || k == RET_LIST) {
        if (ret_dtype(r, n) < 0)
            return -1;
        if (k == RET_ARRAY) {
            long nd;
            if (abi_int(r, "ndim", "ret array", 0, SEJIT_MAXDIM, 0, &nd) < 0)
                return -1;
            n->ndim = (uint8_t)nd;
        }
        if (k == RET_LIST)
            (*leaves)++; /* the buffer, then the length */
        (*leaves)++;
    }
    else if (k == RET_TUPLE || k == RET_OPTIONAL) {
        if (k == RET_OPTIONAL)
            (*leaves)++; /* the None flag */
        PyObject *items = PyDict_GetItemString(r, "items");
        if (items == NULL || items == Py_None)
            return 0;
        n->nitems = (int)PyList_GET_SIZE(items);
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(items); i++)
            if (parse_ret(PyList_GET_ITEM(items, i), nodes, pos, leaves) < 0)
                return -1;
    }
    return 0;
}

static void skip_ret(const entry *e, int *pos, int *leaf);

/* Checks the ABI against the key and fills e's parsed fields. */
/* Reads the optional list abi[name] of array argument indices into flags. */
static int
parse_arg_list(entry *e, PyObject *abi, const char *name, uint8_t *flags)
{
    PyObject *list = PyDict_GetItemString(abi, name); /* missing or null: none */
    if (list == NULL || list == Py_None)
        return 0;
    if (!PyList_Check(list)) {
        PyErr_Format(PyExc_ValueError, "invalid ABI: '%s' must be a list", name);
        return -1;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++) {
        PyObject *w = PyList_GET_ITEM(list, i);
        Py_ssize_t k = PyLong_Check(w) ? PyLong_AsSsize_t(w) : -1;
        if (k == -1 && PyErr_Occurred())
            PyErr_Clear();
        if (k < 0 || k >= e->nargs || CODE_KIND(e->key[k]) != KIND_ARRAY) {
            PyErr_Format(PyExc_ValueError, "invalid ABI: '%s' item %R is not an array "
                                           "argument index", name, w);
            return -1;
        }
        flags[k] = 1;
    }
    return 0;
}

static int
parse_abi(entry *e, PyObject *abi)
{
    static const char *argkinds[] = {"array", "scalar"};
    PyObject *args = abi_item(abi, "args", "abi");
    if (args == NULL)
        return -1;
    if (!PyList_Check(args) || PyList_GET_SIZE(args) != e->nargs) {
        PyErr_Format(PyExc_ValueError, "invalid ABI: 'args' must be a list of %zd items",
                     e->nargs);
        return -1;
    }
    /* The kernel reads args[k] as the ABI says; the runtime fills it as the
     * key says. They must agree on what could make memory unsafe. */
    for (Py_ssize_t i = 0; i < e->nargs; i++) {
        PyObject *a = PyList_GET_ITEM(args, i);
        int k = abi_kind(a, "argument", argkinds, 2);
        if (k < 0)
            return -1;
        int d = dtype_from_name(abi_item(a, "dtype", "argument"));
        if (d < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "invalid ABI: unknown argument dtype");
            return -1;
        }
        uint32_t c = e->key[i];
        long nd = 0;
        if (k == 0 && abi_int(a, "ndim", "array argument", 0, SEJIT_MAXDIM, 0, &nd) < 0)
            return -1;
        uint32_t want = k == 0 ? KIND_ARRAY : KIND_SCALAR;
        if (CODE_KIND(c) != want || CODE_DTYPE(c) != (uint32_t)d ||
            (k == 0 && CODE_NDIM(c) != (uint32_t)nd)) {
            PyErr_Format(PyExc_ValueError,
                         "invalid ABI: argument %zd does not match the signature key", i + 1);
            return -1;
        }
    }

    if (parse_arg_list(e, abi, "writes", e->writes) < 0 ||
        parse_arg_list(e, abi, "guard", e->guard) < 0 ||
        parse_arg_list(e, abi, "owners", e->owners) < 0)
        return -1;
    for (Py_ssize_t i = 0; i < e->nargs; i++)
        if (e->owners[i] && (CODE_KIND(e->key[i]) != KIND_ARRAY || CODE_DTYPE(e->key[i]) != SEJIT_INT64 ||
                             CODE_NDIM(e->key[i]) != 1)) {
            PyErr_SetString(PyExc_ValueError, "invalid ABI: owner words must be a 1-D int64 array argument");
            return -1;
        }
    Py_ssize_t nguard = 0, nwritten = 0;
    for (Py_ssize_t i = 0; i < e->nargs; i++) {
        if (e->guard[i] && e->writes[i]) {
            PyErr_Format(PyExc_ValueError, "invalid ABI: argument %zd is both written and guarded",
                         i + 1);
            return -1;
        }
        nguard += e->guard[i];
        nwritten += e->writes[i];
    }
    e->pairs = PyMem_Calloc((size_t)(nguard * nwritten + 1), sizeof *e->pairs);
    if (e->pairs == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t g = 0; g < e->nargs; g++)
        for (Py_ssize_t w = 0; w < e->nargs && e->guard[g]; w++)
            if (e->writes[w]) {
                e->pairs[e->npairs][0] = g;
                e->pairs[e->npairs++][1] = w;
            }

    PyObject *ret = abi_item(abi, "ret", "abi");
    if (ret == NULL)
        return -1;
    int nret = count_ret(ret, 0);
    if (nret < 0)
        return -1;
    e->ret = PyMem_Calloc((size_t)nret, sizeof(retnode));
    if (e->ret == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    e->nret = nret;
    int pos = 0, leaves = 0;
    if (parse_ret(ret, e->ret, &pos, &leaves) < 0)
        return -1;
    long nleaves;
    if (abi_int(abi, "nleaves", "abi", 0, 1 << 20, 0, &nleaves) < 0)
        return -1;
    if (nleaves != leaves) {
        PyErr_Format(PyExc_ValueError, "invalid ABI: nleaves is %ld but 'ret' has %d leaves",
                     nleaves, leaves);
        return -1;
    }
    e->nleaves = leaves;
    /* Kernels with loops or calls may run for long whatever the array sizes,
     * so they always let other threads run; element-wise kernels on small
     * arrays finish sooner than a GIL release and re-acquire take. */
    if (abi_int(abi, "release_gil_min", "abi", 0, 1L << 40, 0, &e->gil_min) < 0)
        return -1;
    PyObject *rnd = PyDict_Check(abi) ? PyDict_GetItemString(abi, "random") : NULL;
    if (rnd != NULL && rnd != Py_None && !PyBool_Check(rnd)) {
        PyErr_SetString(PyExc_ValueError, "invalid ABI: abi 'random' must be a bool");
        return -1;
    }
    e->random = rnd == Py_True;
    /* onfail: the result is a tuple whose last onfail items are lists (at
     * the end of the tree: their nodes and leaves come last). */
    long onfail;
    if (abi_int(abi, "onfail", "abi", 0, 1 << 20, 0, &onfail) < 0)
        return -1;
    if (onfail > 0 && (e->ret[0].kind != RET_TUPLE || e->ret[0].nitems <= onfail || onfail >= nret ||
                       2 * onfail > leaves)) {
        PyErr_SetString(PyExc_ValueError, "invalid ABI: 'onfail' exceeds the result");
        return -1;
    }
    if (onfail > 0) {
        int pos = 1, leaf = 0;
        for (int i = 0; i < e->ret[0].nitems; i++) {
            int k = e->ret[pos].kind;
            if (i >= e->ret[0].nitems - onfail && k != RET_LIST && k != RET_STRLIST && k != RET_LISTLIST &&
                k != RET_DICT && k != RET_SET) {
                PyErr_SetString(PyExc_ValueError, "invalid ABI: 'onfail' items must be lists");
                return -1;
            }
            skip_ret(e, &pos, &leaf);
        }
    }
    e->onfail = (int)onfail;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The per-call state and the kernel's allocation callback                  */

#define NINLINE_ALLOCS 8
#define NPOOL 32
#define POOL_BYTES ((npy_intp)32 << 20)

typedef struct {
    PyObject **objs; /* arrays allocated by the kernel in this call */
    int n, cap;
    PyObject *inline_objs[NINLINE_ALLOCS];
    /* Arrays the kernel gave back (rt_release) that nothing else holds,
     * newest last, for the next allocation of the same dtype and shape:
     * a function called in a loop, or a recursion's siblings, allocate the
     * same temporaries again and again, and taking one from here needs
     * neither the GIL nor NumPy. Their contents are stale, as an
     * allocation's may be (np.empty). A recursion of depth d keeps about
     * 4 d shapes in flight, hence room for 32. */
    PyObject *pool[NPOOL];
    int npool;
    npy_intp pooled; /* their bytes, at most POOL_BYTES */
    /* A spin lock over objs and pool: the threads of a parallel region
     * allocate and give back at once, and the pool's path takes no GIL.
     * Taken after the GIL, never before it. */
    unsigned char lock;
} callstate;

static inline void
callstate_init(callstate *cs)
{
    cs->objs = cs->inline_objs;
    cs->n = 0;
    cs->cap = NINLINE_ALLOCS;
    cs->npool = 0;
    cs->pooled = 0;
    cs->lock = 0;
}

static inline void
cs_lock(callstate *cs)
{
    while (__atomic_test_and_set(&cs->lock, __ATOMIC_ACQUIRE))
        ;
}

static inline void
cs_unlock(callstate *cs)
{
    __atomic_clear(&cs->lock, __ATOMIC_RELEASE);
}

static void
callstate_release(callstate *cs)
{
    for (int i = 0; i < cs->n; i++)
        Py_DECREF(cs->objs[i]);
    for (int i = 0; i < cs->npool; i++)
        Py_DECREF(cs->pool[i]);
    if (cs->objs != cs->inline_objs)
        PyMem_Free(cs->objs);
    callstate_init(cs);
}

/* Makes room for one more object in cs (so that a recorded array can never
 * be lost). Returns 0, or -1 when out of memory. */
static int
callstate_reserve(callstate *cs)
{
    if (cs->n < cs->cap)
        return 0;
    int ncap = cs->cap * 2;
    PyObject **objs = PyMem_Malloc((size_t)ncap * sizeof(PyObject *));
    if (objs == NULL)
        return -1;
    memcpy(objs, cs->objs, (size_t)cs->n * sizeof(PyObject *));
    if (cs->objs != cs->inline_objs)
        PyMem_Free(cs->objs);
    cs->objs = objs;
    cs->cap = ncap;
    return 0;
}

/* Copies the pending Python exception's text into ctx->msg and clears it. */
static void
ctx_take_error(sejit_ctx *ctx, int err, const char *fallback)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    ctx->err = err;
    snprintf(ctx->msg, sizeof ctx->msg, "%s", fallback);
    if (value != NULL) {
        PyObject *s = PyObject_Str(value);
        const char *u = s != NULL ? PyUnicode_AsUTF8(s) : NULL;
        if (u != NULL && u[0] != '\0')
            snprintf(ctx->msg, sizeof ctx->msg, "%s", u);
        Py_XDECREF(s);
    }
    PyErr_Clear();
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
}

static int
rt_alloc(sejit_ctx *ctx, int dtype, int ndim, const int64_t *shape, sejit_array *out)
{
    if (ctx == NULL)
        return -1;
    if (dtype < 0 || dtype >= NDTYPES || ndim < 0 || ndim > SEJIT_MAXDIM || out == NULL ||
        (ndim > 0 && shape == NULL)) {
        ctx->err = SEJIT_ERR_RUNTIME;
        snprintf(ctx->msg, sizeof ctx->msg, "sejit: invalid array allocation request");
        return -1;
    }
    npy_intp dims[SEJIT_MAXDIM];
    for (int k = 0; k < ndim; k++) {
        if (shape[k] < 0) {
            ctx->err = SEJIT_ERR_VALUE;
            snprintf(ctx->msg, sizeof ctx->msg, "negative dimensions are not allowed");
            return -1;
        }
        dims[k] = (npy_intp)shape[k];
    }
    callstate *cs = (callstate *)ctx->runtime;
    PyObject *arr = NULL;
    if (__atomic_load_n(&cs->npool, __ATOMIC_RELAXED) > 0) {
        cs_lock(cs);
        for (int i = cs->npool - 1; i >= 0 && cs->n < cs->cap; i--) {
            PyArrayObject *a = (PyArrayObject *)cs->pool[i];
            int same = PyArray_DESCR(a) == (PyArray_Descr *)dtype_descr[dtype] && PyArray_NDIM(a) == ndim;
            for (int k = 0; k < ndim && same; k++)
                same = PyArray_DIM(a, k) == dims[k];
            if (!same)
                continue;
            arr = cs->pool[i];
            memmove(&cs->pool[i], &cs->pool[i + 1], (size_t)(cs->npool - i - 1) * sizeof(PyObject *));
            cs->npool--;
            cs->pooled -= PyArray_NBYTES(a);
            cs->objs[cs->n++] = arr;
            break;
        }
        cs_unlock(cs);
    }
    if (arr == NULL) {
        PyGILState_STATE g = PyGILState_Ensure();
        /* With no data, NewFromDescr reads any non-zero flags as "Fortran
         * order": 0 asks for C order. It steals the descr reference. */
        Py_INCREF(dtype_descr[dtype]);
        arr = PyArray_NewFromDescr(&PyArray_Type, dtype_descr[dtype], ndim, dims, NULL, NULL, 0, NULL);
        if (arr == NULL) {
            ctx_take_error(ctx, SEJIT_ERR_MEMORY, "cannot allocate an array");
            PyGILState_Release(g);
            return -1;
        }
        cs_lock(cs);
        int full = callstate_reserve(cs) < 0;
        if (!full)
            cs->objs[cs->n++] = arr;
        cs_unlock(cs);
        if (full) {
            Py_DECREF(arr);
            ctx->err = SEJIT_ERR_MEMORY;
            snprintf(ctx->msg, sizeof ctx->msg, "out of memory");
            PyGILState_Release(g);
            return -1;
        }
        PyGILState_Release(g);
    }
    PyArrayObject *a = (PyArrayObject *)arr;
    npy_intp isz = PyArray_ITEMSIZE(a);
    out->obj = arr;
    out->data = PyArray_BYTES(a);
    for (int k = 0; k < ndim; k++) {
        out->shape[k] = (int64_t)PyArray_DIM(a, k);
        out->strides[k] = (int64_t)(PyArray_STRIDE(a, k) / isz);
    }
    return 0;
}

/* A compiled function's temporaries, given back as it returns (ctx->release;
 * the engine's analysis/release.go decides which). Each owner is looked up
 * among the arrays this call allocated, newest first: a function gives back
 * what it and its callees made last, so the search is short, and the list
 * stays as long as the live arrays, not as the call's every allocation. An
 * owner not found (NULL, an argument, one already given back) is skipped.
 * One nothing else holds goes to the pool for the next allocation of its
 * shape, pushing out the oldest there (at most NPOOL arrays and POOL_BYTES
 * bytes stay pooled: a larger one is dropped at once); the rest are
 * dropped, under the GIL, which is taken only then. */
static void
rt_release(sejit_ctx *ctx, void *const *objs, int n)
{
    callstate *cs = (callstate *)ctx->runtime;
    if (cs == NULL)
        return;
    int gil = 0;
    PyGILState_STATE g = PyGILState_UNLOCKED;
    for (int k = 0; k < n; k++) {
        if (objs[k] == NULL)
            continue;
        PyObject *drop[NPOOL + 1];
        int ndrop = 0;
        cs_lock(cs);
        for (int i = cs->n - 1; i >= 0; i--) {
            if ((void *)cs->objs[i] != objs[k])
                continue;
            PyObject *o = cs->objs[i];
            memmove(&cs->objs[i], &cs->objs[i + 1], (size_t)(cs->n - i - 1) * sizeof(PyObject *));
            cs->n--;
            npy_intp nb = PyArray_NBYTES((PyArrayObject *)o);
            if (Py_REFCNT(o) != 1 || nb > POOL_BYTES) {
                drop[ndrop++] = o;
                break;
            }
            while (cs->npool == NPOOL || cs->pooled + nb > POOL_BYTES) {
                drop[ndrop++] = cs->pool[0];
                cs->pooled -= PyArray_NBYTES((PyArrayObject *)cs->pool[0]);
                memmove(&cs->pool[0], &cs->pool[1], (size_t)(cs->npool - 1) * sizeof(PyObject *));
                cs->npool--;
            }
            cs->pool[cs->npool++] = o;
            cs->pooled += nb;
            break;
        }
        cs_unlock(cs);
        if (ndrop > 0 && !gil) {
            g = PyGILState_Ensure();
            gil = 1;
        }
        for (int i = 0; i < ndrop; i++)
            Py_DECREF(drop[i]);
    }
    if (gil)
        PyGILState_Release(g);
}

/* ------------------------------------------------------------------------ */
/* print() and formatted messages (sejit_ctx.print)                         */
/* The kernel formats nothing: each item is boxed as the Python object it is
 * (a Python number for Python-typed values, the NumPy scalar of its dtype
 * otherwise, a copy of an array) and Python's own print() and format()
 * write the text, to whatever sys.stdout is now. */

static PyObject *builtin_print; /* builtins.print, found on first use */

static void raise_kernel_error(sejit_ctx *ctx);

/* The exception object a kernel's handler caught (cgen/try.go), built from
 * its kind and message as the runtime would raise it, so that str(e),
 * repr(e) and format(e, spec) are CPython's. */
static PyObject *
caught_exception(int err, const char *msg)
{
    sejit_ctx c;
    memset(&c, 0, sizeof c);
    c.err = err;
    snprintf(c.msg, sizeof c.msg, "%s", msg != NULL ? msg : "");
    PyObject *type, *value, *tb;
    raise_kernel_error(&c);
    PyErr_Fetch(&type, &value, &tb);
    if (type == NULL)
        return PyUnicode_FromString("");
    PyErr_NormalizeException(&type, &value, &tb);
    Py_XDECREF(type);
    Py_XDECREF(tb);
    return value;
}

static PyObject *print_scalar(const sejit_scalar *s, int dtype, int py);

/* The Python object of one item (not a tuple's elements). */
static PyObject *
print_box(const sejit_print_item *it)
{
    if (it->kind == SEJIT_PRINT_TEXT)
        return PyUnicode_DecodeUTF8(it->text, (Py_ssize_t)strlen(it->text), "surrogateescape");
    if (it->kind == SEJIT_PRINT_EXC)
        return caught_exception(it->dtype, it->text);
    if (it->kind == SEJIT_PRINT_STR)
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, it->a.data, (Py_ssize_t)it->a.shape[0]);
    if (it->dtype < 0 || it->dtype >= NDTYPES || it->ndim > SEJIT_MAXDIM) {
        PyErr_SetString(PyExc_RuntimeError, "sejit: invalid print item");
        return NULL;
    }
    PyArray_Descr *descr = dtype_descr[it->dtype];
    if (it->ndim >= 0) {
        npy_intp dims[SEJIT_MAXDIM], strides[SEJIT_MAXDIM];
        npy_intp isz = (npy_intp)PyDataType_ELSIZE(descr), size = 1;
        for (int k = 0; k < it->ndim; k++) {
            dims[k] = (npy_intp)it->a.shape[k];
            strides[k] = (npy_intp)it->a.strides[k] * isz;
            size *= dims[k];
        }
        Py_INCREF(descr);
        if (size == 0 || it->a.data == NULL) /* nothing to read: a new empty array */
            return PyArray_NewFromDescr(&PyArray_Type, descr, it->ndim, dims, NULL, NULL, 0, NULL);
        /* A read-only view of the kernel's memory, copied at once: the
         * kernel may write or free it after the call. */
        PyObject *view = PyArray_NewFromDescr(&PyArray_Type, descr, it->ndim, dims, strides,
                                              it->a.data, 0, NULL);
        if (view == NULL)
            return NULL;
        PyObject *copy = PyArray_NewCopy((PyArrayObject *)view, NPY_CORDER);
        Py_DECREF(view);
        return copy;
    }
    return print_scalar(&it->s, it->dtype, it->py);
}

/* A number of the given dtype: a Python number when py is set, else the
 * NumPy scalar of its dtype. */
static PyObject *
print_scalar(const sejit_scalar *s, int dtype, int py)
{
    if (!py)
        return PyArray_Scalar((void *)s, dtype_descr[dtype], NULL);
    switch (dtype) {
    case SEJIT_BOOL: return PyBool_FromLong(s->b != 0);
    case SEJIT_INT8: return PyLong_FromLong(s->i8);
    case SEJIT_INT16: return PyLong_FromLong(s->i16);
    case SEJIT_INT32: return PyLong_FromLong(s->i32);
    case SEJIT_INT64: return PyLong_FromLongLong(s->i64);
    case SEJIT_UINT8: return PyLong_FromUnsignedLong(s->u8);
    case SEJIT_UINT16: return PyLong_FromUnsignedLong(s->u16);
    case SEJIT_UINT32: return PyLong_FromUnsignedLong(s->u32);
    case SEJIT_UINT64: return PyLong_FromUnsignedLongLong(s->u64);
    case SEJIT_FLOAT32: return PyFloat_FromDouble(s->f32);
    case SEJIT_FLOAT64: return PyFloat_FromDouble(s->f64);
    case SEJIT_COMPLEX64: return PyComplex_FromDoubles(s->c64.re, s->c64.im);
    default: return PyComplex_FromDoubles(s->c128.re, s->c128.im);
    }
}

/* Number k of a 1-D array of the given dtype, boxed as print_scalar. */
static PyObject *
print_number_at(const char *data, int64_t stride, int64_t k, int dtype, int py)
{
    size_t isz = (size_t)dtype_itemsize[dtype];
    sejit_scalar s;
    memset(&s, 0, sizeof s);
    memcpy(&s, data + (size_t)(k * stride) * isz, isz);
    return print_scalar(&s, dtype, py);
}

/* A list item (SEJIT_PRINT_LIST, sejit_abi.h): a new Python list built
 * from the arrays that follow it; *pos moves past them. */
static PyObject *
print_list(const sejit_print_item *it, const sejit_print_item *items, int n, int *pos)
{
    int nf = it->n;
    if (nf < 1 || *pos + nf > n || (it->ndim == 1 && nf != 1)) {
        PyErr_SetString(PyExc_RuntimeError, "sejit: invalid print list");
        return NULL;
    }
    const sejit_print_item *fs = &items[*pos];
    *pos += nf;
    for (int f = 0; f < nf; f++)
        if (fs[f].ndim != 1 || fs[f].dtype < 0 || fs[f].dtype >= NDTYPES) {
            PyErr_SetString(PyExc_RuntimeError, "sejit: invalid print list");
            return NULL;
        }
    int nd = (nf - 2) / 2; /* ndim 2: a list of arrays' words */
    if (it->ndim == 2 && (nf < 2 || nf % 2 != 0 || nd > SEJIT_MAXDIM)) {
        PyErr_SetString(PyExc_RuntimeError, "sejit: invalid print list");
        return NULL;
    }
    if (it->ndim >= 1 && (it->dtype < 0 || it->dtype >= NDTYPES)) {
        PyErr_SetString(PyExc_RuntimeError, "sejit: invalid print list");
        return NULL;
    }
    int64_t len = fs[0].a.shape[0];
    PyObject *l = PyList_New((Py_ssize_t)len);
    for (int64_t i = 0; l != NULL && i < len; i++) {
        PyObject *item = NULL;
        if (it->ndim == 2) {
            /* an array of the list, copied as print_box copies one */
            sejit_print_item a;
            memset(&a, 0, sizeof a);
            a.kind = SEJIT_PRINT_VALUE;
            a.dtype = it->dtype;
            a.ndim = nd;
            a.a.data = (char *)(intptr_t)((const int64_t *)fs[1].a.data)[i * fs[1].a.strides[0]];
            for (int k = 0; k < nd; k++) {
                a.a.shape[k] = ((const int64_t *)fs[2 + k].a.data)[i * fs[2 + k].a.strides[0]];
                a.a.strides[k] = ((const int64_t *)fs[2 + nd + k].a.data)[i * fs[2 + nd + k].a.strides[0]];
            }
            item = print_box(&a);
        }
        else if (it->ndim == 1) {
            const int64_t *box = (const int64_t *)(intptr_t)((const int64_t *)fs[0].a.data)[i * fs[0].a.strides[0]];
            item = PyList_New((Py_ssize_t)box[0]);
            for (int64_t j = 0; item != NULL && j < box[0]; j++) {
                PyObject *x = print_number_at((const char *)(intptr_t)box[2], 1, j, it->dtype, it->py);
                if (x == NULL)
                    Py_CLEAR(item);
                else
                    PyList_SET_ITEM(item, (Py_ssize_t)j, x);
            }
        }
        else if (nf == 1)
            item = print_number_at((const char *)fs[0].a.data, fs[0].a.strides[0], i, fs[0].dtype, fs[0].py);
        else {
            item = PyTuple_New(nf);
            for (int f = 0; item != NULL && f < nf; f++) {
                PyObject *x = print_number_at((const char *)fs[f].a.data, fs[f].a.strides[0], i, fs[f].dtype, fs[f].py);
                if (x == NULL)
                    Py_CLEAR(item);
                else
                    PyTuple_SET_ITEM(item, f, x);
            }
        }
        if (item == NULL)
            Py_CLEAR(l);
        else
            PyList_SET_ITEM(l, (Py_ssize_t)i, item);
    }
    return l;
}

/* The object of the item tree at *pos (a tuple takes its elements). */
static PyObject *
print_obj(const sejit_print_item *items, int n, int *pos)
{
    if (*pos >= n) {
        PyErr_SetString(PyExc_RuntimeError, "sejit: truncated print items");
        return NULL;
    }
    const sejit_print_item *it = &items[(*pos)++];
    if (it->kind == SEJIT_PRINT_LIST)
        return print_list(it, items, n, pos);
    if (it->kind != SEJIT_PRINT_TUPLE)
        return print_box(it);
    PyObject *t = PyTuple_New(it->n);
    for (int k = 0; t != NULL && k < it->n; k++) {
        PyObject *e = print_obj(items, n, pos);
        if (e == NULL)
            Py_CLEAR(t);
        else
            PyTuple_SET_ITEM(t, k, e);
    }
    return t;
}

/* One argument of print: an item tree, or a run of joined pieces (an
 * f-string) concatenated, each field as format(conv(value), spec). */
static PyObject *
print_arg(const sejit_print_item *items, int n, int *pos)
{
    if (!items[*pos].fmt && (*pos + 1 >= n || !items[*pos + 1].join))
        return print_obj(items, n, pos);
    PyObject *parts = PyList_New(0);
    if (parts == NULL)
        return NULL;
    do {
        const sejit_print_item *it = &items[*pos];
        PyObject *v = print_obj(items, n, pos);
        if (v != NULL && it->fmt && it->conv == '%') {
            /* "%5.2f" % (v,): one conversion of a %-format, by Python's own % */
            PyObject *spec = PyUnicode_FromString(it->spec != NULL ? it->spec : "%s");
            PyObject *t = spec != NULL ? PyTuple_Pack(1, v) : NULL;
            Py_DECREF(v);
            v = t != NULL ? PyUnicode_Format(spec, t) : NULL;
            Py_XDECREF(t);
            Py_XDECREF(spec);
        }
        else if (v != NULL && it->fmt) {
            PyObject *c = v;
            switch (it->conv) {
            case 'r': c = PyObject_Repr(v); break;
            case 's': c = PyObject_Str(v); break;
            case 'a': c = PyObject_ASCII(v); break;
            default: Py_INCREF(c);
            }
            Py_DECREF(v);
            v = NULL;
            if (c != NULL) {
                PyObject *spec = PyUnicode_FromString(it->spec != NULL ? it->spec : "");
                if (spec != NULL)
                    v = PyObject_Format(c, spec);
                Py_XDECREF(spec);
                Py_DECREF(c);
            }
        }
        else if (v != NULL && !PyUnicode_Check(v)) {
            Py_SETREF(v, PyObject_Str(v));
        }
        if (v == NULL || PyList_Append(parts, v) < 0) {
            Py_XDECREF(v);
            Py_DECREF(parts);
            return NULL;
        }
        Py_DECREF(v);
    } while (*pos < n && items[*pos].join);
    PyObject *empty = PyUnicode_FromString("");
    PyObject *s = empty != NULL ? PyUnicode_Join(empty, parts) : NULL;
    Py_XDECREF(empty);
    Py_DECREF(parts);
    return s;
}

/* The error kind of the pending exception print() or format() raised. */
static int
print_error_kind(void)
{
    if (PyErr_ExceptionMatches(PyExc_ValueError))
        return SEJIT_ERR_VALUE;
    if (PyErr_ExceptionMatches(PyExc_TypeError))
        return SEJIT_ERR_TYPE;
    if (PyErr_ExceptionMatches(PyExc_OverflowError))
        return SEJIT_ERR_OVERFLOW;
    if (PyErr_ExceptionMatches(PyExc_MemoryError))
        return SEJIT_ERR_MEMORY;
    return SEJIT_ERR_RUNTIME;
}

static int
rt_print(sejit_ctx *ctx, const sejit_print_item *items, int n, const char *sep, const char *end,
         int raise)
{
    int rc = -1;
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *args = PyList_New(0), *tuple = NULL, *kw = NULL, *res = NULL;
    if (args == NULL)
        goto fail;
    for (int pos = 0; pos < n;) {
        PyObject *a = print_arg(items, n, &pos);
        if (a == NULL || PyList_Append(args, a) < 0) {
            Py_XDECREF(a);
            goto fail;
        }
        Py_DECREF(a);
    }
    if (raise == SEJIT_FORMAT) {
        /* An f-string, str() or format() as a value: a new run-time string. */
        PyObject *s = PyList_GET_SIZE(args) == 1 ? PyObject_Str(PyList_GET_ITEM(args, 0))
                                                 : PyUnicode_FromString("");
        if (s == NULL)
            goto fail;
        int64_t len = (int64_t)PyUnicode_GET_LENGTH(s);
        if (ctx->alloc(ctx, SEJIT_UINT32, 1, &len, &ctx->formatted) < 0) {
            Py_DECREF(s);
            goto done; /* ctx holds alloc's error */
        }
        if (len > 0 && PyUnicode_AsUCS4(s, (Py_UCS4 *)ctx->formatted.data, (Py_ssize_t)len, 0) == NULL) {
            Py_DECREF(s);
            goto fail;
        }
        Py_DECREF(s);
        rc = 0;
        goto done;
    }
    if (raise != 0) {
        /* The message: the one argument, as str() of the exception shows it. */
        PyObject *s = PyList_GET_SIZE(args) == 1 ? PyObject_Str(PyList_GET_ITEM(args, 0))
                                                 : PyUnicode_FromString("");
        Py_ssize_t len;
        const char *u = s != NULL ? PyUnicode_AsUTF8AndSize(s, &len) : NULL;
        if (u == NULL) {
            Py_XDECREF(s);
            goto fail;
        }
        if (len > (Py_ssize_t)sizeof ctx->msg - 1 && strncmp(u, "sejit:", 6) != 0) {
            /* Kept whole (_kernel_errors.h); the runtime's own markers
             * ("sejit:key:...") are cut, below. */
            sejit_store_long_message(ctx->msg, sizeof ctx->msg, s, u, len);
            Py_DECREF(s);
            rc = 0;
            goto done;
        }
        if (len > (Py_ssize_t)sizeof ctx->msg - 1) {
            /* Cut at a character boundary. */
            len = (Py_ssize_t)sizeof ctx->msg - 1;
            while (len > 0 && ((unsigned char)u[len] & 0xC0) == 0x80)
                len--;
        }
        memcpy(ctx->msg, u, (size_t)len);
        ctx->msg[len] = '\0';
        Py_DECREF(s);
        rc = 0;
        goto done;
    }
    if (builtin_print == NULL) {
        PyObject *b = PyImport_ImportModule("builtins");
        if (b == NULL)
            goto fail;
        builtin_print = PyObject_GetAttrString(b, "print");
        Py_DECREF(b);
        if (builtin_print == NULL)
            goto fail;
    }
    tuple = PyList_AsTuple(args);
    kw = PyDict_New();
    if (tuple == NULL || kw == NULL)
        goto fail;
    const char *names[2] = {"sep", "end"}, *vals[2] = {sep, end};
    for (int k = 0; k < 2; k++) {
        if (vals[k] == NULL)
            continue;
        PyObject *v = PyUnicode_DecodeUTF8(vals[k], (Py_ssize_t)strlen(vals[k]), "surrogateescape");
        if (v == NULL || PyDict_SetItemString(kw, names[k], v) < 0) {
            Py_XDECREF(v);
            goto fail;
        }
        Py_DECREF(v);
    }
    res = PyObject_Call(builtin_print, tuple, kw);
    if (res == NULL)
        goto fail;
    rc = 0;
    goto done;
fail:
    ctx_take_error(ctx, print_error_kind(), "print() failed");
done:
    Py_XDECREF(res);
    Py_XDECREF(kw);
    Py_XDECREF(tuple);
    Py_XDECREF(args);
    PyGILState_Release(g);
    return rc;
}

/* The ctx->strfn hook (sejit_abi.h): CPython's own str operations for what
 * the prelude's str helpers leave to it, so results and error messages are
 * CPython's. */
static int
rt_strfn(sejit_ctx *ctx, int op, const sejit_array *s, sejit_array *out, double *f, int64_t *i)
{
    int rc = -1;
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *u = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, s->data, (Py_ssize_t)s->shape[0]);
    PyObject *r = NULL;
    if (u == NULL)
        goto fail;
    switch (op) {
    case SEJIT_STR_FLOAT:
        r = PyFloat_FromString(u);
        if (r != NULL)
            *f = PyFloat_AS_DOUBLE(r);
        break;
    case SEJIT_STR_INT:
        r = PyLong_FromUnicodeObject(u, 10);
        if (r != NULL) {
            int overflow = 0;
            long long v = PyLong_AsLongLongAndOverflow(r, &overflow);
            if (overflow != 0) {
                PyErr_SetString(PyExc_OverflowError, "int() of a string: the integer does not fit in int64");
                goto fail;
            }
            *i = (int64_t)v;
        }
        break;
    case SEJIT_STR_LOWER:
    case SEJIT_STR_UPPER:
        r = PyObject_CallMethod(u, op == SEJIT_STR_LOWER ? "lower" : "upper", NULL);
        if (r != NULL) {
            int64_t n = (int64_t)PyUnicode_GET_LENGTH(r);
            if (ctx->alloc(ctx, SEJIT_UINT32, 1, &n, out) < 0)
                goto done; /* ctx holds alloc's error */
            if (n > 0 && PyUnicode_AsUCS4(r, (Py_UCS4 *)out->data, (Py_ssize_t)n, 0) == NULL)
                goto fail;
        }
        break;
    case SEJIT_STR_ISDIGIT:
    case SEJIT_STR_ISALPHA:
        r = PyObject_CallMethod(u, op == SEJIT_STR_ISDIGIT ? "isdigit" : "isalpha", NULL);
        if (r != NULL)
            *i = r == Py_True;
        break;
    default:
        PyErr_SetString(PyExc_RuntimeError, "sejit: unknown string operation");
    }
    if (r == NULL)
        goto fail;
    rc = 0;
    goto done;
fail:
    ctx_take_error(ctx, print_error_kind(), "string operation failed");
done:
    Py_XDECREF(r);
    Py_XDECREF(u);
    PyGILState_Release(g);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Error helpers (slow paths only)                                          */

/* The callee's display name (qualified, like CPython's own messages). */
static PyObject *
disp_name(PyObject *self)
{
    PyObject *n = PyObject_GetAttrString(self, "__qualname__");
    if (n == NULL || !PyUnicode_Check(n)) {
        Py_XDECREF(n);
        PyErr_Clear();
        n = PyUnicode_FromString("function");
    }
    return n;
}

/* The name of parameter i, from py_func.__code__.co_varnames, or NULL. */
static PyObject *
param_name(PyObject *self, Py_ssize_t i)
{
    PyObject *f = PyObject_GetAttrString(self, "py_func");
    PyObject *code = f != NULL ? PyObject_GetAttrString(f, "__code__") : NULL;
    PyObject *names = code != NULL ? PyObject_GetAttrString(code, "co_varnames") : NULL;
    PyObject *n = NULL;
    if (names != NULL && PyTuple_Check(names) && i < PyTuple_GET_SIZE(names)) {
        n = PyTuple_GET_ITEM(names, i);
        Py_INCREF(n);
    }
    Py_XDECREF(f);
    Py_XDECREF(code);
    Py_XDECREF(names);
    PyErr_Clear();
    return n;
}

/* Raises exc with "<name>() argument <i+1> ('<param>'): <what>". */
static void
arg_error(PyObject *self, PyObject *exc, Py_ssize_t i, const char *what)
{
    PyObject *fn = disp_name(self);
    PyObject *pn = param_name(self, i);
    if (fn == NULL) {
        PyErr_Format(exc, "argument %zd: %s", i + 1, what);
    }
    else if (pn == NULL) {
        PyErr_Format(exc, "%U() argument %zd: %s", fn, i + 1, what);
    }
    else {
        PyErr_Format(exc, "%U() argument %zd (%R): %s", fn, i + 1, pn, what);
    }
    Py_XDECREF(fn);
    Py_XDECREF(pn);
}

/* ------------------------------------------------------------------------ */
/* Ctrl-C                                                                   */
/*
 * Python's own SIGINT handler only records the signal; the interpreter acts
 * on it (KeyboardInterrupt) when it next runs bytecode, which a long kernel
 * running with the GIL released delays until it returns. So the runtime puts
 * its own C handler in front of the one installed (Python's, or whatever C
 * handler the program set): it sets sigint_flag and then calls the previous
 * handler, so Python still sees the signal as usual. A call from the main
 * thread clears the flag and hands the kernel a pointer to it
 * (ctx->interrupt); outer loops poll it and return SEJIT_ERR_INTERRUPT,
 * and the runtime then runs Python's pending signal handlers
 * (PyErr_CheckSignals: KeyboardInterrupt, or the program's own handler),
 * raising KeyboardInterrupt if none raised. Calls from other threads get
 * no pointer: Python delivers KeyboardInterrupt to the main thread only.
 *
 * The handler is installed once, at import and again whenever an entry is
 * registered (in case the program installed a handler of its own since,
 * through signal.signal, which replaces ours): a call costs no system call.
 * A disposition of SIG_DFL or SIG_IGN is left alone (the process dies, or
 * the signal is ignored, as without sejit). */
static volatile int sigint_flag;
static struct sigaction sigint_prev;
static int sigint_ours;               /* our handler was installed */
static unsigned long main_thread_id;  /* threading.main_thread().ident */

static void
sigint_handler(int sig, siginfo_t *info, void *uc)
{
    int saved = errno;
    sigint_flag = 1;
    if (sigint_prev.sa_flags & SA_SIGINFO) {
        if (sigint_prev.sa_sigaction != NULL)
            sigint_prev.sa_sigaction(sig, info, uc);
    }
    else if (sigint_prev.sa_handler != SIG_DFL && sigint_prev.sa_handler != SIG_IGN &&
             sigint_prev.sa_handler != NULL) {
        sigint_prev.sa_handler(sig);
    }
    errno = saved;
}

/* Puts sigint_handler in front of SIGINT's current handler unless it is
 * there already. Best effort: a failure leaves kernels uninterruptible. */
static void
sigint_install(void)
{
    struct sigaction cur, sa;
    if (sigaction(SIGINT, NULL, &cur) != 0)
        return;
    if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == sigint_handler)
        return;
    if (!(cur.sa_flags & SA_SIGINFO) && (cur.sa_handler == SIG_DFL || cur.sa_handler == SIG_IGN))
        return;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = sigint_handler;
    sa.sa_mask = cur.sa_mask;
    sa.sa_flags = (cur.sa_flags & ~SA_RESETHAND) | SA_SIGINFO;
    /* Not running yet: nothing reads sigint_prev while it is written. */
    sigint_prev = cur;
    if (sigaction(SIGINT, &sa, NULL) == 0)
        sigint_ours = 1;
}

/* The key of CPython's str hash (sejit_ctx.strhash), copied into every
 * call's context: _Py_HashSecret's SipHash key, found by name, and trusted
 * only when sejit_str_hash under it gives hash() of strings of each width
 * (1, 2 and 4 bytes a character, empty and long ones). Otherwise (another
 * hash algorithm, the symbol not exported) strhash_bad stays set and
 * compiled sets of strings fail with a RuntimeError instead of iterating in
 * an order CPython would not. */
static uint64_t rt_strhash[2];
static int rt_strhash_bad = 1;

static void
strhash_init(void)
{
    static const char *samples[] = {"", "a", "sejit", "abcdefgh", "caf\xc3\xa9 cr\xc3\xa8me",
                                    "\xe2\x82\xac uro \xe2\x82\xac", "\xf0\x9f\x98\x80 smile",
                                    "a longer string that spans several SipHash words"};
    const uint64_t *secret = (const uint64_t *)dlsym(RTLD_DEFAULT, "_Py_HashSecret");
    if (secret == NULL)
        return;
    memcpy(rt_strhash, secret, sizeof rt_strhash);
    for (size_t k = 0; k < sizeof samples / sizeof samples[0]; k++) {
        PyObject *s = PyUnicode_FromString(samples[k]);
        if (s == NULL) {
            PyErr_Clear();
            return;
        }
        Py_UCS4 *cp = PyUnicode_AsUCS4Copy(s);
        Py_hash_t want = PyObject_Hash(s);
        int64_t n = (int64_t)PyUnicode_GET_LENGTH(s);
        Py_DECREF(s);
        if (cp == NULL || want == -1) {
            PyMem_Free(cp);
            PyErr_Clear();
            return;
        }
        int64_t got = sejit_str_hash(rt_strhash, (const uint32_t *)cp, n);
        PyMem_Free(cp);
        if (got != (int64_t)want)
            return;
    }
    rt_strhash_bad = 0;
}

/* Sets main_thread_id. Importing threading for it would cost `import sejit`
 * a module it otherwise never loads (tests/test_latency_imports.py), so it
 * is asked only when the program has imported it: without threading, the
 * thread importing sejit is the main one (short of _thread.start_new_thread).
 * Returns 0, or -1 with an exception. */
static int
find_main_thread(void)
{
    PyObject *name = PyUnicode_FromString("threading");
    if (name == NULL)
        return -1;
    PyObject *threading = PyImport_GetModule(name); /* NULL, no error: not imported */
    Py_DECREF(name);
    if (threading == NULL) {
        if (PyErr_Occurred())
            return -1;
        main_thread_id = PyThread_get_thread_ident();
        return 0;
    }
    PyObject *mainth = PyObject_CallMethod(threading, "main_thread", NULL);
    Py_DECREF(threading);
    PyObject *ident = mainth != NULL ? PyObject_GetAttrString(mainth, "ident") : NULL;
    Py_XDECREF(mainth);
    if (ident == NULL)
        return -1;
    main_thread_id = PyLong_AsUnsignedLong(ident);
    Py_DECREF(ident);
    return main_thread_id == (unsigned long)-1 && PyErr_Occurred() ? -1 : 0;
}

/* The interrupt flag for a call from this thread, cleared; NULL when the
 * kernel must not poll. */
static inline const volatile int *
sigint_for_call(void)
{
    if (!sigint_ours || PyThread_get_thread_ident() != main_thread_id)
        return NULL;
    sigint_flag = 0;
    return &sigint_flag;
}


/* Raises KeyError(key) for "TYPE:VALUE": TYPE is int, float, bool or a
 * NumPy scalar type's name (int64, uint8, float32, bool, ...), VALUE the key
 * in decimal, or M:E for a float key; or "str:TEXT" for a string key. */
static void
set_key_error(const char *spec)
{
    const char *colon = strchr(spec, ':');
    PyObject *key = NULL;
    if (strncmp(spec, "str:", 4) == 0) {
        /* A string key: its text, formatted by the print hook (at most 255
         * bytes of the message, cut at a character boundary). */
        key = PyUnicode_DecodeUTF8(spec + 4, (Py_ssize_t)strlen(spec + 4), "surrogatepass");
        colon = NULL;
    }
    if (colon != NULL) {
        char type[32];
        size_t n = (size_t)(colon - spec);
        if (n < sizeof type) {
            memcpy(type, spec, n);
            type[n] = '\0';
            const char *colon2 = strchr(colon + 1, ':');
            PyObject *num;
            if (colon2 != NULL) {
                /* A float key: M:E is M * 2**E; M = 0 with E = 0, 3, 1, -1, 2
                 * for 0.0, -0.0, inf, -inf, nan (lower/dicts.go). */
                long long m = strtoll(colon + 1, NULL, 10), e = strtoll(colon2 + 1, NULL, 10);
                double x;
                if (m != 0)
                    x = ldexp((double)m, (int)e);
                else
                    x = e == 3 ? -0.0 : e == 1 ? Py_HUGE_VAL : e == -1 ? -Py_HUGE_VAL : e == 2 ? Py_NAN : 0.0;
                num = PyFloat_FromDouble(x);
            } else {
                num = PyLong_FromString(colon + 1, NULL, 10);
            }
            if (num != NULL && (strcmp(type, "int") == 0 || strcmp(type, "float") == 0)) {
                key = num;
                num = NULL;
            } else if (num != NULL && strcmp(type, "bool") == 0) {
                key = PyBool_FromLong(PyObject_IsTrue(num));
            } else if (num != NULL) {
                PyObject *np = PyImport_ImportModule("numpy");
                if (np != NULL) {
                    key = PyObject_CallMethod(np, type, "O", num);
                    Py_DECREF(np);
                }
            }
            Py_XDECREF(num);
        }
    }
    if (key == NULL) {
        PyErr_Clear();
        PyErr_SetString(PyExc_KeyError, spec);
        return;
    }
    PyErr_SetObject(PyExc_KeyError, key);
    Py_DECREF(key);
}

static void
raise_kernel_error(sejit_ctx *ctx)
{
    if (ctx->err == SEJIT_ERR_INTERRUPT) {
        /* Python's handler saw the signal too: run the program's handler
         * now (KeyboardInterrupt by default), and raise KeyboardInterrupt
         * if it returned normally, since the kernel stopped half-way. */
        sigint_flag = 0;
        if (PyErr_CheckSignals() < 0)
            return;
        PyErr_SetNone(PyExc_KeyboardInterrupt);
        return;
    }
    ctx->msg[sizeof ctx->msg - 1] = '\0';
    if (ctx->err == SEJIT_ERR_KEY && strncmp(ctx->msg, "sejit:key:", 10) == 0) {
        /* A dict's or set's missing key (lower/dicts.go): "sejit:key:TYPE:VALUE",
         * raised with the key object, as CPython does. */
        set_key_error(ctx->msg + 10);
        return;
    }
    sejit_raise_error_code(ctx);
}

/* ------------------------------------------------------------------------ */
/* Unpacking arguments                                                      */

typedef union {
    sejit_array a;
    sejit_scalar s;
} argslot;

/* Fills slot from o, classified as code. Returns 0, 1 for an array whose
 * data or strides are not multiples of its item size (filled as it is: the
 * caller replaces it by an aligned copy before the kernel sees it), or -1
 * with an exception. */
static inline int
unpack_arg(PyObject *self, entry *e, Py_ssize_t i, PyObject *o, uint32_t code, argslot *slot,
           npy_intp *elems)
{
    if (CODE_KIND(code) == KIND_ARRAY) {
        PyArrayObject *a = (PyArrayObject *)o;
        sejit_array *d = &slot->a;
        /* The classification guarantees the array's item size is the dtype's. */
        int shift = dtype_itemshift[CODE_DTYPE(code)];
        npy_intp mask = ((npy_intp)1 << shift) - 1;
        int nd = PyArray_NDIM(a);
        char *data = PyArray_BYTES(a);
        if (e->writes[i] && !PyArray_ISWRITEABLE(a)) {
            PyObject *pn = param_name(self, i);
            if (pn != NULL)
                PyErr_Format(PyExc_ValueError,
                             "assignment destination is read-only (argument %R)", pn);
            else
                PyErr_Format(PyExc_ValueError,
                             "assignment destination is read-only (argument %zd)", i + 1);
            Py_XDECREF(pn);
            return -1;
        }
        npy_intp size = 1, bad = 0;
        const npy_intp *dims = PyArray_DIMS(a), *strides = PyArray_STRIDES(a);
        for (int k = 0; k < nd; k++) {
            npy_intp n = dims[k], s = strides[k];
            size *= n;
            /* A stride is never used to step along an extent of 0 or 1. */
            if (n > 1)
                bad |= s & mask;
            d->shape[k] = (int64_t)n;
            /* Exact for a multiple of the item size (an arithmetic shift
             * in GCC and Clang, negative strides included); a stride that
             * is not one is never used. */
            d->strides[k] = (int64_t)(s >> shift);
        }
        if (size != 0)
            bad |= (npy_intp)((uintptr_t)data & (uintptr_t)mask);
        *elems += size;
        d->obj = o;
        d->data = data;
        /* Misaligned: the caller gives the kernel an aligned copy (realign). */
        return bad != 0;
    }

    sejit_scalar *s = &slot->s;
    int dt = (int)CODE_DTYPE(code);
    if (CODE_FLAGS(code) & FLAG_WEAK) {
        switch (dt) {
        case SEJIT_INT64: {
            int overflow = 0;
            long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
            if (overflow) {
                arg_error(self, PyExc_OverflowError, i, "Python int too large to convert to int64");
                return -1;
            }
            if (v == -1 && PyErr_Occurred())
                return -1;
            s->i64 = (int64_t)v;
            return 0;
        }
        case SEJIT_FLOAT64: {
            double v = PyFloat_CheckExact(o) ? PyFloat_AS_DOUBLE(o) : PyFloat_AsDouble(o);
            if (v == -1.0 && PyErr_Occurred())
                return -1;
            s->f64 = v;
            return 0;
        }
        case SEJIT_COMPLEX128: {
            Py_complex c = PyComplex_AsCComplex(o);
            if (c.real == -1.0 && PyErr_Occurred())
                return -1;
            s->c128.re = c.real;
            s->c128.im = c.imag;
            return 0;
        }
        case SEJIT_BOOL:
            s->b = o == Py_True;
            return 0;
        default:
            break;
        }
        PyErr_SetString(PyExc_RuntimeError, "sejit: bad weak scalar code");
        return -1;
    }
    if (PyBool_Check(o)) {
        s->b = o == Py_True;
        return 0;
    }
    /* A NumPy scalar of a supported dtype: its value in native layout. */
    memset(s, 0, sizeof *s);
    PyArray_ScalarAsCtype(o, s);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Boxing results                                                           */

static PyObject *
box_scalar(const sejit_scalar *s, int dt, int numpy)
{
    if (numpy) {
        /* The common NumPy scalars directly: PyArray_Scalar goes through the
         * descriptor and costs about twice as much. */
        PyObject *o;
        switch (dt) {
        case SEJIT_FLOAT64:
            o = PyArrayScalar_New(Double);
            if (o != NULL)
                PyArrayScalar_ASSIGN(o, Double, s->f64);
            return o;
        case SEJIT_INT64:
#if NPY_SIZEOF_LONG == 8 /* np.int64 is C long here, np.longlong another type */
            o = PyArrayScalar_New(Long);
            if (o != NULL)
                PyArrayScalar_ASSIGN(o, Long, (npy_long)s->i64);
#else
            o = PyArrayScalar_New(LongLong);
            if (o != NULL)
                PyArrayScalar_ASSIGN(o, LongLong, (npy_longlong)s->i64);
#endif
            return o;
        case SEJIT_BOOL:
            PyArrayScalar_RETURN_BOOL_FROM_LONG(s->b != 0);
        default:
            return PyArray_Scalar((void *)s, dtype_descr[dt], NULL);
        }
    }
    switch (dt) {
    case SEJIT_BOOL: return PyBool_FromLong(s->b != 0);
    case SEJIT_INT64: return PyLong_FromLongLong((long long)s->i64);
    case SEJIT_FLOAT64: return PyFloat_FromDouble(s->f64);
    case SEJIT_COMPLEX128: return PyComplex_FromDoubles(s->c128.re, s->c128.im);
    default:
        /* PyArray_Scalar copies the value; it does not steal the descr. */
        return PyArray_Scalar((void *)s, dtype_descr[dt], NULL);
    }
}

/* The owner a kernel names for a returned array must be one this call knows:
 * an array argument, an array the kernel allocated, or an array of a list
 * argument (whose addresses the Python side wrote into an owner-words
 * argument, lists.py; the caller's list holds them during the call).
 * Anything else would be a bug in the kernel, and dereferencing it could
 * crash. */
static int
known_owner(void *obj, PyObject *const *args, Py_ssize_t nargs, const uint32_t *key,
            const callstate *cs, const uint8_t *owners)
{
    for (int i = 0; i < cs->n; i++)
        if ((void *)cs->objs[i] == obj)
            return 1;
    for (Py_ssize_t i = 0; i < nargs; i++)
        if (CODE_KIND(key[i]) == KIND_ARRAY && (void *)args[i] == obj)
            return 1;
    for (Py_ssize_t i = 0; owners != NULL && i < nargs; i++) {
        if (!owners[i])
            continue;
        PyArrayObject *w = (PyArrayObject *)args[i];
        for (npy_intp k = 0; k < PyArray_DIM(w, 0); k++)
            if (*(int64_t *)PyArray_GETPTR1(w, k) == (int64_t)(intptr_t)obj)
                return 1;
    }
    return 0;
}

/* Arguments the kernel sees in place of the caller's arrays (realign_args):
 * per argument index, the caller's array and the aligned array the kernel
 * got instead (both NULL when the kernel got the argument itself). A copy
 * that keeps the original's strides (same_layout) maps back by a constant
 * byte offset, delta; a C-ordered copy maps back through its index space. */
typedef struct {
    PyObject **orig, **copy;
    Py_ssize_t *delta;
    uint8_t *same_layout;
} realign;

/* The caller's array itself when data, shape and strides match it, else a
 * view of it (new references). */
static PyObject *
view_of(PyObject *owner, int nd, int dt, char *data, const npy_intp *dims,
        const npy_intp *strides)
{
    PyArrayObject *oa = (PyArrayObject *)owner;
    int tn = PyArray_TYPE(oa);
    int same = data == PyArray_BYTES(oa) && nd == PyArray_NDIM(oa) && tn >= 0 &&
               tn < NTYPENUMS && typenum_dtype[tn] == dt;
    for (int k = 0; k < nd && same; k++)
        if (dims[k] != PyArray_DIM(oa, k) || strides[k] != PyArray_STRIDE(oa, k))
            same = 0;
    if (same) {
        Py_INCREF(owner);
        return owner;
    }
    Py_INCREF(dtype_descr[dt]); /* stolen by PyArray_NewFromDescr */
    int flags = PyArray_ISWRITEABLE(oa) ? NPY_ARRAY_WRITEABLE : 0;
    PyObject *view = PyArray_NewFromDescr(&PyArray_Type, dtype_descr[dt], nd, dims,
                                          (npy_intp *)strides, data, flags, NULL);
    if (view == NULL)
        return NULL;
    Py_INCREF(owner); /* stolen by PyArray_SetBaseObject, even on failure */
    if (PyArray_SetBaseObject((PyArrayObject *)view, owner) < 0) {
        Py_DECREF(view);
        return NULL;
    }
    return view;
}

/* Maps a returned view (data, dims, byte strides) of the C-ordered copy cp
 * of orig onto orig: the view's first element has an index vector in the
 * copy; each axis of the view steps that vector by a fixed vector (read off
 * its second element), which gives the stride in orig. Exact when every
 * element of the view stays in the copy's bounds along those vectors (checked
 * on the box the view spans). Returns 0, or -1 when the view is no strided
 * view of orig. */
static __attribute__((cold)) int
map_c_copy(PyArrayObject *orig, PyArrayObject *cp, int nd, char **data, const npy_intp *dims,
           npy_intp *strides)
{
    int ond = PyArray_NDIM(orig);
    npy_intp isz = PyArray_ITEMSIZE(orig), size = PyArray_SIZE(cp);
    const npy_intp *S = PyArray_DIMS(orig), *os = PyArray_STRIDES(orig);
    for (int r = 0; r < nd; r++)
        if (dims[r] == 0) { /* empty: any view of orig will do */
            *data = PyArray_BYTES(orig);
            for (int k = 0; k < nd; k++)
                strides[k] = 0;
            return 0;
        }
    npy_intp c[SEJIT_MAXDIM], idx0[SEJIT_MAXDIM], lo[SEJIT_MAXDIM], hi[SEJIT_MAXDIM];
    npy_intp run = 1;
    for (int k = ond - 1; k >= 0; k--) {
        c[k] = run;
        run *= S[k];
    }
    ptrdiff_t offb = *data - PyArray_BYTES(cp);
    if (offb < 0 || offb / isz >= size)
        return -1;
    npy_intp off = offb / isz, within = offb % isz;
    char *odata = PyArray_BYTES(orig) + within;
    for (int k = 0; k < ond; k++) {
        idx0[k] = lo[k] = hi[k] = (off / c[k]) % S[k];
        odata += idx0[k] * os[k];
    }
    for (int r = 0; r < nd; r++) {
        if (dims[r] == 1) {
            strides[r] = r < ond ? os[r] : 0;
            continue;
        }
        if (strides[r] % isz != 0)
            return -1;
        npy_intp next = off + strides[r] / isz, ostride = 0;
        if (next < 0 || next >= size)
            return -1;
        for (int k = 0; k < ond; k++) {
            npy_intp step = (next / c[k]) % S[k] - idx0[k], ext = step * (dims[r] - 1);
            ostride += step * os[k];
            if (ext < 0)
                lo[k] += ext;
            else
                hi[k] += ext;
        }
        strides[r] = ostride;
    }
    for (int k = 0; k < ond; k++)
        if (lo[k] < 0 || hi[k] >= S[k])
            return -1;
    *data = odata;
    return 0;
}

/* A returned array leaf's extents and byte strides, for NumPy. Returns 0, or
 * -1 with an exception for a negative extent. */
static int
leaf_extents(const sejit_array *l, const retnode *n, npy_intp *dims, npy_intp *strides)
{
    npy_intp isz = dtype_itemsize[n->dtype];
    for (int k = 0; k < n->ndim; k++) {
        if (l->shape[k] < 0) {
            PyErr_SetString(PyExc_RuntimeError, "sejit: compiled kernel returned a negative extent");
            return -1;
        }
        dims[k] = (npy_intp)l->shape[k];
        strides[k] = (npy_intp)l->strides[k] * isz;
    }
    return 0;
}

/* A returned array whose owner is the aligned copy of argument i: the same
 * elements of the caller's array (issue 10: a returned argument shares the
 * argument's memory). */
static __attribute__((cold)) PyObject *
box_realigned(const sejit_array *l, const retnode *n, const realign *ra, Py_ssize_t i)
{
    int nd = n->ndim, dt = n->dtype;
    npy_intp dims[SEJIT_MAXDIM], strides[SEJIT_MAXDIM];
    if (leaf_extents(l, n, dims, strides) < 0)
        return NULL;
    char *data = l->data;
    if (ra->same_layout[i])
        data += ra->delta[i];
    else if (map_c_copy((PyArrayObject *)ra->orig[i], (PyArrayObject *)ra->copy[i], nd, &data,
                        dims, strides) < 0) {
        PyErr_SetString(PyExc_RuntimeError,
                        "sejit: a returned view of a realigned argument is no view of the "
                        "argument; pass an aligned copy (numpy.ascontiguousarray)");
        return NULL;
    }
    return view_of(ra->orig[i], nd, dt, data, dims, strides);
}

static PyObject *
box_array(const sejit_array *l, const retnode *n, PyObject *const *args, Py_ssize_t nargs,
          const uint32_t *key, const callstate *cs, const realign *ra, const uint8_t *owners)
{
    if (l->obj == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "sejit: compiled kernel returned an array without owner");
        return NULL;
    }
    if (ra != NULL)
        for (Py_ssize_t i = 0; i < nargs; i++)
            if (ra->copy[i] != NULL && (void *)ra->copy[i] == l->obj)
                return box_realigned(l, n, ra, i);
    if (!known_owner(l->obj, args, nargs, key, cs, owners)) {
        PyErr_SetString(PyExc_RuntimeError,
                        "sejit: compiled kernel returned an array owned by an unknown object");
        return NULL;
    }
    int nd = n->ndim, dt = n->dtype;
    npy_intp dims[SEJIT_MAXDIM], strides[SEJIT_MAXDIM];
    if (leaf_extents(l, n, dims, strides) < 0)
        return NULL;
    return view_of((PyObject *)l->obj, nd, dt, l->data, dims, strides);
}

/* Item i of a list's buffer a of the given dtype, as a Python number (list
 * items stay Python numbers, not NumPy scalars). */
static PyObject *
box_list_item(const sejit_array *a, int64_t i, int dtype)
{
    size_t isz = (size_t)dtype_itemsize[dtype];
    sejit_scalar s;
    memset(&s, 0, sizeof s);
    memcpy(&s, (const char *)a->data + (size_t)(i * a->strides[0]) * isz, isz);
    return box_scalar(&s, dtype, 0);
}

/* A new Python list of the first len items of buffer a (a RET_LIST node n). */
static PyObject *
box_list(const retnode *n, const sejit_array *a, int64_t len)
{
    if (len < 0 || len > a->shape[0]) {
        PyErr_SetString(PyExc_RuntimeError, "sejit: compiled kernel returned a list longer than its buffer");
        return NULL;
    }
    PyObject *l = PyList_New((Py_ssize_t)len);
    if (l == NULL)
        return NULL;
    for (int64_t i = 0; i < len; i++) {
        PyObject *item = box_list_item(a, i, n->dtype);
        if (item == NULL) {
            Py_DECREF(l);
            return NULL;
        }
        PyList_SET_ITEM(l, (Py_ssize_t)i, item);
    }
    return l;
}

/* A returned list of lists (RET_LISTLIST node n): one Python list per box,
 * shared by the items that share the box; with n->numpy (the origins flag)
 * the tuple (list, origins). */
static PyObject *
box_list_list(const retnode *n, const sejit_slot *ret, int *leaf)
{
    const sejit_array *ow = &ret[*leaf].a, *dw = &ret[*leaf + 1].a;
    int64_t len = ret[*leaf + 2].s.i64;
    *leaf += 3;
    if (len < 0 || len > ow->shape[0] || len > dw->shape[0]) {
        PyErr_SetString(PyExc_RuntimeError, "sejit: compiled kernel returned a list longer than its buffer");
        return NULL;
    }
    PyObject *l = PyList_New((Py_ssize_t)len), *seen = PyDict_New();
    PyObject *orig = n->numpy ? PyList_New((Py_ssize_t)len) : NULL;
    if (l == NULL || seen == NULL || (n->numpy && orig == NULL))
        goto fail;
    for (int64_t i = 0; i < len; i++) {
        const int64_t *box = (const int64_t *)(intptr_t)((const int64_t *)dw->data)[i * dw->strides[0]];
        PyObject *key = PyLong_FromVoidPtr((void *)box);
        if (key == NULL)
            goto fail;
        PyObject *item = PyDict_GetItemWithError(seen, key);
        if (item != NULL)
            Py_INCREF(item);
        else if (!PyErr_Occurred()) {
            if (box[0] < 0 || box[0] > box[3]) {
                Py_DECREF(key);
                PyErr_SetString(PyExc_RuntimeError, "sejit: compiled kernel returned a list longer than its buffer");
                goto fail;
            }
            sejit_array a;
            memset(&a, 0, sizeof a);
            a.data = (char *)(intptr_t)box[2];
            a.shape[0] = box[3];
            a.strides[0] = 1;
            item = box_list(n, &a, box[0]);
            if (item != NULL && PyDict_SetItem(seen, key, item) < 0)
                Py_CLEAR(item);
        }
        Py_DECREF(key);
        if (item == NULL)
            goto fail;
        PyList_SET_ITEM(l, (Py_ssize_t)i, item);
        if (orig != NULL) {
            PyObject *o = PyLong_FromLongLong(box[4]);
            if (o == NULL)
                goto fail;
            PyList_SET_ITEM(orig, (Py_ssize_t)i, o);
        }
    }
    Py_DECREF(seen);
    if (orig == NULL)
        return l;
    PyObject *t = PyTuple_Pack(2, l, orig);
    Py_DECREF(l);
    Py_DECREF(orig);
    return t;
fail:
    Py_XDECREF(l);
    Py_XDECREF(seen);
    Py_XDECREF(orig);
    return NULL;
}

/* A new Python list of len items (to be set) for a list held in nbufs
 * buffers of one length; a length past any buffer's extent is a kernel bug,
 * a RuntimeError. */
static PyObject *
new_list_of(const sejit_slot *bufs, int nbufs, int64_t len)
{
    for (int j = 0; j < nbufs; j++)
        if (len < 0 || len > bufs[j].a.shape[0]) {
            PyErr_SetString(PyExc_RuntimeError, "sejit: compiled kernel returned a list longer than its buffer");
            return NULL;
        }
    return PyList_New((Py_ssize_t)len);
}

/* A returned list of tuples: n's field nodes follow it, its leaves are one
 * buffer per field and the length. Items are tuples of Python numbers, as
 * a list's items are. */
static PyObject *
box_tuple_list(const entry *e, const retnode *n, int *pos, int *leaf, const sejit_slot *ret)
{
    int m = n->nitems;
    const retnode *fields = &e->ret[*pos];
    const sejit_slot *bufs = &ret[*leaf];
    *pos += m;
    *leaf += m + 1;
    int64_t len = bufs[m].s.i64;
    PyObject *l = new_list_of(bufs, m, len);
    if (l == NULL)
        return NULL;
    for (int64_t i = 0; i < len; i++) {
        PyObject *t = PyTuple_New(m);
        if (t == NULL) {
            Py_DECREF(l);
            return NULL;
        }
        PyList_SET_ITEM(l, (Py_ssize_t)i, t);
        for (int j = 0; j < m; j++) {
            PyObject *item = box_list_item(&bufs[j].a, i, fields[j].dtype);
            if (item == NULL) {
                Py_DECREF(l);
                return NULL;
            }
            PyTuple_SET_ITEM(t, j, item);
        }
    }
    return l;
}

/* A returned list of arrays: its one item node (an array) follows it, its
 * leaves are the int64 words of the items' descriptors, one buffer per
 * word (owner, data, extents, strides: lower/list_arrays.go), and the
 * length. Each item is boxed as a returned array is: a view whose base is
 * its owner, or the owner itself. */
static PyObject *
box_array_list(const entry *e, int *pos, int *leaf, const sejit_slot *ret, PyObject *const *args,
               Py_ssize_t nargs, const uint32_t *key, const callstate *cs, const realign *ra)
{
    const retnode *item = &e->ret[*pos];
    int nd = item->ndim, nw = 2 + 2 * nd;
    const sejit_slot *bufs = &ret[*leaf];
    *pos += 1;
    *leaf += nw + 1;
    int64_t len = bufs[nw].s.i64;
    PyObject *l = new_list_of(bufs, nw, len);
    if (l == NULL)
        return NULL;
    for (int64_t i = 0; i < len; i++) {
        int64_t w[2 + 4 * SEJIT_MAXDIM];
        for (int j = 0; j < nw; j++)
            w[j] = ((const int64_t *)bufs[j].a.data)[i * bufs[j].a.strides[0]];
        sejit_array a;
        memset(&a, 0, sizeof a);
        a.obj = (void *)(intptr_t)w[0];
        a.data = (char *)(intptr_t)w[1];
        for (int k = 0; k < nd; k++) {
            a.shape[k] = w[2 + k];
            a.strides[k] = w[2 + nd + k];
        }
        PyObject *x = box_array(&a, item, args, nargs, key, cs, ra, e->owners);
        if (x == NULL) {
            Py_DECREF(l);
            return NULL;
        }
        PyList_SET_ITEM(l, (Py_ssize_t)i, x);
    }
    return l;
}

/* Element i of the 1-D array a as the scalar node n boxes it. */
static PyObject *
box_hashed_item(const sejit_array *a, int64_t i, const retnode *n)
{
    size_t isz = (size_t)dtype_itemsize[n->dtype];
    sejit_scalar s;
    memset(&s, 0, sizeof s);
    memcpy(&s, (const char *)a->data + (size_t)(i * a->strides[0]) * isz, isz);
    return box_scalar(&s, n->dtype, n->numpy);
}

/* Item i of a dict's keys or values part at b (a scalar node n: one array;
 * a str node: a list of strings' five leaves), boxed; NULL with an error. */
static PyObject *
box_hashed_part(const sejit_slot *b, const retnode *n, int64_t i)
{
    if (n->kind != RET_STR)
        return box_hashed_item(&b[0].a, i, n);
    const sejit_array *pool = &b[3].a;
    if (i >= b[0].a.shape[0] || i >= b[2].a.shape[0]) {
        PyErr_SetString(PyExc_RuntimeError, "sejit: compiled kernel returned a malformed dict");
        return NULL;
    }
    int64_t st = ((const int64_t *)b[0].a.data)[i * b[0].a.strides[0]];
    int64_t ln = ((const int64_t *)b[2].a.data)[i * b[2].a.strides[0]];
    if (st < 0 || ln < 0 || st + ln > pool->shape[0]) {
        PyErr_SetString(PyExc_RuntimeError, "sejit: compiled kernel returned a malformed dict");
        return NULL;
    }
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, (const Py_UCS4 *)pool->data + st, (Py_ssize_t)ln);
}

/* CPython's dummy key: what a discarded entry of a set's table holds (with
 * the hash -1). It is not exported, so it is read once from a set that had
 * an item discarded; NULL with an exception if that fails. */
static PyObject *
set_dummy(void)
{
    static PyObject *dummy;
    if (dummy != NULL)
        return dummy;
    PyObject *t = PySet_New(NULL), *k = PyLong_FromLong(0);
    if (t != NULL && k != NULL && PySet_Add(t, k) == 0 && PySet_Discard(t, k) == 1) {
        PySetObject *so = (PySetObject *)t;
        for (Py_ssize_t i = 0; i <= so->mask; i++)
            if (so->table[i].key != NULL && so->table[i].hash == -1)
                dummy = so->table[i].key;
    }
    Py_XDECREF(t);
    Py_XDECREF(k);
    if (dummy == NULL && !PyErr_Occurred())
        PyErr_SetString(PyExc_RuntimeError, "sejit: cannot find CPython's set dummy");
    return dummy;
}

/* Gives the emptied set so a table of size slots (a power of two, at least
 * PySet_MINSIZE) whose entries are keys[i] (new references taken here) with
 * hashes[i]; dummy where dummies[i], empty where keys[i] is NULL. fill and
 * used are the table's counts. CPython's set has no call that places an
 * item in a given slot, so this writes the table itself (PySetObject of
 * cpython/setobject.h, 3.11 to 3.13): how a compiled function's set comes
 * back with the layout it had in the kernel, which is CPython's
 * (lower/pyset.go). Returns 0, or -1 with an exception. */
static int
set_put_table(PySetObject *so, Py_ssize_t size, PyObject *const *keys, const Py_hash_t *hashes,
              const char *dummies, Py_ssize_t fill, Py_ssize_t used)
{
    if (size < PySet_MINSIZE || (size & (size - 1)) != 0 || so->used != 0 || so->table != so->smalltable) {
        PyErr_SetString(PyExc_RuntimeError, "sejit: malformed set table");
        return -1;
    }
    PyObject *dummy = NULL;
    for (Py_ssize_t i = 0; i < size && dummy == NULL; i++)
        if (dummies[i] && (dummy = set_dummy()) == NULL)
            return -1;
    setentry *table = so->smalltable;
    if (size > PySet_MINSIZE) {
        table = PyMem_Calloc((size_t)size, sizeof(setentry));
        if (table == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    for (Py_ssize_t i = 0; i < size; i++) {
        if (keys[i] != NULL) {
            Py_INCREF(keys[i]);
            table[i].key = keys[i];
            table[i].hash = hashes[i];
        }
        else if (dummies[i]) {
            table[i].key = dummy; /* CPython does not count references to it */
            table[i].hash = -1;
        }
    }
    so->table = table;
    so->mask = size - 1;
    so->fill = fill;
    so->used = used;
    so->finger = 0;
    return 0;
}

/* set_assign(dst, src): makes the set dst hold src's items in src's very
 * table (the same slots, dummies and counts), so that it iterates as src
 * does: a set argument's final contents written back (lists.reflect). */
static PyObject *
mod_set_assign(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs != 2 || !PySet_CheckExact(args[0]) || !PyAnySet_CheckExact(args[1])) {
        PyErr_SetString(PyExc_TypeError, "set_assign(dst, src) takes a set and a set");
        return NULL;
    }
    PySetObject *src = (PySetObject *)args[1];
    Py_ssize_t size = src->mask + 1;
    PyObject **keys = PyMem_Calloc((size_t)size, sizeof *keys);
    Py_hash_t *hashes = PyMem_Calloc((size_t)size, sizeof *hashes);
    char *dummies = PyMem_Calloc((size_t)size, 1);
    PyObject *res = NULL;
    if (keys == NULL || hashes == NULL || dummies == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < size; i++) {
        const setentry *e = &src->table[i];
        if (e->key != NULL && e->hash == -1)
            dummies[i] = 1;
        else if (e->key != NULL) {
            keys[i] = e->key;
            Py_INCREF(keys[i]); /* src's items survive dst's clear even when dst is src */
            hashes[i] = e->hash;
        }
    }
    Py_ssize_t fill = src->fill, used = src->used;
    if (PySet_Clear(args[0]) < 0 ||
        set_put_table((PySetObject *)args[0], size, keys, hashes, dummies, fill, used) < 0)
        goto done;
    res = Py_NewRef(Py_None);
done:
    if (keys != NULL)
        for (Py_ssize_t i = 0; i < size; i++)
            Py_XDECREF(keys[i]);
    PyMem_Free(keys);
    PyMem_Free(hashes);
    PyMem_Free(dummies);
    return res;
}

/* A returned set of CPython's layout (lower/pyset.go: keys, live flags and
 * table by slot, the fill after the slots, the entries used being the
 * size) as a new set with that very table, so that it iterates as the set
 * CPython's own function would have returned; NULL with an exception.
 * b: the set's leaves, kl the keys' leaf count. */
static PyObject *
box_set_table(const sejit_slot *b, const retnode *kn, int kl)
{
    const sejit_array *live = &b[kl + 1].a, *tab = &b[kl + 2].a;
    int64_t size = b[kl + 3].s.i64, nlive = b[kl + 4].s.i64;
    if (size < PySet_MINSIZE || (size & (size - 1)) != 0 || tab->shape[0] < size + 1 || live->shape[0] < size ||
        nlive < 0 || nlive > size) {
        PyErr_SetString(PyExc_RuntimeError, "sejit: compiled kernel returned a malformed set");
        return NULL;
    }
    const int64_t *t = (const int64_t *)tab->data;
    int64_t fill = t[size * tab->strides[0]];
    PyObject **keys = PyMem_Calloc((size_t)size, sizeof *keys);
    Py_hash_t *hashes = PyMem_Calloc((size_t)size, sizeof *hashes);
    char *dummies = PyMem_Calloc((size_t)size, 1);
    PyObject *out = NULL;
    int64_t n = 0;
    if (keys == NULL || hashes == NULL || dummies == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (int64_t i = 0; i < size; i++) {
        if (((const uint8_t *)live->data)[i * live->strides[0]]) {
            keys[i] = box_hashed_part(b, kn, i);
            if (keys[i] == NULL || (hashes[i] = PyObject_Hash(keys[i])) == -1)
                goto done;
            n++;
        }
        else if (t[i * tab->strides[0]] == -1)
            dummies[i] = 1;
    }
    if (n != nlive || fill < n || fill > size) {
        PyErr_SetString(PyExc_RuntimeError, "sejit: compiled kernel returned a malformed set");
        goto done;
    }
    out = PySet_New(NULL);
    if (out != NULL && set_put_table((PySetObject *)out, (Py_ssize_t)size, keys, hashes, dummies, (Py_ssize_t)fill,
                                     (Py_ssize_t)n) < 0)
        Py_CLEAR(out);
done:
    if (keys != NULL)
        for (int64_t i = 0; i < size; i++)
            Py_XDECREF(keys[i]);
    PyMem_Free(keys);
    PyMem_Free(hashes);
    PyMem_Free(dummies);
    return out;
}

/* A new dict (or set) of the live entries of a returned dict (RET_DICT,
 * RET_SET), in insertion order (a set: with the kernel's table itself,
 * box_set_table): kn is the key node, vn the value node (NULL for a set);
 * its leaves start at *leaf. */
static PyObject *
box_hashed(int dict, const retnode *kn, const retnode *vn, const sejit_slot *ret, int *leaf)
{
    const sejit_slot *b = &ret[*leaf];
    int kl = kn->kind == RET_STR ? 5 : 1, vl = vn != NULL && vn->kind == RET_STR ? 5 : 1;
    const sejit_slot *vals = &b[kl];
    const sejit_array *live = &b[kl + vl].a;
    int64_t used = b[kl + vl + 2].s.i64;
    *leaf += kl + vl + 4;
    if (!dict)
        return box_set_table(b, kn, kl);
    if (used < 0 || used > b[0].a.shape[0] || used > vals[0].a.shape[0] || used > live->shape[0]) {
        PyErr_SetString(PyExc_RuntimeError, "sejit: compiled kernel returned a malformed dict");
        return NULL;
    }
    PyObject *out = dict ? PyDict_New() : PySet_New(NULL);
    if (out == NULL)
        return NULL;
    for (int64_t i = 0; i < used; i++) {
        if (!((const uint8_t *)live->data)[i * live->strides[0]])
            continue;
        PyObject *k = box_hashed_part(b, kn, i);
        if (k == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        int rc;
        if (dict) {
            PyObject *v = box_hashed_part(vals, vn, i);
            if (v == NULL) {
                Py_DECREF(k);
                Py_DECREF(out);
                return NULL;
            }
            rc = PyDict_SetItem(out, k, v);
            Py_DECREF(v);
        }
        else
            rc = PySet_Add(out, k);
        Py_DECREF(k);
        if (rc < 0) {
            Py_DECREF(out);
            return NULL;
        }
    }
    return out;
}

static PyObject *
box_ret(const entry *e, int *pos, int *leaf, const sejit_slot *ret, PyObject *const *args,
        Py_ssize_t nargs, const uint32_t *key, const callstate *cs, const realign *ra)
{
    const retnode *n = &e->ret[(*pos)++];
    switch (n->kind) {
    case RET_NONE:
        Py_RETURN_NONE;
    case RET_SCALAR:
        return box_scalar(&ret[(*leaf)++].s, n->dtype, n->numpy);
    case RET_ARRAY:
        return box_array(&ret[(*leaf)++].a, n, args, nargs, key, cs, ra, e->owners);
    case RET_LIST: {
        if (n->nitems > 0 && e->ret[*pos].kind == RET_ARRAY)
            return box_array_list(e, pos, leaf, ret, args, nargs, key, cs, ra);
        if (n->nitems > 0)
            return box_tuple_list(e, n, pos, leaf, ret);
        const sejit_array *a = &ret[(*leaf)++].a;
        int64_t len = ret[(*leaf)++].s.i64;
        return box_list(n, a, len);
    }
    case RET_STR: {
        const sejit_array *a = &ret[(*leaf)++].a;
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, a->data, (Py_ssize_t)a->shape[0]);
    }
    case RET_LISTLIST:
        return box_list_list(n, ret, leaf);
    case RET_STRLIST: {
        const sejit_array *st = &ret[*leaf].a, *ln = &ret[*leaf + 2].a, *pool = &ret[*leaf + 3].a;
        int64_t len = ret[*leaf + 1].s.i64, used = ret[*leaf + 4].s.i64;
        *leaf += 5;
        if (len < 0 || len > st->shape[0] || len > ln->shape[0] || used < 0 || used > pool->shape[0]) {
            PyErr_SetString(PyExc_RuntimeError, "sejit: compiled kernel returned a malformed list of strings");
            return NULL;
        }
        PyObject *l = PyList_New((Py_ssize_t)len);
        if (l == NULL)
            return NULL;
        const int64_t *s0 = (const int64_t *)st->data, *n0 = (const int64_t *)ln->data;
        const Py_UCS4 *p = (const Py_UCS4 *)pool->data;
        for (int64_t i = 0; i < len; i++) {
            if (s0[i] < 0 || n0[i] < 0 || s0[i] + n0[i] > pool->shape[0]) {
                Py_DECREF(l);
                PyErr_SetString(PyExc_RuntimeError, "sejit: compiled kernel returned a malformed list of strings");
                return NULL;
            }
            PyObject *item = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, p + s0[i], (Py_ssize_t)n0[i]);
            if (item == NULL) {
                Py_DECREF(l);
                return NULL;
            }
            PyList_SET_ITEM(l, (Py_ssize_t)i, item);
        }
        return l;
    }
    case RET_DICT:
    case RET_SET: {
        const retnode *kn = &e->ret[*pos], *vn = n->kind == RET_DICT ? &e->ret[*pos + 1] : NULL;
        *pos += n->nitems;
        return box_hashed(n->kind == RET_DICT, kn, vn, ret, leaf);
    }
    case RET_OPTIONAL: {
        /* The item is boxed either way (None's leaves are zeros and empty
         * arrays), so that pos and leaf move past it. */
        int none = ret[(*leaf)++].s.b != 0;
        PyObject *item = box_ret(e, pos, leaf, ret, args, nargs, key, cs, ra);
        if (item == NULL || !none)
            return item;
        Py_DECREF(item);
        Py_RETURN_NONE;
    }
    default: {
        PyObject *t = PyTuple_New(n->nitems);
        if (t == NULL)
            return NULL;
        for (int i = 0; i < n->nitems; i++) {
            PyObject *item = box_ret(e, pos, leaf, ret, args, nargs, key, cs, ra);
            if (item == NULL) {
                Py_DECREF(t);
                return NULL;
            }
            PyTuple_SET_ITEM(t, i, item);
        }
        return t;
    }
    }
}

/* Moves pos and leaf past the result node at pos and its items, without
 * boxing anything (the layout parse_ret builds). */
static void
skip_ret(const entry *e, int *pos, int *leaf)
{
    const retnode *n = &e->ret[(*pos)++];
    switch (n->kind) {
    case RET_SCALAR:
    case RET_ARRAY:
    case RET_STR:
        (*leaf)++;
        return;
    case RET_STRLIST:
        *leaf += 5;
        return;
    case RET_LISTLIST:
        *leaf += 3;
        return;
    case RET_DICT:
    case RET_SET:
        *leaf += hashed_leaves(n);
        *pos += n->nitems;
        return;
    case RET_LIST:
        if (n->nitems > 0 && e->ret[*pos].kind == RET_ARRAY) {
            *leaf += 3 + 2 * e->ret[*pos].ndim; /* the descriptor words and the length */
            (*pos)++;
        }
        else if (n->nitems > 0) {
            *leaf += n->nitems + 1; /* a buffer per tuple field and the length */
            *pos += n->nitems;
        }
        else
            *leaf += 2; /* the buffer and the length */
        return;
    case RET_OPTIONAL:
        (*leaf)++; /* the None flag */
        /* fall through */
    case RET_TUPLE:
        for (int i = 0; i < n->nitems; i++)
            skip_ret(e, pos, leaf);
        return;
    default:
        return;
    }
}

/* After a kernel failed: attaches the lists it set on failure (the last
 * e->onfail items of its result tuple) to the pending exception, as a tuple
 * in its _sejit_lists attribute, for the caller's lists (_objects.py). The
 * other items are not set on failure and are skipped unread. An error doing
 * so is unraisable: the kernel's exception stays the one. */
static void
attach_failure_lists(const entry *e, const sejit_slot *ret, PyObject *const *args, Py_ssize_t nargs,
                     const uint32_t *key, const callstate *cs, const realign *ra)
{
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    PyErr_NormalizeException(&t, &v, &tb);
    int pos = 1, leaf = 0;
    for (int i = 0; i < e->ret[0].nitems - e->onfail; i++)
        skip_ret(e, &pos, &leaf);
    PyObject *lists = v != NULL ? PyTuple_New(e->onfail) : NULL;
    for (int k = 0; lists != NULL && k < e->onfail; k++) {
        PyObject *l = box_ret(e, &pos, &leaf, ret, args, nargs, key, cs, ra);
        if (l == NULL)
            Py_CLEAR(lists);
        else
            PyTuple_SET_ITEM(lists, k, l);
    }
    if (lists == NULL || PyObject_SetAttrString(v, "_sejit_lists", lists) < 0)
        PyErr_WriteUnraisable(v);
    Py_XDECREF(lists);
    PyErr_Restore(t, v, tb);
}

/* ------------------------------------------------------------------------ */
/* The call                                                                 */

/* The bytes [*lo, *hi) array slot a spans (its rank and item size from its
 * plan step p); 0 when it is empty. */
static inline __attribute__((always_inline)) int
slot_span(const sejit_array *a, const argplan *p, const char **lo, const char **hi)
{
    if (p->ndim == 1) { /* the common case, without the loop */
        int64_t n = a->shape[0], ext = (n - 1) * a->strides[0] * ((int64_t)1 << p->shift);
        *lo = a->data + (ext < 0 ? ext : 0);
        *hi = a->data + (ext < 0 ? 0 : ext) + ((int64_t)1 << p->shift);
        return n != 0;
    }
    int64_t down = 0, up = (int64_t)1 << p->shift;
    for (int k = 0; k < p->ndim; k++) {
        int64_t n = a->shape[k];
        if (n == 0)
            return 0;
        int64_t ext = (n - 1) * a->strides[k] * ((int64_t)1 << p->shift);
        if (ext < 0)
            down += ext;
        else
            up += ext;
    }
    *lo = a->data + down;
    *hi = a->data + up;
    return 1;
}

/* Replaces guarded argument i by a C-ordered copy, recorded in cs (it dies
 * with the call unless returned). Returns 0, or -1 with an exception. */
static __attribute__((cold, noinline)) int
guard_copy(entry *e, Py_ssize_t i, argslot *slots, callstate *cs)
{
    sejit_array *d = &slots[i].a;
    if (callstate_reserve(cs) < 0) {
        PyErr_NoMemory();
        return -1;
    }
    PyObject *copy = PyArray_NewCopy((PyArrayObject *)d->obj, NPY_CORDER);
    if (copy == NULL)
        return -1;
    cs->objs[cs->n++] = copy;
    d->obj = copy;
    d->data = PyArray_BYTES((PyArrayObject *)copy);
    int64_t stride = 1;
    for (int k = e->plan[i].ndim - 1; k >= 0; k--) {
        d->strides[k] = stride;
        stride *= d->shape[k];
    }
    return 0;
}

/* Fills span[2i], span[2i + 1] with the bytes array argument i spans (NULL,
 * NULL when it is empty), for the arguments the overlap guard compares: the
 * general path's part of what fast_unpack records as it goes. */
static void
fill_spans(entry *e, argslot *slots, const char **span)
{
    for (Py_ssize_t i = 0; i < e->nargs; i++)
        if (e->plan[i].span && !slot_span(&slots[i].a, &e->plan[i], &span[2 * i], &span[2 * i + 1]))
            span[2 * i] = span[2 * i + 1] = NULL;
}

/* The overlap guard of the ABI's guard list: an array argument the kernel
 * reads in array statements is replaced by a copy when the bytes it spans
 * intersect those of an argument the kernel writes, so the kernel computes
 * from the values at the call, as NumPy does. Returns 0, or -1 with an
 * exception. */
static inline __attribute__((always_inline)) int
guard_overlaps(entry *e, argslot *slots, const char **span, callstate *cs)
{
    for (int k = 0; k < e->npairs; k++) {
        Py_ssize_t r = e->pairs[k][0], w = e->pairs[k][1];
        const char *rlo = span[2 * r], *rhi = span[2 * r + 1];
        const char *wlo = span[2 * w], *whi = span[2 * w + 1];
        if (rlo != NULL && wlo != NULL && rlo < whi && wlo < rhi) {
            if (guard_copy(e, r, slots, cs) < 0)
                return -1;
            span[2 * r] = span[2 * r + 1] = NULL; /* copied: its other pairs need no test */
        }
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Misaligned arrays (the general path only)                                */

/* An array whose data or strides are not multiples of its item size (NumPy
 * allows it: np.frombuffer at an odd offset, a field of a packed record
 * array, an array Dask's distributed unpickles in place inside a message)
 * is never handed to a kernel as it is: C code may assume natural alignment
 * (GCC's vectoriser does). The kernel gets an aligned copy instead, and what
 * it wrote is copied back into the caller's array after the call, also when
 * the kernel raised (NumPy leaves the writes made before an error in place;
 * so does this, as far as the kernel got).
 *
 * Aliasing must not change meaning: an argument whose bytes overlap those
 * of a misaligned one (the same array twice, x[1:] and x[:-1], an aligned
 * argument over the same buffer) joins its group, and a group of several
 * arrays is copied as one byte range into one aligned buffer, every member
 * a view of it at the same relative place with the same strides. Overlaps
 * between arguments are then exactly those of the originals, so the kernel's
 * own overlap guard (which compares the spans of what it is given) and its
 * sequential reads through aliases see what they would have seen on the
 * caller's memory. When no single placement aligns every member (members
 * misaligned differently, or strides that are no multiple of the item
 * size), members are copied one by one if that cannot change the result
 * (no member written, or no two members sharing an element; numpy's exact
 * shares_memory decides), else the call raises TypeError. A lone array gets
 * a compact C-ordered copy. */

/* The bytes [*lo, *hi) array a spans; 0 when it is empty. */
static int
array_span(PyArrayObject *a, const char **lo, const char **hi)
{
    npy_intp down = 0, up = PyArray_ITEMSIZE(a);
    for (int k = 0; k < PyArray_NDIM(a); k++) {
        npy_intp n = PyArray_DIM(a, k), ext = (n - 1) * PyArray_STRIDE(a, k);
        if (n == 0)
            return 0;
        if (ext < 0)
            down += ext;
        else
            up += ext;
    }
    *lo = PyArray_BYTES(a) + down;
    *hi = PyArray_BYTES(a) + up;
    return 1;
}

static void
realign_free(realign *ra, Py_ssize_t nargs)
{
    if (ra->orig != NULL)
        for (Py_ssize_t i = 0; i < nargs; i++) {
            Py_XDECREF(ra->orig[i]);
            Py_XDECREF(ra->copy[i]);
        }
    PyMem_Free(ra->orig);
    PyMem_Free(ra->copy);
    PyMem_Free(ra->delta);
    PyMem_Free(ra->same_layout);
}

/* Gives argument i the array cp (a new reference, stolen) in place of the
 * caller's. */
static void
realign_set(realign *ra, argslot *slots, const argplan *p, Py_ssize_t i, PyObject *orig,
            PyObject *cp, int same_layout)
{
    PyArrayObject *c = (PyArrayObject *)cp;
    sejit_array *d = &slots[i].a;
    Py_INCREF(orig);
    ra->orig[i] = orig;
    ra->copy[i] = cp;
    ra->same_layout[i] = (uint8_t)same_layout;
    ra->delta[i] = PyArray_BYTES((PyArrayObject *)orig) - PyArray_BYTES(c);
    d->obj = cp;
    d->data = PyArray_BYTES(c);
    for (int k = 0; k < p->ndim; k++)
        d->strides[k] = (int64_t)(PyArray_STRIDE(c, k) >> p->shift);
}

/* A C-ordered copy of the caller's argument i, shared with earlier members
 * of the same group that are the same object. */
static int
realign_c_copy(realign *ra, entry *e, PyObject *const *args, argslot *slots, Py_ssize_t i,
               const Py_ssize_t *members, int nm)
{
    PyObject *cp = NULL;
    for (int m = 0; m < nm && members[m] != i; m++)
        if (args[members[m]] == args[i] && ra->copy[members[m]] != NULL) {
            cp = ra->copy[members[m]];
            Py_INCREF(cp);
            break;
        }
    if (cp == NULL && (cp = PyArray_NewCopy((PyArrayObject *)args[i], NPY_CORDER)) == NULL)
        return -1;
    realign_set(ra, slots, &e->plan[i], i, args[i], cp, 0);
    return 0;
}

/* One group of overlapping arguments, at least one misaligned (bad). */
static int
realign_group(PyObject *self, realign *ra, entry *e, PyObject *const *args, argslot *slots,
              const uint8_t *bad, const Py_ssize_t *members, int nm)
{
    int distinct = 0, written = 0, strided_ok = 1;
    const char *lo = NULL, *hi = NULL;
    for (int m = 0; m < nm; m++) {
        Py_ssize_t i = members[m];
        PyArrayObject *a = (PyArrayObject *)args[i];
        distinct += m == 0 || args[i] != args[members[0]];
        written |= e->writes[i];
        for (int k = 0; k < PyArray_NDIM(a); k++)
            if (PyArray_DIM(a, k) > 1 && PyArray_STRIDE(a, k) % PyArray_ITEMSIZE(a) != 0)
                strided_ok = 0;
        const char *l, *h;
        array_span(a, &l, &h); /* members are never empty */
        if (lo == NULL || l < lo)
            lo = l;
        if (hi == NULL || h > hi)
            hi = h;
    }
    if (distinct > 1 && strided_ok) {
        /* One buffer, placed so that every member is aligned, if any place is. */
        npy_intp nbytes = (npy_intp)(hi - lo) + 64;
        PyObject *buf = PyArray_SimpleNew(1, &nbytes, NPY_UINT8);
        if (buf == NULL)
            return -1;
        char *base = PyArray_BYTES((PyArrayObject *)buf);
        int place = -1;
        for (int p = 0; p < 64 && place < 0; p++) {
            int ok = 1;
            for (int m = 0; m < nm && ok; m++) {
                PyArrayObject *a = (PyArrayObject *)args[members[m]];
                uintptr_t at = (uintptr_t)(base + p + (PyArray_BYTES(a) - lo));
                ok = at % (uintptr_t)PyArray_ITEMSIZE(a) == 0;
            }
            if (ok)
                place = p;
        }
        if (place >= 0) {
            memcpy(base + place, lo, (size_t)(hi - lo));
            for (int m = 0; m < nm; m++) {
                Py_ssize_t i = members[m];
                PyArrayObject *a = (PyArrayObject *)args[i];
                PyArray_Descr *descr = PyArray_DESCR(a);
                Py_INCREF(descr);
                PyObject *v = PyArray_NewFromDescr(
                    &PyArray_Type, descr, PyArray_NDIM(a), PyArray_DIMS(a), PyArray_STRIDES(a),
                    base + place + (PyArray_BYTES(a) - lo), NPY_ARRAY_WRITEABLE, NULL);
                if (v == NULL) {
                    Py_DECREF(buf);
                    return -1;
                }
                Py_INCREF(buf);
                if (PyArray_SetBaseObject((PyArrayObject *)v, buf) < 0) {
                    Py_DECREF(v);
                    Py_DECREF(buf);
                    return -1;
                }
                realign_set(ra, slots, &e->plan[i], i, args[i], v, 1);
            }
            Py_DECREF(buf);
            return 0;
        }
        Py_DECREF(buf);
    }
    if (distinct > 1 && written) {
        /* Separate copies are right only if no two distinct members share an element. */
        static PyObject *shares = NULL;
        if (shares == NULL) {
            PyObject *np = PyImport_ImportModule("numpy");
            shares = np != NULL ? PyObject_GetAttrString(np, "shares_memory") : NULL;
            Py_XDECREF(np);
            if (shares == NULL)
                return -1;
        }
        for (int m = 0; m < nm; m++)
            for (int q = m + 1; q < nm; q++) {
                if (args[members[m]] == args[members[q]])
                    continue;
                PyObject *r = PyObject_CallFunctionObjArgs(shares, args[members[m]],
                                                           args[members[q]], NULL);
                int t = r != NULL ? PyObject_IsTrue(r) : -1;
                Py_XDECREF(r);
                if (t < 0)
                    return -1;
                if (t) {
                    Py_ssize_t i = bad[members[m]] ? members[m] : members[q];
                    arg_error(self, PyExc_TypeError, i,
                              "array data or strides are not a multiple of the item size, and "
                              "it shares memory with another argument in a way no aligned copy "
                              "can keep; pass a copy (numpy.ascontiguousarray)");
                    return -1;
                }
            }
    }
    for (int m = 0; m < nm; m++)
        if (bad[members[m]] && realign_c_copy(ra, e, args, slots, members[m], members, nm) < 0)
            return -1;
    return 0;
}

/* Replaces the misaligned array arguments (bad[i]) and those overlapping
 * them by aligned arrays, recorded in ra. Returns 0, or -1 with an
 * exception (ra then holds what was made so far, for realign_free). */
static __attribute__((cold, noinline)) int
realign_args(PyObject *self, entry *e, PyObject *const *args, Py_ssize_t nargs, argslot *slots,
             const uint8_t *bad, realign *ra)
{
    int rc = -1;
    Py_ssize_t *group = NULL, *members = NULL;
    const char **span = NULL;
    ra->orig = PyMem_Calloc((size_t)nargs, sizeof(PyObject *));
    ra->copy = PyMem_Calloc((size_t)nargs, sizeof(PyObject *));
    ra->delta = PyMem_Calloc((size_t)nargs, sizeof(Py_ssize_t));
    ra->same_layout = PyMem_Calloc((size_t)nargs, 1);
    group = PyMem_Malloc((size_t)nargs * sizeof *group);
    members = PyMem_Malloc((size_t)nargs * sizeof *members);
    span = PyMem_Calloc((size_t)nargs * 2, sizeof *span);
    if (ra->orig == NULL || ra->copy == NULL || ra->delta == NULL || ra->same_layout == NULL ||
        group == NULL || members == NULL || span == NULL) {
        PyErr_NoMemory();
        goto out;
    }
    /* Groups: each misaligned argument, with every array argument whose bytes
     * overlap a member's, transitively (a handful of arguments: quadratic). */
    for (Py_ssize_t i = 0; i < nargs; i++) {
        group[i] = bad[i] ? i : -1;
        if (CODE_KIND(e->key[i]) != KIND_ARRAY ||
            !array_span((PyArrayObject *)args[i], &span[2 * i], &span[2 * i + 1]))
            span[2 * i] = span[2 * i + 1] = NULL;
    }
    for (int changed = 1; changed;) {
        changed = 0;
        for (Py_ssize_t i = 0; i < nargs; i++)
            for (Py_ssize_t j = 0; j < nargs; j++) {
                if (group[i] < 0 || group[j] == group[i] || span[2 * j] == NULL ||
                    !(span[2 * i] < span[2 * j + 1] && span[2 * j] < span[2 * i + 1]))
                    continue;
                Py_ssize_t from = group[j], to = group[i];
                for (Py_ssize_t k = 0; k < nargs; k++)
                    if (k == j || (from >= 0 && group[k] == from))
                        group[k] = to;
                changed = 1;
            }
    }
    for (Py_ssize_t g = 0; g < nargs; g++) {
        int nm = 0;
        for (Py_ssize_t i = 0; i < nargs; i++)
            if (group[i] == g)
                members[nm++] = i;
        if (nm > 0 && realign_group(self, ra, e, args, slots, bad, members, nm) < 0)
            goto out;
    }
    rc = 0;
out:
    PyMem_Free(group);
    PyMem_Free(members);
    PyMem_Free(span);
    return rc;
}

/* Copies what the kernel may have written into aligned copies back into the
 * caller's arrays. Returns 0, or -1 with an exception. */
static __attribute__((cold, noinline)) int
realign_write_back(entry *e, const realign *ra, Py_ssize_t nargs)
{
    for (Py_ssize_t i = 0; i < nargs; i++) {
        if (ra->orig[i] == NULL || !e->writes[i])
            continue;
        int done = 0; /* the same copy into the same array once */
        for (Py_ssize_t j = 0; j < i && !done; j++)
            done = e->writes[j] && ra->orig[j] == ra->orig[i] && ra->copy[j] == ra->copy[i];
        if (!done && PyArray_CopyInto((PyArrayObject *)ra->orig[i],
                                      (PyArrayObject *)ra->copy[i]) < 0)
            return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* NumPy's global random state (issue 14)                                   */

/* The legacy augmented state (sejit_aug_bitgen) of np.random.mtrand._rand
 * and its bit generator's lock, found once by sejit._random.install (which
 * returns the state's address and the lock). A kernel that draws (ABI
 * "random") runs holding the lock, with the state in ctx->random: its draws
 * advance NumPy's own stream, as a call of np.random.* would. */
static void *rand_aug;
static PyObject *rand_lock;

/* Takes the random state's lock (finding the state on first use). Returns
 * 0, or -1 with an exception. */
static __attribute__((noinline)) int
random_acquire(void)
{
    if (rand_aug == NULL) {
        PyObject *m = PyImport_ImportModule("sejit._random");
        if (m == NULL)
            return -1;
        PyObject *r = PyObject_CallMethod(m, "install", NULL);
        Py_DECREF(m);
        if (r == NULL)
            return -1;
        unsigned long long addr;
        PyObject *lock;
        if (!PyArg_ParseTuple(r, "KO:install", &addr, &lock) || addr == 0) {
            Py_DECREF(r);
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_RuntimeError, "sejit: NumPy's random state was not found");
            return -1;
        }
        Py_XSETREF(rand_lock, Py_NewRef(lock));
        rand_aug = (void *)(uintptr_t)addr;
        Py_DECREF(r);
    }
    PyObject *r = PyObject_CallMethod(rand_lock, "acquire", NULL);
    if (r == NULL)
        return -1;
    Py_DECREF(r);
    return 0;
}

static __attribute__((noinline)) void
random_release(void)
{
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    PyObject *r = PyObject_CallMethod(rand_lock, "release", NULL);
    if (r == NULL)
        PyErr_WriteUnraisable(rand_lock);
    Py_XDECREF(r);
    PyErr_Restore(t, v, tb);
}

/* Calls e's kernel on unpacked arguments (argp, holding elems array
 * elements in all) and boxes its result. Inlined into both call paths. */
static inline __attribute__((always_inline)) PyObject *
invoke(entry *e, PyObject *const *args, Py_ssize_t nargs, argslot *slots, void **argp,
       npy_intp elems, const char **span, const realign *ra)
{
    sejit_slot ret_fast[MAXFAST];
    sejit_slot *ret = ret_fast;
    PyObject *result = NULL;
    if (e->nleaves > MAXFAST) {
        ret = PyMem_Malloc((size_t)e->nleaves * sizeof *ret);
        if (ret == NULL)
            return PyErr_NoMemory();
    }
    for (int i = 0; i < e->nleaves; i++)
        ret[i].a.obj = NULL;

    callstate cs;
    callstate_init(&cs);
    if (e->npairs != 0 && guard_overlaps(e, slots, span, &cs) < 0)
        goto done;
    sejit_ctx ctx;
    ctx.alloc = rt_alloc;
    ctx.runtime = &cs;
    ctx.err = SEJIT_OK;
    ctx.msg[0] = '\0';
    ctx.interrupt = sigint_for_call();
    ctx.blas = rt_blas_ptr;
    ctx.lapack = rt_lapack_ptr;
    ctx.random = NULL;
    if (e->random) {
        if (random_acquire() < 0)
            goto done;
        ctx.random = rand_aug;
    }
    ctx.print = rt_print;
    ctx.strfn = rt_strfn;
    memset(&ctx.strchunk, 0, sizeof ctx.strchunk);
    ctx.strused = 0;
    ctx.release = rt_release;
    ctx.strhash[0] = rt_strhash[0];
    ctx.strhash[1] = rt_strhash[1];
    ctx.strhash_bad = rt_strhash_bad;

    int rc;
    if (e->gil_min == 0 || elems >= e->gil_min) {
        Py_BEGIN_ALLOW_THREADS
        rc = e->fn(&ctx, argp, ret);
        Py_END_ALLOW_THREADS
    }
    else {
        rc = e->fn(&ctx, argp, ret);
    }
    if (e->random)
        random_release();

    if (ra != NULL && realign_write_back(e, ra, nargs) < 0) {
        if (rc == 0)
            goto done;
        PyErr_Clear(); /* the kernel's own error is the one to report */
    }
    if (rc != 0) {
        raise_kernel_error(&ctx);
        if (e->onfail > 0 && PyErr_Occurred())
            attach_failure_lists(e, ret, args, nargs, e->key, &cs, ra);
    }
    else if (e->ret[0].kind == RET_NONE) {
        result = Py_NewRef(Py_None);
    }
    else if (e->ret[0].kind == RET_SCALAR && e->ret[0].dtype == SEJIT_FLOAT64 && !e->ret[0].numpy) {
        result = PyFloat_FromDouble(ret[0].s.f64);
    }
    else {
        int pos = 0, leaf = 0;
        result = box_ret(e, &pos, &leaf, ret, args, nargs, e->key, &cs, ra);
    }
done:
    /* Boxing took its own references to returned arrays; the rest die here. */
    if (cs.n != 0 || cs.npool != 0 || cs.objs != cs.inline_objs)
        callstate_release(&cs);
    if (ret != ret_fast)
        PyMem_Free(ret);
    return result;
}

/* The generic call: arguments already classified as key, which matched e. */
static PyObject *
call_entry(PyObject *self, entry *e, PyObject *const *args, Py_ssize_t nargs,
           const uint32_t *key)
{
    argslot slots_fast[MAXFAST];
    void *argp_fast[MAXFAST];
    argslot *slots = slots_fast;
    void **argp = argp_fast;
    PyObject *result = NULL;
    uint8_t bad_fast[MAXFAST], *bad = bad_fast; /* per argument: misaligned */
    int nbad = 0;
    realign ra = {NULL, NULL, NULL, NULL};

    ((Dispatcher *)self)->last = e;
    if (nargs > MAXFAST) {
        slots = PyMem_Malloc((size_t)nargs * sizeof *slots);
        argp = PyMem_Malloc((size_t)nargs * sizeof *argp);
        bad = PyMem_Malloc((size_t)nargs);
        if (slots == NULL || argp == NULL || bad == NULL) {
            PyErr_NoMemory();
            goto out;
        }
    }
    npy_intp elems = 0;
    for (Py_ssize_t i = 0; i < nargs; i++) {
        int u = unpack_arg(self, e, i, args[i], key[i], &slots[i], &elems);
        if (u < 0)
            goto out;
        bad[i] = (uint8_t)u;
        nbad += u;
        argp[i] = &slots[i];
    }
    if (nbad != 0 && realign_args(self, e, args, nargs, slots, bad, &ra) < 0)
        goto out;
    const char *span_fast[2 * MAXFAST], **span = span_fast;
    if (e->npairs != 0) {
        if (nargs > MAXFAST && (span = PyMem_Malloc((size_t)nargs * 2 * sizeof *span)) == NULL) {
            PyErr_NoMemory();
            goto out;
        }
        fill_spans(e, slots, span);
    }
    result = invoke(e, args, nargs, slots, argp, elems, span, nbad != 0 ? &ra : NULL);
    if (span != span_fast)
        PyMem_Free(span);
out:
    realign_free(&ra, nargs);
    if (bad != bad_fast)
        PyMem_Free(bad);
    if (slots != slots_fast)
        PyMem_Free(slots);
    if (argp != argp_fast)
        PyMem_Free(argp);
    return result;
}

/* The fast path's step for one argument: 1 with the argument unpacked into
 * slot when it is exactly what p expects and unpacks without error, else 0
 * (nothing raised, nothing to undo). It checks what classify() and
 * unpack_arg() check, in one pass over the object. */
static inline __attribute__((always_inline)) int
fast_unpack(const argplan *p, PyObject *o, argslot *slot, npy_intp *elems, const char **span)
{
    /* Arrays and floats first, by plain tests: a jump table costs more. */
    if (p->op == P_ARRAY) {
        if (Py_TYPE(o) != &PyArray_Type)
            return 0;
        PyArrayObject *a = (PyArrayObject *)o;
        /* The canonical descriptor is native-endian and of the right dtype. */
        if (PyArray_DESCR(a) != p->descr || PyArray_NDIM(a) != p->ndim)
            return 0;
        int fl = PyArray_FLAGS(a);
        if (p->write && !(fl & NPY_ARRAY_WRITEABLE))
            return 0; /* the generic path raises the read-only error */
        uint32_t got = (fl & NPY_ARRAY_C_CONTIGUOUS) ? FLAG_LAYOUT_C : 0;
        npy_intp mask = ((npy_intp)1 << p->shift) - 1, bad = 0, size = 1;
        const npy_intp *dims = PyArray_DIMS(a), *strides = PyArray_STRIDES(a);
        char *data = PyArray_BYTES(a);
        sejit_array *d = &slot->a;
        if (p->ndim == 1) { /* the common case, without the loop */
            npy_intp n = dims[0], s = strides[0];
            size = n;
            if (n == 1)
                got |= FLAG_UNIT;
            else
                bad = s & mask;
            d->shape[0] = (int64_t)n;
            d->strides[0] = (int64_t)(s >> p->shift);
        }
        else {
            for (int k = 0; k < p->ndim; k++) {
                npy_intp n = dims[k], s = strides[k];
                size *= n;
                if (n == 1)
                    got |= FLAG_UNIT;
                else
                    bad |= s & mask;
                d->shape[k] = (int64_t)n;
                d->strides[k] = (int64_t)(s >> p->shift);
            }
        }
        if (got != p->flags || bad != 0 || (size != 0 && ((uintptr_t)data & (uintptr_t)mask)))
            return 0; /* another entry, or the generic path's misalignment error */
        d->obj = o;
        d->data = data; /* before slot_span, which reads it */
        if (p->span) {
            /* The bytes slot_span finds, from what is at hand: a C-ordered array's are its
             * size in items from its start. */
            if (size == 0)
                span[0] = span[1] = NULL;
            else if (got & FLAG_LAYOUT_C) {
                span[0] = data;
                span[1] = data + (size << p->shift);
            }
            else if (!slot_span(d, p, &span[0], &span[1]))
                span[0] = span[1] = NULL;
        }
        *elems += size;
        return 1;
    }
    if (p->op == P_F64W) {
        if (Py_TYPE(o) != &PyFloat_Type)
            return 0;
        slot->s.f64 = PyFloat_AS_DOUBLE(o);
        return 1;
    }
    switch (p->op) {
    case P_I64W: {
        if (Py_TYPE(o) != &PyLong_Type)
            return 0;
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
        if (overflow) /* the generic path raises OverflowError */
            return 0;
        slot->s.i64 = (int64_t)v;
        return 1;
    }
    case P_BOOLW:
        if (Py_TYPE(o) != &PyBool_Type)
            return 0;
        slot->s.b = o == Py_True;
        return 1;
    case P_C128W:
        if (Py_TYPE(o) != &PyComplex_Type)
            return 0;
        slot->s.c128.re = ((PyComplexObject *)o)->cval.real;
        slot->s.c128.im = ((PyComplexObject *)o)->cval.imag;
        return 1;
    case P_NPSCALAR:
        if (Py_TYPE(o) != p->type)
            return 0;
        memset(&slot->s, 0, sizeof slot->s);
        PyArray_ScalarAsCtype(o, &slot->s);
        return 1;
    default:
        return 0;
    }
}

/* Builds e->plan from its key and writes (at _add time). */
static int
plan_entry(entry *e)
{
    e->plan = PyMem_Calloc((size_t)(e->nargs > 0 ? e->nargs : 1), sizeof(argplan));
    if (e->plan == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < e->nargs; i++) {
        argplan *p = &e->plan[i];
        uint32_t c = e->key[i];
        int dt = (int)CODE_DTYPE(c);
        if (CODE_KIND(c) == KIND_ARRAY) {
            p->op = P_ARRAY;
            p->ndim = (uint8_t)CODE_NDIM(c);
            p->shift = dtype_itemshift[dt];
            p->write = e->writes[i];
            p->span = e->npairs > 0 && (e->guard[i] || e->writes[i]);
            p->flags = CODE_FLAGS(c) & (FLAG_LAYOUT_C | FLAG_UNIT);
            p->descr = dtype_descr[dt];
        }
        else if (CODE_FLAGS(c) & FLAG_WEAK) {
            p->op = dt == SEJIT_FLOAT64 ? P_F64W : dt == SEJIT_INT64 ? P_I64W
                  : dt == SEJIT_BOOL ? P_BOOLW : dt == SEJIT_COMPLEX128 ? P_C128W
                  : P_NPSCALAR; /* no such weak code: type NULL never matches */
        }
        else {
            p->op = P_NPSCALAR;
            for (int k = 0; k < nscalar_types && p->type == NULL; k++)
                if (scalar_types[k].dtype == dt)
                    p->type = scalar_types[k].type;
        }
    }
    return 0;
}

/* A user-facing error from _compile_for (Python marks it _sejit_hide_frames,
 * unless SEJIT_DEBUG=1) propagates without sejit's frames: its traceback
 * starts at the user's call. */
static void
hide_internal_frames(void)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (value != NULL) {
        PyObject *flag = PyObject_GetAttr(value, str_hide_frames);
        int hide = flag != NULL && PyObject_IsTrue(flag) == 1;
        Py_XDECREF(flag);
        PyErr_Clear();
        if (hide) {
            Py_CLEAR(tb);
            if (PyException_SetTraceback(value, Py_None) < 0)
                PyErr_Clear();
        }
    }
    PyErr_Restore(type, value, tb);
}

/* A call with keywords: self._bind_call(args, kwargs) returns the
 * positional arguments CPython's binding gives (raising its TypeError
 * otherwise), and the call is made again with them; or [result] where
 * Python made the call. */
static PyObject *
call_keywords(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *pos = PyTuple_New(nargs);
    PyObject *kw = PyDict_New();
    PyObject *full = NULL, *out = NULL;
    if (pos == NULL || kw == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < nargs; i++) {
        Py_INCREF(args[i]);
        PyTuple_SET_ITEM(pos, i, args[i]);
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kwnames); i++) {
        if (PyDict_SetItem(kw, PyTuple_GET_ITEM(kwnames, i), args[nargs + i]) < 0)
            goto done;
    }
    full = PyObject_CallMethod(self, "_bind_call", "OO", pos, kw);
    if (full == NULL) {
        hide_internal_frames();
        goto done;
    }
    if (PyList_CheckExact(full) && PyList_GET_SIZE(full) == 1) {
        /* Python made the call itself and returns [result] (a function
         * with *args or keyword-only parameters: Dispatcher._packed_call). */
        out = PyList_GET_ITEM(full, 0);
        Py_INCREF(out);
        goto done;
    }
    out = PyObject_Call(self, full, NULL);
done:
    Py_XDECREF(pos);
    Py_XDECREF(kw);
    Py_XDECREF(full);
    return out;
}

/* Unknown signature: let Python compile and register, then retry once. */
static PyObject *
call_miss(Dispatcher *self, PyObject *const *args, Py_ssize_t nargs, uint32_t *key, int classified)
{
    PyObject *tuple = PyTuple_New(nargs);
    if (tuple == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < nargs; i++) {
        Py_INCREF(args[i]);
        PyTuple_SET_ITEM(tuple, i, args[i]);
    }
    PyObject *r = PyObject_CallMethodOneArg((PyObject *)self, str_compile_for, tuple);
    Py_DECREF(tuple);
    if (r == NULL) {
        hide_internal_frames();
        return NULL;
    }
    if (PyTuple_Check(r)) {
        /* Fewer arguments than parameters: _compile_for bound the defaults
         * and answers with every argument; call again with those. */
        PyObject *out = PyObject_Call((PyObject *)self, r, NULL);
        Py_DECREF(r);
        return out;
    }
    if (PyList_CheckExact(r) && PyList_GET_SIZE(r) == 1) {
        /* Python ran the call itself and returns [result]: arguments the
         * fast path does not take, such as objects of plain classes, or an
         * ahead-of-time module's call passed on to the JIT. */
        PyObject *res = PyList_GET_ITEM(r, 0);
        Py_INCREF(res);
        Py_DECREF(r);
        return res;
    }
    Py_DECREF(r);
    entry *e = NULL;
    if (classified)
        e = lookup(self, key, nargs);
    if (e == NULL) {
        PyObject *fn = disp_name((PyObject *)self);
        PyErr_Format(PyExc_RuntimeError,
                     "sejit: no specialization of %S() was registered for these arguments",
                     fn != NULL ? fn : Py_None);
        Py_XDECREF(fn);
        return NULL;
    }
    return call_entry((PyObject *)self, e, args, nargs, key);
}

static PyObject *
dispatcher_vectorcall(PyObject *op, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Dispatcher *self = (Dispatcher *)op;
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (kwnames != NULL && PyTuple_GET_SIZE(kwnames) > 0) {
        /* Keyword arguments: Python binds them (and the defaults) to
         * positions, then the call goes through the positional path. */
        return call_keywords(op, args, nargs, kwnames);
    }
    /* The fast path: the arguments fit the entry called last (a call site
     * mostly calls with one signature), checked and unpacked in one pass. */
    entry *last = self->last;
    if (last != NULL && last->nargs == nargs && nargs <= MAXFAST) {
        argslot slots[MAXFAST];
        void *argp[MAXFAST];
        const char *span[2 * MAXFAST];
        npy_intp elems = 0;
        Py_ssize_t i = 0;
        while (i < nargs && fast_unpack(&last->plan[i], args[i], &slots[i], &elems, &span[2 * i])) {
            argp[i] = &slots[i];
            i++;
        }
        if (i == nargs)
            return invoke(last, args, nargs, slots, argp, elems, span, NULL);
    }
    uint32_t key_fast[MAXFAST];
    uint32_t *key = key_fast;
    if (nargs > MAXFAST) {
        key = PyMem_Malloc((size_t)nargs * sizeof *key);
        if (key == NULL)
            return PyErr_NoMemory();
    }
    int classified = 1;
    for (Py_ssize_t i = 0; i < nargs; i++) {
        key[i] = classify(args[i]);
        classified &= key[i] != 0;
    }
    entry *e = classified ? lookup(self, key, nargs) : NULL;
    PyObject *r = e != NULL ? call_entry(op, e, args, nargs, key)
                            : call_miss(self, args, nargs, key, classified);
    if (key != key_fast)
        PyMem_Free(key);
    return r;
}

/* ------------------------------------------------------------------------ */
/* Methods                                                                  */

static PyObject *
Dispatcher_add(Dispatcher *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "_add(sigkey, so_path, symbol, abi) takes 4 arguments");
        return NULL;
    }
    PyObject *sigkey = args[0], *path = args[1], *symbol = args[2], *abi = args[3];
    if (!PyBytes_Check(sigkey) || PyBytes_GET_SIZE(sigkey) % 4 != 0) {
        PyErr_SetString(PyExc_TypeError, "_add: sigkey must be bytes from _key()");
        return NULL;
    }
    if (!PyUnicode_Check(symbol) || !PyDict_Check(abi)) {
        PyErr_SetString(PyExc_TypeError, "_add: symbol must be a str and abi a dict");
        return NULL;
    }
    Py_ssize_t n = PyBytes_GET_SIZE(sigkey) / 4;
    const uint32_t *key = (const uint32_t *)PyBytes_AS_STRING(sigkey);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (key[i] == 0) {
            PyErr_SetString(PyExc_ValueError, "_add: sigkey holds an unclassified argument");
            return NULL;
        }
    }
    /* Registered once: a second registration (two threads compiling the same
     * signature) keeps the first, which calls may already be running. */
    if (lookup(self, key, n) != NULL)
        Py_RETURN_FALSE;

    entry *e = PyMem_Calloc(1, sizeof *e);
    if (e == NULL)
        return PyErr_NoMemory();
    PyObject *pathbytes = NULL;
    void *h = NULL;
    e->nargs = n;
    e->key = PyMem_Malloc((size_t)(n > 0 ? n : 1) * sizeof(uint32_t));
    e->writes = PyMem_Calloc((size_t)(n > 0 ? n : 1), 1);
    e->guard = PyMem_Calloc((size_t)(n > 0 ? n : 1), 1);
    e->owners = PyMem_Calloc((size_t)(n > 0 ? n : 1), 1);
    if (e->key == NULL || e->writes == NULL || e->guard == NULL || e->owners == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    memcpy(e->key, key, (size_t)n * sizeof(uint32_t));
    if (parse_abi(e, abi) < 0 || plan_entry(e) < 0)
        goto fail;

    if (PyCapsule_CheckExact(path)) {
        /* An entry linked into the module itself (an ahead-of-time module):
         * the capsule holds its address, nothing is loaded. */
        void *fn = PyCapsule_GetPointer(path, "sejit_entry_fn");
        if (fn == NULL)
            goto fail;
        e->fn = (sejit_entry_fn)fn;
        goto registered;
    }
    if (!PyUnicode_FSConverter(path, &pathbytes))
        goto fail;
    const char *sym = PyUnicode_AsUTF8(symbol);
    if (sym == NULL)
        goto fail;
    /* RTLD_LOCAL: kernels export the same symbol name; each is found through
     * its own handle. The handle is never closed: a shared object stays
     * loaded for the life of the process, like any imported extension. */
    h = dlopen(PyBytes_AS_STRING(pathbytes), RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
        const char *msg = dlerror();
        PyErr_Format(PyExc_RuntimeError, "cannot load compiled kernel: %s",
                     msg != NULL ? msg : "dlopen failed");
        goto fail;
    }
    dlerror();
    void *fn = dlsym(h, sym);
    if (fn == NULL) {
        const char *msg = dlerror();
        PyErr_Format(PyExc_RuntimeError, "cannot find %s in compiled kernel: %s", sym,
                     msg != NULL ? msg : "symbol not found");
        goto fail;
    }
    e->fn = (sejit_entry_fn)fn;
registered:
    sigint_install();

    if (self->nentries == self->cap) {
        Py_ssize_t ncap = self->cap ? self->cap * 2 : 4;
        entry **ne = PyMem_Realloc(self->entries, (size_t)ncap * sizeof *ne);
        if (ne == NULL) {
            PyErr_NoMemory();
            goto fail;
        }
        self->entries = ne;
        self->cap = ncap;
    }
    Py_INCREF(abi);
    e->abi = abi;
    Py_INCREF(path);
    e->path = path;
    self->entries[self->nentries++] = e;
    Py_XDECREF(pathbytes);
    Py_RETURN_TRUE;

fail:
    if (h != NULL)
        dlclose(h); /* nothing points into it yet */
    Py_XDECREF(pathbytes);
    entry_free(e);
    return NULL;
}

static PyObject *
key_bytes(PyObject *args)
{
    if (!PyTuple_Check(args)) {
        PyErr_SetString(PyExc_TypeError, "_key() expects a tuple of arguments");
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    PyObject *b = PyBytes_FromStringAndSize(NULL, n * 4);
    if (b == NULL)
        return NULL;
    uint32_t *key = (uint32_t *)PyBytes_AS_STRING(b);
    for (Py_ssize_t i = 0; i < n; i++) {
        key[i] = classify(PyTuple_GET_ITEM(args, i));
        if (key[i] == 0) {
            Py_DECREF(b);
            Py_RETURN_NONE;
        }
    }
    return b;
}

static PyObject *
Dispatcher_key(Dispatcher *self, PyObject *args)
{
    (void)self;
    return key_bytes(args);
}

static PyObject *
Dispatcher_has(Dispatcher *self, PyObject *sigkey)
{
    if (!PyBytes_Check(sigkey) || PyBytes_GET_SIZE(sigkey) % 4 != 0) {
        PyErr_SetString(PyExc_TypeError, "_has() expects bytes from _key()");
        return NULL;
    }
    entry *e = lookup(self, (const uint32_t *)PyBytes_AS_STRING(sigkey),
                      PyBytes_GET_SIZE(sigkey) / 4);
    return PyBool_FromLong(e != NULL);
}

static PyObject *
Dispatcher_entries(Dispatcher *self, PyObject *unused)
{
    (void)unused;
    PyObject *l = PyList_New(self->nentries);
    if (l == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < self->nentries; i++) {
        entry *e = self->entries[i];
        PyObject *t = Py_BuildValue("(y#OO)", (const char *)e->key,
                                    (Py_ssize_t)(e->nargs * 4), e->path, e->abi);
        if (t == NULL) {
            Py_DECREF(l);
            return NULL;
        }
        PyList_SET_ITEM(l, i, t);
    }
    return l;
}

static PyMethodDef Dispatcher_methods[] = {
    {"_add", (PyCFunction)(void (*)(void))Dispatcher_add, METH_FASTCALL,
     "_add(sigkey, so_path, symbol, abi) -> bool: load a compiled specialization and register "
     "it under sigkey; False if one is already registered there. so_path may be a capsule "
     "named sejit_entry_fn holding the entry's address (an ahead-of-time module)."},
    {"_key", (PyCFunction)Dispatcher_key, METH_O,
     "_key(args) -> bytes | None: the classification key of an argument tuple, or None if an "
     "argument is not accepted."},
    {"_has", (PyCFunction)Dispatcher_has, METH_O,
     "_has(sigkey) -> bool: whether a specialization is registered under sigkey."},
    {"_entries", (PyCFunction)Dispatcher_entries, METH_NOARGS,
     "_entries() -> list of (sigkey, so_path, abi), in registration order."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef Dispatcher_getset[] = {
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

/* ------------------------------------------------------------------------ */
/* Type slots                                                               */

static PyObject *
Dispatcher_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    (void)args;
    (void)kwds;
    Dispatcher *self = (Dispatcher *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->vectorcall = dispatcher_vectorcall;
    return (PyObject *)self;
}

static int
Dispatcher_traverse(Dispatcher *self, visitproc visit, void *arg)
{
    /* No Py_VISIT(Py_TYPE(self)): a Python subclass's subtype_traverse
     * visits its heap type before calling this. */
    Py_VISIT(self->dict);
    for (Py_ssize_t i = 0; i < self->nentries; i++)
        Py_VISIT(self->entries[i]->abi);
    return 0;
}

static int
Dispatcher_clear(Dispatcher *self)
{
    Py_CLEAR(self->dict);
    for (Py_ssize_t i = 0; i < self->nentries; i++)
        Py_CLEAR(self->entries[i]->abi);
    return 0;
}

static void
Dispatcher_dealloc(Dispatcher *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    Dispatcher_clear(self);
    for (Py_ssize_t i = 0; i < self->nentries; i++)
        entry_free(self->entries[i]);
    PyMem_Free(self->entries);
    self->entries = NULL;
    self->nentries = self->cap = 0;
    /* A Python subclass's subtype_dealloc drops the reference to its heap
     * type after this returns; this static base must not. */
    tp->tp_free((PyObject *)self);
}

static PyTypeObject DispatcherBase_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = SEJIT_RUNTIME_NAME ".DispatcherBase",
    .tp_doc = "The C core of a sejit dispatcher: classifies arguments, finds the compiled "
              "specialization and calls it. Subclassed by sejit.Dispatcher.",
    .tp_basicsize = sizeof(Dispatcher),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_new = Dispatcher_new,
    .tp_dealloc = (destructor)Dispatcher_dealloc,
    .tp_traverse = (traverseproc)Dispatcher_traverse,
    .tp_clear = (inquiry)Dispatcher_clear,
    .tp_free = PyObject_GC_Del,
    .tp_call = PyVectorcall_Call,
    .tp_vectorcall_offset = offsetof(Dispatcher, vectorcall),
    .tp_dictoffset = offsetof(Dispatcher, dict),
    .tp_weaklistoffset = offsetof(Dispatcher, weakreflist),
    .tp_methods = Dispatcher_methods,
    .tp_getset = Dispatcher_getset,
};

/* ------------------------------------------------------------------------ */
/* Module                                                                   */

static PyObject *
mod_arg_code(PyObject *mod, PyObject *o)
{
    (void)mod;
    return PyLong_FromUnsignedLong(classify(o));
}

/* NumPy's BLAS (docs/design.md, "Matrix products"). The Python side
 * (sejit/_blas.py) passes candidate libraries: NumPy's bundled OpenBLAS
 * and NumPy's own extension module, whose handle also finds the symbols of
 * the libraries it links. Each is dlopened with RTLD_NOLOAD first (NumPy
 * has loaded it already), and the first one exporting a known family of
 * CBLAS gemm names fills rt_blas; kernels reach it through ctx->blas. None
 * found leaves ctx->blas NULL and kernels run their loop nests. */
static char rt_blas_name[512];

static const struct {
    const char *prefix, *suffix;
    int ilp64;
} blas_families[] = {
    {"scipy_cblas_", "64_", 1}, /* scipy-openblas64 (NumPy 2 wheels) */
    {"cblas_", "64_", 1},       /* OpenBLAS built with a 64_ suffix (NumPy 1.2x wheels) */
    {"scipy_cblas_", "", 0},    /* scipy-openblas32 */
    {"cblas_", "", 0},          /* a system CBLAS with 32-bit integers */
};

static PyObject *
mod_load_blas(PyObject *mod, PyObject *paths)
{
    (void)mod;
    PyObject *seq = PySequence_Fast(paths, "expected a sequence of paths");
    if (seq == NULL)
        return NULL;
    Py_ssize_t np = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t i = 0; i < np && rt_blas_ptr == NULL; i++) {
        const char *path = PyUnicode_AsUTF8(PySequence_Fast_GET_ITEM(seq, i));
        if (path == NULL) {
            Py_DECREF(seq);
            return NULL;
        }
        void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
        if (h == NULL)
            h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (h == NULL)
            continue;
        for (size_t f = 0; f < sizeof blas_families / sizeof blas_families[0]; f++) {
            void *fn[4];
            const char *ch = "sdcz";
            int all = 1;
            for (int t = 0; t < 4; t++) {
                char name[64];
                snprintf(name, sizeof name, "%s%cgemm%s", blas_families[f].prefix, ch[t], blas_families[f].suffix);
                fn[t] = dlsym(h, name);
                all &= fn[t] != NULL;
            }
            if (!all)
                continue;
            rt_blas.ilp64 = blas_families[f].ilp64;
            rt_blas.sgemm = fn[0];
            rt_blas.dgemm = fn[1];
            rt_blas.cgemm = fn[2];
            rt_blas.zgemm = fn[3];
            void **gemv[4] = {&rt_blas.sgemv, &rt_blas.dgemv, &rt_blas.cgemv, &rt_blas.zgemv};
            for (int t = 0; t < 4; t++) {
                char name[64];
                snprintf(name, sizeof name, "%s%cgemv%s", blas_families[f].prefix, ch[t], blas_families[f].suffix);
                *gemv[t] = dlsym(h, name);
            }
            void **dots[6] = {&rt_blas.sdot, &rt_blas.ddot, &rt_blas.cdotu, &rt_blas.zdotu, &rt_blas.cdotc,
                              &rt_blas.zdotc};
            const char *dot_names[6] = {"sdot", "ddot", "cdotu_sub", "zdotu_sub", "cdotc_sub", "zdotc_sub"};
            for (int t = 0; t < 6; t++) {
                char name[64];
                snprintf(name, sizeof name, "%s%s%s", blas_families[f].prefix, dot_names[t], blas_families[f].suffix);
                *dots[t] = dlsym(h, name);
            }
            /* LAPACKE of the same family: scipy_cblas_ -> scipy_LAPACKE_, cblas_ -> LAPACKE_ */
            void **lap[36] = {&rt_blas.sgesv, &rt_blas.dgesv, &rt_blas.sgetrf, &rt_blas.dgetrf,
                              &rt_blas.spotrf, &rt_blas.dpotrf, &rt_blas.ssyevd, &rt_blas.dsyevd,
                              &rt_blas.sgesdd, &rt_blas.dgesdd, &rt_blas.sgeev, &rt_blas.dgeev,
                              &rt_blas.sgeqrf, &rt_blas.dgeqrf, &rt_blas.sorgqr, &rt_blas.dorgqr,
                              &rt_blas.sgelsd, &rt_blas.dgelsd, &rt_blas.cgesv, &rt_blas.zgesv,
                              &rt_blas.cgetrf, &rt_blas.zgetrf, &rt_blas.cpotrf, &rt_blas.zpotrf,
                              &rt_blas.cheevd, &rt_blas.zheevd, &rt_blas.cgesdd, &rt_blas.zgesdd,
                              &rt_blas.cgeev, &rt_blas.zgeev, &rt_blas.cgeqrf, &rt_blas.zgeqrf,
                              &rt_blas.cungqr, &rt_blas.zungqr, &rt_blas.cgelsd, &rt_blas.zgelsd};
            const char *lap_names[36] = {"sgesv", "dgesv", "sgetrf", "dgetrf", "spotrf", "dpotrf", "ssyevd",
                                         "dsyevd", "sgesdd", "dgesdd", "sgeev", "dgeev", "sgeqrf", "dgeqrf",
                                         "sorgqr", "dorgqr", "sgelsd", "dgelsd", "cgesv", "zgesv", "cgetrf",
                                         "zgetrf", "cpotrf", "zpotrf", "cheevd", "zheevd", "cgesdd", "zgesdd",
                                         "cgeev", "zgeev", "cgeqrf", "zgeqrf", "cungqr", "zungqr", "cgelsd",
                                         "zgelsd"};
            const char *lprefix = strncmp(blas_families[f].prefix, "scipy_", 6) == 0 ? "scipy_LAPACKE_" : "LAPACKE_";
            /* the LAPACKE suffix is "64_" right after the name, as for CBLAS */
            int nlap = 0;
            for (int t = 0; t < 36; t++) {
                char name[64];
                snprintf(name, sizeof name, "%s%s%s", lprefix, lap_names[t], blas_families[f].suffix);
                *lap[t] = dlsym(h, name);
                nlap += *lap[t] != NULL;
            }
            if (nlap > 0) {
                /* NumPy's own LAPACK calls check no NaNs: neither do ours (a NaN gives NaNs) */
                char name[64];
                snprintf(name, sizeof name, "%sset_nancheck%s", lprefix, blas_families[f].suffix);
                void *setnc = dlsym(h, name);
                if (setnc != NULL)
                    ((void (*)(int))setnc)(0); /* int flag in both widths */
                rt_lapack_ptr = &rt_blas;
            }
            rt_blas.calls = 0;
            rt_blas_ptr = &rt_blas;
            snprintf(rt_blas_name, sizeof rt_blas_name, "%s:%sdgemm%s", path, blas_families[f].prefix,
                     blas_families[f].suffix);
            break;
        }
        if (rt_blas_ptr == NULL)
            dlclose(h); /* keeps a library in use when it was loaded already */
    }
    Py_DECREF(seq);
    if (rt_blas_ptr == NULL)
        Py_RETURN_NONE;
    return PyUnicode_FromString(rt_blas_name);
}

static PyObject *
mod_blas_info(PyObject *mod, PyObject *enable)
{
    (void)mod;
    /* enable: None leaves the table as it is; False detaches it (kernels
     * run their loops), True attaches it again when one was found. */
    if (enable != Py_None) {
        int on = PyObject_IsTrue(enable);
        if (on < 0)
            return NULL;
        rt_blas_ptr = on && rt_blas.dgemm != NULL ? &rt_blas : NULL;
    }
    if (rt_blas.dgemm == NULL)
        return Py_BuildValue("(OLO)", Py_None, (long long)0, Py_False);
    return Py_BuildValue("(sLO)", rt_blas_name, (long long)__atomic_load_n(&rt_blas.calls, __ATOMIC_RELAXED),
                         rt_blas_ptr != NULL ? Py_True : Py_False);
}

/* CPython 3.11 does not let a heap subclass inherit vectorcall (3.12 does,
 * when the subclass does not override __call__), so a call to a Python
 * subclass instance would go through tp_call and build an argument tuple.
 * This sets the flag on such a subclass, exactly as 3.12 would. */
static PyObject *
mod_enable_vectorcall(PyObject *mod, PyObject *cls)
{
    (void)mod;
    if (!PyType_Check(cls) ||
        !PyType_IsSubtype((PyTypeObject *)cls, &DispatcherBase_Type)) {
        PyErr_SetString(PyExc_TypeError, "expected a subclass of DispatcherBase");
        return NULL;
    }
    PyTypeObject *t = (PyTypeObject *)cls;
    if (t->tp_call == DispatcherBase_Type.tp_call &&
        t->tp_vectorcall_offset == DispatcherBase_Type.tp_vectorcall_offset) {
        t->tp_flags |= Py_TPFLAGS_HAVE_VECTORCALL;
        Py_RETURN_TRUE;
    }
    Py_RETURN_FALSE;
}

/* set_layout(s) -> (slots, size, fill, dummies): where CPython's table of
 * the set (or frozenset) s holds each item, in iteration order (slot indices), its number
 * of slots, its fill (items and dummies) and the slots of its dummies (a
 * discarded item's entry, whose hash CPython sets to -1). A compiled
 * function given the set rebuilds exactly this table (lower/pyset.go,
 * pyEntry), so that it iterates the set as CPython would; a display of
 * constants is rebuilt from its frozenset constant's (_astjson.py). */
static PyObject *
mod_set_layout(PyObject *self, PyObject *s)
{
    (void)self;
    if (!PyAnySet_CheckExact(s)) {
        PyErr_SetString(PyExc_TypeError, "set_layout() takes a set or a frozenset");
        return NULL;
    }
    PySetObject *so = (PySetObject *)s;
    PyObject *slots = PyList_New(0), *dummies = PyList_New(0);
    if (slots == NULL || dummies == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i <= so->mask; i++) {
        const setentry *e = &so->table[i];
        if (e->key == NULL)
            continue;
        PyObject *ix = PyLong_FromSsize_t(i);
        if (ix == NULL || PyList_Append(e->hash == -1 ? dummies : slots, ix) < 0) {
            Py_XDECREF(ix);
            goto fail;
        }
        Py_DECREF(ix);
    }
    return Py_BuildValue("(NnnN)", slots, so->mask + 1, so->fill, dummies);
fail:
    Py_XDECREF(slots);
    Py_XDECREF(dummies);
    return NULL;
}

static PyMethodDef module_methods[] = {
    {"set_assign", (PyCFunction)(void (*)(void))mod_set_assign, METH_FASTCALL,
     "set_assign(dst, src): the set dst holds src's items in src's table layout."},
    {"set_layout", mod_set_layout, METH_O,
     "set_layout(s) -> (slots, size, fill, dummies): the layout of the set s's hash table."},
    {"arg_code", mod_arg_code, METH_O,
     "arg_code(obj) -> int: the classification code of one argument, 0 if not accepted."},
    {"_load_blas", mod_load_blas, METH_O,
     "_load_blas(paths) -> str or None: find NumPy's BLAS in the first of paths that exports CBLAS gemm."},
    {"_blas_info", mod_blas_info, METH_O,
     "_blas_info(enable) -> (name, gemm calls, enabled); enable True/False attaches or detaches it, None asks."},
    {"_enable_vectorcall", mod_enable_vectorcall, METH_O,
     "_enable_vectorcall(cls) -> bool: let a subclass be called without an argument tuple."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef runtime_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = SEJIT_RUNTIME_NAME,
    .m_doc = "sejit's dispatcher: the C fast path between a call and a compiled kernel.",
    .m_size = -1,
    .m_methods = module_methods,
};

static int
init_tables(void)
{
    for (int t = 0; t < NTYPENUMS; t++)
        typenum_dtype[t] = -1;
    nscalar_types = 0;
    for (int t = 0; t < NPY_NTYPES_LEGACY && t < NTYPENUMS; t++) {
        if (t == NPY_OBJECT || t == NPY_STRING || t == NPY_UNICODE || t == NPY_VOID ||
            t == NPY_DATETIME || t == NPY_TIMEDELTA)
            continue;
        PyArray_Descr *d = PyArray_DescrFromType(t);
        if (d == NULL) {
            PyErr_Clear();
            continue;
        }
        int sz = (int)PyDataType_ELSIZE(d), dt = -1;
        switch (d->kind) {
        case 'b': dt = sz == 1 ? SEJIT_BOOL : -1; break;
        case 'i': dt = sz == 1 ? SEJIT_INT8 : sz == 2 ? SEJIT_INT16 : sz == 4 ? SEJIT_INT32
                     : sz == 8 ? SEJIT_INT64 : -1; break;
        case 'u': dt = sz == 1 ? SEJIT_UINT8 : sz == 2 ? SEJIT_UINT16 : sz == 4 ? SEJIT_UINT32
                     : sz == 8 ? SEJIT_UINT64 : -1; break;
        case 'f': dt = sz == 4 ? SEJIT_FLOAT32 : sz == 8 ? SEJIT_FLOAT64 : -1; break;
        case 'c': dt = sz == 8 ? SEJIT_COMPLEX64 : sz == 16 ? SEJIT_COMPLEX128 : -1; break;
        default: break;
        }
        typenum_dtype[t] = (int8_t)dt;
        if (dt >= 0 && d->typeobj != NULL) {
            scalar_types[nscalar_types].type = d->typeobj;
            scalar_types[nscalar_types].dtype = dt;
            nscalar_types++;
        }
        Py_DECREF(d);
    }
    static const int canonical[NDTYPES] = {
        [SEJIT_BOOL] = NPY_BOOL,       [SEJIT_INT8] = NPY_INT8,         [SEJIT_INT16] = NPY_INT16,
        [SEJIT_INT32] = NPY_INT32,     [SEJIT_INT64] = NPY_INT64,       [SEJIT_UINT8] = NPY_UINT8,
        [SEJIT_UINT16] = NPY_UINT16,   [SEJIT_UINT32] = NPY_UINT32,     [SEJIT_UINT64] = NPY_UINT64,
        [SEJIT_FLOAT32] = NPY_FLOAT32, [SEJIT_FLOAT64] = NPY_FLOAT64,
        [SEJIT_COMPLEX64] = NPY_COMPLEX64, [SEJIT_COMPLEX128] = NPY_COMPLEX128,
    };
    for (int dt = 0; dt < NDTYPES; dt++) {
        dtype_descr[dt] = PyArray_DescrFromType(canonical[dt]);
        if (dtype_descr[dt] == NULL)
            return -1;
        if ((int)PyDataType_ELSIZE(dtype_descr[dt]) != dtype_itemsize[dt]) {
            PyErr_Format(PyExc_ImportError, "sejit: unexpected item size for %s",
                         dtype_names[dt]);
            return -1;
        }
    }
    return 0;
}

#ifdef SEJIT_RUNTIME_EMBEDDED
static PyObject *
sejit_runtime_init(void)
#else
PyMODINIT_FUNC
PyInit__runtime(void)
#endif
{
    import_array();
    if (init_tables() < 0)
        return NULL;
    str_compile_for = PyUnicode_InternFromString("_compile_for");
    str_hide_frames = PyUnicode_InternFromString("_sejit_hide_frames");
    if (str_compile_for == NULL || str_hide_frames == NULL)
        return NULL;
    if (PyType_Ready(&DispatcherBase_Type) < 0)
        return NULL;
    if (find_main_thread() < 0)
        return NULL;
    strhash_init();
    sigint_install();
    PyObject *m = PyModule_Create(&runtime_module);
    if (m == NULL)
        return NULL;
    PyObject *names = PyTuple_New(NDTYPES);
    if (names == NULL)
        goto fail;
    for (int d = 0; d < NDTYPES; d++) {
        PyObject *s = PyUnicode_FromString(dtype_names[d]);
        if (s == NULL) {
            Py_DECREF(names);
            goto fail;
        }
        PyTuple_SET_ITEM(names, d, s);
    }
    if (PyModule_AddObject(m, "DTYPE_NAMES", names) < 0) {
        Py_DECREF(names);
        goto fail;
    }
    Py_INCREF(&DispatcherBase_Type);
    if (PyModule_AddObject(m, "DispatcherBase", (PyObject *)&DispatcherBase_Type) < 0) {
        Py_DECREF(&DispatcherBase_Type);
        goto fail;
    }
    if (PyModule_AddIntConstant(m, "ABI_VERSION", SEJIT_ABI_VERSION) < 0 ||
        PyModule_AddIntConstant(m, "MAXDIM", SEJIT_MAXDIM) < 0 ||
        PyModule_AddIntConstant(m, "KIND_ARRAY", KIND_ARRAY) < 0 ||
        PyModule_AddIntConstant(m, "KIND_SCALAR", KIND_SCALAR) < 0 ||
        PyModule_AddIntConstant(m, "FLAG_LAYOUT_C", FLAG_LAYOUT_C) < 0 ||
        PyModule_AddIntConstant(m, "FLAG_UNIT", FLAG_UNIT) < 0 ||
        PyModule_AddIntConstant(m, "FLAG_WEAK", FLAG_WEAK) < 0)
        goto fail;
    return m;
fail:
    Py_DECREF(m);
    return NULL;
}
