/* sejit_abi.h: the fixed calling convention between compiled kernels and
 * the sejit runtime (python/sejit/_runtime.c).
 *
 * This is the one source of truth. The engine embeds this text at the top of
 * every generated translation unit, and the runtime extension includes it, so
 * both sides always agree. Kernels include no Python or NumPy header: they
 * see arrays as plain descriptors and ask the runtime for new arrays through
 * a callback, which keeps each compile fast and lets Go tests call kernels
 * without a Python interpreter.
 */
#ifndef SEJIT_ABI_H
#define SEJIT_ABI_H

#include <stdint.h>

#define SEJIT_ABI_VERSION 2
#define SEJIT_MAXDIM 8

typedef struct { float re, im; } sejit_c64;
typedef struct { double re, im; } sejit_c128;

/* An array as a kernel sees it. Strides are counted in elements, not bytes:
 * the runtime refuses arrays whose byte strides are not a multiple of the
 * item size. obj is the owning Python object, opaque to the kernel; the
 * kernel copies it into views and returned arrays so the runtime can keep
 * the memory alive. */
typedef struct sejit_array {
    void *obj;
    char *data;
    int64_t shape[SEJIT_MAXDIM];
    int64_t strides[SEJIT_MAXDIM];
} sejit_array;

typedef union sejit_scalar {
    uint8_t b; /* bool: 0 or 1 */
    int8_t i8;
    int16_t i16;
    int32_t i32;
    int64_t i64;
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    float f32;
    double f64;
    sejit_c64 c64;
    sejit_c128 c128;
} sejit_scalar;

/* One returned leaf value: a scalar in s, or an array in a. */
typedef struct sejit_slot {
    sejit_scalar s;
    sejit_array a;
} sejit_slot;

/* Error kinds a kernel can report; the runtime raises the matching Python
 * exception with ctx->msg as its text. */
enum {
    SEJIT_OK = 0,
    SEJIT_ERR_ZERODIV = 1,  /* ZeroDivisionError */
    SEJIT_ERR_INDEX = 2,    /* IndexError */
    SEJIT_ERR_VALUE = 3,    /* ValueError */
    SEJIT_ERR_MEMORY = 4,   /* MemoryError */
    SEJIT_ERR_TYPE = 5,     /* TypeError */
    SEJIT_ERR_ASSERT = 6,   /* AssertionError */
    SEJIT_ERR_RUNTIME = 7,  /* RuntimeError */
    SEJIT_ERR_OVERFLOW = 8, /* OverflowError */
    /* raise statements of the builtin exception types below */
    SEJIT_ERR_KEY = 9,            /* KeyError */
    SEJIT_ERR_NOTIMPLEMENTED = 10, /* NotImplementedError */
    SEJIT_ERR_ARITHMETIC = 11,    /* ArithmeticError */
    SEJIT_ERR_LOOKUP = 12,        /* LookupError */
    SEJIT_ERR_FLOATINGPOINT = 13, /* FloatingPointError */
    SEJIT_ERR_EXCEPTION = 14,     /* Exception */
    /* the kernel saw *ctx->interrupt set (SIGINT) and stopped early: the
     * runtime runs Python's SIGINT handler (KeyboardInterrupt) */
    SEJIT_ERR_INTERRUPT = 15,
    SEJIT_ERR_LINALG = 16, /* numpy.linalg.LinAlgError */
    /* a value CPython has and compiled code cannot hold (a float too large
     * for int64, a Python float power whose result is complex): raised as
     * the class its message names ("OverflowError:..." or "ValueError:..."),
     * and caught by no except clause of compiled code, where CPython would
     * raise nothing */
    SEJIT_ERR_LIMIT = 17
};

/* Element types, shared by the engine, the request and the runtime. */
enum {
    SEJIT_BOOL = 0,
    SEJIT_INT8 = 1,
    SEJIT_INT16 = 2,
    SEJIT_INT32 = 3,
    SEJIT_INT64 = 4,
    SEJIT_UINT8 = 5,
    SEJIT_UINT16 = 6,
    SEJIT_UINT32 = 7,
    SEJIT_UINT64 = 8,
    SEJIT_FLOAT32 = 9,
    SEJIT_FLOAT64 = 10,
    SEJIT_COMPLEX64 = 11,
    SEJIT_COMPLEX128 = 12
};

/* One item of a print() call, or of a raised exception's formatted
 * message (ir.Print): the runtime boxes values and formats them with
 * Python's own print() and format(). */
