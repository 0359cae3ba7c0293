/* The Python exception of a kernel's error code (sejit_abi.h's SEJIT_ERR_*),
 * raised with the message the kernel wrote: one table for the runtime's
 * calls (_runtime.c) and the ufunc loops (_ufunc.c). Needs Python.h and
 * sejit_abi.h first. */
#ifndef SEJIT_KERNEL_ERRORS_H
#define SEJIT_KERNEL_ERRORS_H

#include <errno.h>
#include <string.h>

/* Messages longer than sejit_ctx.msg (a raise with a formatted message,
 * such as an array in an f-string): the print hook keeps the whole text
 * here and writes "\x01ID\x02" and as much of the text as fits into the
 * message, which the kernel copies as it copies any message (a handler's
 * saved exception included); raising it, or building a caught exception to
 * format it, finds the whole text again. The last SEJIT_LONG_SLOTS texts
 * are kept (the GIL guards them); an older one falls back to its cut text. */
#define SEJIT_LONG_SLOTS 64
static PyObject *sejit_long_text[SEJIT_LONG_SLOTS];
static unsigned long sejit_long_id[SEJIT_LONG_SLOTS];
static unsigned long sejit_long_next = 1;

/* Keeps text (UTF-8 u, len bytes) and writes its marker and prefix into msg
 * (cap bytes). */
static inline void
sejit_store_long_message(char *msg, size_t cap, PyObject *text, const char *u, Py_ssize_t len)
{
    unsigned long id = sejit_long_next++;
    int k = (int)(id % SEJIT_LONG_SLOTS);
    Py_INCREF(text);
    Py_XSETREF(sejit_long_text[k], text);
    sejit_long_id[k] = id;
    int head = snprintf(msg, cap, "\x01%lu\x02", id);
    Py_ssize_t room = (Py_ssize_t)cap - 1 - head;
    if (len > room) {
        len = room; /* cut at a character boundary */
        while (len > 0 && ((unsigned char)u[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(msg + head, u, (size_t)len);
    msg[head + len] = '\0';
}

/* The text of a kernel's message: the whole of a long one. */
static inline PyObject *
sejit_message_text(const char *msg)
{
    if (msg[0] == '\x01') {
        char *end;
        unsigned long id = strtoul(msg + 1, &end, 10);
        if (*end == '\x02') {
            int k = (int)(id % SEJIT_LONG_SLOTS);
            if (sejit_long_id[k] == id && sejit_long_text[k] != NULL) {
                Py_INCREF(sejit_long_text[k]);
                return sejit_long_text[k];
            }
            msg = end + 1;
        }
    }
    return PyUnicode_DecodeUTF8(msg, (Py_ssize_t)strlen(msg), "replace");
}

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
    if (ctx->msg[0] != '\0') {
        PyObject *text = sejit_message_text(ctx->msg);
        if (text != NULL) {
            PyErr_SetObject(exc, text);
            Py_DECREF(text);
        }
    } else if (exc == PyExc_RuntimeError)
        PyErr_Format(exc, "compiled kernel failed (error code %d)", ctx->err);
    else
        PyErr_SetNone(exc);
}

#endif
