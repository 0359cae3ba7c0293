/* The Python exception of a kernel's error code (sejit_abi.h's SEJIT_ERR_*),
 * raised with the message the kernel wrote: one table for the runtime's
 * calls (_runtime.c) and the ufunc loops (_ufunc.c). Needs Python.h and
 * sejit_abi.h first. */
#ifndef SEJIT_KERNEL_ERRORS_H
#define SEJIT_KERNEL_ERRORS_H

#include <errno.h>
#include <string.h>

static void
sejit_raise_error_code(sejit_ctx *ctx)
{
    PyObject *exc;
    ctx->msg[sizeof ctx->msg - 1] = '\0';
    if (ctx->err == SEJIT_ERR_OVERFLOW && strcmp(ctx->msg, "sejit:erange") == 0) {
        /* A Python float power that overflowed (lower/pypow.go): CPython
         * raises it from errno, so its args are (ERANGE, strerror(ERANGE)). */
        errno = ERANGE;
        PyErr_SetFromErrno(PyExc_OverflowError);
        return;
    }
    if (ctx->err == SEJIT_ERR_ZERODIV && strcmp(ctx->msg, "sejit:float-modulo") == 0) {
        /* x % 0.0 of Python floats: the text changed in CPython 3.13. */
#if PY_VERSION_HEX >= 0x030D0000
        PyErr_SetString(PyExc_ZeroDivisionError, "float modulo by zero");
#else
        PyErr_SetString(PyExc_ZeroDivisionError, "float modulo");
#endif
        return;
    }
    if (ctx->err == SEJIT_ERR_LIMIT) {
        /* "Class:text" (sejit_abi.h): what compiled code cannot hold. */
        const char *text = strchr(ctx->msg, ':');
        exc = PyExc_RuntimeError;
        if (strncmp(ctx->msg, "OverflowError:", 14) == 0)
            exc = PyExc_OverflowError;
        else if (strncmp(ctx->msg, "ValueError:", 11) == 0)
            exc = PyExc_ValueError;
        PyErr_SetString(exc, text != NULL ? text + 1 : ctx->msg);
        return;
    }
    switch (ctx->err) {
    case SEJIT_ERR_ZERODIV: exc = PyExc_ZeroDivisionError; break;
    case SEJIT_ERR_INDEX: exc = PyExc_IndexError; break;
    case SEJIT_ERR_VALUE: exc = PyExc_ValueError; break;
    case SEJIT_ERR_MEMORY: exc = PyExc_MemoryError; break;
    case SEJIT_ERR_TYPE: exc = PyExc_TypeError; break;
    case SEJIT_ERR_ASSERT: exc = PyExc_AssertionError; break;
    case SEJIT_ERR_OVERFLOW: exc = PyExc_OverflowError; break;
    case SEJIT_ERR_KEY: exc = PyExc_KeyError; break;
    case SEJIT_ERR_NOTIMPLEMENTED: exc = PyExc_NotImplementedError; break;
    case SEJIT_ERR_ARITHMETIC: exc = PyExc_ArithmeticError; break;
    case SEJIT_ERR_LOOKUP: exc = PyExc_LookupError; break;
    case SEJIT_ERR_FLOATINGPOINT: exc = PyExc_FloatingPointError; break;
    case SEJIT_ERR_EXCEPTION: exc = PyExc_Exception; break;
    case SEJIT_ERR_LINALG: exc = NULL; break;
    default: exc = PyExc_RuntimeError; break;
    }
    if (exc == NULL) { /* numpy.linalg.LinAlgError */
        PyObject *la = PyImport_ImportModule("numpy.linalg");
        PyObject *cls = la == NULL ? NULL : PyObject_GetAttrString(la, "LinAlgError");
        Py_XDECREF(la);
        if (cls == NULL)
            return;
        PyErr_SetString(cls, ctx->msg);
        Py_DECREF(cls);
        return;
    }
    if (ctx->msg[0] != '\0')
        PyErr_SetString(exc, ctx->msg);
    else if (exc == PyExc_RuntimeError)
        PyErr_Format(exc, "compiled kernel failed (error code %d)", ctx->err);
    else
        PyErr_SetNone(exc);
}

#endif
