/* _ufunc.c: real NumPy ufuncs and gufuncs whose loops are compiled sejit kernels.
 *
 * sejit.vectorize and sejit.guvectorize (python/sejit/primitives.py) compile, per type
 * signature, a kernel that loops over the leading (loop) dimension of its array arguments and
 * calls the user's function per element:
 *
 *     def loop(x0, x1, out):
 *         for i in range(out.shape[0]):
 *             out[i] = f(x0[i], x1[i])
 *
 * This module turns such kernels into a numpy.ufunc. Each type signature becomes one
 * ArrayMethod loop (PyUFunc_AddLoopFromSpec) flagged NPY_METH_REQUIRES_PYAPI: NumPy then calls
 * the loop with the GIL held and checks its return value, so a kernel error (a Python-int
 * division by zero, an IndexError, a raise) surfaces as the same exception as from jit, which a
 * legacy PyUFuncGenericFunction loop cannot do (NumPy does not look at PyErr_Occurred() after
 * a legacy loop of numeric dtypes). The ufunc's `ntypes`/`types` fields are filled as for a
 * legacy ufunc so that `ufunc.types` lists the signatures; NumPy 2 does not call the legacy
 * function pointers there because every signature has its ArrayMethod (they compute the same
 * thing all the same: legacy_loop).
 *
 * The loop builds the kernel's sejit_array descriptors from NumPy's data pointers, dimensions
 * and byte strides (the ABI counts strides in elements: a byte stride that is not a multiple of
 * the item size raises ValueError; NumPy hands aligned data to loops that do not declare
 * NPY_METH_SUPPORTS_UNALIGNED, so this only happens for exotic views). For a gufunc the core
 * dimensions follow the loop dimension; a "()" output gets a trailing extent 1 (stride 0) so
 * that the user's function can write out[0].
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define NPY_NO_DEPRECATED_API NPY_2_0_API_VERSION
#define NPY_TARGET_VERSION NPY_2_0_API_VERSION
#include <numpy/arrayobject.h>
#include <numpy/ufuncobject.h>
#include <numpy/dtype_api.h>
#include <string.h>

#include "sejit_abi.h"
#include "_kernel_errors.h"

#define MAXARGS 16

struct ufuncinfo;

typedef struct {
    struct ufuncinfo *ui;      /* the table this loop belongs to */
    char types[MAXARGS];       /* NumPy type numbers, nargs of them */
    npy_intp elsize[MAXARGS];  /* their item sizes */
    sejit_entry_fn entry;      /* any strides */
    sejit_entry_fn contig;     /* every operand contiguous (NULL: none compiled) */
} loopinfo;

typedef struct ufuncinfo {
    int nin, nout, nargs;
    int nloops;
    loopinfo *loops;
    int core_ndim[MAXARGS];             /* per argument: its core dimensions (0 for ufuncs) */
    int core_ix[MAXARGS][SEJIT_MAXDIM]; /* per argument: index of each core dim in dimensions[1:] */
    int scalar_out_pad[MAXARGS];        /* 1: a "()" output of a gufunc, passed as (n, 1) */
    PyObject *identity;                 /* a reference, or NULL: no identity for reductions */
    PyObject *keep;                     /* what keeps the kernels loaded (ctypes libraries) */
    char *types;                        /* ufunc->types */
    PyUFuncGenericFunction *functions;  /* ufunc->functions */
    void **data;                        /* ufunc->data */
    char *name, *doc;                   /* NumPy keeps the pointers, not copies */
} ufuncinfo;

static int type_to_sejit(int t)
{
    switch (t) {
    case NPY_BOOL: return SEJIT_BOOL;
    case NPY_INT8: return SEJIT_INT8;
    case NPY_INT16: return SEJIT_INT16;
    case NPY_INT32: return SEJIT_INT32;
    case NPY_INT64: return SEJIT_INT64;
    case NPY_UINT8: return SEJIT_UINT8;
    case NPY_UINT16: return SEJIT_UINT16;
    case NPY_UINT32: return SEJIT_UINT32;
    case NPY_UINT64: return SEJIT_UINT64;
    case NPY_FLOAT32: return SEJIT_FLOAT32;
    case NPY_FLOAT64: return SEJIT_FLOAT64;
    case NPY_COMPLEX64: return SEJIT_COMPLEX64;
    case NPY_COMPLEX128: return SEJIT_COMPLEX128;
    default: return -1;
    }
}