enum {
    SEJIT_PRINT_TEXT = 0,  /* text: UTF-8 */
    SEJIT_PRINT_VALUE = 1, /* a scalar s (ndim < 0) or an array a */
    SEJIT_PRINT_TUPLE = 2, /* a tuple of the next n items */
    SEJIT_PRINT_EXC = 3,   /* a caught exception: its kind in dtype, its message in text */
    SEJIT_PRINT_STR = 4,   /* a run-time string: a, a 1-D uint32 array of code points */
    SEJIT_PRINT_LIST = 5   /* a list read from the next n items, 1-D arrays of its length: n == 1
                            * its numbers, n > 1 its tuples (field k from array k); with ndim 1
                            * the one array holds rows' box addresses (len, owner, data, capacity,
                            * origin) and each item is a list of the row's numbers of dtype
                            * `dtype`, boxed as Python numbers when py is set; with ndim 2 the
                            * arrays hold a list of arrays' words (owner, data, extents, strides
                            * in items) and each item is a copy of an array of dtype `dtype`. A
                            * number read from
                            * an array item is a Python number when that item's py is set, else
                            * the NumPy scalar of its dtype. */
};
typedef struct sejit_print_item {
    int kind;
    int dtype; /* value: SEJIT_* element type */
    int ndim;  /* value: -1 for a scalar, else the array's rank */
    int py;    /* scalar: 1 boxes a Python int/float/bool/complex, 0 the NumPy scalar */
    int n;     /* tuple: the number of elements */
    int fmt;   /* an f-string field: format(conv(v), spec) */
    int conv;  /* 'r', 's', 'a' or 0 */
    int join;  /* continues the previous item's argument (an f-string) */
    const char *text;
    const char *spec;
    sejit_scalar s;
    sejit_array a;
} sejit_print_item;

/* The BLAS the runtime found at load time (NumPy's own OpenBLAS): CBLAS
 * ?gemm, ?gemv and ?dot entry points (the gemms all present, the others may
 * be NULL).
 * ilp64 says whether their integer arguments are int64_t (1) or int (0);
 * the enum arguments (order, transposes) are int either way. calls counts
 * the BLAS calls kernels made (for tests; updated atomically). */
typedef struct sejit_blas {
    int ilp64;
    void *sgemm, *dgemm, *cgemm, *zgemm;
    int64_t calls;
    void *sgemv, *dgemv, *cgemv, *zgemv; /* cblas_?gemv, each may be NULL */
    /* cblas_sdot, ddot, cdotu_sub, zdotu_sub, cdotc_sub, zdotc_sub, each may be NULL */
    void *sdot, *ddot, *cdotu, *zdotu, *cdotc, *zdotc;
    /* LAPACKE_?gesv, ?getrf, ?potrf, ?syevd of the same library (same
     * integer width as the BLAS: lapack_int is int64_t when ilp64), each
     * may be NULL; the runtime turns LAPACKE's NaN checks off, as NumPy's
     * LAPACK calls have none. Kernels reach them through ctx->lapack. */
    void *sgesv, *dgesv, *sgetrf, *dgetrf, *spotrf, *dpotrf, *ssyevd, *dsyevd;
    /* LAPACKE_?gesdd (svd, pinv, matrix_rank, cond), ?geev (eig, eigvals),
     * ?geqrf and ?orgqr (qr), ?gelsd (lstsq): the drivers NumPy uses, each
     * may be NULL. Appended so the fields above keep their offsets. */
    void *sgesdd, *dgesdd, *sgeev, *dgeev, *sgeqrf, *dgeqrf, *sorgqr, *dorgqr, *sgelsd, *dgelsd;
    /* their complex forms (complex64 c, complex128 z; ?heevd and ?ungqr for
     * ?syevd and ?orgqr), each may be NULL. */
    void *cgesv, *zgesv, *cgetrf, *zgetrf, *cpotrf, *zpotrf, *cheevd, *zheevd, *cgesdd, *zgesdd, *cgeev, *zgeev,
        *cgeqrf, *zgeqrf, *cungqr, *zungqr, *cgelsd, *zgelsd;
} sejit_blas;

