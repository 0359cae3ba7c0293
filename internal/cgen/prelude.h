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

/* ---- dtypes: complex ordering -------------------------------------------
 * NumPy orders complex numbers lexicographically (real part first, then
 * imaginary). A NaN imaginary part makes a comparison decided by the real
 * parts false; equal real parts defer to the imaginary parts. */
static inline int sejit_c128_lt(sejit_c128 a, sejit_c128 b) {
    return (a.re < b.re && a.im == a.im && b.im == b.im) || (a.re == b.re && a.im < b.im);
}
static inline int sejit_c128_le(sejit_c128 a, sejit_c128 b) {
    return (a.re < b.re && a.im == a.im && b.im == b.im) || (a.re == b.re && a.im <= b.im);
}
static inline int sejit_c128_gt(sejit_c128 a, sejit_c128 b) { return sejit_c128_lt(b, a); }
static inline int sejit_c128_ge(sejit_c128 a, sejit_c128 b) { return sejit_c128_le(b, a); }
/* The imaginary part, for z.imag. */
static inline double sejit_c128_imag(sejit_c128 z) { return z.im; }