/* Arrays a kernel allocates (it should not for these loops, but the ABI allows it): NumPy
 * arrays kept in a list until the loop returns. The GIL is held during the loop. */
typedef struct {
    PyObject *owned; /* list */
} loopstate;

static int loop_alloc(sejit_ctx *ctx, int dtype, int ndim, const int64_t *shape, sejit_array *out)
{
    static const int tn[] = {NPY_BOOL,   NPY_INT8,   NPY_INT16,   NPY_INT32,    NPY_INT64,
                             NPY_UINT8,  NPY_UINT16, NPY_UINT32,  NPY_UINT64,   NPY_FLOAT32,
                             NPY_FLOAT64, NPY_COMPLEX64, NPY_COMPLEX128};
    loopstate *st = (loopstate *)ctx->runtime;
    npy_intp dims[SEJIT_MAXDIM];
    if (dtype < 0 || dtype > SEJIT_COMPLEX128 || ndim < 0 || ndim > SEJIT_MAXDIM) {
        ctx->err = SEJIT_ERR_RUNTIME;
        snprintf(ctx->msg, sizeof ctx->msg, "sejit: invalid array allocation request");
        return -1;
    }
    for (int k = 0; k < ndim; k++) {
        if (shape[k] < 0) {
            ctx->err = SEJIT_ERR_VALUE;
            snprintf(ctx->msg, sizeof ctx->msg, "negative dimensions are not allowed");
            return -1;
        }
        dims[k] = (npy_intp)shape[k];
    }
    PyObject *arr = PyArray_SimpleNew(ndim, dims, tn[dtype]);
    if (arr == NULL || PyList_Append(st->owned, arr) < 0) {
        Py_XDECREF(arr);
        PyErr_Clear();
        ctx->err = SEJIT_ERR_MEMORY;
        snprintf(ctx->msg, sizeof ctx->msg, "out of memory");
        return -1;
    }
    Py_DECREF(arr);
    PyArrayObject *a = (PyArrayObject *)arr;
    out->obj = arr;
    out->data = PyArray_BYTES(a);
    npy_intp isz = PyArray_ITEMSIZE(a);
    for (int k = 0; k < ndim; k++) {
        out->shape[k] = PyArray_DIM(a, k);
        out->strides[k] = isz ? PyArray_STRIDE(a, k) / isz : 0;
    }
    return 0;
}

static ufuncinfo *info_of(PyObject *caller)
{
    PyObject *cap = ((PyUFuncObject *)caller)->obj;
    if (cap == NULL || !PyCapsule_IsValid(cap, "sejit.ufuncinfo")) {
        PyErr_SetString(PyExc_RuntimeError, "sejit: ufunc without its loop table");
        return NULL;
    }
    return (ufuncinfo *)PyCapsule_GetPointer(cap, "sejit.ufuncinfo");
}

static int elem_stride(npy_intp step, npy_intp isz, int64_t *out)
{
    if (isz == 0 || step % isz != 0) {
        PyErr_SetString(PyExc_ValueError,
                        "sejit ufunc: an operand's byte stride is not a multiple of its item "
                        "size (pass a copy of the array)");
        return -1;
    }
    *out = (int64_t)(step / isz);
    return 0;
}