typedef struct sejit_ctx {
    /* Allocates a new, uninitialised, C-ordered NumPy array and fills *out
     * (obj, data, shape, strides in elements). The runtime owns the object
     * until the call ends; returned arrays survive, the rest are released.
     * Returns 0, or -1 with err/msg set. Callable with the GIL released. */
    int (*alloc)(struct sejit_ctx *ctx, int dtype, int ndim,
                 const int64_t *shape, sejit_array *out);
    void *runtime; /* the runtime's own state */
    int err;       /* SEJIT_ERR_* once a kernel fails */
    char msg[256]; /* the exception text */
    /* Set (non-zero) by the runtime's SIGINT handler while the call runs;
     * NULL: never interrupted. Kernels poll it at the top of each
     * iteration of an outer loop and return -1 with SEJIT_ERR_INTERRUPT
     * when it is set (sejit_poll in the prelude). */
    const volatile int *interrupt;
    /* NumPy's global random state (np.random.mtrand._rand) while a kernel
     * that draws numbers runs, its lock held by the runtime: the address of
     * the RandomState's legacy augmented state, laid out as
     * sejit_aug_bitgen (NumPy's aug_bitgen_t). NULL: absent (a kernel that
     * draws fails with RuntimeError). The prelude's "NumPy random" section
     * draws through it exactly as NumPy's legacy distributions do. */
    void *random;
    /* print(*items, sep=sep, end=end) to sys.stdout (sep, end: NULL for
     * the defaults), taking the GIL; returns 0, or -1 with err/msg set. With
     * raise a SEJIT_ERR_* kind, formats the items (one f-string) into msg
     * instead and returns 0; the kernel then fails with that kind
     * (sejit_print in the prelude). NULL: print does nothing, and a raise
     * gets the message's literal text. */
    int (*print)(struct sejit_ctx *ctx, const sejit_print_item *items, int n,
                 const char *sep, const char *end, int raise);

    /* NumPy's BLAS, or NULL: kernels then run their own loop nests (Go
     * tests zero the context, so NULL must keep working). Appended last so
     * the fields above keep their offsets. */
    sejit_blas *blas;
    /* The same table for np.linalg's LAPACKE calls whenever the library
     * has them, whether or not BLAS products are enabled; NULL: np.linalg
     * fails with a RuntimeError. */
    sejit_blas *lapack;
    /* Python's own str operations on a run-time string s (a 1-D uint32
     * array of code points), for what the prelude's str helpers leave to
     * CPython (lower/strings.go): op SEJIT_STR_FLOAT float(s) into *f,
     * SEJIT_STR_INT int(s) into *i (OverflowError beyond int64),
     * SEJIT_STR_LOWER and SEJIT_STR_UPPER a new string into *out,
     * SEJIT_STR_ISDIGIT and SEJIT_STR_ISALPHA 0 or 1 into *i. Takes the GIL;
     * returns 0, or -1 with err/msg set to the exception CPython raised.
     * NULL (Go tests, _ufunc.c): the helpers fail with a RuntimeError where
     * they need it. Appended last so the fields above keep their offsets. */
    int (*strfn)(struct sejit_ctx *ctx, int op, const sejit_array *s, sejit_array *out, double *f,
                 int64_t *i);
    /* The chunk short new strings are carved from (the prelude's
     * sejit_str_new), and how much of it is used: one allocation through
     * alloc per chunk instead of one per string. Zero before the call (a
     * zeroed context is ready); a parallel region's thread starts with its
     * copy used up, so that threads never carve from one chunk. */
    sejit_array strchunk;
    int64_t strused;
    /* With raise SEJIT_FORMAT, print formats its items into a new string
     * here (a 1-D uint32 array of code points) instead of printing or
     * failing: an f-string, str() or format() used as a value. */
    sejit_array formatted;
    /* Gives back arrays this call's alloc made that the kernel no longer
     * needs: a compiled function returning passes the owners (obj) of its
     * own temporaries, those nothing it returns, stores or hands on can
     * reach (analysis/release.go), so that recursion and repeated calls
     * reuse memory instead of holding every array until the call ends.
     * NULL entries, and owners alloc did not make or has already given
     * back, are skipped. NULL (Go tests, _ufunc.c): everything is kept
     * until the call ends, as before. Appended last so the fields above
     * keep their offsets. */
    void (*release)(struct sejit_ctx *ctx, void *const *objs, int n);
    /* The key of CPython's str hash in this process (_Py_HashSecret's
     * SipHash key, from PYTHONHASHSEED or the process's random seed), so
     * that compiled sets of strings hash each string as hash(s) does and
     * lay out their table, and so iterate, in CPython's order (sejit_str_hash,
     * lower/pyset.go). strhash_bad is non-zero where the runtime could not
     * reproduce this Python's str hash (another algorithm, or the secret
     * not found): string sets then fail with a RuntimeError. Zero (Go
     * tests) is the key of PYTHONHASHSEED=0. Appended last so the fields
     * above keep their offsets. */
    uint64_t strhash[2];
    int strhash_bad;
} sejit_ctx;

