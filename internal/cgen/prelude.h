/* sejit kernel prelude: helpers with Python and NumPy semantics. Every
 * operation here is defined for all inputs (no C undefined behaviour). */
#include <complex.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define SEJIT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define SEJIT_UNUSED __attribute__((unused))

__attribute__((cold, noinline, unused)) static int sejit_fail(sejit_ctx *ctx, int kind, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    ctx->err = kind;
    vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
    va_end(ap);
    return -1;
}

/* Floor division and modulo rounding toward negative infinity. A zero
 * divisor gives 0, as NumPy does; Python semantics check before calling. */
static inline int64_t sejit_fdiv_i64(int64_t a, int64_t b) {
    if (b == 0) return 0;
    if (b == -1) return (int64_t)(0 - (uint64_t)a);
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q -= 1;
    return q;
}
static inline int64_t sejit_mod_i64(int64_t a, int64_t b) {
    if (b == 0 || b == -1) return 0;
    int64_t r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}
static inline uint64_t sejit_fdiv_u64(uint64_t a, uint64_t b) { return b ? a / b : 0; }
static inline uint64_t sejit_mod_u64(uint64_t a, uint64_t b) { return b ? a % b : 0; }
static inline int64_t sejit_ceildiv_i64(int64_t a, int64_t b) { return -sejit_fdiv_i64(-a, b); }

/* CPython's float floor division and modulo (floatobject.c's algorithm). */
#define SEJIT_FLOAT_DIVMOD(T, SUF)                                            \
    static inline T sejit_mod_##SUF(T vx, T wx) {                             \
        if (wx == 0) return (T)NAN;                                           \
        T mod = (T)fmod(vx, wx);                                              \
        if (mod) {                                                            \
            if ((wx < 0) != (mod < 0)) mod += wx;                             \
        } else {                                                              \
            mod = (T)copysign(0.0, wx);                                       \
        }                                                                     \
        return mod;                                                           \
    }                                                                         \
    static inline T sejit_fdiv_##SUF(T vx, T wx) {                            \
        if (wx == 0) return vx / wx;                                          \
        T mod = (T)fmod(vx, wx);                                              \
        T div = (vx - mod) / wx;                                              \
        if (mod) {                                                            \
            if ((wx < 0) != (mod < 0)) div -= 1;                              \
        }                                                                     \
        T floordiv;                                                           \
        if (div) {                                                            \
            floordiv = (T)floor(div);                                         \
            if (div - floordiv > (T)0.5) floordiv += 1;                       \
        } else {                                                              \
            floordiv = (T)copysign(0.0, vx / wx);                             \
        }                                                                     \
        return floordiv;                                                      \
    }
SEJIT_FLOAT_DIVMOD(double, f64)
SEJIT_FLOAT_DIVMOD(float, f32)

/* Integer power by squaring, wrapping like NumPy; negative exponents are
 * refused before the call (Python scalars) or give 0 (array elements). */
static inline int64_t sejit_pow_i64(int64_t b, int64_t e) {
    if (e < 0) return 0;
    uint64_t r = 1, x = (uint64_t)b;
    while (e) {
        if (e & 1) r *= x;
        x *= x;
        e >>= 1;
    }
    return (int64_t)r;
}
static inline uint64_t sejit_pow_u64(uint64_t b, uint64_t e) {
    uint64_t r = 1;
    while (e) {
        if (e & 1) r *= b;
        b *= b;
        e >>= 1;
    }
    return r;
}

static inline int64_t sejit_shl_i64(int64_t a, int64_t s) {
    return (s < 0 || s >= 64) ? 0 : (int64_t)((uint64_t)a << s);
}
static inline int64_t sejit_shr_i64(int64_t a, int64_t s) {
    if (s < 0 || s >= 64) return a < 0 ? -1 : 0;
    return a >> s;
}

/* Float to integer conversion without undefined behaviour: out-of-range
 * values and NaN give INT64_MIN, as x86's conversion (and so NumPy) does. */
static inline int64_t sejit_f2i(double x) {
    if (x > -9223372036854775808.0 && x < 9223372036854775808.0) return (int64_t)x;
    return INT64_MIN;
}
static inline uint64_t sejit_f2u(double x) {
    if (x >= 0.0 && x < 18446744073709551616.0) return (uint64_t)x;
    if (x > -9223372036854775808.0 && x < 0.0) return (uint64_t)(int64_t)x;
    return (uint64_t)INT64_MIN;
}