/* Runs one compiled loop over NumPy's operands (the GIL held): 0, or -1 with an exception. */
static int run_loop(loopinfo *li, char *const data[], npy_intp const dimensions[],
                    npy_intp const strides[])
{
    ufuncinfo *ui = li->ui;
    int nargs = ui->nargs;
    npy_intp n = dimensions[0];
    if (n == 0)
        return 0;
    sejit_entry_fn entry = li->entry;
    if (li->contig != NULL) {
        int contig = 1;
        for (int k = 0; k < nargs && contig; k++)
            contig = strides[k] == li->elsize[k];
        if (contig)
            entry = li->contig;
    }
    sejit_array arrs[MAXARGS];
    void *argp[MAXARGS];
    const npy_intp *core_strides = strides + nargs;
    for (int k = 0; k < nargs; k++) {
        npy_intp isz = li->elsize[k];
        sejit_array *a = &arrs[k];
        memset(a, 0, sizeof *a);
        a->data = data[k];
        a->shape[0] = n;
        if (elem_stride(strides[k], isz, &a->strides[0]) < 0)
            return -1;
        for (int j = 0; j < ui->core_ndim[k]; j++) {
            a->shape[1 + j] = dimensions[1 + ui->core_ix[k][j]];
            if (elem_stride(core_strides[j], isz, &a->strides[1 + j]) < 0)
                return -1;
        }
        core_strides += ui->core_ndim[k];
        if (ui->scalar_out_pad[k]) {
            a->shape[1] = 1;
            a->strides[1] = 0;
        }
        argp[k] = a;
    }
    loopstate st;
    st.owned = PyList_New(0);
    if (st.owned == NULL)
        return -1;
    sejit_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.alloc = loop_alloc;
    ctx.runtime = &st;
    /* No str hash key here: a set of strings in a ufunc's loop fails
     * rather than iterate in an order CPython would not (sejit_abi.h). */
    ctx.strhash_bad = 1;
    sejit_slot ret[1];
    int rc = entry(&ctx, argp, ret);
    Py_DECREF(st.owned);
    if (rc != 0) {
        sejit_raise_error_code(&ctx);
        return -1;
    }
    return 0;
}

static int strided_loop(PyArrayMethod_Context *context, char *const data[],
                        npy_intp const dimensions[], npy_intp const strides[],
                        NpyAuxData *NPY_UNUSED(auxdata))
{
    ufuncinfo *ui = info_of(context->caller);
    if (ui == NULL)
        return -1;
    /* Which compiled loop: the one whose types match these descriptors. */
    for (int l = 0; l < ui->nloops; l++) {
        int ok = 1;
        for (int k = 0; k < ui->nargs && ok; k++)
            ok = context->descriptors[k]->type_num == ui->loops[l].types[k];
        if (ok)
            return run_loop(&ui->loops[l], data, dimensions, strides);
    }
    PyErr_SetString(PyExc_RuntimeError, "sejit ufunc: no compiled loop for these types");
    return -1;
}

/* ufunc->functions: NumPy 2 calls the ArrayMethods above for every registered signature, so
 * this legacy form (present so that the ufunc reads like a legacy one: `types`) should never
 * run. If some path does call it, it computes the same result; an error is left set as the
 * Python exception, which NumPy then reports (as a SystemError, since it does not expect one). */
static void legacy_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data)
{
    PyGILState_STATE g = PyGILState_Ensure();
    if (!PyErr_Occurred())
        (void)run_loop((loopinfo *)data, args, dims, steps);
    PyGILState_Release(g);
}

static int reduction_initial(PyArrayMethod_Context *context, npy_bool reduction_is_empty,
                             void *initial)
{
    (void)reduction_is_empty;
    ufuncinfo *ui = info_of(context->caller);
    if (ui == NULL)
        return -1;
    if (ui->identity == NULL)
        return 0;
    if (PyArray_Pack(context->descriptors[0], initial, ui->identity) < 0)
        return -1;
    return 1;
}

static void info_free(PyObject *cap)
{
    ufuncinfo *ui = (ufuncinfo *)PyCapsule_GetPointer(cap, "sejit.ufuncinfo");
    if (ui == NULL)
        return;
    Py_XDECREF(ui->identity);
    Py_XDECREF(ui->keep);
    PyMem_Free(ui->loops);
    PyMem_Free(ui->types);
    PyMem_Free(ui->functions);
    PyMem_Free(ui->data);
    PyMem_Free(ui->name);
    PyMem_Free(ui->doc);
    PyMem_Free(ui);
}

/* make(name, doc, nin, nout, identity_kind, identity_value, loops, keep, gusig, core)
 *   identity_kind: "none" (no identity, not reorderable: NumPy's PyUFunc_None), "reorderable"
 *     (no identity, reorderable), "value" (identity_value);
 *   loops: [(type numbers tuple, entry address[, address of the entry for contiguous
 *     operands, used when every operand's stride is its item size])];
 *   gusig: None or the layout signature "(n),(n)->()";
 *   core: None or [(core dim indexes tuple)] per argument (for gufuncs). */