/* CPython's hash(s) of the str whose n code points are at p, under the
 * SipHash-1-3 key key (sys.hash_info.algorithm 'siphash13', the default
 * since 3.11): CPython hashes the bytes of the string's compact form, one
 * byte per character when every code point is below 256, two below
 * 65536, else four, little-endian; the empty string hashes as 0 and -1 as
 * -2 (Py_HASH_CUTOFF is 0, so there is no small-string variant). The
 * runtime checks it against hash() at import before it trusts a key. */
static inline int64_t sejit_str_hash(const uint64_t key[2], const uint32_t *p, int64_t n) {
    if (n <= 0) return 0;
    uint32_t top = 0;
    for (int64_t i = 0; i < n; i++)
        top = p[i] > top ? p[i] : top;
    int width = top < 256 ? 1 : top < 65536 ? 2 : 4;
    uint64_t v0 = key[0] ^ 0x736f6d6570736575ULL, v1 = key[1] ^ 0x646f72616e646f6dULL;
    uint64_t v2 = key[0] ^ 0x6c7967656e657261ULL, v3 = key[1] ^ 0x7465646279746573ULL;
#define SEJIT_SIP_ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))
#define SEJIT_SIP_ROUND                                                                       \
    do {                                                                                      \
        v0 += v1, v1 = SEJIT_SIP_ROTL(v1, 13), v1 ^= v0, v0 = SEJIT_SIP_ROTL(v0, 32);          \
        v2 += v3, v3 = SEJIT_SIP_ROTL(v3, 16), v3 ^= v2;                                       \
        v0 += v3, v3 = SEJIT_SIP_ROTL(v3, 21), v3 ^= v0;                                       \
        v2 += v1, v1 = SEJIT_SIP_ROTL(v1, 17), v1 ^= v2, v2 = SEJIT_SIP_ROTL(v2, 32);          \
    } while (0)
    uint64_t word = 0;
    int filled = 0;
    for (int64_t i = 0; i < n; i++) {
        for (int b = 0; b < width; b++) {
            word |= (uint64_t)((p[i] >> (8 * b)) & 0xffu) << (8 * filled);
            if (++filled == 8) {
                v3 ^= word;
                SEJIT_SIP_ROUND;
                v0 ^= word;
                word = 0;
                filled = 0;
            }
        }
    }
    word |= ((uint64_t)n * (uint64_t)width) << 56;
    v3 ^= word;
    SEJIT_SIP_ROUND;
    v0 ^= word;
    v2 ^= 0xff;
    SEJIT_SIP_ROUND;
    SEJIT_SIP_ROUND;
    SEJIT_SIP_ROUND;
#undef SEJIT_SIP_ROUND
#undef SEJIT_SIP_ROTL
    int64_t h = (int64_t)(v0 ^ v1 ^ v2 ^ v3);
    return h == -1 ? -2 : h;
}

/* The raise argument of print that formats into ctx->formatted. */
#define SEJIT_FORMAT 100

enum {
    SEJIT_STR_FLOAT = 0,
    SEJIT_STR_INT = 1,
    SEJIT_STR_LOWER = 2,
    SEJIT_STR_UPPER = 3,
    SEJIT_STR_ISDIGIT = 4,
    SEJIT_STR_ISALPHA = 5
};

/* NumPy's bitgen_t (numpy/random/bitgen.h) and legacy aug_bitgen_t
 * (legacy-distributions.h), field for field. */
typedef struct sejit_bitgen {
    void *state;
    uint64_t (*next_uint64)(void *st);
    uint32_t (*next_uint32)(void *st);
    double (*next_double)(void *st);
    uint64_t (*next_raw)(void *st);
} sejit_bitgen;

typedef struct sejit_aug_bitgen {
    sejit_bitgen *bit_generator;
    int has_gauss;
    double gauss;
} sejit_aug_bitgen;

/* The entry point of a compiled specialization. args[k] points to a
 * sejit_array for an array parameter and to a sejit_scalar for a scalar one.
 * Returns 0 and fills ret[0..nleaves-1], or -1 with ctx->err set. */
typedef int (*sejit_entry_fn)(sejit_ctx *ctx, void **args, sejit_slot *ret);

#endif /* SEJIT_ABI_H */