/* sejit_overlap reports whether the bytes two arrays span intersect. */
static inline int sejit_span(const char *d, int64_t isz, int nd, const int64_t *n, const int64_t *s,
                             const char **lo, const char **hi) {
    int64_t a = 0, b = 0;
    for (int k = 0; k < nd; k++) {
        if (n[k] == 0) return 0;
        int64_t e = (n[k] - 1) * s[k] * isz;
        if (e < 0) a += e; else b += e;
    }
    *lo = d + a;
    *hi = d + b + isz;
    return 1;
}
static inline int sejit_overlap(const char *ad, int64_t ai, int an, const int64_t *ash, const int64_t *ast,
                                const char *bd, int64_t bi, int bn, const int64_t *bsh, const int64_t *bst) {
    const char *alo, *ahi, *blo, *bhi;
    if (!sejit_span(ad, ai, an, ash, ast, &alo, &ahi) || !sejit_span(bd, bi, bn, bsh, bst, &blo, &bhi)) return 0;
    return alo < bhi && blo < ahi;
}

static inline int64_t sejit_min_i64(int64_t a, int64_t b) { return a < b ? a : b; }
static inline int64_t sejit_max_i64(int64_t a, int64_t b) { return a > b ? a : b; }

/* NumPy's minimum and maximum propagate NaN. */
static inline double sejit_minimum_f64(double a, double b) { return (a < b || a != a) ? a : b; }
static inline double sejit_maximum_f64(double a, double b) { return (a > b || a != a) ? a : b; }
static inline float sejit_minimum_f32(float a, float b) { return (a < b || a != a) ? a : b; }
static inline float sejit_maximum_f32(float a, float b) { return (a > b || a != a) ? a : b; }
static inline double sejit_sign_f64(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x; }
static inline float sejit_sign_f32(float x) { return x > 0 ? 1.0f : x < 0 ? -1.0f : x; }

/* Complex arithmetic with CPython's and NumPy's formulas (not C99 Annex G). */
static inline sejit_c128 sejit_c128_make(double re, double im) { sejit_c128 z = {re, im}; return z; }
static inline sejit_c128 sejit_c128_add(sejit_c128 a, sejit_c128 b) { return sejit_c128_make(a.re + b.re, a.im + b.im); }
static inline sejit_c128 sejit_c128_sub(sejit_c128 a, sejit_c128 b) { return sejit_c128_make(a.re - b.re, a.im - b.im); }
static inline sejit_c128 sejit_c128_mul(sejit_c128 a, sejit_c128 b) {
    return sejit_c128_make(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
}
static inline sejit_c128 sejit_c128_div(sejit_c128 a, sejit_c128 b) {
    /* Smith's algorithm, as CPython's _Py_c_quot. */
    double abs_breal = b.re < 0 ? -b.re : b.re;
    double abs_bimag = b.im < 0 ? -b.im : b.im;
    if (abs_breal >= abs_bimag) {
        if (abs_breal == 0.0) return sejit_c128_make(NAN, NAN);
        double ratio = b.im / b.re;
        double denom = b.re + b.im * ratio;
        return sejit_c128_make((a.re + a.im * ratio) / denom, (a.im - a.re * ratio) / denom);
    } else if (abs_bimag >= abs_breal) {
        double ratio = b.re / b.im;
        double denom = b.re * ratio + b.im;
        return sejit_c128_make((a.re * ratio + a.im) / denom, (a.im * ratio - a.re) / denom);
    }
    return sejit_c128_make(NAN, NAN);
}
static inline sejit_c128 sejit_c128_neg(sejit_c128 a) { return sejit_c128_make(-a.re, -a.im); }
static inline int sejit_c128_eq(sejit_c128 a, sejit_c128 b) { return a.re == b.re && a.im == b.im; }
static inline double sejit_c128_abs(sejit_c128 a) { return hypot(a.re, a.im); }
static inline int sejit_c128_nonzero(sejit_c128 a) { return a.re != 0 || a.im != 0; }
/* Complex functions come from the C library, as NumPy's do. */
#define SEJIT_CFUNC(NAME)                                                     \
    static inline sejit_c128 sejit_c128_##NAME(sejit_c128 a) {                \
        double _Complex r = c##NAME(CMPLX(a.re, a.im));                       \
        return sejit_c128_make(creal(r), cimag(r));                           \
    }
SEJIT_CFUNC(sqrt)
SEJIT_CFUNC(exp)
SEJIT_CFUNC(log)
SEJIT_CFUNC(sin)
SEJIT_CFUNC(cos)
SEJIT_CFUNC(tan)
SEJIT_CFUNC(sinh)
SEJIT_CFUNC(cosh)
SEJIT_CFUNC(tanh)
static inline sejit_c64 sejit_c64_make(float re, float im) { sejit_c64 z = {re, im}; return z; }
static inline sejit_c128 sejit_c64_wide(sejit_c64 a) { return sejit_c128_make(a.re, a.im); }
static inline sejit_c64 sejit_c64_narrow(sejit_c128 a) { return sejit_c64_make((float)a.re, (float)a.im); }
/* Complex power: small integer exponents by repeated squaring, as NumPy
 * and CPython do; others through exp(b * log(a)). */