static PyObject *make(PyObject *self, PyObject *args)
{
    (void)self;
    const char *name, *doc, *idkind;
    int nin, nout;
    PyObject *idval, *loops, *keep, *gusig, *core;
    if (!PyArg_ParseTuple(args, "ssiisOOOOO", &name, &doc, &nin, &nout, &idkind, &idval, &loops,
                          &keep, &gusig, &core))
        return NULL;
    int nargs = nin + nout;
    if (nin < 0 || nout < 1 || nargs > MAXARGS || !PyList_Check(loops)) {
        PyErr_SetString(PyExc_ValueError, "sejit ufunc: bad arity or loops");
        return NULL;
    }
    Py_ssize_t nloops = PyList_GET_SIZE(loops);
    ufuncinfo *ui = PyMem_Calloc(1, sizeof *ui);
    if (ui == NULL)
        return PyErr_NoMemory();
    ui->nin = nin;
    ui->nout = nout;
    ui->nargs = nargs;
    ui->nloops = (int)nloops;
    ui->loops = PyMem_Calloc((size_t)nloops + 1, sizeof(loopinfo));
    ui->types = PyMem_Calloc((size_t)(nloops * nargs) + 1, 1);
    ui->functions = PyMem_Calloc((size_t)nloops + 1, sizeof(PyUFuncGenericFunction));
    ui->data = PyMem_Calloc((size_t)nloops + 1, sizeof(void *));
    ui->name = PyMem_Malloc(strlen(name) + 1);
    ui->doc = PyMem_Malloc(strlen(doc) + 1);
    if (ui->name)
        strcpy(ui->name, name);
    if (ui->doc)
        strcpy(ui->doc, doc);
    Py_INCREF(keep);
    ui->keep = keep;
    PyObject *cap = PyCapsule_New(ui, "sejit.ufuncinfo", info_free);
    if (cap == NULL) {
        Py_DECREF(keep);
        PyMem_Free(ui);
        return NULL;
    }
    if (ui->name == NULL || ui->doc == NULL || ui->loops == NULL || ui->types == NULL || ui->functions == NULL || ui->data == NULL) {
        Py_DECREF(cap);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t l = 0; l < nloops; l++) {
        PyObject *item = PyList_GET_ITEM(loops, l);
        PyObject *tys;
        unsigned long long addr, contig = 0;
        if (!PyArg_ParseTuple(item, "OK|K", &tys, &addr, &contig) || !PyTuple_Check(tys) ||
            PyTuple_GET_SIZE(tys) != nargs) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "sejit ufunc: bad loop description");
            Py_DECREF(cap);
            return NULL;
        }
        for (int k = 0; k < nargs; k++) {
            long t = PyLong_AsLong(PyTuple_GET_ITEM(tys, k));
            if (t < 0 || type_to_sejit((int)t) < 0) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_ValueError, "sejit ufunc: unsupported type");
                Py_DECREF(cap);
                return NULL;
            }
            ui->loops[l].types[k] = (char)t;
            PyArray_Descr *d = PyArray_DescrFromType((int)t);
            if (d == NULL) {
                Py_DECREF(cap);
                return NULL;
            }
            ui->loops[l].elsize[k] = d->elsize;
            Py_DECREF(d);
            ui->types[l * nargs + k] = (char)t;
        }
        ui->loops[l].entry = (sejit_entry_fn)(uintptr_t)addr;
        ui->loops[l].contig = (sejit_entry_fn)(uintptr_t)contig;
        ui->functions[l] = legacy_loop;
        ui->data[l] = &ui->loops[l];
        ui->loops[l].ui = ui;
    }
    const char *sig = NULL;
    if (gusig != Py_None) {
        sig = PyUnicode_AsUTF8(gusig);
        if (sig == NULL || !PyList_Check(core) || PyList_GET_SIZE(core) != nargs) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "sejit ufunc: bad core dimensions");
            Py_DECREF(cap);
            return NULL;
        }
        for (int k = 0; k < nargs; k++) {
            PyObject *c = PyList_GET_ITEM(core, k);
            if (!PyTuple_Check(c) || PyTuple_GET_SIZE(c) > SEJIT_MAXDIM - 2) {
                PyErr_SetString(PyExc_ValueError, "sejit ufunc: bad core dimensions");
                Py_DECREF(cap);
                return NULL;
            }
            ui->core_ndim[k] = (int)PyTuple_GET_SIZE(c);
            for (int j = 0; j < ui->core_ndim[k]; j++)
                ui->core_ix[k][j] = (int)PyLong_AsLong(PyTuple_GET_ITEM(c, j));
            ui->scalar_out_pad[k] = k >= nin && ui->core_ndim[k] == 0;
        }
    }
    int identity = PyUFunc_None;
    PyObject *identity_value = NULL;
    if (strcmp(idkind, "reorderable") == 0) {
        identity = PyUFunc_ReorderableNone;
    }
    else if (strcmp(idkind, "value") == 0) {
        identity = PyUFunc_IdentityValue;
        identity_value = idval;
        Py_INCREF(idval);
        ui->identity = idval;
    }
    PyObject *uf = PyUFunc_FromFuncAndDataAndSignatureAndIdentity(
        NULL, NULL, NULL, 0, nin, nout, identity, ui->name, ui->doc, 0, sig, identity_value);
    if (uf == NULL) {
        Py_DECREF(cap);
        return NULL;
    }
    PyUFuncObject *u = (PyUFuncObject *)uf;
    u->obj = cap; /* released by the ufunc's dealloc */

    PyType_Slot slots[] = {
        {NPY_METH_strided_loop, (void *)strided_loop},
        {NPY_METH_get_reduction_initial, (void *)reduction_initial},
        {0, NULL},
    };
    for (Py_ssize_t l = 0; l < nloops; l++) {
        PyArray_DTypeMeta *dtypes[MAXARGS];
        for (int k = 0; k < nargs; k++) {
            PyArray_Descr *d = PyArray_DescrFromType(ui->loops[l].types[k]);
            dtypes[k] = NPY_DTYPE(d);
            Py_DECREF(d); /* builtin descriptors and their DTypes are immortal in practice */
        }
        PyArrayMethod_Spec spec = {
            .name = "sejit_loop",
            .nin = nin,
            .nout = nout,
            .casting = NPY_NO_CASTING,
            .flags = NPY_METH_REQUIRES_PYAPI |
                     (identity == PyUFunc_None ? 0 : NPY_METH_IS_REORDERABLE),
            .dtypes = dtypes,
            .slots = slots,
        };
        if (PyUFunc_AddLoopFromSpec(uf, &spec) < 0) {
            Py_DECREF(uf);
            return NULL;
        }
    }
    u->ntypes = (int)nloops;
    u->types = ui->types;
    u->functions = ui->functions;
    u->data = ui->data;
    return uf;
}

