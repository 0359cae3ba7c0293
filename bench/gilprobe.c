/* A probe for bench/latency.py: two METH_FASTCALL functions that add two floats, one of them
 * releasing and taking back the GIL around the addition as sejit's dispatcher does around a
 * kernel. Timed from a Python loop, their difference is what the release costs per call, and
 * `add` itself is the floor for any C-implemented callable that returns a new float. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *add(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs != 2)
        return NULL;
    double a = PyFloat_AsDouble(args[0]), b = PyFloat_AsDouble(args[1]), r;
    r = a + b;
    return PyFloat_FromDouble(r);
}

static PyObject *add_nogil(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs != 2)
        return NULL;
    double a = PyFloat_AsDouble(args[0]), b = PyFloat_AsDouble(args[1]);
    volatile double r;
    Py_BEGIN_ALLOW_THREADS
    r = a + b;
    Py_END_ALLOW_THREADS
    return PyFloat_FromDouble(r);
}

static PyMethodDef methods[] = {
    {"add", (PyCFunction)(void (*)(void))add, METH_FASTCALL, "a + b"},
    {"add_nogil", (PyCFunction)(void (*)(void))add_nogil, METH_FASTCALL,
     "a + b with the GIL released around the addition"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "gilprobe", NULL, -1, methods};

PyMODINIT_FUNC PyInit_gilprobe(void)
{
    return PyModule_Create(&module);
}