static inline sejit_c128 sejit_c128_pow(sejit_c128 a, sejit_c128 b) {
    if (b.im == 0 && b.re == (double)(int)b.re && fabs(b.re) < 100) {
        int n = (int)b.re;
        sejit_c128 r = sejit_c128_make(1, 0), x = a;
        int m = n < 0 ? -n : n;
        while (m) {
            if (m & 1) r = sejit_c128_mul(r, x);
            x = sejit_c128_mul(x, x);
            m >>= 1;
        }
        return n < 0 ? sejit_c128_div(sejit_c128_make(1, 0), r) : r;
    }
    if (a.re == 0 && a.im == 0) {
        if (b.re == 0 && b.im == 0) return sejit_c128_make(1, 0);
        return sejit_c128_make(0, 0);
    }
    return sejit_c128_exp(sejit_c128_mul(b, sejit_c128_log(a)));
}

/* ---- parallel loops (jit(parallel=True)) ---- */
/* The number of iterations of range(start, stop, step), step != 0. */
static inline int64_t sejit_trip(int64_t start, int64_t stop, int64_t step) {
    if (step > 0)
        return start < stop ? (int64_t)(((uint64_t)stop - (uint64_t)start - 1) / (uint64_t)step + 1) : 0;
    return start > stop ? (int64_t)(((uint64_t)start - (uint64_t)stop - 1) / (0 - (uint64_t)step) + 1) : 0;
}
#ifdef _OPENMP
#include <omp.h>
#include <pthread.h>
/* A forked child inherits the OpenMP runtime's pool of threads without the
 * threads, and its next parallel region would wait for them forever
 * (multiprocessing forks by default). Before a fork, the forking thread's
 * pool is released, so the child (and the parent, at its next region)
 * starts fresh threads. glibc drops the handler if this object is
 * unloaded. */
static void sejit_par_prefork(void) { omp_pause_resource_all(omp_pause_hard); }
__attribute__((constructor)) static void sejit_par_init(void) { pthread_atfork(sejit_par_prefork, 0, 0); }
/* Whether the machine has a CPU free for each thread: at most as many
 * runnable threads, system-wide, as online CPUs (the fourth field of
 * /proc/loadavg counts the caller, and a worker still spinning after the
 * last region). A static schedule waits for its slowest thread, and on a
 * machine whose CPUs are all taken the OS may not run a worker for
 * milliseconds: a loop it could finish alone in microseconds would take
 * that long. The answer is kept for 10 ms; reading it costs a few
 * microseconds, and only loops above the size threshold ask.
 * SEJIT_PARALLEL_ALWAYS=1 skips the test (the tests use it). */
#ifdef __linux__
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
static int sejit_par_busy;
static int64_t sejit_par_busy_at = INT64_MIN / 2;
__attribute__((unused)) static int sejit_par_idle(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    int64_t now = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    if (now - __atomic_load_n(&sejit_par_busy_at, __ATOMIC_RELAXED) < 10000000)
        return !__atomic_load_n(&sejit_par_busy, __ATOMIC_RELAXED);
    int busy = 0;
    const char *always = getenv("SEJIT_PARALLEL_ALWAYS"); /* tests: the parallel path whatever the load */
    int fd = always != NULL && always[0] == '1' ? -1 : open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        char buf[128];
        ssize_t n = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (n > 0) {
            buf[n] = 0;
            char *p = buf; /* "0.50 0.40 0.30 3/250 12345": skip three fields */
            for (int f = 0; f < 3 && p != NULL; f++) {
                p = strchr(p, ' ');
                if (p != NULL) p++;
            }
            long cpus = sysconf(_SC_NPROCESSORS_ONLN);
            if (p != NULL && cpus > 0) busy = strtol(p, NULL, 10) > cpus;
        }
    }
    __atomic_store_n(&sejit_par_busy, busy, __ATOMIC_RELAXED);
    __atomic_store_n(&sejit_par_busy_at, now, __ATOMIC_RELAXED);
    return !busy;
}
#else
__attribute__((unused)) static int sejit_par_idle(void) { return 1; }
#endif
/* Records the error of iteration it (in local, a thread's own context) in
 * the caller's context if no earlier iteration failed: the loop then
 * raises what the serial loop would have raised first. Iterations after
 * *first are skipped; earlier ones still run, and may fail first. */
__attribute__((cold, noinline, unused)) static void sejit_par_fail(sejit_ctx *outer, const sejit_ctx *local,
                                                                   int64_t *first, int64_t it) {
#pragma omp critical(sejit_par_fail)
    {
        if (it < *first) {
            outer->err = local->err;
            memcpy(outer->msg, local->msg, sizeof outer->msg);
            __atomic_store_n(first, it, __ATOMIC_RELAXED);
        }
    }
}
#endif