/* kept(obj) -> the `keep` object make() was given, for a ufunc made here; None for any other
   object (NumPy's own ufuncs included). What sejit's pickling finds a ufunc's recipe by: NumPy's
   ufuncs cannot be weakly referenced, so the recipe lives in the ufunc itself. */
static PyObject *kept(PyObject *self, PyObject *obj)
{
    (void)self;
    if (PyObject_TypeCheck(obj, &PyUFunc_Type)) {
        PyObject *cap = ((PyUFuncObject *)obj)->obj;
        if (cap != NULL && PyCapsule_IsValid(cap, "sejit.ufuncinfo")) {
            ufuncinfo *ui = (ufuncinfo *)PyCapsule_GetPointer(cap, "sejit.ufuncinfo");
            if (ui != NULL && ui->keep != NULL) {
                Py_INCREF(ui->keep);
                return ui->keep;
            }
        }
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"make", make, METH_VARARGS, "make(...) -> numpy.ufunc (see _ufunc.c)"},
    {"kept", kept, METH_O, "kept(obj) -> what make() kept for a sejit ufunc, else None"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "sejit._ufunc",
                                    "Real NumPy ufuncs over compiled sejit kernels.", -1, methods};

PyMODINIT_FUNC PyInit__ufunc(void)
{
    import_array();
    import_umath();
    return PyModule_Create(&moddef);
}
