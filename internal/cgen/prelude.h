/* sejit kernel prelude: helpers with Python and NumPy semantics. Every
 * operation here is defined for all inputs (no C undefined behaviour).
 *
 * A unit carries only the sections it uses (internal/cgen/prelude.go): each
 * marker line (slash, star, at sign, the helpers' names, star, slash) starts
 * a section defining exactly those helpers, and
 * the system headers (<math.h>, <complex.h>, ...) are included by the
 * engine when a name they declare occurs. Add a helper in a new section with
 * its own marker; the text before the first marker is in every unit. */

#define SEJIT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define SEJIT_UNUSED __attribute__((unused))

/*@ sejit_fail */
/* Declared here rather than through <stdio.h>, whose parsing would cost
 * every unit with a check a few milliseconds of compile time. */
#include <stdarg.h>
int vsnprintf(char *restrict, __SIZE_TYPE__, const char *restrict, va_list);
__attribute__((cold, noinline, unused)) static int sejit_fail(sejit_ctx *ctx, int kind, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    ctx->err = kind;
    vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
    va_end(ap);
    return -1;
}

/*@ sejit_exc sejit_caught sejit_reraise */
/* A caught exception (cgen/try.go): its kind and message, saved when the
 * handlers of a try start, so that a try inside a handler cannot change
 * what a bare raise raises again or what print(e) shows. */
typedef struct sejit_exc {
    int err;
    char msg[sizeof(((sejit_ctx *)0)->msg)];
} sejit_exc;
static inline SEJIT_UNUSED sejit_exc sejit_caught(const sejit_ctx *ctx) {
    sejit_exc e;
    e.err = ctx->err;
    __builtin_memcpy(e.msg, ctx->msg, sizeof e.msg);
    return e;
}
__attribute__((cold, noinline, unused)) static int sejit_reraise(sejit_ctx *ctx, const sejit_exc *e) {
    ctx->err = e->err;
    __builtin_memcpy(ctx->msg, e->msg, sizeof ctx->msg);
    return -1;
}

/*@ sejit_fdiv_i64 sejit_mod_i64 sejit_fdiv_u64 sejit_mod_u64 sejit_ceildiv_i64 */
/* Floor division and modulo rounding toward negative infinity. A zero
 * divisor gives 0, as NumPy does; Python semantics check before calling. */
static inline int64_t sejit_fdiv_i64(int64_t a, int64_t b) {
    /* Both operands in [0, 2^32): a 32-bit unsigned division, which x86 does
     * several times faster than a 64-bit one, and for non-negative operands
     * floor division is plain division. One test on the OR of the two. */
    if ((((uint64_t)a | (uint64_t)b) >> 32) == 0) return b ? (int64_t)((uint32_t)a / (uint32_t)b) : 0;
    if (b == 0) return 0;
    if (b == -1) return (int64_t)(0 - (uint64_t)a);
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q -= 1;
    return q;
}
static inline int64_t sejit_mod_i64(int64_t a, int64_t b) {
    /* The 32-bit fast path of sejit_fdiv_i64: non-negative operands below
     * 2^32 have the same floor and truncated remainder. */
    if ((((uint64_t)a | (uint64_t)b) >> 32) == 0) return b ? (int64_t)((uint32_t)a % (uint32_t)b) : 0;
    if (b == 0 || b == -1) return 0;
    int64_t r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}
static inline uint64_t sejit_fdiv_u64(uint64_t a, uint64_t b) {
    if (((a | b) >> 32) == 0) return b ? (uint32_t)a / (uint32_t)b : 0;
    return b ? a / b : 0;
}
static inline uint64_t sejit_mod_u64(uint64_t a, uint64_t b) {
    if (((a | b) >> 32) == 0) return b ? (uint32_t)a % (uint32_t)b : 0;
    return b ? a % b : 0;
}
static inline int64_t sejit_ceildiv_i64(int64_t a, int64_t b) { return -sejit_fdiv_i64(-a, b); }
/*@ sejit_fdivp_i64 sejit_modp_i64 */
/* Floor division and modulo by a positive divisor, which the code generator
 * passes as a constant: C's truncating division rounds toward zero, so a
 * negative remainder (a negative dividend not a multiple of b) moves the
 * quotient down by one and the remainder up by b. No branches, and GCC
 * divides by the constant with a multiply. */
static inline int64_t sejit_fdivp_i64(int64_t a, int64_t b) { return a / b - (a % b < 0); }
static inline int64_t sejit_modp_i64(int64_t a, int64_t b) { int64_t r = a % b; return r + (r < 0 ? b : 0); }

/*@ sejit_mod_f64 sejit_fdiv_f64 sejit_mod_f32 sejit_fdiv_f32 */
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

/*@ sejit_pow_i64 */
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
/*@ sejit_pow_u64 */
static inline uint64_t sejit_pow_u64(uint64_t b, uint64_t e) {
    uint64_t r = 1;
    while (e) {
        if (e & 1) r *= b;
        b *= b;
        e >>= 1;
    }
    return r;
}

/*@ sejit_pow3_f64 sejit_pow2_f64 sejit_pow_agrees */
/* x**3 of a double with the bits of the C library's pow(x, 3.0), which
 * CPython calls, without its cost where that is provable. x*x is exactly
 * x2 + e2 (a fused multiply-add gives e2), so the cube is x2*x + e2*x; r
 * rounds it once (e2*x's own rounding, 2^-106 of the cube, cannot move it
 * except within that distance of a midpoint, which the test below
 * excludes) and d = x2*x - r + e2*x is the exact cube's distance from r
 * within errors of 2^-52 ulp (the last fused multiply-add may round).
 * glibc's pow (2.28 on) rounds an approximation whose error its source
 * bounds by exp's 0.009 ulp plus |y log x| times log's relative error
 * 1.3 * 2^-68 (with fused multiply-add): at most 0.015 ulp for x**3 when
 * |x| is within 2^+-64, 0.04 ulp anywhere below overflow. So pow returns
 * the same r whenever the exact cube lies farther than that from a rounding
 * midpoint: |d| at most 0.48 ulp(r) (0.45 outside 2^+-64; half
 * that below a power of two r, whose neighbour below is closer), r far
 * from overflow and subnormals. Exact cubes (of 2.0, 3.0, ...) always
 * pass, and about 95 in 100 others; anything else, any other C library
 * and a CPU without fused multiply-add call pow. */
/* x**2 of a Python float with the bits of the C library's pow(x, 2.0),
 * which CPython calls (NumPy's arrays square with x*x instead). x*x is
 * exactly r + d (a fused multiply-add gives d), and glibc's pow (2.28 on)
 * rounds an approximation within 0.015 ulp of the exact square when |x| is
 * within 2^+-64, 0.04 ulp anywhere below overflow (the bound above): so
 * pow returns r whenever the exact square lies farther than that from a
 * rounding midpoint, |d| at most 0.48 ulp(r) (0.45 outside
 * 2^+-64; half that below a power of two r), r far from overflow and
 * subnormals. About 99 in 100 squares pass; the rest, any other C library
 * and a CPU without fused multiply-add call pow. */
/* Whether glibc's pow(x, n) is r, given d, the exact power's distance from
 * r: the bound above, for x**3 and x**2 alike. */
static inline int sejit_pow_agrees(double x, double r, double d) {
    uint64_t b, bx;
    __builtin_memcpy(&b, &r, 8);
    __builtin_memcpy(&bx, &x, 8);
    uint64_t e = b & 0x7ff0000000000000ULL, ex = (bx >> 52) & 0x7ff;
    uint64_t ub = e - (52ULL << 52);
    double u;
    __builtin_memcpy(&u, &ub, 8);
    double lim = ex - 959 <= 128 ? 0.48 : 0.45;
    if ((b & 0xfffffffffffffULL) == 0 && d < 0) lim *= 0.5;
    return e > (123ULL << 52) && e < (2023ULL << 52) && fabs(d) <= lim * u;
}
#if defined(__FMA__) && defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 28))
static inline double sejit_pow3_f64(double x) {
    double x2 = x * x, e2 = fma(x, x, -x2), e2x = e2 * x;
    double r = fma(x2, x, e2x);
    double d = fma(x2, x, -r) + e2x;
    return sejit_pow_agrees(x, r, d) ? r : pow(x, 3.0);
}
static inline double sejit_pow2_f64(double x) {
    double r = x * x, d = fma(x, x, -r);
    if (sejit_pow_agrees(x, r, d)) return r;
    volatile double two = 2.0; /* C compilers rewrite pow(x, 2.0) as x*x */
    return pow(x, two);
}
#else
static inline double sejit_pow3_f64(double x) { return pow(x, 3.0); }
static inline double sejit_pow2_f64(double x) {
    volatile double two = 2.0; /* C compilers rewrite pow(x, 2.0) as x*x */
    return pow(x, two);
}
#endif

/*@ sejit_np_exp */
/* np.exp of a float64 (ir.FnNpExp). NumPy's own loop is SIMD code within
 * 1 ulp of the correctly rounded result, not the C library's exp; this is
 * another such kernel, written so that GCC vectorises the loops that call
 * it (no branches, no table): k = round(x / ln 2) by the 1.5 * 2^52 shift,
 * r = x - k ln 2 in two fused steps (ln2hi has 11 trailing zero bits, so
 * k * ln2hi is exact for |k| < 2^11), e^r = 1 + r + r^2 p(r) with p the
 * Taylor polynomial to degree 13 (its truncation is below 2^-57 for |r| <=
 * ln 2 / 2) and 1 + r split exactly into s + err so that only the last sum
 * rounds, then scaled by 2^k as two powers of two (each a normal number;
 * the second multiplication rounds a subnormal result once). Measured on
 * 10.5 million inputs over the whole range, subnormal results, random bit
 * patterns and the special values: at most 1 ulp from glibc's exp, which
 * is correctly rounded but in rare cases, and different from it on 3.2% of
 * them; NumPy's AVX-512 loop differs on 3.7%, by 1 ulp too. Overflow gives
 * inf, underflow 0, NaN stays NaN. Without fused multiply-add (each fma a
 * libm call) it is the C library's exp. */
#if defined(__FMA__)
static inline double sejit_np_exp(double x) {
    const double inv_ln2 = 0x1.71547652b82fep0, ln2hi = 0x1.62e42fefa3800p-1, ln2lo = 0x1.ef35793c7673p-45;
    const double shift = 0x1.8p52;
    /* Clamped so that k fits the scale's two steps; NaN fails both tests. */
    double xc = x > 709.9 ? 709.9 : (x < -746.0 ? -746.0 : x);
    double t = fma(xc, inv_ln2, shift), k = t - shift;
    double r = fma(-k, ln2hi, xc);
    r = fma(-k, ln2lo, r);
    double p = 0x1.6124613a86d09p-33;
    p = fma(p, r, 0x1.1eed8eff8d898p-29);
    p = fma(p, r, 0x1.ae64567f544e4p-26);
    p = fma(p, r, 0x1.27e4fb7789f5cp-22);
    p = fma(p, r, 0x1.71de3a556c734p-19);
    p = fma(p, r, 0x1.a01a01a01a01ap-16);
    p = fma(p, r, 0x1.a01a01a01a01ap-13);
    p = fma(p, r, 0x1.6c16c16c16c17p-10);
    p = fma(p, r, 0x1.1111111111111p-7);
    p = fma(p, r, 0x1.5555555555555p-5);
    p = fma(p, r, 0x1.5555555555555p-3);
    p = fma(p, r, 0.5);
    double s = 1.0 + r, err = (1.0 - s) + r;
    double e = s + fma(r * r, p, err);
    uint64_t tb;
    __builtin_memcpy(&tb, &t, 8);
    int64_t ki = (int64_t)(tb << 32) >> 32; /* t's low 32 bits are k */
    int64_t k1 = ki >> 1, k2 = ki - k1;
    uint64_t b1 = (uint64_t)(k1 + 1023) << 52, b2 = (uint64_t)(k2 + 1023) << 52;
    double s1, s2;
    __builtin_memcpy(&s1, &b1, 8);
    __builtin_memcpy(&s2, &b2, 8);
    double res = e * s1 * s2;
    return x != x ? x + x : res;
}
#else
static inline double sejit_np_exp(double x) { return exp(x); }
#endif


/*@ sejit_shl_i64 */
static inline int64_t sejit_shl_i64(int64_t a, int64_t s) {
    return (s < 0 || s >= 64) ? 0 : (int64_t)((uint64_t)a << s);
}
/*@ sejit_shr_i64 */
static inline int64_t sejit_shr_i64(int64_t a, int64_t s) {
    if (s < 0 || s >= 64) return a < 0 ? -1 : 0;
    return a >> s;
}

/*@ sejit_f2i */
/* Float to integer conversion without undefined behaviour: out-of-range
 * values and NaN give INT64_MIN, as x86's conversion (and so NumPy) does. */
#if defined(__x86_64__) && defined(__GNUC__)
/* x86-64's truncating conversion already gives INT64_MIN ("integer
 * indefinite") for NaN and out-of-range values: one cvttsd2si, no compares.
 * int() tests its result against INT64_MIN (lower/f2i.go). */
typedef double sejit_v2d_ __attribute__((vector_size(16)));
static inline int64_t sejit_f2i(double x) { return __builtin_ia32_cvttsd2si64((sejit_v2d_){x, 0.0}); }
#else
static inline int64_t sejit_f2i(double x) {
    if (x > -9223372036854775808.0 && x < 9223372036854775808.0) return (int64_t)x;
    return INT64_MIN;
}
#endif
/*@ sejit_f2u */
static inline uint64_t sejit_f2u(double x) {
    if (x >= 0.0 && x < 18446744073709551616.0) return (uint64_t)x;
    if (x > -9223372036854775808.0 && x < 0.0) return (uint64_t)(int64_t)x;
    return (uint64_t)INT64_MIN;
}

/*@ sejit_span sejit_overlap */
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

/*@ sejit_copy */
/* sejit_copy copies an nd-array of isz-byte elements (shape n, strides in
 * elements: ds for the destination, ss for the source), a row at a time:
 * one memmove where both rows are contiguous. An element-wise copy nest is
 * printed as a call to it (cgen's copyNest): compiled once per unit, where
 * each inlined nest cost the C compiler its vectorized, unrolled and
 * versioned loops (docs/performance.md, "Compile time"). */
__attribute__((noinline, unused)) static void sejit_copy(char *d, const int64_t *ds, const char *s, const int64_t *ss,
                                                        int nd, const int64_t *n, int64_t isz) {
    int64_t idx[64], cn[64], cd[64], cs[64];
    int c = 0;
    for (int k = 0; k < nd; k++) {
        if (n[k] <= 0) return;
        if (n[k] == 1) continue;
        /* An axis laid out right after the one inside it, in both arrays,
         * joins it: C-ordered arrays copy as one row, (n, 4) included. */
        if (c > 0 && cd[c - 1] == ds[k] * n[k] && cs[c - 1] == ss[k] * n[k]) {
            cn[c - 1] *= n[k];
            cd[c - 1] = ds[k];
            cs[c - 1] = ss[k];
            continue;
        }
        cn[c] = n[k], cd[c] = ds[k], cs[c] = ss[k], idx[c] = 0;
        c++;
    }
    if (c == 0) cn[0] = 1, cd[0] = cs[0] = 1, idx[0] = 0, c = 1;
    n = cn, ds = cd, ss = cs;
    int last = c - 1;
    int64_t m = n[last], dl = ds[last] * isz, sl = ss[last] * isz;
    int rows_contiguous = dl == isz && sl == isz;
    for (;;) {
        int64_t doff = 0, soff = 0;
        for (int k = 0; k < last; k++) {
            doff += idx[k] * ds[k];
            soff += idx[k] * ss[k];
        }
        char *dp = d + doff * isz;
        const char *sp = s + soff * isz;
        if (rows_contiguous) {
            __builtin_memmove(dp, sp, (__SIZE_TYPE__)(m * isz));
        } else if (isz == 8) {
            int64_t a = ds[last], b = ss[last];
            for (int64_t i = 0; i < m; i++) ((uint64_t *)dp)[i * a] = ((const uint64_t *)sp)[i * b];
        } else if (isz == 4) {
            int64_t a = ds[last], b = ss[last];
            for (int64_t i = 0; i < m; i++) ((uint32_t *)dp)[i * a] = ((const uint32_t *)sp)[i * b];
        } else {
            for (int64_t i = 0; i < m; i++) __builtin_memmove(dp + i * dl, sp + i * sl, (__SIZE_TYPE__)isz);
        }
        int k = last - 1;
        while (k >= 0 && ++idx[k] == n[k]) idx[k--] = 0;
        if (k < 0) return;
    }
}

/*@ sejit_min_i64 sejit_max_i64 */
static inline int64_t sejit_min_i64(int64_t a, int64_t b) { return a < b ? a : b; }
static inline int64_t sejit_max_i64(int64_t a, int64_t b) { return a > b ? a : b; }

/*@ sejit_minimum_f64 sejit_maximum_f64 sejit_minimum_f32 sejit_maximum_f32 */
/* NumPy's minimum and maximum propagate NaN. */
static inline double sejit_minimum_f64(double a, double b) { return (a < b || a != a) ? a : b; }
static inline double sejit_maximum_f64(double a, double b) { return (a > b || a != a) ? a : b; }
static inline float sejit_minimum_f32(float a, float b) { return (a < b || a != a) ? a : b; }
static inline float sejit_maximum_f32(float a, float b) { return (a > b || a != a) ? a : b; }
/*@ sejit_sign_f64 sejit_sign_f32 */
static inline double sejit_sign_f64(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x; }
static inline float sejit_sign_f32(float x) { return x > 0 ? 1.0f : x < 0 ? -1.0f : x; }

/*@ sejit_c128_make sejit_c128_add sejit_c128_sub sejit_c128_mul sejit_c128_div sejit_c128_neg sejit_c128_eq sejit_c128_abs sejit_np_hypot sejit_np_hypotf sejit_c128_nonzero */
/* Complex arithmetic with CPython's and NumPy's formulas (not C99 Annex G). */
static inline sejit_c128 sejit_c128_make(double re, double im) { sejit_c128 z = {re, im}; return z; }
static inline sejit_c128 sejit_c128_add(sejit_c128 a, sejit_c128 b) { return sejit_c128_make(a.re + b.re, a.im + b.im); }
static inline sejit_c128 sejit_c128_sub(sejit_c128 a, sejit_c128 b) { return sejit_c128_make(a.re - b.re, a.im - b.im); }
/* The plain product of CPython and of NumPy's scalars: four products
 * rounded, then a difference and a sum. GCC's vectorizer recognises this
 * shape and emits fused vfmaddsub even under -ffp-contract=off (GCC 12), so
 * a barrier keeps the first products rounded on their own; loops over it
 * still vectorize (as multiplies, a subtract and an add). */
#if defined(__has_builtin)
#if __has_builtin(__builtin_assoc_barrier)
#define SEJIT_ROUNDED(x) __builtin_assoc_barrier(x)
#endif
#endif
#ifndef SEJIT_ROUNDED
#define SEJIT_ROUNDED(x) (x)
#endif
static inline sejit_c128 sejit_c128_mul(sejit_c128 a, sejit_c128 b) {
    return sejit_c128_make(SEJIT_ROUNDED(a.re * b.re) - a.im * b.im, SEJIT_ROUNDED(a.re * b.im) + a.im * b.re);
}
static inline sejit_c128 sejit_c128_div(sejit_c128 a, sejit_c128 b) {
    /* Smith's algorithm, as CPython's _Py_c_quot. The barriers keep GCC's
     * vectorizer from fusing the numerators' products into vfmaddsub, as in
     * sejit_c128_mul. */
    double abs_breal = b.re < 0 ? -b.re : b.re;
    double abs_bimag = b.im < 0 ? -b.im : b.im;
    if (abs_breal >= abs_bimag) {
        if (abs_breal == 0.0) return sejit_c128_make(NAN, NAN);
        double ratio = b.im / b.re;
        double denom = b.re + b.im * ratio;
        return sejit_c128_make((a.re + SEJIT_ROUNDED(a.im * ratio)) / denom, (a.im - SEJIT_ROUNDED(a.re * ratio)) / denom);
    } else if (abs_bimag >= abs_breal) {
        double ratio = b.re / b.im;
        double denom = b.re * ratio + b.im;
        return sejit_c128_make((SEJIT_ROUNDED(a.re * ratio) + a.im) / denom, (SEJIT_ROUNDED(a.im * ratio) - a.re) / denom);
    }
    return sejit_c128_make(NAN, NAN);
}
static inline sejit_c128 sejit_c128_neg(sejit_c128 a) { return sejit_c128_make(-a.re, -a.im); }
static inline int sejit_c128_eq(sejit_c128 a, sejit_c128 b) { return a.re == b.re && a.im == b.im; }
static inline double sejit_c128_abs(sejit_c128 a) { return hypot(a.re, a.im); }
/* NumPy's absolute of a complex array's element from its two parts (the
 * formula of NumPy's SIMD loop, ir.FnNpHypot): no call into libm's hypot,
 * so loops over it vectorize. NaN and infinities first, as NumPy orders
 * them: an infinite part wins over a NaN. */
/* NumPy's SIMD loops multiply-add with one rounding where the CPU has
 * fused multiply-add (npyv_muladd) and with two elsewhere; kernels are
 * built for the host's instruction set (-march=native), so __FMA__ says
 * which NumPy's loops use here. */
#ifdef __FMA__
#define SEJIT_NP_MULADD(a, b, c) fma(a, b, c)
#define SEJIT_NP_MULADDF(a, b, c) fmaf(a, b, c)
#else
#define SEJIT_NP_MULADD(a, b, c) ((a) * (b) + (c))
#define SEJIT_NP_MULADDF(a, b, c) ((a) * (b) + (c))
#endif
static inline double sejit_np_hypot(double x, double y) {
    double a = fabs(x), b = fabs(y);
    if (isinf(a) || isinf(b)) return isinf(a) ? a : b;
    double hi = a > b ? a : b, lo = a > b ? b : a;
    if (hi == 0 && lo == 0) return hi;
    double r = lo / hi;
    return sqrt(SEJIT_NP_MULADD(r, r, 1.0)) * hi;
}
static inline float sejit_np_hypotf(float x, float y) {
    float a = fabsf(x), b = fabsf(y);
    if (isinf(a) || isinf(b)) return isinf(a) ? a : b;
    float hi = a > b ? a : b, lo = a > b ? b : a;
    if (hi == 0 && lo == 0) return hi;
    float r = lo / hi;
    return sqrtf(SEJIT_NP_MULADDF(r, r, 1.0f)) * hi;
}
static inline int sejit_c128_nonzero(sejit_c128 a) { return a.re != 0 || a.im != 0; }
/*@ sejit_c128_sqrt sejit_c128_exp sejit_c128_log sejit_c128_sin sejit_c128_cos sejit_c128_tan sejit_c128_sinh sejit_c128_cosh sejit_c128_tanh */
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
/*@ sejit_c64_make sejit_c64_wide sejit_c64_narrow sejit_np_cmul sejit_np_cmul64 */
static inline sejit_c64 sejit_c64_make(float re, float im) { sejit_c64 z = {re, im}; return z; }
static inline sejit_c128 sejit_c64_wide(sejit_c64 a) { return sejit_c128_make(a.re, a.im); }
static inline sejit_c64 sejit_c64_narrow(sejit_c128 a) { return sejit_c64_make((float)a.re, (float)a.im); }
/* NumPy's product of complex array elements (ir.FnNpCMul): its SIMD loop
 * subtracts or adds the second product inside a multiply-add. */
static inline sejit_c128 sejit_np_cmul(sejit_c128 a, sejit_c128 b) {
    return sejit_c128_make(SEJIT_NP_MULADD(a.re, b.re, -(a.im * b.im)), SEJIT_NP_MULADD(a.re, b.im, a.im * b.re));
}
static inline sejit_c64 sejit_np_cmul64(sejit_c64 a, sejit_c64 b) {
    return sejit_c64_make(SEJIT_NP_MULADDF(a.re, b.re, -(a.im * b.im)), SEJIT_NP_MULADDF(a.re, b.im, a.im * b.re));
}
/*@ sejit_c64_mul sejit_np_cdiv sejit_np_cdiv64 sejit_np_cpow sejit_np_cpow64 */
/* complex64 products in single precision, as NumPy's scalars and its
 * power loop compute them (two rounded products, then a difference and a
 * sum, each rounded to float): through double, the products were exact
 * and the result differed in the last bit. */
static inline sejit_c64 sejit_c64_mul(sejit_c64 a, sejit_c64 b) {
    return sejit_c64_make(SEJIT_ROUNDED(a.re * b.re) - a.im * b.im, SEJIT_ROUNDED(a.re * b.im) + a.im * b.re);
}
/* NumPy's complex power (ir.FnNpCPow, npy_cpow): integer exponents below
 * 100 by repeated squaring, a negative one then inverted by NumPy's
 * division (Smith's, scaled by a reciprocal), not CPython's. */
#define SEJIT_NP_CPOW_DEF(NAME, DIV, T, R, MUL, POWFN, CT, CRE, CIM, MAKEC)                                 \
    static inline T DIV(T a, T b) {                                                                          \
        R abr = (R)fabs(b.re), abi = (R)fabs(b.im); /* fabs: +0 for -0, the zero divisor's sign */         \
        T z;                                                                                                 \
        if (abr >= abi) {                                                                                    \
            if (abr == 0 && abi == 0) {                                                                      \
                z.re = a.re / abr;                                                                           \
                z.im = a.im / abi;                                                                           \
                return z;                                                                                    \
            }                                                                                                \
            R rat = b.im / b.re, scl = (R)1.0 / (b.re + b.im * rat);                                         \
            z.re = (a.re + SEJIT_ROUNDED(a.im * rat)) * scl;                                                 \
            z.im = (a.im - SEJIT_ROUNDED(a.re * rat)) * scl;                                                 \
            return z;                                                                                        \
        }                                                                                                    \
        R rat = b.re / b.im, scl = (R)1.0 / (b.im + b.re * rat);                                             \
        z.re = (SEJIT_ROUNDED(a.re * rat) + a.im) * scl;                                                     \
        z.im = (SEJIT_ROUNDED(a.im * rat) - a.re) * scl;                                                     \
        return z;                                                                                            \
    }                                                                                                        \
    static inline T NAME(T a, T b) {                                                                         \
        T one = {1, 0};                                                                                      \
        if (b.re == 0 && b.im == 0) return one;                                                              \
        if (a.re == 0 && a.im == 0) {                                                                        \
            T z = {0, 0};                                                                                    \
            if (b.re > 0) return z;                                                                          \
            z.re = NAN;                                                                                      \
            z.im = NAN;                                                                                      \
            return z;                                                                                        \
        }                                                                                                    \
        if (b.im == 0 && b.re > -100 && b.re < 100 && b.re == (R)(int)b.re) {                                \
            int n = (int)b.re;                                                                               \
            if (n == 1) return a;                                                                            \
            if (n == 2) return MUL(a, a);                                                                    \
            if (n == 3) return MUL(a, MUL(a, a));                                                            \
            int m = n < 0 ? -n : n, mask = 1;                                                                \
            T aa = one, p = a;                                                                               \
            for (;;) {                                                                                       \
                if (m & mask) aa = MUL(aa, p);                                                               \
                mask <<= 1;                                                                                  \
                if (m < mask) break;                                                                         \
                p = MUL(p, p);                                                                               \
            }                                                                                                \
            return n < 0 ? DIV(one, aa) : aa;                                                                \
        }                                                                                                    \
        CT r = POWFN(MAKEC(a.re, a.im), MAKEC(b.re, b.im));                                                  \
        T z = {CRE(r), CIM(r)};                                                                              \
        return z;                                                                                            \
    }
SEJIT_NP_CPOW_DEF(sejit_np_cpow, sejit_np_cdiv, sejit_c128, double, sejit_c128_mul, cpow, double _Complex, creal, cimag, CMPLX)
SEJIT_NP_CPOW_DEF(sejit_np_cpow64, sejit_np_cdiv64, sejit_c64, float, sejit_c64_mul, cpowf, float _Complex, crealf, cimagf, CMPLXF)

/*@ sejit_c128_pow */
/* A Python complex's power (NumPy's is sejit_np_cpow): integer exponents
 * of magnitude up to 100 by repeated squaring, as CPython's complex_pow
 * does; others through exp(b * log(a)). */
static inline sejit_c128 sejit_c128_pow(sejit_c128 a, sejit_c128 b) {
    if (b.im == 0 && fabs(b.re) <= 100 && b.re == (double)(int)b.re) {
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
        /* NumPy: 0 to a positive real power is 0, to any other NaN. */
        if (b.re > 0 && b.im == 0) return sejit_c128_make(0, 0);
        return sejit_c128_make(NAN, NAN);
    }
    return sejit_c128_exp(sejit_c128_mul(b, sejit_c128_log(a)));
}

/*@ sejit_v4d sejit_v4l sejit_v8f sejit_v8i */
/* ---- Vectorised min/max reductions (issue 5; cgen/reduce.go) ----
 * 32-byte vectors of GCC's vector extension for the running candidates of
 * np.min/np.max: a plain ordered compare and a blend per vector, and a NaN
 * mask ORed in, so the loop vectorises without -ffast-math. */
typedef double sejit_v4d __attribute__((vector_size(32)));
typedef int64_t sejit_v4l __attribute__((vector_size(32)));
typedef float sejit_v8f __attribute__((vector_size(32)));
typedef int32_t sejit_v8i __attribute__((vector_size(32)));

/*@ sejit_py_round_f64 sejit_py_round_i64 sejit_py_gcd sejit_py_lcm_ok sejit_py_lcm sejit_py_powmod sejit_py_factorial_ok sejit_py_factorial sejit_py_combperm sejit_py_comb_ok sejit_py_comb sejit_py_perm_ok sejit_py_perm sejit_py_isqrt sejit_py_isclose sejit_py_cisclose sejit_py_ldexp sejit_py_frexp_m sejit_py_frexp_e sejit_py_hash_int sejit_py_hash_float sejit_py_modf_frac sejit_py_modf_int sejit_py_ulp sejit_py_gamma_pole sejit_py_clog10 sejit_py_clogb sejit_py_phase sejit_py_cabs sejit_py_rect sejit_py_cfinite sejit_py_czero sejit_py_cunit sejit_py_fsum_run sejit_py_fsum_va sejit_py_fsum sejit_py_fsum_err sejit_py_fsum_a sejit_py_norm_run sejit_py_vector_norm */
/* ---- Python language (issue 3): builtins, math and cmath -------------- *
 * Intrinsics named py_NAME print as sejit_py_NAME(args). Each follows
 * CPython's algorithm for the function of the same name; the checks that
 * raise (domain, range, zero modulus) are separate IR Check statements. */
#include <stdarg.h>
#include <stdlib.h>

/* round(x, n) for a float: the decimal string correctly rounded to n
 * digits, ties to even on the exact binary value, read back, as CPython's
 * float.__round__ does (printf rounds exactly). */
SEJIT_UNUSED static double sejit_py_round_f64(double x, int64_t nd) {
    char buf[720];
    if (!isfinite(x) || x == 0.0 || nd > 323) return x;
    if (nd < -308) return copysign(0.0, x);
    if (nd >= 0) {
        snprintf(buf, sizeof buf, "%.*f", (int)nd, x);
        return strtod(buf, NULL);
    }
    snprintf(buf, sizeof buf, "%.16e", x);
    int e10 = atoi(strchr(buf, 'e') + 1);
    int keep = e10 + (int)nd + 1; /* significant digits kept */
    if (keep < 0) return copysign(0.0, x);
    if (keep == 0) {
        /* |x| is below one unit 10^-nd: 0 or one unit, a tie going to 0. */
        double unit = pow(10.0, (double)-nd);
        return fabs(x) > 0.5 * unit ? copysign(unit, x) : copysign(0.0, x);
    }
    snprintf(buf, sizeof buf, "%.*e", keep - 1, x);
    return strtod(buf, NULL);
}
/* round(x, n) for an int: to a multiple of 10^-n, ties to even. */
SEJIT_UNUSED static int64_t sejit_py_round_i64(int64_t x, int64_t nd) {
    if (nd >= 0) return x;
    if (nd < -18) return 0;
    int64_t p = 1;
    for (int64_t i = 0; i < -nd; i++) p *= 10;
    int64_t q = sejit_fdiv_i64(x, p), r = x - q * p;
    if (2 * r > p || (2 * r == p && (q & 1))) q += 1;
    return (int64_t)((uint64_t)q * (uint64_t)p);
}
/* Stein's binary gcd: shifts and subtractions instead of Euclid's 64-bit
   divisions, which cost tens of cycles each (math.gcd in a double loop ran
   5x slower than Numba's). */
static inline int64_t sejit_py_gcd(int64_t a, int64_t b) {
    uint64_t x = a < 0 ? 0 - (uint64_t)a : (uint64_t)a, y = b < 0 ? 0 - (uint64_t)b : (uint64_t)b;
    if (x == 0) return (int64_t)y;
    if (y == 0) return (int64_t)x;
    int shift = __builtin_ctzll(x | y);
    x >>= __builtin_ctzll(x);
    do {
        y >>= __builtin_ctzll(y);
        if (x > y) {
            uint64_t t = x;
            x = y;
            y = t;
        }
        y -= x;
    } while (y);
    return (int64_t)(x << shift);
}
/* lcm and its overflow test (CPython's ints do not overflow; ours raise). */
static inline int sejit_py_lcm_ok(int64_t a, int64_t b) {
    if (a == 0 || b == 0) return 1;
    int64_t g = sejit_py_gcd(a, b), r;
    return a != INT64_MIN && b != INT64_MIN && !__builtin_mul_overflow(a / g, b, &r) && r != INT64_MIN;
}
static inline int64_t sejit_py_lcm(int64_t a, int64_t b) {
    if (a == 0 || b == 0) return 0;
    int64_t r = (int64_t)((uint64_t)(a / sejit_py_gcd(a, b)) * (uint64_t)b);
    return r < 0 ? -r : r;
}
/* Modular power with Python's sign rule (the result takes the modulus's
 * sign) and, for a negative exponent, the modular inverse; the caller has
 * checked m != 0 and, for e < 0, that the base is invertible. */
SEJIT_UNUSED static int64_t sejit_py_powmod(int64_t b, int64_t e, int64_t m) {
    unsigned __int128 mm = m < 0 ? (unsigned __int128)(0 - (uint64_t)m) : (unsigned __int128)m;
    __int128 bb = (__int128)b % (__int128)mm;
    if (bb < 0) bb += (__int128)mm;
    unsigned __int128 x = (unsigned __int128)bb, r = 1 % mm;
    if (e < 0) {
        /* Extended Euclid: x^-1 mod mm. */
        __int128 t0 = 0, t1 = 1, r0 = (__int128)mm, r1 = (__int128)x;
        while (r1 != 0) {
            __int128 q = r0 / r1, tmp;
            tmp = t0 - q * t1; t0 = t1; t1 = tmp;
            tmp = r0 - q * r1; r0 = r1; r1 = tmp;
        }
        if (t0 < 0) t0 += (__int128)mm;
        x = (unsigned __int128)t0 % mm;
    }
    uint64_t k = e < 0 ? 0 - (uint64_t)e : (uint64_t)e;
    while (k) {
        if (k & 1) r = r * x % mm;
        x = x * x % mm;
        k >>= 1;
    }
    __int128 out = (__int128)r;
    if (m < 0 && out != 0) out -= (__int128)mm;
    return (int64_t)out;
}
static inline int sejit_py_factorial_ok(int64_t n) { return n <= 20; }
static inline int64_t sejit_py_factorial(int64_t n) {
    int64_t r = 1;
    for (int64_t i = 2; i <= n && i <= 20; i++) r *= i;
    return r;
}
/* comb and perm exactly in 128 bits; *_ok tells whether the result fits. */
static inline int sejit_py_combperm(int64_t n, int64_t k, int comb, int64_t *out) {
    if (k > n) { *out = 0; return 1; }
    if (comb && k > n - k) k = n - k;
    unsigned __int128 r = 1;
    for (int64_t i = 0; i < k; i++) {
        r *= (unsigned __int128)(n - i);
        if (comb) r /= (unsigned __int128)(i + 1);
        if (r > (unsigned __int128)INT64_MAX) return 0;
    }
    *out = (int64_t)r;
    return 1;
}
static inline int sejit_py_comb_ok(int64_t n, int64_t k) { int64_t r; return sejit_py_combperm(n, k, 1, &r); }
static inline int64_t sejit_py_comb(int64_t n, int64_t k) { int64_t r = 0; sejit_py_combperm(n, k, 1, &r); return r; }
static inline int sejit_py_perm_ok(int64_t n, int64_t k) { int64_t r; return sejit_py_combperm(n, k, 0, &r); }
static inline int64_t sejit_py_perm(int64_t n, int64_t k) { int64_t r = 0; sejit_py_combperm(n, k, 0, &r); return r; }
static inline int64_t sejit_py_isqrt(int64_t n) {
    int64_t r = (int64_t)sqrt((double)n);
    while (r > 0 && (__int128)r * r > n) r--;
    while ((__int128)(r + 1) * (r + 1) <= n) r++;
    return r;
}
static inline int sejit_py_isclose(double a, double b, double rel, double abs_tol) {
    if (a == b) return 1;
    if (isinf(a) || isinf(b)) return 0;
    double diff = fabs(b - a);
    return diff <= fabs(rel * b) || diff <= fabs(rel * a) || diff <= abs_tol;
}
static inline int sejit_py_cisclose(sejit_c128 a, sejit_c128 b, double rel, double abs_tol) {
    if (a.re == b.re && a.im == b.im) return 1;
    if (isinf(a.re) || isinf(a.im) || isinf(b.re) || isinf(b.im)) return 0;
    double diff = hypot(b.re - a.re, b.im - a.im);
    return diff <= rel * hypot(b.re, b.im) || diff <= rel * hypot(a.re, a.im) || diff <= abs_tol;
}
static inline double sejit_py_ldexp(double x, int64_t e) {
    if (e > 100000) e = 100000;
    if (e < -100000) e = -100000;
    return ldexp(x, (int)e);
}
static inline double sejit_py_frexp_m(double x) { int e; return isfinite(x) ? frexp(x, &e) : x; }
static inline int64_t sejit_py_frexp_e(double x) { int e = 0; if (isfinite(x)) frexp(x, &e); return e; }
/* CPython's numeric hash (Python/pyhash.c's rule, written here): an
 * integer modulo the Mersenne prime 2**61-1, with its sign; a float as the
 * rational it is, modulo the same prime, so that equal numbers hash alike;
 * -1 is never a hash (it becomes -2). Sets of numbers place their items by
 * it, which makes their iteration order CPython's. */
static inline int64_t sejit_py_hash_int(int64_t n) {
    const uint64_t m = ((uint64_t)1 << 61) - 1;
    uint64_t a = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    uint64_t r = (a >> 61) + (a & m);
    if (r >= m) r -= m;
    int64_t h = n < 0 ? -(int64_t)r : (int64_t)r;
    return h == -1 ? -2 : h;
}
static inline int64_t sejit_py_hash_float(double v) {
    const uint64_t m = ((uint64_t)1 << 61) - 1;
    if (isinf(v)) return v > 0 ? 314159 : -314159;
    if (isnan(v)) return 0;
    int e;
    double f = frexp(v, &e);
    int sign = 1;
    if (f < 0) { sign = -1; f = -f; }
    uint64_t x = 0;
    while (f) {
        x = ((x << 28) & m) | x >> (61 - 28);
        f *= 268435456.0;
        e -= 28;
        uint64_t y = (uint64_t)f;
        f -= (double)y;
        x += y;
        if (x >= m) x -= m;
    }
    e = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61);
    x = ((x << e) & m) | x >> (61 - e);
    int64_t h = sign < 0 ? -(int64_t)x : (int64_t)x;
    return h == -1 ? -2 : h;
}
static inline double sejit_py_modf_frac(double x) { double i; return isinf(x) ? copysign(0.0, x) : modf(x, &i); }
static inline double sejit_py_modf_int(double x) { double i; if (isinf(x)) return x; modf(x, &i); return i; }
static inline double sejit_py_ulp(double x) {
    if (isnan(x)) return x;
    x = fabs(x);
    if (isinf(x)) return x;
    double y = nextafter(x, INFINITY);
    if (isinf(y)) return x - nextafter(x, -INFINITY);
    return y - x;
}
/* gamma has poles at 0 and the negative integers (ValueError); lgamma too. */
static inline int sejit_py_gamma_pole(double x) { return x <= 0 && x == floor(x); }
static inline sejit_c128 sejit_py_clog10(sejit_c128 a) {
    sejit_c128 l = sejit_c128_log(a);
    return sejit_c128_make(l.re / 2.302585092994045684, l.im / 2.302585092994045684);
}
static inline sejit_c128 sejit_py_clogb(sejit_c128 a, sejit_c128 b) {
    return sejit_c128_div(sejit_c128_log(a), sejit_c128_log(b));
}
static inline double sejit_py_phase(sejit_c128 a) { return atan2(a.im, a.re); }
static inline double sejit_py_cabs(sejit_c128 a) { return hypot(a.re, a.im); }
static inline sejit_c128 sejit_py_rect(double r, double phi) {
    if (phi == 0.0) return sejit_c128_make(r, r * phi);
    return sejit_c128_make(r * cos(phi), r * sin(phi));
}
static inline int sejit_py_cfinite(sejit_c128 a) { return isfinite(a.re) && isfinite(a.im); }
static inline int sejit_py_czero(sejit_c128 a) { return a.re == 0 && a.im == 0; }
static inline int sejit_py_cunit(sejit_c128 a) { return a.im == 0 && fabs(a.re) == 1; }
/* math.fsum: CPython's msum, exact partial sums. fsum_run sums count
 * doubles xs[0], xs[stride], ... and tells the error CPython raises (1:
 * intermediate overflow, 2: -inf + inf). The varargs forms serve tuples:
 * fsum_err tells the error apart so the sum itself stays a pure function;
 * fsum_a serves arrays and lists as a helper. At most about 40 partials
 * are ever live for doubles (they do not overlap), so 64 suffice. */
static int sejit_py_fsum_run(int64_t count, const double *xs, double *out) {
    double p[64], special = 0.0, infs = 0.0;
    int n = 0;
    for (int64_t k = 0; k < count; k++) {
        double x = xs[k], xsave = x;
        int i = 0;
        for (int j = 0; j < n; j++) {
            double y = p[j];
            if (fabs(x) < fabs(y)) { double t = x; x = y; y = t; }
            double hi = x + y, lo = y - (hi - x);
            if (lo != 0.0) p[i++] = lo;
            x = hi;
        }
        n = i;
        if (x != 0.0) {
            if (!isfinite(x)) {
                if (isfinite(xsave)) return 1;
                if (isinf(xsave)) infs += xsave;
                special += xsave;
                n = 0;
            } else if (n < 64) {
                p[n++] = x;
            }
        }
    }
    if (special != 0.0) {
        if (isnan(infs)) return 2;
        *out = special;
        return 0;
    }
    double hi = 0.0, lo = 0.0;
    if (n > 0) {
        hi = p[--n];
        while (n > 0) {
            double x = hi, y = p[--n];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) break;
        }
        if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
            double y = lo * 2, x = hi + y, yr = x - hi;
            if (y == yr) hi = x;
        }
    }
    *out = hi;
    return 0;
}
static int sejit_py_fsum_va(int64_t count, va_list ap, double *out) {
    double xs[count > 0 ? count : 1];
    for (int64_t k = 0; k < count; k++) xs[k] = va_arg(ap, double);
    return sejit_py_fsum_run(count, xs, out);
}
SEJIT_UNUSED static double sejit_py_fsum(int64_t count, ...) {
    va_list ap;
    double r = 0.0;
    va_start(ap, count);
    sejit_py_fsum_va(count, ap, &r);
    va_end(ap);
    return r;
}
SEJIT_UNUSED static int64_t sejit_py_fsum_err(int64_t count, ...) {
    va_list ap;
    double r = 0.0;
    va_start(ap, count);
    int e = sejit_py_fsum_va(count, ap, &r);
    va_end(ap);
    return e;
}
SEJIT_UNUSED static int sejit_py_fsum_a(sejit_ctx *ctx, const sejit_array *a, double *r) {
    *r = 0.0;
    switch (sejit_py_fsum_run(a->shape[0], (const double *)a->data, r)) {
    case 1: return sejit_fail(ctx, SEJIT_ERR_OVERFLOW, "intermediate overflow in fsum");
    case 2: return sejit_fail(ctx, SEJIT_ERR_VALUE, "-inf + inf in fsum");
    }
    return 0;
}
/* math.hypot and math.dist of n coordinates, as CPython computes them:
 * every coordinate is scaled by a power of two that brings the largest
 * below 1 (exactly), its square is split into a rounded part and its exact
 * error (through fma), and the rounded parts are summed onto 1.0 (which
 * keeps every addition's error exact too) while the errors add up apart;
 * the square root of the total then gets one Newton correction from the
 * exact residual. The result is the correctly rounded norm in nearly all
 * cases, and CPython's in all. */
static double sejit_py_norm_run(int64_t n, double *v, double max) {
    int max_e;
    if (max == 0.0 || n <= 1) return max;
    frexp(max, &max_e);
    if (max_e < -1023) {
        /* ldexp(1, -max_e) would overflow: make subnormals normal first. */
        for (int64_t i = 0; i < n; i++) v[i] /= 2.2250738585072014e-308;
        return 2.2250738585072014e-308 * sejit_py_norm_run(n, v, max / 2.2250738585072014e-308);
    }
    double scale = ldexp(1.0, -max_e), csum = 1.0, frac1 = 0.0, frac2 = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double x = v[i] * scale;
        double sq = x * x, sq_lo = fma(x, x, -sq);
        double s = csum + sq, s_lo = (csum - s) + sq;
        csum = s;
        frac1 += sq_lo;
        frac2 += s_lo;
    }
    double h = sqrt(csum - 1.0 + (frac1 + frac2));
    double p = -h * h, p_lo = fma(-h, h, -p);
    double s = csum + p, s_lo = (csum - s) + p;
    csum = s;
    frac1 += p_lo;
    frac2 += s_lo;
    double x = csum - 1.0 + (frac1 + frac2);
    h += x / (2.0 * h);
    return h / scale;
}
SEJIT_UNUSED static int sejit_py_vector_norm(sejit_ctx *ctx, const sejit_array *a, double *r) {
    (void)ctx;
    int64_t n = a->shape[0];
    double *v = (double *)a->data, max = 0.0;
    int nan = 0;
    for (int64_t i = 0; i < n; i++) {
        double x = fabs(v[i]);
        v[i] = x;
        nan |= isnan(x);
        if (x > max) max = x;
    }
    if (isinf(max)) *r = max;
    else if (nan) *r = NAN;
    else *r = sejit_py_norm_run(n, v, max);
    return 0;
}

/*@ sejit_interrupt sejit_polled */
/* ---- Ctrl-C (SIGINT) ---- */
/* Outer loops poll this at the top of each iteration (a while loop whose
 * body runs no loop, every 1024 iterations): 1, with the error recorded in
 * ctx, once the runtime's SIGINT handler has set *ctx->interrupt. */
__attribute__((cold, noinline, unused)) static int sejit_interrupt(sejit_ctx *ctx) {
    ctx->err = SEJIT_ERR_INTERRUPT;
    ctx->msg[0] = '\0';
    return 1;
}
/* f is ctx->interrupt, read once into a local of the function (cgen's
 * pollFlag). */
static inline SEJIT_UNUSED int sejit_polled(sejit_ctx *ctx, const volatile int *f) {
    return SEJIT_UNLIKELY(f != 0 && *f) ? sejit_interrupt(ctx) : 0;
}

/*@ sejit_release */
/* ---- a function's own arrays, given back when it returns (analysis/release.go) ---- */
static inline SEJIT_UNUSED void sejit_release(sejit_ctx *ctx, void *const *objs, int n) {
    if (ctx->release != 0)
        ctx->release(ctx, objs, n);
}

/*@ sejit_trip */
/* ---- parallel loops (jit(parallel=True)) ---- */
/* The number of iterations of range(start, stop, step), step != 0. */
static inline int64_t sejit_trip(int64_t start, int64_t stop, int64_t step) {
    if (step > 0)
        return start < stop ? (int64_t)(((uint64_t)stop - (uint64_t)start - 1) / (uint64_t)step + 1) : 0;
    return start > stop ? (int64_t)(((uint64_t)start - (uint64_t)stop - 1) / (0 - (uint64_t)step) + 1) : 0;
}
/*@ sejit_par_idle sejit_par_fail sejit_par_prefork sejit_par_init */
/* Compiled only into units built with -fopenmp (the parallel ones); the
 * constructor below comes with sejit_par_idle, which every parallel loop
 * calls. */
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

/*@ sejit_c128_lt sejit_c128_le sejit_c128_gt sejit_c128_ge sejit_c128_imag */
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

/*@ sejit_np_fmod_i64 sejit_np_fmod_u64 sejit_np_shl_u64 sejit_np_shr_u64 sejit_np_merge_b sejit_np_sort_b sejit_np_argsort_b sejit_np_unique_b sejit_np_merge_i8 sejit_np_sort_i8 sejit_np_argsort_i8 sejit_np_unique_i8 sejit_np_merge_i16 sejit_np_sort_i16 sejit_np_argsort_i16 sejit_np_unique_i16 sejit_np_merge_i32 sejit_np_sort_i32 sejit_np_argsort_i32 sejit_np_unique_i32 sejit_np_merge_i64 sejit_np_sort_i64 sejit_np_argsort_i64 sejit_np_unique_i64 sejit_np_merge_u8 sejit_np_sort_u8 sejit_np_argsort_u8 sejit_np_unique_u8 sejit_np_merge_u16 sejit_np_sort_u16 sejit_np_argsort_u16 sejit_np_unique_u16 sejit_np_merge_u32 sejit_np_sort_u32 sejit_np_argsort_u32 sejit_np_unique_u32 sejit_np_merge_u64 sejit_np_sort_u64 sejit_np_argsort_u64 sejit_np_unique_u64 sejit_np_merge_f32 sejit_np_sort_f32 sejit_np_argsort_f32 sejit_np_unique_f32 sejit_np_merge_f64 sejit_np_sort_f64 sejit_np_argsort_f64 sejit_np_unique_f64 sejit_np_histogram sejit_np_bincount_any sejit_np_bincount sejit_np_bincount_w sejit_np_interp sejit_c128_asin sejit_c128_acos sejit_c128_atan sejit_c128_asinh sejit_c128_acosh sejit_c128_atanh sejit_c128_exp2 sejit_c128_expm1 sejit_c128_log2 sejit_c128_log10 sejit_c128_log1p sejit_c128_sign sejit_c128_rint sejit_np_round_f64 sejit_np_round_f32 sejit_np_cround_c128 sejit_np_cround_c64 sejit_np_cnan sejit_np_cminimum sejit_np_cmaximum sejit_np_cfmin sejit_np_cfmax */
/* ---- NumPy functions (issue 3): helpers for lower/numpy_more.go and
 * lower/numpy_arrays.go. ---- */

/* np.fmod of integers: C's truncating remainder; a zero divisor gives 0
 * as in NumPy, and -1 gives 0 without the overflow of INT64_MIN % -1. */
static inline int64_t sejit_np_fmod_i64(int64_t a, int64_t b) { return (b == 0 || b == -1) ? 0 : a % b; }
static inline uint64_t sejit_np_fmod_u64(uint64_t a, uint64_t b) { return b ? a % b : 0; }
/* Unsigned shifts: a count of the width or more gives 0, as in NumPy (the
 * signed helpers above would sign-extend uint64 values of 2**63 and more). */
static inline uint64_t sejit_np_shl_u64(uint64_t a, uint64_t s) { return s >= 64 ? 0 : a << s; }
static inline uint64_t sejit_np_shr_u64(uint64_t a, uint64_t s) { return s >= 64 ? 0 : a >> s; }

/* np.sort, np.argsort and np.unique of 1-D arrays (any stride): NaNs are
 * first moved after every number (in order), then the numbers sorted by a
 * stable bottom-up merge sort on a contiguous copy, whose first pass
 * sorts runs of 16 by insertion. */
#include <stdlib.h>
#define SEJIT_NP_NAN_INT(a) 0
#define SEJIT_NP_NAN_FLT(a) ((a) != (a))
#define SEJIT_NP_EQ_INT(a, b) ((a) == (b))
#define SEJIT_NP_EQ_FLT(a, b) ((a) == (b) || ((a) != (a) && (b) != (b)))
#define SEJIT_NP_SORTS(T, SUF, DT, ISNAN, EQ)                                                    \
    static SEJIT_UNUSED void sejit_np_merge_##SUF(T *v, int64_t *ix, T *tv, int64_t *tix, int64_t n) { \
        /* NaNs last, keeping order: numbers to the front, NaNs through tv. */                  \
        int64_t m = 0, q = 0;                                                                    \
        for (int64_t i = 0; i < n; i++) {                                                        \
            if (ISNAN(v[i])) { tv[q] = v[i]; if (ix) tix[q] = ix[i]; q++; }                      \
            else { v[m] = v[i]; if (ix) ix[m] = ix[i]; m++; }                                    \
        }                                                                                        \
        for (int64_t i = 0; i < q; i++) { v[m + i] = tv[i]; if (ix) ix[m + i] = tix[i]; }        \
        n = m;                                                                                   \
        const int64_t run = 16;                                                                  \
        for (int64_t lo = 0; lo < n; lo += run) {                                                \
            int64_t hi = lo + run < n ? lo + run : n;                                            \
            for (int64_t i = lo + 1; i < hi; i++) {                                              \
                T x = v[i];                                                                      \
                int64_t xi = ix ? ix[i] : 0, j = i;                                              \
                while (j > lo && x < v[j - 1]) { v[j] = v[j - 1]; if (ix) ix[j] = ix[j - 1]; j--; } \
                v[j] = x;                                                                        \
                if (ix) ix[j] = xi;                                                              \
            }                                                                                    \
        }                                                                                        \
        T *a = v, *b = tv;                                                                       \
        int64_t *ia = ix, *ib = tix;                                                             \
        for (int64_t w = run; w < n; w *= 2) {                                                   \
            for (int64_t lo = 0; lo < n; lo += 2 * w) {                                          \
                int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;     \
                int64_t i = lo, j = mid, k = lo;                                                 \
                if (mid < hi && !(a[mid] < a[mid - 1])) {                                        \
                    /* already in order */                                                       \
                    memcpy(b + lo, a + lo, (size_t)(hi - lo) * sizeof(T));                       \
                    if (ia) memcpy(ib + lo, ia + lo, (size_t)(hi - lo) * sizeof(int64_t));       \
                    continue;                                                                    \
                }                                                                                \
                if (ia) {                                                                        \
                    while (i < mid && j < hi) {                                                  \
                        int64_t s = a[j] < a[i] ? j++ : i++;                                     \
                        b[k] = a[s];                                                             \
                        ib[k] = ia[s];                                                           \
                        k++;                                                                     \
                    }                                                                            \
                } else {                                                                         \
                    /* branch-free: the comparison's outcome is unpredictable */                 \
                    while (i < mid && j < hi) {                                                  \
                        T x = a[i], y = a[j];                                                    \
                        int c = y < x;                                                           \
                        b[k++] = c ? y : x;                                                      \
                        j += c;                                                                  \
                        i += 1 - c;                                                              \
                    }                                                                            \
                }                                                                                \
                for (; i < mid; i++, k++) { b[k] = a[i]; if (ia) ib[k] = ia[i]; }                \
                for (; j < hi; j++, k++) { b[k] = a[j]; if (ia) ib[k] = ia[j]; }                 \
            }                                                                                    \
            T *t = a; a = b; b = t;                                                              \
            int64_t *it = ia; ia = ib; ib = it;                                                  \
        }                                                                                        \
        if (a != v) {                                                                            \
            memcpy(v, a, (size_t)n * sizeof(T));                                                 \
            if (ix) memcpy(ix, ia, (size_t)n * sizeof(int64_t));                                 \
        }                                                                                        \
    }                                                                                            \
    static SEJIT_UNUSED int sejit_np_sort_##SUF(sejit_ctx *ctx, const sejit_array *x) {          \
        int64_t n = x->shape[0], s = x->strides[0];                                              \
        T *d = (T *)x->data;                                                                     \
        if (n < 2) return 0;                                                                     \
        T *buf = (T *)malloc(2 * (size_t)n * sizeof(T));                                         \
        if (!buf) return sejit_fail(ctx, SEJIT_ERR_MEMORY, "out of memory in np.sort");          \
        for (int64_t i = 0; i < n; i++) buf[i] = d[i * s];                                       \
        sejit_np_merge_##SUF(buf, 0, buf + n, 0, n);                                             \
        for (int64_t i = 0; i < n; i++) d[i * s] = buf[i];                                       \
        free(buf);                                                                               \
        return 0;                                                                                \
    }                                                                                            \
    static SEJIT_UNUSED int sejit_np_argsort_##SUF(sejit_ctx *ctx, const sejit_array *x,         \
                                                   const sejit_array *out) {                     \
        int64_t n = x->shape[0], s = x->strides[0], os = out->strides[0];                        \
        T *d = (T *)x->data;                                                                     \
        int64_t *o = (int64_t *)out->data;                                                       \
        if (n == 0) return 0;                                                                    \
        T *buf = (T *)malloc(2 * (size_t)n * sizeof(T));                                         \
        int64_t *ix = (int64_t *)malloc(2 * (size_t)n * sizeof(int64_t));                       \
        if (!buf || !ix) {                                                                       \
            free(buf);                                                                           \
            free(ix);                                                                            \
            return sejit_fail(ctx, SEJIT_ERR_MEMORY, "out of memory in np.argsort");             \
        }                                                                                        \
        for (int64_t i = 0; i < n; i++) { buf[i] = d[i * s]; ix[i] = i; }                        \
        sejit_np_merge_##SUF(buf, ix, buf + n, ix + n, n);                                       \
        for (int64_t i = 0; i < n; i++) o[i * os] = ix[i];                                       \
        free(buf);                                                                               \
        free(ix);                                                                                \
        return 0;                                                                                \
    }                                                                                            \
    /* The distinct values of a sorted array (NaNs count as one). */                             \
    static SEJIT_UNUSED int sejit_np_unique_##SUF(sejit_ctx *ctx, const sejit_array *x, sejit_array *r) { \
        int64_t n = x->shape[0], s = x->strides[0], m = n > 0;                                   \
        T *d = (T *)x->data;                                                                     \
        for (int64_t i = 1; i < n; i++) m += !EQ(d[i * s], d[(i - 1) * s]);                      \
        if (ctx->alloc(ctx, DT, 1, &m, r)) return -1;                                            \
        T *o = (T *)r->data;                                                                     \
        int64_t k = 0;                                                                           \
        for (int64_t i = 0; i < n; i++)                                                          \
            if (i == 0 || !EQ(d[i * s], d[(i - 1) * s])) o[(k++) * r->strides[0]] = d[i * s];   \
        return 0;                                                                                \
    }
SEJIT_NP_SORTS(uint8_t, b, SEJIT_BOOL, SEJIT_NP_NAN_INT, SEJIT_NP_EQ_INT)
SEJIT_NP_SORTS(int8_t, i8, SEJIT_INT8, SEJIT_NP_NAN_INT, SEJIT_NP_EQ_INT)
SEJIT_NP_SORTS(int16_t, i16, SEJIT_INT16, SEJIT_NP_NAN_INT, SEJIT_NP_EQ_INT)
SEJIT_NP_SORTS(int32_t, i32, SEJIT_INT32, SEJIT_NP_NAN_INT, SEJIT_NP_EQ_INT)
SEJIT_NP_SORTS(int64_t, i64, SEJIT_INT64, SEJIT_NP_NAN_INT, SEJIT_NP_EQ_INT)
SEJIT_NP_SORTS(uint8_t, u8, SEJIT_UINT8, SEJIT_NP_NAN_INT, SEJIT_NP_EQ_INT)
SEJIT_NP_SORTS(uint16_t, u16, SEJIT_UINT16, SEJIT_NP_NAN_INT, SEJIT_NP_EQ_INT)
SEJIT_NP_SORTS(uint32_t, u32, SEJIT_UINT32, SEJIT_NP_NAN_INT, SEJIT_NP_EQ_INT)
SEJIT_NP_SORTS(uint64_t, u64, SEJIT_UINT64, SEJIT_NP_NAN_INT, SEJIT_NP_EQ_INT)
SEJIT_NP_SORTS(float, f32, SEJIT_FLOAT32, SEJIT_NP_NAN_FLT, SEJIT_NP_EQ_FLT)
SEJIT_NP_SORTS(double, f64, SEJIT_FLOAT64, SEJIT_NP_NAN_FLT, SEJIT_NP_EQ_FLT)

/* np.histogram(a, bins, range) of a float64 array, as NumPy's uniform-bin
 * path: edges from linspace's formula, a bin index from the scaled
 * distance to the first edge, corrected by one against the edges; the
 * last bin includes its right edge; values outside the range (and NaN)
 * are not counted. */
static SEJIT_UNUSED int sejit_np_histogram(sejit_ctx *ctx, const sejit_array *a, int64_t has_range, double lo,
                                           double hi, const sejit_array *counts, const sejit_array *edges) {
    int64_t n = a->shape[0], s = a->strides[0], bins = counts->shape[0];
    const double *d = (const double *)a->data;
    int64_t *c = (int64_t *)counts->data, cs = counts->strides[0];
    double *e = (double *)edges->data;
    int64_t es = edges->strides[0];
    double first = 0.0, last = 1.0;
    if (has_range) {
        first = lo;
        last = hi;
    } else if (n > 0) {
        first = last = d[0];
        for (int64_t i = 0; i < n; i++) {
            double v = d[i * s];
            if (v != v) {
                first = last = v;
                break;
            }
            if (v < first) first = v;
            if (v > last) last = v;
        }
    }
    if (first > last) return sejit_fail(ctx, SEJIT_ERR_VALUE, "max must be larger than min in range parameter.");
    if (!isfinite(first) || !isfinite(last))
        return sejit_fail(ctx, SEJIT_ERR_VALUE, "%s range of [%g, %g] is not finite",
                          has_range ? "supplied" : "autodetected", first, last);
    if (first == last) {
        first -= 0.5;
        last += 0.5;
    }
    double delta = last - first, step = delta / (double)bins;
    for (int64_t i = 0; i <= bins; i++)
        e[i * es] = step == 0 ? ((double)i / (double)bins) * delta + first : (double)i * step + first;
    e[bins * es] = last;
    for (int64_t i = 0; i < bins; i++) c[i * cs] = 0;
    for (int64_t i = 0; i < n; i++) {
        double v = d[i * s];
        if (!(v >= first && v <= last)) continue;
        int64_t k = (int64_t)(((v - first) / delta) * (double)bins);
        if (k >= bins) k = bins - 1;
        if (k < 0) k = 0;
        if (v < e[k * es] && k > 0) k--;
        else if (k != bins - 1 && v >= e[(k + 1) * es]) k++;
        c[k * cs]++;
    }
    return 0;
}

/* np.bincount(x, minlength=, weights=) of int64 values. */
static SEJIT_UNUSED int sejit_np_bincount_any(sejit_ctx *ctx, const sejit_array *x, const sejit_array *w,
                                              int64_t minlength, sejit_array *r) {
    int64_t n = x->shape[0], s = x->strides[0], m = minlength;
    const int64_t *d = (const int64_t *)x->data;
    if (minlength < 0) return sejit_fail(ctx, SEJIT_ERR_VALUE, "'minlength' must not be negative");
    if (w && w->shape[0] != n) return sejit_fail(ctx, SEJIT_ERR_VALUE, "The weights and list don't have the same length.");
    for (int64_t i = 0; i < n; i++) {
        int64_t v = d[i * s];
        if (v < 0) return sejit_fail(ctx, SEJIT_ERR_VALUE, "'list' argument must have no negative elements");
        if (v >= m) m = v + 1;
    }
    if (ctx->alloc(ctx, w ? SEJIT_FLOAT64 : SEJIT_INT64, 1, &m, r)) return -1;
    int64_t rs = r->strides[0];
    if (w) {
        double *o = (double *)r->data;
        const double *wd = (const double *)w->data;
        for (int64_t i = 0; i < m; i++) o[i * rs] = 0.0;
        for (int64_t i = 0; i < n; i++) o[d[i * s] * rs] += wd[i * w->strides[0]];
    } else {
        int64_t *o = (int64_t *)r->data;
        for (int64_t i = 0; i < m; i++) o[i * rs] = 0;
        for (int64_t i = 0; i < n; i++) o[d[i * s] * rs] += 1;
    }
    return 0;
}
static SEJIT_UNUSED int sejit_np_bincount(sejit_ctx *ctx, const sejit_array *x, int64_t minlength, sejit_array *r) {
    return sejit_np_bincount_any(ctx, x, 0, minlength, r);
}
static SEJIT_UNUSED int sejit_np_bincount_w(sejit_ctx *ctx, const sejit_array *x, const sejit_array *w,
                                            int64_t minlength, sejit_array *r) {
    return sejit_np_bincount_any(ctx, x, w, minlength, r);
}

/* np.interp(x, xp, fp, left=, right=) in float64, with NumPy's rules: x
 * below xp[0] gives left (fp[0]), above xp[-1] right (fp[-1]), NaN stays
 * NaN, an x equal to a sample point gives its fp exactly, and a NaN from
 * an infinite slope is retried from the right end of the interval. */
static SEJIT_UNUSED int sejit_np_interp(sejit_ctx *ctx, const sejit_array *x, const sejit_array *xp,
                                        const sejit_array *fp, const sejit_array *out, int64_t has_left, double left,
                                        int64_t has_right, double right) {
    int64_t n = x->shape[0], m = xp->shape[0];
    int64_t xs = x->strides[0], ps = xp->strides[0], fs = fp->strides[0], os = out->strides[0];
    const double *X = (const double *)x->data, *P = (const double *)xp->data, *F = (const double *)fp->data;
    double *O = (double *)out->data;
    if (m == 0) return sejit_fail(ctx, SEJIT_ERR_VALUE, "array of sample points is empty");
    if (fp->shape[0] != m) return sejit_fail(ctx, SEJIT_ERR_VALUE, "fp and xp are not of the same length.");
    double lval = has_left ? left : F[0], rval = has_right ? right : F[(m - 1) * fs];
    for (int64_t i = 0; i < n; i++) {
        double v = X[i * xs], r;
        if (m == 1) {
            r = v < P[0] ? lval : v > P[0] ? rval : F[0];
        } else if (v != v) {
            r = v;
        } else if (v < P[0]) {
            r = lval;
        } else if (v > P[(m - 1) * ps]) {
            r = rval;
        } else {
            /* the last j with xp[j] <= v */
            int64_t lo = 0, hi = m;
            while (hi - lo > 1) {
                int64_t mid = lo + (hi - lo) / 2;
                if (P[mid * ps] <= v) lo = mid; else hi = mid;
            }
            int64_t j = lo;
            if (j == m - 1 || P[j * ps] == v) {
                r = F[j * fs];
            } else {
                double x0 = P[j * ps], x1 = P[(j + 1) * ps], f0 = F[j * fs], f1 = F[(j + 1) * fs];
                double slope = (f1 - f0) / (x1 - x0);
                r = slope * (v - x0) + f0;
                if (r != r) {
                    r = slope * (v - x1) + f1;
                    if (r != r && f0 == f1) r = f0;
                }
            }
        }
        O[i * os] = r;
    }
    return 0;
}

/* Complex ufuncs beyond the first set: the inverse trigonometric and
 * hyperbolic functions from the C library (as NumPy takes them), the
 * others from their definitions. */
SEJIT_CFUNC(asin)
SEJIT_CFUNC(acos)
SEJIT_CFUNC(atan)
SEJIT_CFUNC(asinh)
SEJIT_CFUNC(acosh)
SEJIT_CFUNC(atanh)
static inline SEJIT_UNUSED sejit_c128 sejit_c128_exp2(sejit_c128 a) {
    return sejit_c128_exp(sejit_c128_make(a.re * 0.6931471805599453, a.im * 0.6931471805599453));
}
static inline SEJIT_UNUSED sejit_c128 sejit_c128_expm1(sejit_c128 a) {
    double h = sin(a.im / 2);
    return sejit_c128_make(expm1(a.re) * cos(a.im) - 2 * h * h, exp(a.re) * sin(a.im));
}
static inline SEJIT_UNUSED sejit_c128 sejit_c128_log2(sejit_c128 a) {
    sejit_c128 l = sejit_c128_log(a);
    return sejit_c128_make(l.re * 1.4426950408889634, l.im * 1.4426950408889634);
}
static inline SEJIT_UNUSED sejit_c128 sejit_c128_log10(sejit_c128 a) {
    sejit_c128 l = sejit_c128_log(a);
    return sejit_c128_make(l.re * 0.4342944819032518, l.im * 0.4342944819032518);
}
static inline SEJIT_UNUSED sejit_c128 sejit_c128_log1p(sejit_c128 a) {
    return sejit_c128_make(log(hypot(a.re + 1, a.im)), atan2(a.im, a.re + 1));
}
/* NumPy 2's sign of a complex number: z / |z| (0 for 0, NaN for NaN). */
static inline SEJIT_UNUSED sejit_c128 sejit_c128_sign(sejit_c128 a) {
    if (a.re != a.re || a.im != a.im) return sejit_c128_make(NAN, NAN);
    if (a.re == 0 && a.im == 0) return sejit_c128_make(0, 0);
    double m = hypot(a.re, a.im);
    return sejit_c128_make(a.re / m, a.im / m);
}
static inline SEJIT_UNUSED sejit_c128 sejit_c128_rint(sejit_c128 a) { return sejit_c128_make(rint(a.re), rint(a.im)); }
/* np.round of complex numbers: each part as np.round of a float (dec > 0:
 * scale up, round half to even, scale down; dec < 0 the other way). */
static inline SEJIT_UNUSED double sejit_np_round_f64(double x, double scale, int64_t dec) {
    return dec == 0 ? rint(x) : dec > 0 ? rint(x * scale) / scale : rint(x / scale) * scale;
}
static inline SEJIT_UNUSED float sejit_np_round_f32(float x, float scale, int64_t dec) {
    return dec == 0 ? rintf(x) : dec > 0 ? rintf(x * scale) / scale : rintf(x / scale) * scale;
}
static inline SEJIT_UNUSED sejit_c128 sejit_np_cround_c128(sejit_c128 a, double scale, int64_t dec) {
    return sejit_c128_make(sejit_np_round_f64(a.re, scale, dec), sejit_np_round_f64(a.im, scale, dec));
}
static inline SEJIT_UNUSED sejit_c64 sejit_np_cround_c64(sejit_c64 a, float scale, int64_t dec) {
    return sejit_c64_make(sejit_np_round_f32(a.re, scale, dec), sejit_np_round_f32(a.im, scale, dec));
}
/* Complex minimum and maximum in NumPy's order (sejit_c128_le/ge above):
 * minimum and maximum propagate NaN; fmin and fmax prefer the other
 * operand. */
static inline SEJIT_UNUSED int sejit_np_cnan(sejit_c128 x) { return x.re != x.re || x.im != x.im; }
static inline SEJIT_UNUSED sejit_c128 sejit_np_cminimum(sejit_c128 x, sejit_c128 y) {
    return (sejit_np_cnan(x) || sejit_c128_le(x, y)) ? x : y;
}
static inline SEJIT_UNUSED sejit_c128 sejit_np_cmaximum(sejit_c128 x, sejit_c128 y) {
    return (sejit_np_cnan(x) || sejit_c128_ge(x, y)) ? x : y;
}
static inline SEJIT_UNUSED sejit_c128 sejit_np_cfmin(sejit_c128 x, sejit_c128 y) {
    return (sejit_np_cnan(y) || sejit_c128_le(x, y)) ? x : y;
}
static inline SEJIT_UNUSED sejit_c128 sejit_np_cfmax(sejit_c128 x, sejit_c128 y) {
    return (sejit_np_cnan(y) || sejit_c128_ge(x, y)) ? x : y;
}

/*@ sejit_rand_absent sejit_rand_double sejit_rand_gauss sejit_rand_one sejit_np_random sejit_np_random_fill sejit_rand_bounded sejit_np_randint sejit_np_randint_fill */
/* NumPy's global random stream (issue 14): the legacy distributions of
 * RandomState (mtrand's legacy-distributions.c and the masked bounded
 * integers of distributions.c), drawn through the bit generator of
 * ctx->random so that the numbers are NumPy's bit for bit and the state is
 * NumPy's own. kind 0: a + b*U (random, rand, uniform with b = high-low);
 * 1: a + b*G with G legacy_gauss (polar Box-Muller keeping the second value
 * in the state, as NumPy does); 2: a * E with E = -log(1 - U). */
static SEJIT_UNUSED int sejit_rand_absent(sejit_ctx *ctx) {
    return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "np.random draws need NumPy's global state, which only the "
                                              "sejit runtime's call path provides");
}
static inline SEJIT_UNUSED double sejit_rand_double(sejit_aug_bitgen *a) {
    return a->bit_generator->next_double(a->bit_generator->state);
}
static SEJIT_UNUSED double sejit_rand_gauss(sejit_aug_bitgen *a) {
    if (a->has_gauss) {
        const double t = a->gauss;
        a->has_gauss = 0;
        a->gauss = 0.0;
        return t;
    }
    double f, x1, x2, r2;
    do {
        x1 = 2.0 * sejit_rand_double(a) - 1.0;
        x2 = 2.0 * sejit_rand_double(a) - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    f = sqrt(-2.0 * log(r2) / r2);
    a->gauss = f * x1;
    a->has_gauss = 1;
    return f * x2;
}
static inline SEJIT_UNUSED double sejit_rand_one(sejit_aug_bitgen *a, int64_t kind, double p, double q) {
    switch (kind) {
    case 0:
        return p + q * sejit_rand_double(a);
    case 1:
        return p + q * sejit_rand_gauss(a);
    default:
        return p * -log(1.0 - sejit_rand_double(a));
    }
}
static SEJIT_UNUSED int sejit_np_random(sejit_ctx *ctx, int64_t kind, double p, double q, double *r) {
    if (!ctx->random) return sejit_rand_absent(ctx);
    *r = sejit_rand_one((sejit_aug_bitgen *)ctx->random, kind, p, q);
    return 0;
}
static SEJIT_UNUSED int sejit_np_random_fill(sejit_ctx *ctx, const sejit_array *out, int64_t n, int64_t kind,
                                             double p, double q) {
    if (!ctx->random) return sejit_rand_absent(ctx);
    sejit_aug_bitgen *a = (sejit_aug_bitgen *)ctx->random;
    double *o = (double *)out->data;
    for (int64_t i = 0; i < n; i++) o[i] = sejit_rand_one(a, kind, p, q);
    return 0;
}
/* off + a uniform integer in [0, rng]: NumPy's random_bounded_uint64_fill
 * with use_masked (RandomState.randint): 32-bit draws while rng fits in 32
 * bits, the smallest all-ones mask at least rng, rejection above rng. */
static inline SEJIT_UNUSED uint64_t sejit_rand_bounded(sejit_bitgen *g, uint64_t off, uint64_t rng) {
    if (rng == 0) return off;
    uint64_t mask = rng, v;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    mask |= mask >> 32;
    if (rng <= 0xFFFFFFFFULL) {
        if (rng == 0xFFFFFFFFULL) return off + g->next_uint32(g->state);
        while ((v = (g->next_uint32(g->state) & mask)) > rng) {
        }
        return off + v;
    }
    if (rng == 0xFFFFFFFFFFFFFFFFULL) return off + g->next_uint64(g->state);
    while ((v = (g->next_uint64(g->state) & mask)) > rng) {
    }
    return off + v;
}
static SEJIT_UNUSED int sejit_np_randint(sejit_ctx *ctx, int64_t off, int64_t rng, int64_t *r) {
    if (!ctx->random) return sejit_rand_absent(ctx);
    *r = (int64_t)sejit_rand_bounded(((sejit_aug_bitgen *)ctx->random)->bit_generator, (uint64_t)off, (uint64_t)rng);
    return 0;
}
static SEJIT_UNUSED int sejit_np_randint_fill(sejit_ctx *ctx, const sejit_array *out, int64_t n, int64_t off,
                                              int64_t rng) {
    if (!ctx->random) return sejit_rand_absent(ctx);
    sejit_bitgen *g = ((sejit_aug_bitgen *)ctx->random)->bit_generator;
    int64_t *o = (int64_t *)out->data;
    for (int64_t i = 0; i < n; i++) o[i] = (int64_t)sejit_rand_bounded(g, (uint64_t)off, (uint64_t)rng);
    return 0;
}

/*@ sejit_rand_stdexp sejit_rand_stdgamma sejit_rand_beta sejit_rand_cont sejit_np_random2 sejit_np_random2_fill */
/* More of RandomState's legacy continuous distributions (issue 14), on the
 * same state as sejit_np_random. The floating-point expressions follow
 * NumPy's legacy code operation for operation (same operands, same order,
 * same libm calls, no contraction), which is what makes the numbers equal
 * bit for bit; the structure is ours. kind 3: q * standard_gamma(p) (the
 * Marsaglia-Tsang squeeze on legacy_gauss for p > 1, the rejection of
 * Ahrens-Dieter's GS for p < 1); 4: beta(p, q) (Johnk's algorithm when both
 * shapes are at most 1, else a ratio of two legacy gammas). */
static inline SEJIT_UNUSED double sejit_rand_stdexp(sejit_aug_bitgen *a) { return -log(1.0 - sejit_rand_double(a)); }
static SEJIT_UNUSED double sejit_rand_stdgamma(sejit_aug_bitgen *a, double shape) {
    if (shape == 1.0) return sejit_rand_stdexp(a);
    if (shape == 0.0) return 0.0;
    if (shape < 1.0) {
        for (;;) {
            const double u = sejit_rand_double(a), e = sejit_rand_stdexp(a);
            if (u <= 1.0 - shape) {
                const double x = pow(u, 1. / shape);
                if (x <= e) return x;
            } else {
                const double y = -log((1 - u) / shape);
                const double x = pow(1.0 - shape + shape * y, 1. / shape);
                if (x <= e + y) return x;
            }
        }
    }
    const double b = shape - 1. / 3., c = 1. / sqrt(9 * b);
    for (;;) {
        double x, v;
        do {
            x = sejit_rand_gauss(a);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        const double u = sejit_rand_double(a);
        if (u < 1.0 - 0.0331 * (x * x) * (x * x)) return b * v;
        if (log(u) < 0.5 * x * x + b * (1. - v + log(v))) return b * v;
    }
}
static SEJIT_UNUSED double sejit_rand_beta(sejit_aug_bitgen *a, double pa, double pb) {
    if (!(pa <= 1.0 && pb <= 1.0)) {
        const double ga = sejit_rand_stdgamma(a, pa), gb = sejit_rand_stdgamma(a, pb);
        return ga / (ga + gb);
    }
    for (;;) {
        const double u = sejit_rand_double(a), v = sejit_rand_double(a);
        const double x = pow(u, 1.0 / pa), y = pow(v, 1.0 / pb);
        if (!(x + y <= 1.0)) continue;
        if (x + y > 0) return x / (x + y);
        /* Both powers underflowed: the ratio through logarithms. */
        double lx = log(u) / pa, ly = log(v) / pb;
        const double lm = lx > ly ? lx : ly;
        lx -= lm;
        ly -= lm;
        return exp(lx - log(exp(lx) + exp(ly)));
    }
}
static inline SEJIT_UNUSED double sejit_rand_cont(sejit_aug_bitgen *a, int64_t kind, double p, double q) {
    if (kind == 3) return q * sejit_rand_stdgamma(a, p);
    if (kind == 4) return sejit_rand_beta(a, p, q);
    return sejit_rand_one(a, kind, p, q);
}
static SEJIT_UNUSED int sejit_np_random2(sejit_ctx *ctx, int64_t kind, double p, double q, double *r) {
    if (!ctx->random) return sejit_rand_absent(ctx);
    *r = sejit_rand_cont((sejit_aug_bitgen *)ctx->random, kind, p, q);
    return 0;
}
static SEJIT_UNUSED int sejit_np_random2_fill(sejit_ctx *ctx, const sejit_array *out, int64_t n, int64_t kind,
                                              double p, double q) {
    if (!ctx->random) return sejit_rand_absent(ctx);
    sejit_aug_bitgen *a = (sejit_aug_bitgen *)ctx->random;
    double *o = (double *)out->data;
    for (int64_t i = 0; i < n; i++) o[i] = sejit_rand_cont(a, kind, p, q);
    return 0;
}

/*@ sejit_rand_loggam sejit_rand_poisson sejit_rand_binv sejit_rand_btpe_corr sejit_rand_btpe sejit_rand_binomial sejit_rand_disc sejit_np_random_disc sejit_np_random_disc_fill */
/* RandomState's legacy discrete distributions, int64 results. kind 0:
 * poisson(lam): multiplication of uniforms below 10, Hoermann's transformed
 * rejection (PTRS) from 10 on, with the SPECFUN log-gamma NumPy uses there.
 * kind 1: binomial(n, p): the legacy one has no shortcut for n == 0 or
 * p == 0 (it still draws), inverts the CDF while min(p, 1-p) * n <= 30 and
 * runs Kachitvichyanukul and Schmeiser's BTPE above. Operation for
 * operation NumPy's, as in the section above. */
static SEJIT_UNUSED double sejit_rand_loggam(double x) {
    static const double coef[10] = {8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04,
                                    -5.952380952380952e-04, 8.417508417508418e-04, -1.917526917526918e-03,
                                    6.410256410256410e-03, -2.955065359477124e-02, 1.796443723688307e-01,
                                    -1.39243221690590e+00};
    if (x == 1.0 || x == 2.0) return 0.0;
    int64_t shift = 0;
    double x0 = x;
    if (x <= 7.0) {
        shift = (int64_t)(7 - x);
        x0 = x + shift;
    }
    const double x2 = 1.0 / (x0 * x0);
    double s = coef[9];
    for (int k = 8; k >= 0; k--) s = s * x2 + coef[k];
    double gl = s / x0 + 0.5 * log(2 * 3.14159265358979323846) + (x0 - 0.5) * log(x0) - x0;
    for (int64_t k = 1; k <= shift; k++) {
        gl -= log(x0 - 1.0);
        x0 -= 1.0;
    }
    return gl;
}
static SEJIT_UNUSED int64_t sejit_rand_poisson(sejit_bitgen *g, double lam) {
    if (lam == 0) return 0;
    if (!(lam >= 10)) {
        const double limit = exp(-lam);
        double prod = 1.0;
        int64_t k = 0;
        for (;;) {
            prod *= g->next_double(g->state);
            if (!(prod > limit)) return k;
            k += 1;
        }
    }
    const double slam = sqrt(lam), loglam = log(lam);
    const double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
    const double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
        const double u = g->next_double(g->state) - 0.5, v = g->next_double(g->state);
        const double us = 0.5 - fabs(u);
        const int64_t k = (int64_t)floor((2 * a / us + b) * u + lam + 0.43);
        if (us >= 0.07 && v <= vr) return k;
        if (k < 0 || (us < 0.013 && v > us)) continue;
        if (log(v) + log(invalpha) - log(a / (us * us) + b) <= -lam + k * loglam - sejit_rand_loggam(k + 1)) return k;
    }
}
/* Inversion for r * n <= 30 (r <= 1/2). */
static SEJIT_UNUSED int64_t sejit_rand_binv(sejit_bitgen *g, int64_t n, double r) {
    const double q = 1.0 - r, qn = exp(n * log(q)), np = n * r;
    const double cap = np + 10.0 * sqrt(np * q + 1);
    const int64_t bound = (int64_t)(n < cap ? n : cap);
    int64_t x = 0;
    double px = qn, u = g->next_double(g->state);
    while (u > px) {
        x++;
        if (x > bound) {
            x = 0;
            px = qn;
            u = g->next_double(g->state);
        } else {
            u -= px;
            px = ((n - x + 1) * r * px) / (x * q);
        }
    }
    return x;
}
static inline SEJIT_UNUSED double sejit_rand_btpe_corr(double v2, double v) {
    return (13680. - (462. - (132. - (99. - 140. / v2) / v2) / v2) / v2) / v / 166320.;
}
/* BTPE for r * n > 30 (r <= 1/2): a triangle, two parallelograms and two
 * exponential tails over the mode, accepted by the recursive ratio near
 * the mode and Stirling's bound far from it. */
static SEJIT_UNUSED int64_t sejit_rand_btpe(sejit_bitgen *g, int64_t n, double r) {
    const double q = 1.0 - r, fm = n * r + r;
    const int64_t m = (int64_t)floor(fm);
    const double p1 = floor(2.195 * sqrt(n * r * q) - 4.6 * q) + 0.5;
    const double xm = m + 0.5, xl = xm - p1, xr = xm + p1;
    const double c = 0.134 + 20.5 / (15.3 + m);
    double t = (fm - xl) / (fm - xl * r);
    const double laml = t * (1.0 + t / 2.0);
    t = (xr - fm) / (xr * q);
    const double lamr = t * (1.0 + t / 2.0);
    const double p2 = p1 * (1.0 + 2.0 * c), p3 = p2 + c / laml, p4 = p3 + c / lamr;
    const double nrq = n * r * q;
    for (;;) {
        const double u = g->next_double(g->state) * p4;
        double v = g->next_double(g->state);
        int64_t y;
        if (u <= p1) return (int64_t)floor(xm - p1 * v + u); /* the triangle: accepted outright */
        if (u <= p2) {
            const double x = xl + (u - p1) / c;
            v = v * c + 1.0 - fabs(m - x + 0.5) / p1;
            if (v > 1.0) continue;
            y = (int64_t)floor(x);
        } else if (u <= p3) {
            y = (int64_t)floor(xl + log(v) / laml);
            if (y < 0 || v == 0.0) continue;
            v = v * (u - p2) * laml;
        } else {
            y = (int64_t)floor(xr - log(v) / lamr);
            if (y > n || v == 0.0) continue;
            v = v * (u - p3) * lamr;
        }
        const int64_t k = y > m ? y - m : m - y;
        if (!(k > 20 && k < nrq / 2.0 - 1)) {
            /* Near the mode: the exact ratio f(y)/f(m), by recursion. */
            const double s = r / q, as = s * (n + 1);
            double f = 1.0;
            if (m < y)
                for (int64_t i = m + 1; i <= y; i++) f *= as / i - s;
            else if (m > y)
                for (int64_t i = y + 1; i <= m; i++) f /= as / i - s;
            if (v > f) continue;
            return y;
        }
        const double rho = (k / nrq) * ((k * (k / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5);
        const double tt = -k * k / (2 * nrq), lv = log(v);
        if (lv < tt - rho) return y;
        if (lv > tt + rho) continue;
        const double x1 = y + 1, f1 = m + 1, z = n + 1 - m, w = n - y + 1;
        const double bound = xm * log(f1 / x1) + (n - m + 0.5) * log(z / w) + (y - m) * log(w * r / (x1 * q)) +
                             sejit_rand_btpe_corr(f1 * f1, f1) + sejit_rand_btpe_corr(z * z, z) +
                             sejit_rand_btpe_corr(x1 * x1, x1) + sejit_rand_btpe_corr(w * w, w);
        if (lv > bound) continue;
        return y;
    }
}
static SEJIT_UNUSED int64_t sejit_rand_binomial(sejit_bitgen *g, int64_t n, double p) {
    if (p <= 0.5) return p * n <= 30.0 ? sejit_rand_binv(g, n, p) : sejit_rand_btpe(g, n, p);
    const double q = 1.0 - p;
    return n - (q * n <= 30.0 ? sejit_rand_binv(g, n, q) : sejit_rand_btpe(g, n, q));
}
static inline SEJIT_UNUSED int64_t sejit_rand_disc(sejit_bitgen *g, int64_t kind, double p, int64_t n) {
    return kind == 0 ? sejit_rand_poisson(g, p) : sejit_rand_binomial(g, n, p);
}
static SEJIT_UNUSED int sejit_np_random_disc(sejit_ctx *ctx, int64_t kind, double p, int64_t n, int64_t *r) {
    if (!ctx->random) return sejit_rand_absent(ctx);
    *r = sejit_rand_disc(((sejit_aug_bitgen *)ctx->random)->bit_generator, kind, p, n);
    return 0;
}
static SEJIT_UNUSED int sejit_np_random_disc_fill(sejit_ctx *ctx, const sejit_array *out, int64_t cnt, int64_t kind,
                                                  double p, int64_t n) {
    if (!ctx->random) return sejit_rand_absent(ctx);
    sejit_bitgen *g = ((sejit_aug_bitgen *)ctx->random)->bit_generator;
    int64_t *o = (int64_t *)out->data;
    for (int64_t i = 0; i < cnt; i++) o[i] = sejit_rand_disc(g, kind, p, n);
    return 0;
}

/*@ sejit_np_random_seed */
#include <stdio.h>
/* np.random.seed(s) for an integer s: MT19937's init_genrand into the
 * state of NumPy's bit generator (its key[624] and pos, whose layout
 * sejit._random proves before any kernel runs), and RandomState's cached
 * Gaussian dropped, which is all RandomState.seed changes for an int.
 *
 * With fresh set, np.random.seed() without a seed: RandomState.seed(None)
 * runs MT19937's init_by_array on 624 words of SeedSequence's hash of fresh
 * entropy, which leaves key[0] at 0x80000000 (the state can never be all
 * zeros), the other words uniform, and pos where it was (NumPy does not
 * reset it). Here the words are the operating system's entropy itself:
 * uniform words in the same layout, pos untouched, the cached Gaussian
 * dropped, so the stream that follows is distributed as NumPy's. */
static SEJIT_UNUSED int sejit_np_random_seed(sejit_ctx *ctx, int64_t seed, int64_t fresh) {
    if (!ctx->random) return sejit_rand_absent(ctx);
    sejit_aug_bitgen *a = (sejit_aug_bitgen *)ctx->random;
    uint32_t *key = (uint32_t *)a->bit_generator->state;
    if (fresh) {
        uint32_t words[623];
        FILE *f = fopen("/dev/urandom", "rb");
        const size_t got = f ? fread(words, sizeof words[0], 623, f) : 0;
        if (f) fclose(f);
        if (got != 623) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "np.random.seed(): cannot read /dev/urandom");
        key[0] = 0x80000000U;
        for (int i = 1; i < 624; i++) key[i] = words[i - 1];
    } else {
        if (seed < 0 || seed > (int64_t)0xFFFFFFFF)
            return sejit_fail(ctx, SEJIT_ERR_VALUE, "Seed must be between 0 and 2**32 - 1");
        uint32_t s = (uint32_t)seed;
        for (uint32_t i = 0; i < 624; i++) {
            key[i] = s;
            s = 1812433253U * (s ^ (s >> 30)) + i + 1;
        }
        *(int *)(key + 624) = 624; /* pos: the next draw regenerates the block */
    }
    a->has_gauss = 0;
    a->gauss = 0.0;
    return 0;
}

/*@ sejit_np_random_get_state sejit_np_random_set_state */
#include <string.h>
/* np.random.get_state() and set_state() of such a state inside compiled
 * code: MT19937's key[624] and pos, and RandomState's cached Gaussian,
 * copied out of and back into NumPy's global state (the layout
 * sejit._random proves before any kernel runs). */
static SEJIT_UNUSED int sejit_np_random_get_state(sejit_ctx *ctx, const sejit_array *key, int64_t *pos,
                                                  int64_t *has_gauss, double *gauss) {
    if (!ctx->random) return sejit_rand_absent(ctx);
    sejit_aug_bitgen *a = (sejit_aug_bitgen *)ctx->random;
    const uint32_t *k = (const uint32_t *)a->bit_generator->state;
    memcpy(key->data, k, 624 * sizeof(uint32_t));
    *pos = *(const int *)(k + 624);
    *has_gauss = a->has_gauss;
    *gauss = a->gauss;
    return 0;
}
static SEJIT_UNUSED int sejit_np_random_set_state(sejit_ctx *ctx, const sejit_array *key, int64_t pos,
                                                  int64_t has_gauss, double gauss) {
    if (!ctx->random) return sejit_rand_absent(ctx);
    if (key->shape[0] != 624) return sejit_fail(ctx, SEJIT_ERR_VALUE, "state must be 624 elements");
    sejit_aug_bitgen *a = (sejit_aug_bitgen *)ctx->random;
    uint32_t *k = (uint32_t *)a->bit_generator->state;
    const uint32_t *src = (const uint32_t *)key->data;
    for (int i = 0; i < 624; i++) k[i] = src[i * (key->strides[0])];
    *(int *)(k + 624) = (int)pos;
    a->has_gauss = (int)has_gauss;
    a->gauss = gauss;
    return 0;
}

/*@ sejit_rand_perm sejit_np_random_perm sejit_np_choice_check sejit_rand_search sejit_rand_cdf sejit_rand_choice_weighted sejit_np_choice */
#include <stdlib.h>
/* permutation and choice of RandomState (mtrand.pyx, Python code over the
 * same state), reproduced draw for draw. Shuffling swaps element i with a
 * masked uniform j in [0, i] (random_interval) for i from n-1 down to 1, so
 * shuffling any array of length n moves its rows as permutation(n) orders
 * them: lowering gathers with the permutation instead of swapping rows of
 * every dtype here. */
static SEJIT_UNUSED void sejit_rand_perm(sejit_bitgen *g, int64_t *o, int64_t n) {
    for (int64_t i = 0; i < n; i++) o[i] = i;
    for (int64_t i = n - 1; i >= 1; i--) {
        const int64_t j = (int64_t)sejit_rand_bounded(g, 0, (uint64_t)i);
        const int64_t t = o[i];
        o[i] = o[j];
        o[j] = t;
    }
}
static SEJIT_UNUSED int sejit_np_random_perm(sejit_ctx *ctx, const sejit_array *out, int64_t n) {
    if (!ctx->random) return sejit_rand_absent(ctx);
    sejit_rand_perm(((sejit_aug_bitgen *)ctx->random)->bit_generator, (int64_t *)out->data, n);
    return 0;
}
/* choice's checks of p, in its order; p is float64 of any stride. gen
 * != 0 words the messages as Generator.choice does. */
static SEJIT_UNUSED int sejit_np_choice_check(sejit_ctx *ctx, const sejit_array *p, int64_t pop, double atol,
                                              int64_t gen) {
    const int64_t d = p->shape[0], st = p->strides[0];
    const double *x = (const double *)p->data;
    if (d != pop) return sejit_fail(ctx, SEJIT_ERR_VALUE, gen ? "a and p must have same size" : "'a' and 'p' must have same size");
    if (d == 0) return 0;
    /* Kahan's compensated sum, as choice adds them */
    double sum = x[0], c = 0.0;
    for (int64_t i = 1; i < d; i++) {
        const double y = x[i * st] - c, t = sum + y;
        c = (t - sum) - y;
        sum = t;
    }
    if (sum != sum) return sejit_fail(ctx, SEJIT_ERR_VALUE, gen ? "Probabilities contain NaN" : "probabilities contain NaN");
    for (int64_t i = 0; i < d; i++)
        if (x[i * st] < 0)
            return sejit_fail(ctx, SEJIT_ERR_VALUE,
                              gen ? "Probabilities are not non-negative" : "probabilities are not non-negative");
    if (fabs(sum - 1.) > atol)
        return sejit_fail(ctx, SEJIT_ERR_VALUE,
                          gen ? "Probabilities do not sum to 1. See Notes section of docstring for more information."
                              : "probabilities do not sum to 1");
    return 0;
}
/* The index of the first cdf value above u (searchsorted side='right'). */
static inline SEJIT_UNUSED int64_t sejit_rand_search(const double *cdf, int64_t n, double u) {
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        const int64_t mid = lo + (hi - lo) / 2;
        if (u < cdf[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}
/* cdf = cumsum(p) / its last value, NumPy's order of additions. */
static inline SEJIT_UNUSED void sejit_rand_cdf(double *cdf, const double *p, int64_t n) {
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) cdf[i] = s = s + p[i];
    const double last = cdf[n - 1];
    for (int64_t i = 0; i < n; i++) cdf[i] /= last;
}
/* The weighted samples, the same code in RandomState and Generator:
 * searchsorted(cumsum(p)/sum, U) with replacement; without, rounds of
 * m - found uniforms over the weights not yet taken, of which the first
 * occurrences are kept in the order drawn (np.unique's first indices,
 * sorted), their weights then zeroed. */
static SEJIT_UNUSED int sejit_rand_choice_weighted(sejit_ctx *ctx, sejit_bitgen *g, int64_t *o, int64_t m, int64_t pop,
                                                   int64_t replace, const sejit_array *p) {
    double *w = (double *)malloc(2 * (size_t)pop * sizeof(double));
    if (!w) return sejit_fail(ctx, SEJIT_ERR_MEMORY, "");
    double *cdf = w + pop;
    const int64_t st = p->strides[0];
    int64_t positive = 0;
    for (int64_t i = 0; i < pop; i++) {
        w[i] = ((const double *)p->data)[i * st];
        positive += w[i] > 0;
    }
    if (replace) {
        sejit_rand_cdf(cdf, w, pop);
        for (int64_t i = 0; i < m; i++) o[i] = sejit_rand_search(cdf, pop, g->next_double(g->state));
        free(w);
        return 0;
    }
    if (positive < m) {
        free(w);
        return sejit_fail(ctx, SEJIT_ERR_VALUE, "Fewer non-zero entries in p than size");
    }
    int64_t found = 0;
    while (found < m) {
        const int64_t k = m - found, start = found;
        for (int64_t i = 0; i < start; i++) w[o[i]] = 0;
        sejit_rand_cdf(cdf, w, pop);
        for (int64_t i = 0; i < k; i++) {
            const int64_t idx = sejit_rand_search(cdf, pop, g->next_double(g->state));
            int seen = 0;
            for (int64_t j = start; j < found && !seen; j++) seen = o[j] == idx;
            if (!seen) o[found++] = idx;
        }
    }
    free(w);
    return 0;
}
static SEJIT_UNUSED int sejit_np_choice(sejit_ctx *ctx, const sejit_array *out, int64_t m, int64_t pop, int64_t replace,
                                        const sejit_array *p, int64_t has_p) {
    if (!ctx->random) return sejit_rand_absent(ctx);
    sejit_bitgen *g = ((sejit_aug_bitgen *)ctx->random)->bit_generator;
    int64_t *o = (int64_t *)out->data;
    if (m <= 0) return 0;
    if (has_p) return sejit_rand_choice_weighted(ctx, g, o, m, pop, replace, p);
    if (replace) { /* randint(0, pop, size) */
        for (int64_t i = 0; i < m; i++) o[i] = (int64_t)sejit_rand_bounded(g, 0, (uint64_t)(pop - 1));
        return 0;
    }
    /* permutation(pop)[:m]: the whole population is shuffled */
    int64_t *perm = (int64_t *)malloc((size_t)pop * sizeof(int64_t));
    if (!perm) return sejit_fail(ctx, SEJIT_ERR_MEMORY, "");
    sejit_rand_perm(g, perm, pop);
    for (int64_t i = 0; i < m; i++) o[i] = perm[i];
    free(perm);
    return 0;
}

/*@ sejit_gen_lemire sejit_gen_float sejit_np_gen_float sejit_np_gen_float_fill sejit_np_gen_int sejit_np_gen_int_fill sejit_np_gen_perm sejit_gen_shuffle_int sejit_np_gen_choice */
/* np.random.Generator objects passed in (issue 14). A Generator argument
 * arrives as two integers: the address of its bit generator's bitgen_t and
 * that of a table of NumPy's own exported Generator functions (sejit's
 * _random.py: random_standard_normal and random_standard_exponential from
 * numpy.random._generator, the ziggurat draws whose tables are NumPy's
 * data). Everything else is written here: uniform doubles, Lemire's
 * bounded integers (what Generator.integers uses, not RandomState's
 * masks), Floyd's sample and the shuffles of Generator.choice. Drawing
 * through the bitgen_t advances the Python object's own state, so a later
 * Python draw continues the stream. */
#include <stdlib.h>
typedef double (*sejit_gen_dist)(sejit_bitgen *);
/* off + a uniform integer in [0, rng] by Lemire's multiply-and-reject:
 * 32-bit draws while rng fits in 32 bits, 64-bit ones (a 128-bit product)
 * above; the full ranges take the raw draw. */
static SEJIT_UNUSED uint64_t sejit_gen_lemire(sejit_bitgen *g, uint64_t off, uint64_t rng) {
    if (rng == 0) return off;
    if (rng <= 0xFFFFFFFFULL) {
        if (rng == 0xFFFFFFFFULL) return off + g->next_uint32(g->state);
        const uint32_t n = (uint32_t)rng + 1;
        uint64_t m = (uint64_t)g->next_uint32(g->state) * n;
        if ((uint32_t)m < n) {
            const uint32_t floor_ = (0xFFFFFFFFU - (uint32_t)rng) % n;
            while ((uint32_t)m < floor_) m = (uint64_t)g->next_uint32(g->state) * n;
        }
        return off + (m >> 32);
    }
    if (rng == 0xFFFFFFFFFFFFFFFFULL) return off + g->next_uint64(g->state);
    const uint64_t n = rng + 1;
    unsigned __int128 m = (unsigned __int128)g->next_uint64(g->state) * n;
    if ((uint64_t)m < n) {
        const uint64_t floor_ = (0xFFFFFFFFFFFFFFFFULL - rng) % n;
        while ((uint64_t)m < floor_) m = (unsigned __int128)g->next_uint64(g->state) * n;
    }
    return off + (uint64_t)(m >> 64);
}
/* kind 0: p + q*U; 1: p + q*N; 2: p*E; 3: N; 4: E (N and E NumPy's ziggurat). */
static inline SEJIT_UNUSED double sejit_gen_float(sejit_bitgen *g, const sejit_gen_dist *d, int64_t kind, double p,
                                                  double q) {
    switch (kind) {
    case 0:
        return p + q * g->next_double(g->state);
    case 1:
        return p + q * d[0](g);
    case 2:
        return p * d[1](g);
    case 3:
        return d[0](g);
    default:
        return d[1](g);
    }
}
static SEJIT_UNUSED int sejit_np_gen_float(sejit_ctx *ctx, int64_t bg, int64_t dists, int64_t kind, double p, double q,
                                           double *r) {
    (void)ctx;
    *r = sejit_gen_float((sejit_bitgen *)(uintptr_t)bg, (const sejit_gen_dist *)(uintptr_t)dists, kind, p, q);
    return 0;
}
static SEJIT_UNUSED int sejit_np_gen_float_fill(sejit_ctx *ctx, const sejit_array *out, int64_t n, int64_t bg,
                                                int64_t dists, int64_t kind, double p, double q) {
    (void)ctx;
    sejit_bitgen *g = (sejit_bitgen *)(uintptr_t)bg;
    const sejit_gen_dist *d = (const sejit_gen_dist *)(uintptr_t)dists;
    double *o = (double *)out->data;
    for (int64_t i = 0; i < n; i++) o[i] = sejit_gen_float(g, d, kind, p, q);
    return 0;
}
static SEJIT_UNUSED int sejit_np_gen_int(sejit_ctx *ctx, int64_t bg, int64_t off, int64_t rng, int64_t *r) {
    (void)ctx;
    *r = (int64_t)sejit_gen_lemire((sejit_bitgen *)(uintptr_t)bg, (uint64_t)off, (uint64_t)rng);
    return 0;
}
static SEJIT_UNUSED int sejit_np_gen_int_fill(sejit_ctx *ctx, const sejit_array *out, int64_t n, int64_t bg,
                                              int64_t off, int64_t rng) {
    (void)ctx;
    sejit_bitgen *g = (sejit_bitgen *)(uintptr_t)bg;
    int64_t *o = (int64_t *)out->data;
    for (int64_t i = 0; i < n; i++) o[i] = (int64_t)sejit_gen_lemire(g, (uint64_t)off, (uint64_t)rng);
    return 0;
}
/* Generator.shuffle and permutation: the masked swaps of RandomState
 * (random_interval), on the Generator's stream; none when draw is 0 (a
 * shuffled array of size 0 draws nothing). */
static SEJIT_UNUSED int sejit_np_gen_perm(sejit_ctx *ctx, const sejit_array *out, int64_t n, int64_t bg, int64_t draw) {
    (void)ctx;
    int64_t *o = (int64_t *)out->data;
    if (!draw) {
        for (int64_t i = 0; i < n; i++) o[i] = i;
        return 0;
    }
    sejit_rand_perm((sejit_bitgen *)(uintptr_t)bg, o, n);
    return 0;
}
/* choice's own shuffle of int64 data: Lemire's j in [0, i] for i from n-1
 * down to first. */
static SEJIT_UNUSED void sejit_gen_shuffle_int(sejit_bitgen *g, int64_t *o, int64_t n, int64_t first) {
    for (int64_t i = n - 1; i >= first; i--) {
        const int64_t j = (int64_t)sejit_gen_lemire(g, 0, (uint64_t)i);
        const int64_t t = o[j];
        o[j] = o[i];
        o[i] = t;
    }
}
/* Generator.choice's indices, as sejit_np_choice for RandomState: with
 * replacement Lemire integers or the weights' CDF; without, the weighted
 * rounds, else for a large sample of a large population a tail shuffle of
 * arange(pop), and otherwise Floyd's sample (each j from pop-m to pop-1
 * adds a uniform in [0, j], or j itself when that one is taken), then
 * shuffled when shuffle != 0. */
static SEJIT_UNUSED int sejit_np_gen_choice(sejit_ctx *ctx, const sejit_array *out, int64_t m, int64_t pop,
                                            int64_t replace, const sejit_array *p, int64_t has_p, int64_t bg,
                                            int64_t shuffle) {
    sejit_bitgen *g = (sejit_bitgen *)(uintptr_t)bg;
    int64_t *o = (int64_t *)out->data;
    if (m <= 0) return 0;
    if (!has_p && replace) {
        for (int64_t i = 0; i < m; i++) o[i] = (int64_t)sejit_gen_lemire(g, 0, (uint64_t)(pop - 1));
        return 0;
    }
    if (!has_p) {
        if (pop > 10000 && m > pop / (shuffle ? 50 : 20)) {
            int64_t *all = (int64_t *)malloc((size_t)pop * sizeof(int64_t));
            if (!all) return sejit_fail(ctx, SEJIT_ERR_MEMORY, "");
            for (int64_t i = 0; i < pop; i++) all[i] = i;
            sejit_gen_shuffle_int(g, all, pop, pop - m > 1 ? pop - m : 1);
            for (int64_t i = 0; i < m; i++) o[i] = all[pop - m + i];
            free(all);
            return 0;
        }
        /* Membership of the values taken so far: an open-addressing set. */
        uint64_t cap = 1;
        while (cap < 2 * (uint64_t)m) cap <<= 1;
        int64_t *set = (int64_t *)malloc(cap * sizeof(int64_t));
        if (!set) return sejit_fail(ctx, SEJIT_ERR_MEMORY, "");
        for (uint64_t i = 0; i < cap; i++) set[i] = -1;
        for (int64_t j = pop - m; j < pop; j++) {
            int64_t v = (int64_t)sejit_gen_lemire(g, 0, (uint64_t)j);
            uint64_t h = ((uint64_t)v * 0x9E3779B97F4A7C15ULL) & (cap - 1);
            while (set[h] != -1 && set[h] != v) h = (h + 1) & (cap - 1);
            if (set[h] == v) { /* taken: j itself is new (every value so far is below j) */
                v = j;
                h = ((uint64_t)v * 0x9E3779B97F4A7C15ULL) & (cap - 1);
                while (set[h] != -1) h = (h + 1) & (cap - 1);
            }
            set[h] = v;
            o[j - (pop - m)] = v;
        }
        free(set);
        if (shuffle) sejit_gen_shuffle_int(g, o, m, 1);
        return 0;
    }
    return sejit_rand_choice_weighted(ctx, g, o, m, pop, replace, p);
}

/*@ sejit_rand_buf sejit_rand_buffered sejit_rand_narrow sejit_rand_source sejit_np_randint_narrow sejit_np_randint_narrow_fill */
/* randint(..., dtype=) and Generator.integers(..., dtype=) for the integer
 * dtypes other than the default: NumPy draws each width with its own
 * random_bounded_uint{8,16,32,64}_fill. 4 and 8 bytes draw as the int64 path
 * does (32-bit draws while rng fits in 32 bits: masks for RandomState,
 * Lemire for a Generator). 1 and 2 bytes take their draws from a 32-bit
 * word drawn once and shifted right 8 (three more times) or 16 bits (once
 * more) per draw; the word lives for one fill, so a scalar draw starts a
 * fresh one, and an array shares one across its elements, as NumPy's
 * buffered_uint8/16 do. The full range (rng 0xFF or 0xFFFF) takes the raw
 * buffered draw; Lemire's multiply works in twice the width. */
typedef struct sejit_rand_buf {
    uint32_t word;
    int left; /* draws left in word */
} sejit_rand_buf;
static inline SEJIT_UNUSED uint32_t sejit_rand_buffered(sejit_bitgen *g, sejit_rand_buf *b, int width) {
    if (!b->left) {
        b->word = g->next_uint32(g->state);
        b->left = width == 1 ? 3 : 1;
    } else {
        b->word >>= 8 * width;
        b->left--;
    }
    return width == 1 ? (uint8_t)b->word : (uint16_t)b->word;
}
static SEJIT_UNUSED uint64_t sejit_rand_narrow(sejit_bitgen *g, sejit_rand_buf *b, int64_t width, int64_t masked,
                                               uint64_t off, uint64_t rng) {
    if (width >= 4) return masked ? sejit_rand_bounded(g, off, rng) : sejit_gen_lemire(g, off, rng);
    if (rng == 0) return off;
    const uint32_t full = width == 1 ? 0xFFU : 0xFFFFU;
    const uint32_t r = (uint32_t)rng;
    if (r == full) return off + sejit_rand_buffered(g, b, (int)width);
    if (masked) {
        uint32_t mask = r, v;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        while ((v = (sejit_rand_buffered(g, b, (int)width) & mask)) > r) {
        }
        return off + v;
    }
    const uint32_t n = r + 1;
    uint32_t m = sejit_rand_buffered(g, b, (int)width) * n;
    if ((m & full) < n) {
        const uint32_t floor_ = (full - r) % n;
        while ((m & full) < floor_) m = sejit_rand_buffered(g, b, (int)width) * n;
    }
    return off + (m >> (8 * width));
}
static SEJIT_UNUSED sejit_bitgen *sejit_rand_source(sejit_ctx *ctx, int64_t bg) {
    if (bg) return (sejit_bitgen *)(uintptr_t)bg;
    return ctx->random ? ((sejit_aug_bitgen *)ctx->random)->bit_generator : 0;
}
static SEJIT_UNUSED int sejit_np_randint_narrow(sejit_ctx *ctx, int64_t bg, int64_t width, int64_t masked, int64_t off,
                                                int64_t rng, int64_t *r) {
    sejit_bitgen *g = sejit_rand_source(ctx, bg);
    if (!g) return sejit_rand_absent(ctx);
    sejit_rand_buf b = {0, 0};
    *r = (int64_t)sejit_rand_narrow(g, &b, width, masked, (uint64_t)off, (uint64_t)rng);
    return 0;
}
static SEJIT_UNUSED int sejit_np_randint_narrow_fill(sejit_ctx *ctx, const sejit_array *out, int64_t n, int64_t bg,
                                                     int64_t width, int64_t masked, int64_t off, int64_t rng) {
    sejit_bitgen *g = sejit_rand_source(ctx, bg);
    if (!g) return sejit_rand_absent(ctx);
    sejit_rand_buf b = {0, 0};
    char *o = (char *)out->data;
    for (int64_t i = 0; i < n; i++) {
        const uint64_t v = sejit_rand_narrow(g, &b, width, masked, (uint64_t)off, (uint64_t)rng);
        switch (width) {
        case 1:
            ((uint8_t *)o)[i] = (uint8_t)v;
            break;
        case 2:
            ((uint16_t *)o)[i] = (uint16_t)v;
            break;
        case 4:
            ((uint32_t *)o)[i] = (uint32_t)v;
            break;
        default:
            ((uint64_t *)o)[i] = v;
        }
    }
    return 0;
}

/*@ sejit_stream_mix sejit_stream_next64 sejit_stream_next32 sejit_stream_double sejit_np_stream_float sejit_np_stream_int sejit_np_stream_gen_float */
/* Draws inside a prange loop with parallel=True (lower/random_stream.go).
 * Before the loop, one 64-bit key is drawn from NumPy's global state; the
 * draws of iteration i then come from their own stream, SplitMix64 seeded
 * with a hash of (key, i), counted by a per-iteration counter. A stream
 * belongs to an iteration, not to a thread, so the numbers do not depend on
 * the number of threads or on scheduling: seeding NumPy's state in Python
 * makes the whole loop reproducible. Each draw runs RandomState's legacy
 * algorithm for that distribution on a bit generator over the stream (a
 * fresh one per call: no cached Gaussian is kept between calls). */
typedef struct {
    uint64_t key, iter, cnt;
} sejit_stream_state;
static inline SEJIT_UNUSED uint64_t sejit_stream_mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static SEJIT_UNUSED uint64_t sejit_stream_next64(void *st) {
    sejit_stream_state *s = (sejit_stream_state *)st;
    const uint64_t seed = sejit_stream_mix(s->key ^ sejit_stream_mix(s->iter + 0x9E3779B97F4A7C15ULL));
    s->cnt += 1;
    return sejit_stream_mix(seed + s->cnt * 0x9E3779B97F4A7C15ULL);
}
static SEJIT_UNUSED uint32_t sejit_stream_next32(void *st) { return (uint32_t)(sejit_stream_next64(st) >> 32); }
static SEJIT_UNUSED double sejit_stream_double(void *st) {
    return (double)(sejit_stream_next64(st) >> 11) * (1.0 / 9007199254740992.0);
}
/* One float draw of sejit_rand_cont's kind on iteration iter's stream,
 * from its counter cnt; the counter after it comes back in *next. */
static SEJIT_UNUSED int sejit_np_stream_float(sejit_ctx *ctx, int64_t key, int64_t iter, int64_t cnt, int64_t kind,
                                              double p, double q, double *r, int64_t *next) {
    (void)ctx;
    sejit_stream_state s = {(uint64_t)key, (uint64_t)iter, (uint64_t)cnt};
    sejit_bitgen g = {&s, sejit_stream_next64, sejit_stream_next32, sejit_stream_double, sejit_stream_next64};
    sejit_aug_bitgen a = {&g, 0, 0.0};
    *r = sejit_rand_cont(&a, kind, p, q);
    *next = (int64_t)s.cnt;
    return 0;
}
/* One integer draw: kind 0 poisson(p), 1 binomial(n, p), 2 n + a masked
 * uniform in [0, rng] (randint), 3 n + Lemire's (a Generator's integers). */
static SEJIT_UNUSED int sejit_np_stream_int(sejit_ctx *ctx, int64_t key, int64_t iter, int64_t cnt, int64_t kind,
                                            double p, int64_t n, int64_t rng, int64_t *r, int64_t *next) {
    (void)ctx;
    sejit_stream_state s = {(uint64_t)key, (uint64_t)iter, (uint64_t)cnt};
    sejit_bitgen g = {&s, sejit_stream_next64, sejit_stream_next32, sejit_stream_double, sejit_stream_next64};
    if (kind == 3)
        *r = (int64_t)sejit_gen_lemire(&g, (uint64_t)n, (uint64_t)rng);
    else if (kind == 2)
        *r = (int64_t)sejit_rand_bounded(&g, (uint64_t)n, (uint64_t)rng);
    else
        *r = sejit_rand_disc(&g, kind, p, n);
    *next = (int64_t)s.cnt;
    return 0;
}
/* A Generator's float draw (sejit_gen_float's kinds, NumPy's ziggurat from
 * dists) on the iteration's stream. */
static SEJIT_UNUSED int sejit_np_stream_gen_float(sejit_ctx *ctx, int64_t key, int64_t iter, int64_t cnt, int64_t dists,
                                                  int64_t kind, double p, double q, double *r, int64_t *next) {
    (void)ctx;
    sejit_stream_state s = {(uint64_t)key, (uint64_t)iter, (uint64_t)cnt};
    sejit_bitgen g = {&s, sejit_stream_next64, sejit_stream_next32, sejit_stream_double, sejit_stream_next64};
    *r = sejit_gen_float(&g, (const sejit_gen_dist *)(uintptr_t)dists, kind, p, q);
    *next = (int64_t)s.cnt;
    return 0;
}

/*@ sejit_print */
/* print() and formatted exception messages through the runtime's hook
 * (sejit_ctx.print); without one, print does nothing and a raise keeps
 * fallback, its message's literal text. */
static SEJIT_UNUSED int sejit_print(sejit_ctx *ctx, const sejit_print_item *items, int n, const char *sep,
                                    const char *end, int raise, const char *fallback) {
    if (raise == SEJIT_FORMAT) {
        if (ctx->print == 0) {
            ctx->err = SEJIT_ERR_RUNTIME;
            const char *m = "formatting a string needs the sejit runtime";
            int k = 0;
            for (; m[k] != 0; k++) ctx->msg[k] = m[k];
            ctx->msg[k] = 0;
            return -1;
        }
        return ctx->print(ctx, items, n, sep, end, raise) != 0 ? -1 : 0;
    }
    if (ctx->print == 0) {
        if (raise == 0) return 0;
        ctx->err = raise;
        int k = 0;
        for (; fallback[k] != 0 && k < (int)sizeof ctx->msg - 1; k++) ctx->msg[k] = fallback[k];
        ctx->msg[k] = 0;
        return -1;
    }
    if (ctx->print(ctx, items, n, sep, end, raise) != 0) return -1;
    if (raise != 0) {
        ctx->err = raise;
        return -1;
    }
    return 0;
}

/*@ sejit_gemm_layout sejit_gemm_f32 sejit_gemm_f64 sejit_gemm_c64 sejit_gemm_c128 */
/* Matrix products through NumPy's BLAS (ctx->blas): C = alpha A B + beta C
 * for 2-D A (m, k), B (k, n), C (m, n), one CBLAS ?gemm call in row-major
 * order. *done is 1 when BLAS computed C, 0 when the caller must run its
 * own loop nest: no BLAS, a product under SEJIT_GEMM_MIN multiply-adds, an
 * operand without a unit stride on one axis (or a negative or too short
 * leading dimension), sizes over int for a 32-bit BLAS, or alpha == 0 or
 * (keep) beta == 0, where BLAS would skip reading A B or C and lose their
 * NaNs. A C-contiguous or F-contiguous operand, a transposed one and one
 * with strided rows (leading dimension) all qualify. C in column order is
 * computed as its transpose, B^T A^T. An operand that overlaps C is copied
 * first: BLAS forbids C aliasing its inputs. */
#include <stdlib.h>
#ifndef SEJIT_GEMM_MIN
#define SEJIT_GEMM_MIN 1024
#endif
/* sejit_gemm_layout: the CBLAS transpose flag (0 none, 1 transposed) and
 * leading dimension of an r x c operand with element strides rs, cs. */
static SEJIT_UNUSED int sejit_gemm_layout(int64_t r, int64_t c, int64_t rs, int64_t cs, int *trans, int64_t *ld) {
    int64_t r1 = r > 1 ? r : 1, c1 = c > 1 ? c : 1;
    if ((cs == 1 || c <= 1) && (r <= 1 || rs >= c1)) {
        *trans = 0;
        *ld = r <= 1 ? c1 : rs;
        return 1;
    }
    if ((rs == 1 || r <= 1) && (c <= 1 || cs >= r1)) {
        *trans = 1;
        *ld = c <= 1 ? r1 : cs;
        return 1;
    }
    return 0;
}
#define SEJIT_GEMM_DEF(SUF, T, FIELD, CPLX, ISZERO)                                                           \
    static SEJIT_UNUSED int sejit_gemm_##SUF(sejit_ctx *ctx, const sejit_array *a, const sejit_array *b,        \
                                             const sejit_array *c, T alpha, T beta, int64_t keep, int64_t *done) { \
        *done = 0;                                                                                             \
        sejit_blas *bl = ctx->blas;                                                                            \
        if (!bl || !bl->FIELD) return 0;                                                                       \
        int64_t m = c->shape[0], n = c->shape[1], k = a->shape[1];                                             \
        if (a->shape[0] != m || b->shape[1] != n || b->shape[0] != k) return 0;                                \
        if ((double)m * (double)n * (double)k < SEJIT_GEMM_MIN) return 0;                                     \
        if (ISZERO(alpha) || (keep && ISZERO(beta))) return 0;                                                 \
        /* op(X) is an r x c matrix at p with element strides rs, cs */                                        \
        const T *pa = (const T *)a->data, *pb = (const T *)b->data;                                            \
        int64_t ars = a->strides[0], acs = a->strides[1], brs = b->strides[0], bcs = b->strides[1];            \
        int64_t crs = c->strides[0], ccs = c->strides[1];                                                      \
        int tc, ta, tb;                                                                                        \
        int64_t ldc, lda, ldb;                                                                                 \
        if (!sejit_gemm_layout(m, n, crs, ccs, &tc, &ldc)) return 0;                                           \
        T *ca = 0, *cb = 0;                                                                                    \
        if (sejit_overlap(c->data, sizeof(T), 2, c->shape, c->strides, a->data, sizeof(T), 2, a->shape,         \
                          a->strides)) {                                                                       \
            ca = (T *)malloc((size_t)(m * k > 0 ? m * k : 1) * sizeof(T));                                     \
            if (!ca) return sejit_fail(ctx, SEJIT_ERR_MEMORY, "out of memory");                               \
            for (int64_t i = 0; i < m; i++)                                                                    \
                for (int64_t j = 0; j < k; j++) ca[i * k + j] = pa[i * ars + j * acs];                         \
            pa = ca, ars = k, acs = 1;                                                                         \
        }                                                                                                      \
        if (sejit_overlap(c->data, sizeof(T), 2, c->shape, c->strides, b->data, sizeof(T), 2, b->shape,         \
                          b->strides)) {                                                                       \
            cb = (T *)malloc((size_t)(k * n > 0 ? k * n : 1) * sizeof(T));                                     \
            if (!cb) {                                                                                         \
                free(ca);                                                                                      \
                return sejit_fail(ctx, SEJIT_ERR_MEMORY, "out of memory");                                    \
            }                                                                                                  \
            for (int64_t i = 0; i < k; i++)                                                                    \
                for (int64_t j = 0; j < n; j++) cb[i * n + j] = pb[i * brs + j * bcs];                         \
            pb = cb, brs = n, bcs = 1;                                                                         \
        }                                                                                                      \
        int64_t M = m, N = n;                                                                                  \
        const T *P = pa, *Q = pb;                                                                              \
        if (tc) { /* C in column order: its transpose C^T = B^T A^T is in row order */                     \
            int64_t t0 = ars, t1 = acs;                                                                        \
            M = n, N = m;                                                                                      \
            P = pb, Q = pa;                                                                                    \
            ars = bcs, acs = brs;                                                                              \
            brs = t1, bcs = t0;                                                                                \
        }                                                                                                      \
        int ok = sejit_gemm_layout(M, k, ars, acs, &ta, &lda) && sejit_gemm_layout(k, N, brs, bcs, &tb, &ldb);  \
        if (ok && !bl->ilp64)                                                                                  \
            ok = M <= INT32_MAX && N <= INT32_MAX && k <= INT32_MAX && lda <= INT32_MAX && ldb <= INT32_MAX &&  \
                 ldc <= INT32_MAX;                                                                             \
        if (ok) {                                                                                              \
            T *pc = (T *)c->data;                                                                              \
            if (bl->ilp64)                                                                                     \
                ((void (*)(int, int, int, int64_t, int64_t, int64_t, SEJIT_GEMM_ARG_##CPLX(T), const T *, int64_t, \
                           const T *, int64_t, SEJIT_GEMM_ARG_##CPLX(T), T *, int64_t))bl->FIELD)(                  \
                    101, 111 + ta, 111 + tb, M, N, k, SEJIT_GEMM_VAL_##CPLX(alpha), P, lda, Q, ldb,                 \
                    SEJIT_GEMM_VAL_##CPLX(beta), pc, ldc);                                                     \
            else                                                                                               \
                ((void (*)(int, int, int, int, int, int, SEJIT_GEMM_ARG_##CPLX(T), const T *, int, const T *, int,  \
                           SEJIT_GEMM_ARG_##CPLX(T), T *, int))bl->FIELD)(                                     \
                    101, 111 + ta, 111 + tb, (int)M, (int)N, (int)k, SEJIT_GEMM_VAL_##CPLX(alpha), P, (int)lda, Q,  \
                    (int)ldb, SEJIT_GEMM_VAL_##CPLX(beta), pc, (int)ldc);                                      \
            __atomic_fetch_add(&bl->calls, 1, __ATOMIC_RELAXED);                                               \
            *done = 1;                                                                                         \
        }                                                                                                      \
        free(ca);                                                                                              \
        free(cb);                                                                                              \
        return 0;                                                                                              \
    }
#define SEJIT_GEMM_ARG_0(T) T
#define SEJIT_GEMM_ARG_1(T) const T *
#define SEJIT_GEMM_VAL_0(x) (x)
#define SEJIT_GEMM_VAL_1(x) (&(x))
#define SEJIT_GEMM_RZERO(x) ((x) == 0)
#define SEJIT_GEMM_CZERO(x) ((x).re == 0 && (x).im == 0)
SEJIT_GEMM_DEF(f32, float, sgemm, 0, SEJIT_GEMM_RZERO)
SEJIT_GEMM_DEF(f64, double, dgemm, 0, SEJIT_GEMM_RZERO)
SEJIT_GEMM_DEF(c64, sejit_c64, cgemm, 1, SEJIT_GEMM_CZERO)
SEJIT_GEMM_DEF(c128, sejit_c128, zgemm, 1, SEJIT_GEMM_CZERO)

/*@ sejit_gemv_f32 sejit_gemv_f64 sejit_gemv_c64 sejit_gemv_c128 */
/* Matrix-vector products through NumPy's BLAS: y = op(A) x, op(A) = A or
 * (trans) A^T, one CBLAS ?gemv call. *done is 1 when BLAS computed y, 0
 * when the caller must run its loop nest: no BLAS or no gemv, fewer than
 * SEJIT_GEMM_MIN elements in A, A without a unit stride on one axis, x or
 * y not of positive stride, or sizes over int for a 32-bit BLAS. y is a
 * fresh array (it overlaps neither A nor x). */
#define SEJIT_GEMV_DEF(SUF, T, FIELD, CPLX, ONE, ZERO)                                                       \
    static SEJIT_UNUSED int sejit_gemv_##SUF(sejit_ctx *ctx, const sejit_array *a, const sejit_array *x,        \
                                             const sejit_array *y, int64_t trans, int64_t *done) {             \
        *done = 0;                                                                                             \
        sejit_blas *bl = ctx->blas;                                                                            \
        if (!bl || !bl->FIELD) return 0;                                                                       \
        int64_t r = a->shape[0], c = a->shape[1], ta, lda;                                                     \
        int64_t ny = trans ? c : r, nx = trans ? r : c, ix = x->strides[0], iy = y->strides[0];                \
        if (x->shape[0] != nx || y->shape[0] != ny || ix < 1 || iy < 1) return 0;                              \
        if ((double)r * (double)c < SEJIT_GEMM_MIN) return 0;                                                  \
        int t;                                                                                                 \
        if (!sejit_gemm_layout(r, c, a->strides[0], a->strides[1], &t, &lda)) return 0;                        \
        /* the stored row-major matrix S is A (t == 0) or A^T (t == 1); op(A) = S or S^T */                  \
        int64_t M = t ? c : r, N = t ? r : c;                                                                  \
        ta = t ^ (trans != 0);                                                                                 \
        if (!bl->ilp64 && (M > INT32_MAX || N > INT32_MAX || lda > INT32_MAX || ix > INT32_MAX || iy > INT32_MAX)) \
            return 0;                                                                                          \
        T one = ONE, zero = ZERO;                                                                              \
        if (bl->ilp64)                                                                                         \
            ((void (*)(int, int, int64_t, int64_t, SEJIT_GEMM_ARG_##CPLX(T), const T *, int64_t, const T *, int64_t, \
                       SEJIT_GEMM_ARG_##CPLX(T), T *, int64_t))bl->FIELD)(                                     \
                101, 111 + (int)ta, M, N, SEJIT_GEMM_VAL_##CPLX(one), (const T *)a->data, lda, (const T *)x->data, \
                ix, SEJIT_GEMM_VAL_##CPLX(zero), (T *)y->data, iy);                                            \
        else                                                                                                   \
            ((void (*)(int, int, int, int, SEJIT_GEMM_ARG_##CPLX(T), const T *, int, const T *, int,            \
                       SEJIT_GEMM_ARG_##CPLX(T), T *, int))bl->FIELD)(                                         \
                101, 111 + (int)ta, (int)M, (int)N, SEJIT_GEMM_VAL_##CPLX(one), (const T *)a->data, (int)lda,   \
                (const T *)x->data, (int)ix, SEJIT_GEMM_VAL_##CPLX(zero), (T *)y->data, (int)iy);              \
        __atomic_fetch_add(&bl->calls, 1, __ATOMIC_RELAXED);                                                   \
        *done = 1;                                                                                             \
        return 0;                                                                                              \
    }
#define SEJIT_GEMV_C1 {1, 0}
#define SEJIT_GEMV_C0 {0, 0}
SEJIT_GEMV_DEF(f32, float, sgemv, 0, 1, 0)
SEJIT_GEMV_DEF(f64, double, dgemv, 0, 1, 0)
SEJIT_GEMV_DEF(c64, sejit_c64, cgemv, 1, SEJIT_GEMV_C1, SEJIT_GEMV_C0)
SEJIT_GEMV_DEF(c128, sejit_c128, zgemv, 1, SEJIT_GEMV_C1, SEJIT_GEMV_C0)

/*@ sejit_dot_f32 sejit_dot_f64 sejit_dot_c64 sejit_dot_c128 */
/* Dot products of 1-D vectors through NumPy's BLAS: *out = sum x[i] y[i]
 * (x conjugated when conj, np.vdot), one CBLAS ?dot call. *done is 1 when
 * BLAS computed it, 0 (and *out 0) when the caller must run its loop: no
 * BLAS or no ?dot, fewer than SEJIT_DOT_MIN elements (the loop is as fast
 * below: BLAS gains from its threads), a zero stride, or sizes over int for
 * a 32-bit BLAS. A negative stride is BLAS's negative increment, whose
 * vector starts at the lowest address. Bit 1 of conj (2) says the caller's
 * loop reads views whose strides it knows only at run time, which GCC does
 * not vectorise: BLAS then takes unit-stride vectors from SEJIT_DOT_MIN_VIEW
 * elements (npbench's trisolv, L[i, :i] @ x[:i] in float32: 0.11 ms in the
 * loop, 0.04 ms through sdot, Numba 0.06). */
#ifndef SEJIT_DOT_MIN
#define SEJIT_DOT_MIN 32768
#endif
#ifndef SEJIT_DOT_MIN_VIEW
#define SEJIT_DOT_MIN_VIEW 64
#endif
#define SEJIT_DOT_CALL_0(T, fn, n, px, ix, py, iy, out, ilp64)                                                \
    *out = ilp64 ? ((T(*)(int64_t, const T *, int64_t, const T *, int64_t))fn)(n, px, ix, py, iy)              \
                 : ((T(*)(int, const T *, int, const T *, int))fn)((int)n, px, (int)ix, py, (int)iy);
#define SEJIT_DOT_CALL_1(T, fn, n, px, ix, py, iy, out, ilp64)                                                \
    if (ilp64)                                                                                                 \
        ((void (*)(int64_t, const T *, int64_t, const T *, int64_t, T *))fn)(n, px, ix, py, iy, out);           \
    else                                                                                                       \
        ((void (*)(int, const T *, int, const T *, int, T *))fn)((int)n, px, (int)ix, py, (int)iy, out);
#define SEJIT_DOT_DEF(SUF, T, CPLX, U, C, ZERO)                                                               \
    static SEJIT_UNUSED int sejit_dot_##SUF(sejit_ctx *ctx, const sejit_array *x, const sejit_array *y,         \
                                            int64_t conj, int64_t *done, T *out) {                             \
        T z = ZERO;                                                                                            \
        *out = z;                                                                                              \
        *done = 0;                                                                                             \
        int64_t views = conj & 2;                                                                              \
        conj &= 1;                                                                                             \
        sejit_blas *bl = ctx->blas;                                                                            \
        void *fn = !bl ? 0 : conj ? bl->C : bl->U;                                                             \
        if (!fn) return 0;                                                                                     \
        int64_t n = x->shape[0], ix = x->strides[0], iy = y->strides[0];                                       \
        int64_t lo = views && ix == 1 && iy == 1 ? SEJIT_DOT_MIN_VIEW : SEJIT_DOT_MIN;                          \
        if (y->shape[0] != n || n < lo || ix == 0 || iy == 0) return 0;                                        \
        if (!bl->ilp64 && (n > INT32_MAX || ix > INT32_MAX || ix < -INT32_MAX || iy > INT32_MAX ||               \
                           iy < -INT32_MAX))                                                                   \
            return 0;                                                                                          \
        const T *px = (const T *)x->data + (ix < 0 ? (n - 1) * ix : 0);                                        \
        const T *py = (const T *)y->data + (iy < 0 ? (n - 1) * iy : 0);                                        \
        SEJIT_DOT_CALL_##CPLX(T, fn, n, px, ix, py, iy, out, bl->ilp64);                                       \
        __atomic_fetch_add(&bl->calls, 1, __ATOMIC_RELAXED);                                                   \
        *done = 1;                                                                                             \
        return 0;                                                                                              \
    }
#define SEJIT_DOT_C0 {0, 0}
SEJIT_DOT_DEF(f32, float, 0, sdot, sdot, 0)
SEJIT_DOT_DEF(f64, double, 0, ddot, ddot, 0)
SEJIT_DOT_DEF(c64, sejit_c64, 1, cdotu, cdotc, SEJIT_DOT_C0)
SEJIT_DOT_DEF(c128, sejit_c128, 1, zdotu, zdotc, SEJIT_DOT_C0)

/*@ sejit_la_ints sejit_la_square sejit_np_linalg_solve_f32 sejit_np_linalg_solve_f64 sejit_np_linalg_inv_f32 sejit_np_linalg_inv_f64 sejit_np_linalg_det_f32 sejit_np_linalg_det_f64 sejit_np_linalg_cholesky_f32 sejit_np_linalg_cholesky_f64 sejit_np_linalg_eigh_f32 sejit_np_linalg_eigh_f64 sejit_np_linalg_norm_f32 sejit_np_linalg_norm_f64 */
/* np.linalg through the LAPACKE of NumPy's own OpenBLAS (ctx->lapack, the
 * ABI's sejit_blas). Every matrix operand is a fresh C-ordered copy made by
 * the caller (NumPy's inputs are never written), handed to LAPACKE as
 * LAPACK_ROW_MAJOR (101); lapack_int is int64_t for an ILP64 library, else
 * int, so each call is made through one of two casts. Failures are NumPy's:
 * LinAlgError "Singular matrix", "Matrix is not positive definite",
 * "Eigenvalues did not converge". */
/* n pivots of the library's integer width, allocated through the runtime
 * (released when the call ends). */
static SEJIT_UNUSED void *sejit_la_ints(sejit_ctx *ctx, int64_t n) {
    sejit_array t;
    int64_t len = n > 0 ? n : 1;
    if (ctx->alloc(ctx, ctx->lapack->ilp64 ? SEJIT_INT64 : SEJIT_INT32, 1, &len, &t) != 0) return 0;
    return t.data;
}
/* The library and the routine of a linalg call, and a square a. */
static SEJIT_UNUSED int sejit_la_square(sejit_ctx *ctx, const sejit_array *a, void *fn) {
    if (!ctx->lapack || !fn)
        return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "np.linalg needs NumPy's LAPACK, which was not found");
    if (a->shape[0] != a->shape[1])
        return sejit_fail(ctx, SEJIT_ERR_LINALG, "Last 2 dimensions of the array must be square");
    if (!ctx->lapack->ilp64 && a->shape[0] > 0x7fffffff)
        return sejit_fail(ctx, SEJIT_ERR_VALUE, "array too large for a 32-bit LAPACK");
    return 0;
}
#define SEJIT_LA_GESV(bl, FN, n, nrhs, A, ipiv, B, ldb)                                                      \
    ((bl)->ilp64 ? ((int64_t(*)(int, int64_t, int64_t, void *, int64_t, void *, void *, int64_t))(bl)->FN)(   \
                       101, n, nrhs, A, (n) > 0 ? (n) : 1, ipiv, B, ldb)                                       \
                 : (int64_t)((int (*)(int, int, int, void *, int, void *, void *, int))(bl)->FN)(             \
                       101, (int)(n), (int)(nrhs), A, (n) > 0 ? (int)(n) : 1, ipiv, B, (int)(ldb)))
/* ?gesdd on the m x n row-major a (overwritten): jobz 'N', 'S' or 'A' (the svd helpers, real and
 * complex, reach it through sejit_la_square's section). */
#define SEJIT_LA_GESDD(bl, FN, jobz, m, n, A, S, U, ldu, VT, ldvt)                                             \
    ((bl)->ilp64 ? ((int64_t(*)(int, char, int64_t, int64_t, void *, int64_t, void *, void *, int64_t, void *,    \
                                int64_t))(bl)->FN)(101, jobz, m, n, A, (n) > 0 ? (n) : 1, S, U, ldu, VT, ldvt)     \
                 : (int64_t)((int (*)(int, char, int, int, void *, int, void *, void *, int, void *, int))(bl)->FN)( \
                       101, jobz, (int)(m), (int)(n), A, (n) > 0 ? (int)(n) : 1, S, U, (int)(ldu), VT, (int)(ldvt)))
#define SEJIT_LA_DEF(SUF, T, P)                                                                                \
    /* solve(a, b): b (n or n x k, C-ordered) becomes a^-1 b; a is overwritten by its LU factors. */           \
    static SEJIT_UNUSED int sejit_np_linalg_solve_##SUF(sejit_ctx *ctx, const sejit_array *a,                   \
                                                        const sejit_array *b, int64_t bdim) {                  \
        if (sejit_la_square(ctx, a, ctx->lapack ? ctx->lapack->P##gesv : 0)) return -1;                       \
        int64_t n = a->shape[0], nrhs = bdim == 1 ? 1 : b->shape[1];                                           \
        if (b->shape[0] != n)                                                                                  \
            return sejit_fail(ctx, SEJIT_ERR_VALUE, "solve: Input operand 1 has a mismatch in its core "     \
                              "dimension 0, with gufunc signature (m,m),(m%s)->(m%s) (size %lld is different " \
                              "from %lld)", bdim == 1 ? "" : ",n", bdim == 1 ? "" : ",n",                      \
                              (long long)b->shape[0], (long long)n);                                          \
        if (n == 0 || nrhs == 0) return 0;                                                                     \
        int64_t lpiv[64]; /* small matrices: no allocation */                                 \
        void *ipiv = n <= 64 ? (void *)lpiv : sejit_la_ints(ctx, n);                                                                    \
        if (!ipiv) return -1;                                                                                  \
        int64_t info = SEJIT_LA_GESV(ctx->lapack, P##gesv, n, nrhs, a->data, ipiv, b->data, nrhs);             \
        if (info > 0) return sejit_fail(ctx, SEJIT_ERR_LINALG, "Singular matrix");                            \
        if (info < 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE gesv failed (%lld)", (long long)info); \
        return 0;                                                                                              \
    }                                                                                                          \
    /* inv(a, out): out (n x n, C-ordered) becomes a^-1, by gesv on the identity as NumPy does. */            \
    static SEJIT_UNUSED int sejit_np_linalg_inv_##SUF(sejit_ctx *ctx, const sejit_array *a,                     \
                                                      const sejit_array *out) {                                \
        if (sejit_la_square(ctx, a, ctx->lapack ? ctx->lapack->P##gesv : 0)) return -1;                       \
        int64_t n = a->shape[0];                                                                               \
        T *o = (T *)out->data;                                                                                 \
        for (int64_t i = 0; i < n * n; i++) o[i] = 0;                                                          \
        for (int64_t i = 0; i < n; i++) o[i * n + i] = 1;                                                      \
        if (n == 0) return 0;                                                                                  \
        int64_t lpiv[64]; /* small matrices: no allocation */                                 \
        void *ipiv = n <= 64 ? (void *)lpiv : sejit_la_ints(ctx, n);                                                                    \
        if (!ipiv) return -1;                                                                                  \
        int64_t info = SEJIT_LA_GESV(ctx->lapack, P##gesv, n, n, a->data, ipiv, out->data, n);                 \
        if (info > 0) return sejit_fail(ctx, SEJIT_ERR_LINALG, "Singular matrix");                            \
        if (info < 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE gesv failed (%lld)", (long long)info); \
        return 0;                                                                                              \
    }                                                                                                          \
    /* det(a): NumPy's sign * exp(sum log |u_ii|) of the LU factors (getrf overwrites a); 0 when singular. */  \
    static SEJIT_UNUSED int sejit_np_linalg_det_##SUF(sejit_ctx *ctx, const sejit_array *a, T *res) {          \
        *res = 0;                                                                                              \
        if (sejit_la_square(ctx, a, ctx->lapack ? ctx->lapack->P##getrf : 0)) return -1;                      \
        int64_t n = a->shape[0], info;                                                                         \
        if (n == 0) { *res = 1; return 0; }                                                                    \
        int64_t lpiv[64]; /* small matrices: no allocation */                                 \
        void *ipiv = n <= 64 ? (void *)lpiv : sejit_la_ints(ctx, n);                                                                    \
        if (!ipiv) return -1;                                                                                  \
        sejit_blas *bl = ctx->lapack;                                                                          \
        if (bl->ilp64)                                                                                         \
            info = ((int64_t(*)(int, int64_t, int64_t, void *, int64_t, void *))bl->P##getrf)(101, n, n, a->data, n, ipiv); \
        else                                                                                                   \
            info = ((int (*)(int, int, int, void *, int, void *))bl->P##getrf)(101, (int)n, (int)n, a->data, (int)n, ipiv); \
        if (info < 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE getrf failed (%lld)", (long long)info); \
        if (info > 0) return 0;                                                                                \
        const T *A = (const T *)a->data;                                                                       \
        T sign = 1, logdet = 0;                                                                                \
        for (int64_t i = 0; i < n; i++) {                                                                      \
            int64_t p = bl->ilp64 ? ((const int64_t *)ipiv)[i] : ((const int *)ipiv)[i];                       \
            if (p != i + 1) sign = -sign;                                                                      \
            T d = A[i * n + i];                                                                                \
            if (d < 0) { sign = -sign; d = -d; }                                                               \
            logdet += sizeof(T) == 4 ? (T)__builtin_logf((float)d) : (T)__builtin_log((double)d);              \
        }                                                                                                      \
        *res = sign * (sizeof(T) == 4 ? (T)__builtin_expf((float)logdet) : (T)__builtin_exp((double)logdet));  \
        return 0;                                                                                              \
    }                                                                                                          \
    /* cholesky(a): a becomes its lower factor L (the upper triangle zeroed), from a's lower triangle. */     \
    static SEJIT_UNUSED int sejit_np_linalg_cholesky_##SUF(sejit_ctx *ctx, const sejit_array *a) {             \
        if (sejit_la_square(ctx, a, ctx->lapack ? ctx->lapack->P##potrf : 0)) return -1;                      \
        int64_t n = a->shape[0], info;                                                                         \
        if (n == 0) return 0;                                                                                  \
        sejit_blas *bl = ctx->lapack;                                                                          \
        if (bl->ilp64)                                                                                         \
            info = ((int64_t(*)(int, char, int64_t, void *, int64_t))bl->P##potrf)(101, 'L', n, a->data, n);    \
        else                                                                                                   \
            info = ((int (*)(int, char, int, void *, int))bl->P##potrf)(101, 'L', (int)n, a->data, (int)n);     \
        if (info > 0) return sejit_fail(ctx, SEJIT_ERR_LINALG, "Matrix is not positive definite");            \
        if (info < 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE potrf failed (%lld)", (long long)info); \
        T *A = (T *)a->data;                                                                                   \
        for (int64_t i = 0; i < n; i++)                                                                        \
            for (int64_t j = i + 1; j < n; j++) A[i * n + j] = 0;                                              \
        return 0;                                                                                              \
    }                                                                                                          \
    /* eigh(a, w, vectors): w (n) gets the eigenvalues in ascending order and, when vectors, a the            \
     * orthonormal eigenvectors in its columns; from a's lower triangle (syevd, as NumPy). */                 \
    static SEJIT_UNUSED int sejit_np_linalg_eigh_##SUF(sejit_ctx *ctx, const sejit_array *a,                    \
                                                       const sejit_array *w, int64_t vectors) {                \
        if (sejit_la_square(ctx, a, ctx->lapack ? ctx->lapack->P##syevd : 0)) return -1;                      \
        int64_t n = a->shape[0], info;                                                                         \
        if (n == 0) return 0;                                                                                  \
        sejit_blas *bl = ctx->lapack;                                                                          \
        char jobz = vectors ? 'V' : 'N';                                                                       \
        if (bl->ilp64)                                                                                         \
            info = ((int64_t(*)(int, char, char, int64_t, void *, int64_t, void *))bl->P##syevd)(              \
                101, jobz, 'L', n, a->data, n, w->data);                                                       \
        else                                                                                                   \
            info = ((int (*)(int, char, char, int, void *, int, void *))bl->P##syevd)(                         \
                101, jobz, 'L', (int)n, a->data, (int)n, w->data);                                             \
        if (info > 0) return sejit_fail(ctx, SEJIT_ERR_LINALG, "Eigenvalues did not converge");               \
        if (info < 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE syevd failed (%lld)", (long long)info); \
        return 0;                                                                                              \
    }                                                                                                          \
    /* norm(x, size, ord) over x's size elements in memory order (a C-ordered array): ord 0 the 2-norm      \
     * (Frobenius for a matrix), 1 sum |x|, 2 max |x| (inf), 3 min |x| (-inf), 4 the count of non-zeros      \
     * (ord=0). The 2-norm is scaled as LAPACK's nrm2 is not: NumPy's sqrt(dot(x, x)), which overflows as   \
     * NumPy's does. */                                                                                        \
    static SEJIT_UNUSED int sejit_np_linalg_norm_##SUF(sejit_ctx *ctx, const sejit_array *x, int64_t size,      \
                                                       int64_t ord, T *res) {                                  \
        (void)ctx;                                                                                             \
        const T *X = (const T *)x->data;                                                                       \
        T acc = 0;                                                                                             \
        switch (ord) {                                                                                         \
        case 0:                                                                                                \
            for (int64_t i = 0; i < size; i++) acc += X[i] * X[i];                                             \
            acc = sizeof(T) == 4 ? (T)__builtin_sqrtf((float)acc) : (T)__builtin_sqrt((double)acc);            \
            break;                                                                                             \
        case 1:                                                                                                \
            for (int64_t i = 0; i < size; i++) acc += X[i] < 0 ? -X[i] : X[i];                                 \
            break;                                                                                             \
        case 2:                                                                                                \
        case 3:                                                                                                \
            /* NumPy 2 takes the inf-norm as abs(x).max(initial=0): 0 when empty */                            \
            if (size == 0 && ord == 2) break;                                                                  \
            if (size == 0)                                                                                     \
                return sejit_fail(ctx, SEJIT_ERR_VALUE, "zero-size array to reduction operation %s which has " \
                                  "no identity", ord == 2 ? "maximum" : "minimum");                            \
            acc = X[0] < 0 ? -X[0] : X[0];                                                                     \
            for (int64_t i = 1; i < size; i++) {                                                               \
                T v = X[i] < 0 ? -X[i] : X[i];                                                                 \
                if (v != v || acc != acc) { acc = v != v ? v : acc; continue; }                                \
                if (ord == 2 ? v > acc : v < acc) acc = v;                                                     \
            }                                                                                                  \
            break;                                                                                             \
        default:                                                                                               \
            for (int64_t i = 0; i < size; i++) acc += X[i] != 0;                                               \
        }                                                                                                      \
        *res = acc;                                                                                            \
        return 0;                                                                                              \
    }
SEJIT_LA_DEF(f32, float, s)
SEJIT_LA_DEF(f64, double, d)

/*@ sejit_np_cov sejit_np_correlate_f64 sejit_np_correlate_i64 sejit_np_qcmp sejit_np_select sejit_np_quantile sejit_np_histogram_edges */
/* ---- NumPy's statistics and polynomial functions (lower/numpy_stats.go). ---- */
#include <stdlib.h>

/* np.cov(m, y, rowvar, bias, ddof) and np.corrcoef of float64 data, 2-D
 * (a 1-D argument comes as a one-row view): NumPy's steps in its order —
 * the variables are the rows (the columns when rowvar is false and the
 * array has more than one row), y's variables follow m's, each row is
 * centred on its mean, c = X X^T times 1/(N - ddof). With corr, c[i][j]
 * is divided by the square roots of c[i][i] and c[j][j] and clipped to
 * [-1, 1] (NaN stays NaN). The result is allocated here: 0-d when ndim_out
 * is 0, else k x k; NumPy squeezes a 1 x 1 result to 0-d, which a 2-D
 * result cannot be, so that case is an error here. */
static SEJIT_UNUSED int sejit_np_cov(sejit_ctx *ctx, const sejit_array *x, const sejit_array *y, int64_t has_y,
                                     int64_t rowvar, int64_t ddof, int64_t corr, int64_t ndim_out, sejit_array *r) {
    const sejit_array *in[2] = {x, y};
    int64_t vars[2] = {0, 0}, obs[2] = {0, 0}, vs[2] = {0, 0}, os[2] = {0, 0};
    for (int k = 0; k < 1 + (has_y != 0); k++) {
        const sejit_array *a = in[k];
        int t = !rowvar && a->shape[0] != 1;
        vars[k] = a->shape[t];
        obs[k] = a->shape[!t];
        vs[k] = a->strides[t];
        os[k] = a->strides[!t];
    }
    if (has_y && obs[1] != obs[0])
        return sejit_fail(ctx, SEJIT_ERR_VALUE,
                          "all the input array dimensions except for the concatenation axis must match exactly, but "
                          "along dimension 1, the array at index 0 has size %lld and the array at index 1 has size %lld",
                          (long long)obs[0], (long long)obs[1]);
    int64_t nv = vars[0] + vars[1], n = obs[0];
    if (ndim_out == 2 && nv == 1)
        return sejit_fail(ctx, SEJIT_ERR_VALUE,
                          "np.cov() of one variable given as a 2-D array is 0-d in NumPy; pass the variable as a 1-D array");
    int64_t shape[2] = {nv, nv};
    if (ctx->alloc(ctx, SEJIT_FLOAT64, (int)ndim_out, shape, r)) return -1;
    if (nv == 0) return 0;
    double *X = (double *)malloc(sizeof(double) * (size_t)(nv * (n > 0 ? n : 1)));
    if (!X) return sejit_fail(ctx, SEJIT_ERR_MEMORY, "out of memory in np.cov");
    for (int64_t v = 0, row = 0; v < 1 + (has_y != 0); v++) {
        const double *d = (const double *)in[v]->data;
        for (int64_t i = 0; i < vars[v]; i++, row++) {
            double s = 0.0;
            for (int64_t j = 0; j < n; j++) s += d[i * vs[v] + j * os[v]];
            double mean = s / (double)n;
            for (int64_t j = 0; j < n; j++) X[row * n + j] = d[i * vs[v] + j * os[v]] - mean;
        }
    }
    double inv = 1.0 / (double)(n - ddof);
    double *o = (double *)r->data;
    int64_t s0 = ndim_out ? r->strides[0] : 0, s1 = ndim_out ? r->strides[1] : 0;
    for (int64_t i = 0; i < nv; i++)
        for (int64_t j = i; j < nv; j++) {
            double s = 0.0;
            for (int64_t k = 0; k < n; k++) s += X[i * n + k] * X[j * n + k];
            o[i * s0 + j * s1] = o[j * s0 + i * s1] = s * inv;
        }
    if (corr && ndim_out == 0) {
        o[0] = o[0] / o[0]; /* NumPy's c / c for one variable */
    } else if (corr) {
        for (int64_t i = 0; i < nv; i++) X[i] = sqrt(o[i * s0 + i * s1]);
        for (int64_t i = 0; i < nv; i++)
            for (int64_t j = 0; j < nv; j++) {
                double c = o[i * s0 + j * s1] / X[i] / X[j];
                o[i * s0 + j * s1] = c > 1.0 ? 1.0 : c < -1.0 ? -1.0 : c;
            }
    }
    free(X);
    return 0;
}

/* np.correlate(a, v, mode) (and np.convolve, conv: v reversed and the
 * arguments swapped when v is the longer, as NumPy does) of 1-D arrays:
 * z[k] = sum over n of a[n + k - off] v[n], for the output window of the
 * mode (0 full, 1 same, 2 valid). A correlation whose v is the longer is
 * NumPy's correlate(v, a) reversed, which moves the "same" window. The
 * integer version wraps like NumPy's integer loops; the caller casts it to
 * the result's dtype. */
#define SEJIT_NP_CORRELATE(T, SUF, ACC)                                                                      \
    static SEJIT_UNUSED int sejit_np_correlate_##SUF(sejit_ctx *ctx, const sejit_array *a, const sejit_array *v, \
                                                     int64_t conv, int64_t mode, sejit_array *r) {            \
        int64_t na = a->shape[0], nv = v->shape[0], as = a->strides[0], vs = v->strides[0];                  \
        const T *A = (const T *)a->data, *V = (const T *)v->data;                                           \
        if (conv && nv > na) {                                                                               \
            const T *t = A; A = V; V = t;                                                                    \
            int64_t u = na; na = nv; nv = u;                                                                 \
            u = as; as = vs; vs = u;                                                                         \
        }                                                                                                    \
        if (na == 0) return sejit_fail(ctx, SEJIT_ERR_VALUE, "a cannot be empty");                              \
        if (nv == 0) return sejit_fail(ctx, SEJIT_ERR_VALUE, "v cannot be empty");                              \
        int64_t big = na > nv ? na : nv, small = na > nv ? nv : na;                                          \
        int64_t len = mode == 0 ? na + nv - 1 : mode == 1 ? big : big - small + 1;                           \
        int64_t start = mode == 0 ? 0 : mode == 2 ? small - 1 : (!conv && nv > na) ? small / 2 : (small - 1) / 2; \
        if (ctx->alloc(ctx, SEJIT_DT_##SUF, 1, &len, r)) return -1;                                        \
        T *o = (T *)r->data;                                                                                 \
        int64_t rs = r->strides[0];                                                                          \
        for (int64_t i = 0; i < len; i++) {                                                                  \
            /* full index k = start + i: z[k] = sum a[n] v[m], n - m = k - (nv - 1) (correlate), */        \
            /* n + m = k (convolve). */                                                                      \
            int64_t k = start + i;                                                                           \
            ACC s = 0;                                                                                       \
            for (int64_t m = 0; m < nv; m++) {                                                               \
                int64_t n = conv ? k - m : k - (nv - 1) + m;                                                 \
                if (n >= 0 && n < na) s += (ACC)A[n * as] * (ACC)V[m * vs];                                  \
            }                                                                                                \
            o[i * rs] = (T)s;                                                                                \
        }                                                                                                    \
        return 0;                                                                                            \
    }
#define SEJIT_DT_f64 SEJIT_FLOAT64
#define SEJIT_DT_i64 SEJIT_INT64
SEJIT_NP_CORRELATE(double, f64, double)
SEJIT_NP_CORRELATE(int64_t, i64, uint64_t)

/* np.percentile and np.quantile, NumPy's default "linear" method, of each
 * row of a (rows x n, a C-ordered float64 copy this reorders in place):
 * for each q (divided by scale: 100 for percentile), the virtual index
 * (n - 1) q between the order statistics lo and hi = lo + 1 with weight g,
 * interpolated as NumPy's _lerp does (from the nearer end); a row holding
 * a NaN gives NaN. out[i][r] is q[i]'s value for row r. narrow rounds
 * b - a to float32, as NumPy computes it for float32 data. The order
 * statistics come from a selection (NumPy partitions too): a few q are
 * selected one by one in O(n) each, many sort the row once. */
static SEJIT_UNUSED int sejit_np_qcmp(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b ? 1 : 0;
}
/* sejit_np_select moves the k-th smallest of v[0..n) (no NaN) to v[k],
 * smaller ones before it and larger after: quickselect with a median of
 * three, handing a stubborn range to qsort. */
static SEJIT_UNUSED void sejit_np_select(double *v, int64_t n, int64_t k) {
    int64_t lo = 0, hi = n - 1;
    for (int rounds = 0; hi > lo; rounds++) {
        if (rounds > 64) {
            qsort(v + lo, (size_t)(hi - lo + 1), sizeof(double), sejit_np_qcmp);
            return;
        }
        int64_t mid = lo + (hi - lo) / 2;
        double a = v[lo], b = v[mid], c = v[hi];
        double p = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        int64_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < p) i++;
            while (v[j] > p) j--;
            if (i <= j) {
                double t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                j--;
            }
        }
        if (k <= j) hi = j;
        else if (k >= i) lo = i;
        else return;
    }
}
static SEJIT_UNUSED int sejit_np_quantile(sejit_ctx *ctx, const sejit_array *a, const sejit_array *q, double scale,
                                          int64_t narrow, const sejit_array *out) {
    int64_t rows = a->shape[0], n = a->shape[1], nq = q->shape[0];
    const double *Q = (const double *)q->data;
    for (int64_t i = 0; i < nq; i++) {
        double v = Q[i * q->strides[0]] / scale;
        if (!(v >= 0.0 && v <= 1.0))
            return sejit_fail(ctx, SEJIT_ERR_VALUE,
                              scale == 1.0 ? "Quantiles must be in the range [0, 1]" : "Percentiles must be in the range [0, 100]");
    }
    if (n == 0 && rows > 0) return sejit_fail(ctx, SEJIT_ERR_INDEX, "index -1 is out of bounds for axis 0 with size 0");
    double *A = (double *)a->data, *O = (double *)out->data;
    for (int64_t r = 0; r < rows; r++) {
        double *row = A + r * a->strides[0];
        int nan = 0;
        for (int64_t j = 0; j < n && !nan; j++) nan = row[j] != row[j];
        if (!nan && nq > 4) qsort(row, (size_t)n, sizeof(double), sejit_np_qcmp);
        for (int64_t i = 0; i < nq; i++) {
            double vi = (double)(n - 1) * (Q[i * q->strides[0]] / scale), res;
            double fl = floor(vi);
            int64_t lo = (int64_t)fl, hi = lo + 1;
            if (vi >= (double)(n - 1)) lo = hi = n - 1;
            if (nan) {
                O[i * out->strides[0] + r * out->strides[1]] = NAN;
                continue;
            }
            double x, y;
            if (nq > 4) {
                x = row[lo];
                y = row[hi];
            } else {
                sejit_np_select(row, n, lo);
                x = row[lo];
                if (hi != lo) { /* the smallest of the part above lo */
                    y = row[hi];
                    for (int64_t j = hi + 1; j < n; j++)
                        if (row[j] < y) y = row[j];
                } else {
                    y = x;
                }
            }
            double g = vi - fl, d = y - x;
            if (narrow) d = (double)(float)d; /* float32 data: NumPy's b - a is a float32 */
            res = g >= 0.5 ? y - d * (1.0 - g) : x + d * g;
            O[i * out->strides[0] + r * out->strides[1]] = res;
        }
    }
    return 0;
}



/* np.histogram(a, bins=edges, weights=w) of float64 data with an array of
 * bin edges (float64): bin k holds edges[k] <= v < edges[k+1], the last bin
 * closed; values outside, and NaN, count nowhere (NumPy's searchsorted of
 * the edges). out (len(edges) - 1 float64s) gets the counts, or the sums
 * of the weights when has_w. Edges that decrease raise NumPy's ValueError. */
static SEJIT_UNUSED int sejit_np_histogram_edges(sejit_ctx *ctx, const sejit_array *a, const sejit_array *w,
                                                 int64_t has_w, const sejit_array *edges, const sejit_array *out) {
    int64_t n = a->shape[0], ne = edges->shape[0], es = edges->strides[0];
    const double *E = (const double *)edges->data, *A = (const double *)a->data, *W = (const double *)w->data;
    double *O = (double *)out->data;
    for (int64_t k = 0; k + 1 < ne; k++)
        if (E[k * es] > E[(k + 1) * es])
            return sejit_fail(ctx, SEJIT_ERR_VALUE, "`bins` must increase monotonically, when an array");
    if (has_w && w->shape[0] != n) return sejit_fail(ctx, SEJIT_ERR_VALUE, "weights should have the same shape as a.");
    for (int64_t k = 0; k + 1 < ne; k++) O[k * out->strides[0]] = 0.0;
    if (ne < 2) return 0;
    double first = E[0], last = E[(ne - 1) * es];
    for (int64_t i = 0; i < n; i++) {
        double v = A[i * a->strides[0]];
        if (!(v >= first && v <= last)) continue;
        /* the number of edges <= v, less one */
        int64_t lo = 0, hi = ne;
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            if (E[mid * es] <= v) lo = mid + 1; else hi = mid;
        }
        int64_t k = lo - 1;
        if (k > ne - 2) k = ne - 2;
        O[k * out->strides[0]] += has_w ? W[i * w->strides[0]] : 1.0;
    }
    return 0;
}
/*@ sejit_array_words sejit_array_from */
/* Lists of arrays (lower/list_arrays.go): an item's descriptor is kept as
 * int64 words, the owner and data addresses among them. The owner is an
 * array argument or one the runtime allocated for this call, so it lives
 * until the call ends; a returned list's arrays keep it alive as their
 * base (the runtime's box_array). */
static SEJIT_UNUSED int sejit_array_words(sejit_ctx *ctx, const sejit_array *a, int64_t *obj, int64_t *data) {
    (void)ctx;
    *obj = (int64_t)(intptr_t)a->obj;
    *data = (int64_t)(intptr_t)a->data;
    return 0;
}
static SEJIT_UNUSED int sejit_array_from(sejit_ctx *ctx, int64_t obj, int64_t data, int64_t e0, int64_t e1,
                                         int64_t e2, int64_t e3, int64_t e4, int64_t e5, int64_t e6, int64_t e7,
                                         int64_t s0, int64_t s1, int64_t s2, int64_t s3, int64_t s4, int64_t s5,
                                         int64_t s6, int64_t s7, sejit_array *r) {
    (void)ctx;
    const int64_t e[8] = {e0, e1, e2, e3, e4, e5, e6, e7}, s[8] = {s0, s1, s2, s3, s4, s5, s6, s7};
    r->obj = (void *)(intptr_t)obj;
    r->data = (char *)(intptr_t)data;
    for (int k = 0; k < 8; k++) {
        r->shape[k] = e[k];
        r->strides[k] = s[k];
    }
    return 0;
}
/*@ sejit_la_tmp sejit_np_linalg_slogdet_f32 sejit_np_linalg_slogdet_f64 sejit_np_linalg_svd_f32 sejit_np_linalg_svd_f64 sejit_np_linalg_pinv_f32 sejit_np_linalg_pinv_f64 sejit_np_linalg_rank_f32 sejit_np_linalg_rank_f64 sejit_np_linalg_cond_f32 sejit_np_linalg_cond_f64 sejit_np_linalg_mnorm_f32 sejit_np_linalg_mnorm_f64 sejit_np_linalg_eig_f32 sejit_np_linalg_eig_f64 sejit_np_linalg_qr_f32 sejit_np_linalg_qr_f64 */
/* More of np.linalg through the same LAPACKE (see the section above for
 * the conventions): slogdet (?getrf), svd and what NumPy builds on it
 * (pinv, matrix_rank, cond: ?gesdd), eig and eigvals (?geev), qr (?geqrf
 * then ?orgqr). The routines are NumPy's, so results agree to rounding. */
/* A scratch array of dtype dt and len elements (at least one), released
 * when the call ends. */
static SEJIT_UNUSED void *sejit_la_tmp(sejit_ctx *ctx, int dt, int64_t len) {
    sejit_array t;
    if (len < 1) len = 1;
    if (ctx->alloc(ctx, dt, 1, &len, &t) != 0) return 0;
    return t.data;
}
#define SEJIT_LA2_DEF(SUF, T, P, DT)                                                                           \
    /* slogdet(a): (sign, log|det|) of getrf's LU factors as NumPy: (0, -inf) when singular. */               \
    static SEJIT_UNUSED int sejit_np_linalg_slogdet_##SUF(sejit_ctx *ctx, const sejit_array *a, T *sign,      \
                                                          T *logdet) {                                         \
        *sign = 0;                                                                                             \
        *logdet = 0;                                                                                           \
        if (sejit_la_square(ctx, a, ctx->lapack ? ctx->lapack->P##getrf : 0)) return -1;                      \
        int64_t n = a->shape[0], info;                                                                         \
        if (n == 0) { *sign = 1; return 0; }                                                                   \
        int64_t lpiv[64]; /* small matrices: no allocation */                                 \
        void *ipiv = n <= 64 ? (void *)lpiv : sejit_la_ints(ctx, n);                                                                    \
        if (!ipiv) return -1;                                                                                  \
        sejit_blas *bl = ctx->lapack;                                                                          \
        if (bl->ilp64)                                                                                         \
            info = ((int64_t(*)(int, int64_t, int64_t, void *, int64_t, void *))bl->P##getrf)(101, n, n, a->data, n, ipiv); \
        else                                                                                                   \
            info = ((int (*)(int, int, int, void *, int, void *))bl->P##getrf)(101, (int)n, (int)n, a->data, (int)n, ipiv); \
        if (info < 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE getrf failed (%lld)", (long long)info); \
        if (info > 0) { *logdet = -(T)__builtin_inf(); return 0; }                                           \
        const T *A = (const T *)a->data;                                                                       \
        T s = 1, l = 0;                                                                                        \
        for (int64_t i = 0; i < n; i++) {                                                                      \
            int64_t p = bl->ilp64 ? ((const int64_t *)ipiv)[i] : ((const int *)ipiv)[i];                       \
            if (p != i + 1) s = -s;                                                                            \
            T d = A[i * n + i];                                                                                \
            if (d < 0) { s = -s; d = -d; }                                                                     \
            l += sizeof(T) == 4 ? (T)__builtin_logf((float)d) : (T)__builtin_log((double)d);                   \
        }                                                                                                      \
        *sign = s;                                                                                             \
        *logdet = l;                                                                                           \
        return 0;                                                                                              \
    }                                                                                                          \
    /* svd(a, s, u, vt, mode): a (m x n, overwritten); s (min(m, n)) the singular values, descending; mode 0  \
     * values only (u and vt untouched), 1 full (u m x m, vt n x n), 2 reduced (u m x k, vt k x n). */        \
    static SEJIT_UNUSED int sejit_np_linalg_svd_##SUF(sejit_ctx *ctx, const sejit_array *a, const sejit_array *s, \
                                                      const sejit_array *u, const sejit_array *vt, int64_t mode) { \
        sejit_blas *bl = ctx->lapack;                                                                          \
        if (!bl || !bl->P##gesdd)                                                                              \
            return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "np.linalg needs NumPy's LAPACK, which was not found");  \
        int64_t m = a->shape[0], n = a->shape[1], k = m < n ? m : n;                                           \
        if (!bl->ilp64 && (m > 0x7fffffff || n > 0x7fffffff))                                                  \
            return sejit_fail(ctx, SEJIT_ERR_VALUE, "array too large for a 32-bit LAPACK");                    \
        if (k == 0) {                                                                                          \
            /* nothing to factor: NumPy's u and vt are identities (full) or empty */                           \
            if (mode == 1) {                                                                                   \
                T *U = (T *)u->data, *V = (T *)vt->data;                                                       \
                for (int64_t i = 0; i < m * m; i++) U[i] = i % (m + 1) == 0;                                   \
                for (int64_t i = 0; i < n * n; i++) V[i] = i % (n + 1) == 0;                                   \
            }                                                                                                  \
            return 0;                                                                                          \
        }                                                                                                      \
        char jobz = mode == 0 ? 'N' : mode == 1 ? 'A' : 'S';                                                   \
        int64_t ldu = mode == 1 ? m : mode == 2 ? k : 1, ldvt = mode == 0 ? 1 : n;                             \
        T dummy[1];                                                                                            \
        int64_t info = SEJIT_LA_GESDD(bl, P##gesdd, jobz, m, n, a->data, s->data, mode ? (void *)u->data : (void *)dummy, ldu,\
                                      mode ? (void *)vt->data : (void *)dummy, ldvt);                                          \
        /* -5: LAPACK's gesdd found a NaN in a (its argument 4, after the layout); NumPy reports it so too */  \
        if (info > 0 || info == -5) return sejit_fail(ctx, SEJIT_ERR_LINALG, "SVD did not converge");        \
        if (info < 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE gesdd failed (%lld)", (long long)info); \
        return 0;                                                                                              \
    }                                                                                                          \
    /* The k singular values of the m x n a (overwritten) into a scratch array, or NULL after a failure. */    \
    static SEJIT_UNUSED T *sejit_la_svals_##SUF(sejit_ctx *ctx, const sejit_array *a, int64_t k) {              \
        sejit_array s = {0};                                                                                   \
        int64_t len = k > 0 ? k : 1;                                                                           \
        if (ctx->alloc(ctx, DT, 1, &len, &s) != 0) return 0;                                                   \
        if (sejit_np_linalg_svd_##SUF(ctx, a, &s, &s, &s, 0)) return 0;                                        \
        return (T *)s.data;                                                                                    \
    }                                                                                                          \
    /* pinv(a, out, rcond): out (n x m) = v diag(1/s) u^T from gesdd's reduced factors of a (m x n,           \
     * overwritten), the singular values at most rcond * max(s) dropped, as NumPy. */                         \
    static SEJIT_UNUSED int sejit_np_linalg_pinv_##SUF(sejit_ctx *ctx, const sejit_array *a,                    \
                                                       const sejit_array *out, double rcond) {                 \
        int64_t m = a->shape[0], n = a->shape[1], k = m < n ? m : n;                                           \
        T *O = (T *)out->data;                                                                                 \
        for (int64_t i = 0; i < n * m; i++) O[i] = 0;                                                          \
        if (k == 0) return 0;                                                                                  \
        sejit_array s = {0}, u = {0}, vt = {0};                                                                \
        int64_t ls = k, lu[2] = {m, k}, lv[2] = {k, n};                                                        \
        if (ctx->alloc(ctx, DT, 1, &ls, &s) || ctx->alloc(ctx, DT, 2, lu, &u) || ctx->alloc(ctx, DT, 2, lv, &vt)) \
            return -1;                                                                                         \
        if (sejit_np_linalg_svd_##SUF(ctx, a, &s, &u, &vt, 2)) return -1;                                      \
        T *S = (T *)s.data, *U = (T *)u.data, *V = (T *)vt.data;                                               \
        double cut = rcond * (double)S[0]; /* NumPy's float64 rcond makes the test float64 */             \
        for (int64_t l = 0; l < k; l++) S[l] = (double)S[l] > cut ? 1 / S[l] : 0;                              \
        for (int64_t i = 0; i < n; i++)                                                                        \
            for (int64_t l = 0; l < k; l++) {                                                                  \
                T w = V[l * n + i] * S[l];                                                                     \
                if (w == 0) continue;                                                                          \
                for (int64_t j = 0; j < m; j++) O[i * m + j] += w * U[j * k + l];                              \
            }                                                                                                  \
        return 0;                                                                                              \
    }                                                                                                          \
    /* matrix_rank(a, tol): the count of singular values of a (overwritten) above tol, or when tol < 0 above  \
     * NumPy's default max(s) * max(m, n) * eps. */                                                           \
    static SEJIT_UNUSED int sejit_np_linalg_rank_##SUF(sejit_ctx *ctx, const sejit_array *a, double tol,         \
                                                       int64_t *res) {                                         \
        int64_t m = a->shape[0], n = a->shape[1], k = m < n ? m : n;                                           \
        *res = 0;                                                                                              \
        if (k == 0) return 0;                                                                                  \
        T *S = sejit_la_svals_##SUF(ctx, a, k);                                                                \
        if (!S) return -1;                                                                                     \
        T eps = sizeof(T) == 4 ? (T)__FLT_EPSILON__ : (T)__DBL_EPSILON__;                                     \
        double t = tol >= 0 ? tol : (double)(S[0] * ((T)(m > n ? m : n) * eps));                               \
        for (int64_t l = 0; l < k; l++) *res += (double)S[l] > t;                                              \
        return 0;                                                                                              \
    }                                                                                                          \
    /* The matrix norm of the n x m row-major x for cond's p codes 2-6 ('fro', 1, -1, inf, -inf). */          \
    static SEJIT_UNUSED T sejit_la_mnorm_##SUF(const T *X, int64_t r, int64_t c, int64_t p) {                  \
        if (p == 2) {                                                                                          \
            T acc = 0;                                                                                         \
            for (int64_t i = 0; i < r * c; i++) acc += X[i] * X[i];                                            \
            return sizeof(T) == 4 ? (T)__builtin_sqrtf((float)acc) : (T)__builtin_sqrt((double)acc);          \
        }                                                                                                      \
        int cols = p == 3 || p == 4, mx = p == 3 || p == 5;                                                    \
        int64_t outer = cols ? c : r, inner = cols ? r : c;                                                    \
        T best = 0;                                                                                            \
        for (int64_t o = 0; o < outer; o++) {                                                                  \
            T acc = 0;                                                                                         \
            for (int64_t i = 0; i < inner; i++) {                                                              \
                T v = cols ? X[i * c + o] : X[o * c + i];                                                      \
                acc += v < 0 ? -v : v;                                                                         \
            }                                                                                                  \
            if (o == 0 || acc != acc || (mx ? acc > best : acc < best)) best = acc;                           \
            if (acc != acc) break;                                                                             \
        }                                                                                                      \
        return best;                                                                                           \
    }                                                                                                          \
    /* cond(a, p): p 0 the 2-norm condition number s[0] / s[-1] (1: -2, its inverse) by gesdd; p 2-6 ('fro',  \
     * 1, -1, inf, -inf) norm(a) * norm(inv(a)) of a square a, inf for a singular one as NumPy's. */          \
    static SEJIT_UNUSED int sejit_np_linalg_cond_##SUF(sejit_ctx *ctx, const sejit_array *a, int64_t p, T *res) { \
        int64_t m = a->shape[0], n = a->shape[1], k = m < n ? m : n;                                           \
        *res = 0;                                                                                              \
        if (k == 0) return sejit_fail(ctx, SEJIT_ERR_LINALG, "cond is not defined on empty arrays");         \
        /* NumPy turns a NaN result into inf unless a has a NaN itself */                                      \
        const T *A = (const T *)a->data;                                                                       \
        int nan = 0;                                                                                           \
        for (int64_t i = 0; i < m * n; i++) nan |= A[i] != A[i];                                               \
        if (p < 2) {                                                                                           \
            T *S = sejit_la_svals_##SUF(ctx, a, k);                                                            \
            if (!S) return -1;                                                                                 \
            T r = p == 0 ? S[0] / S[k - 1] : S[k - 1] / S[0];                                                  \
            *res = r != r && !nan ? (T)__builtin_inf() : r;                                                    \
            return 0;                                                                                          \
        }                                                                                                      \
        if (sejit_la_square(ctx, a, ctx->lapack ? ctx->lapack->P##gesv : 0)) return -1;                       \
        T na = sejit_la_mnorm_##SUF(A, n, n, p);                                                               \
        sejit_array inv = {0};                                                                                 \
        int64_t sh[2] = {n, n};                                                                                \
        if (ctx->alloc(ctx, DT, 2, sh, &inv)) return -1;                                                       \
        T *Iv = (T *)inv.data;                                                                                 \
        for (int64_t i = 0; i < n * n; i++) Iv[i] = i % (n + 1) == 0;                                          \
        int64_t lpiv[64]; /* small matrices: no allocation */                                 \
        void *ipiv = n <= 64 ? (void *)lpiv : sejit_la_ints(ctx, n);                                                                    \
        if (!ipiv) return -1;                                                                                  \
        int64_t info = SEJIT_LA_GESV(ctx->lapack, P##gesv, n, n, a->data, ipiv, inv.data, n);                  \
        if (info < 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE gesv failed (%lld)", (long long)info); \
        /* NumPy inverts with errors off: a singular matrix gives NaNs, which it reports as inf */             \
        if (info > 0) { *res = nan ? (T)__builtin_nan("") : (T)__builtin_inf(); return 0; }                   \
        T r = na * sejit_la_mnorm_##SUF(Iv, n, n, p);                                                          \
        if (r != r && !nan) r = (T)__builtin_inf();                                                           \
        *res = r;                                                                                              \
        return 0;                                                                                              \
    }                                                                                                          \
    /* mnorm(a, p): norm(a, ord) of the m x n a (overwritten) for a matrix ord other than None: p 0 (2) the   \
     * largest singular value, 1 (-2) the smallest, 7 ('nuc') their sum (gesdd); 2-6 as cond's norms. */      \
    static SEJIT_UNUSED int sejit_np_linalg_mnorm_##SUF(sejit_ctx *ctx, const sejit_array *a, int64_t p, T *res) { \
        int64_t m = a->shape[0], n = a->shape[1], k = m < n ? m : n;                                           \
        *res = 0;                                                                                              \
        if (p >= 2 && p <= 6) {                                                                                \
            /* NumPy's maxima over no columns or rows are 0; its minima fail */                                \
            if ((p == 4 && n == 0) || (p == 6 && m == 0))                                                      \
                return sejit_fail(ctx, SEJIT_ERR_VALUE, "zero-size array to reduction operation minimum which "\
                                  "has no identity");                                                          \
            *res = sejit_la_mnorm_##SUF((const T *)a->data, m, n, p);                                          \
            return 0;                                                                                          \
        }                                                                                                      \
        if (k == 0) {                                                                                          \
            if (p != 1) return 0;                                                                              \
            return sejit_fail(ctx, SEJIT_ERR_VALUE, "zero-size array to reduction operation minimum which has "\
                              "no identity");                                                                  \
        }                                                                                                      \
        T *S = sejit_la_svals_##SUF(ctx, a, k);                                                                \
        if (!S) return -1;                                                                                     \
        if (p == 0) *res = S[0];                                                                               \
        else if (p == 1) *res = S[k - 1];                                                                      \
        else {                                                                                                 \
            T acc = 0;                                                                                         \
            for (int64_t l = 0; l < k; l++) acc += S[l];                                                       \
            *res = acc;                                                                                        \
        }                                                                                                      \
        return 0;                                                                                              \
    }                                                                                                          \
    /* eig(a, w, v, vectors): w (n, complex of T) the eigenvalues of the square a (overwritten) and, when     \
     * vectors, v (n x n complex) the right eigenvectors in its columns, normalised as geev's (NumPy's). */    \
    static SEJIT_UNUSED int sejit_np_linalg_eig_##SUF(sejit_ctx *ctx, const sejit_array *a, const sejit_array *w, \
                                                      const sejit_array *v, int64_t vectors) {                 \
        if (sejit_la_square(ctx, a, ctx->lapack ? ctx->lapack->P##geev : 0)) return -1;                       \
        int64_t n = a->shape[0], info;                                                                         \
        for (int64_t i = 0; i < n * n; i++)                                                                    \
            if (((const T *)a->data)[i] - ((const T *)a->data)[i] != 0)                                        \
                return sejit_fail(ctx, SEJIT_ERR_LINALG, "Array must not contain infs or NaNs");              \
        if (n == 0) return 0;                                                                                  \
        T *wr = (T *)sejit_la_tmp(ctx, DT, n), *wi = (T *)sejit_la_tmp(ctx, DT, n);                            \
        T *vr = vectors ? (T *)sejit_la_tmp(ctx, DT, n * n) : 0, dummy[1];                                     \
        if (!wr || !wi || (vectors && !vr)) return -1;                                                         \
        sejit_blas *bl = ctx->lapack;                                                                          \
        char jv = vectors ? 'V' : 'N';                                                                         \
        int64_t ldv = vectors ? n : 1;                                                                         \
        if (bl->ilp64)                                                                                         \
            info = ((int64_t(*)(int, char, char, int64_t, void *, int64_t, void *, void *, void *, int64_t, void *, \
                                int64_t))bl->P##geev)(101, 'N', jv, n, a->data, n, wr, wi, dummy, 1,                \
                                                     vectors ? (void *)vr : (void *)dummy, ldv);               \
        else                                                                                                   \
            info = ((int (*)(int, char, char, int, void *, int, void *, void *, void *, int, void *, int))bl->P##geev)( \
                101, 'N', jv, (int)n, a->data, (int)n, wr, wi, dummy, 1, vectors ? (void *)vr : (void *)dummy,   \
                (int)ldv);                                                                                     \
        if (info > 0) return sejit_fail(ctx, SEJIT_ERR_LINALG, "Eigenvalues did not converge");               \
        if (info < 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE geev failed (%lld)", (long long)info); \
        T *W = (T *)w->data;                                                                                   \
        for (int64_t j = 0; j < n; j++) { W[2 * j] = wr[j]; W[2 * j + 1] = wi[j]; }                           \
        if (!vectors) return 0;                                                                                \
        T *V = (T *)v->data;                                                                                   \
        for (int64_t j = 0; j < n; j++) {                                                                      \
            /* a complex pair j, j+1 keeps its vector's real part in column j, its imaginary part in j+1 */   \
            if (wi[j] != 0 && j + 1 < n) {                                                                     \
                for (int64_t i = 0; i < n; i++) {                                                              \
                    T re = vr[i * n + j], im = vr[i * n + j + 1];                                              \
                    V[2 * (i * n + j)] = re; V[2 * (i * n + j) + 1] = im;                                      \
                    V[2 * (i * n + j + 1)] = re; V[2 * (i * n + j + 1) + 1] = -im;                             \
                }                                                                                              \
                j++;                                                                                           \
                continue;                                                                                      \
            }                                                                                                  \
            for (int64_t i = 0; i < n; i++) { V[2 * (i * n + j)] = vr[i * n + j]; V[2 * (i * n + j) + 1] = 0; } \
        }                                                                                                      \
        return 0;                                                                                              \
    }                                                                                                          \
    /* qr(a, q, r, mode): a (m x n, overwritten) factored by geqrf; r (rows x n, rows = min(m, n), or m when   \
     * mode 1 'complete') gets R; q (m x mc: mc = min(m, n), or m when complete) Q by orgqr, unless mode 2     \
     * ('r': q untouched). */                                                                                 \
    static SEJIT_UNUSED int sejit_np_linalg_qr_##SUF(sejit_ctx *ctx, const sejit_array *a, const sejit_array *q, \
                                                     const sejit_array *r, int64_t mode) {                     \
        sejit_blas *bl = ctx->lapack;                                                                          \
        if (!bl || !bl->P##geqrf || !bl->P##orgqr)                                                             \
            return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "np.linalg needs NumPy's LAPACK, which was not found");  \
        int64_t m = a->shape[0], n = a->shape[1], k = m < n ? m : n, info = 0;                                 \
        int64_t rows = r->shape[0], mc = mode == 1 ? m : k;                                                    \
        if (!bl->ilp64 && (m > 0x7fffffff || n > 0x7fffffff))                                                  \
            return sejit_fail(ctx, SEJIT_ERR_VALUE, "array too large for a 32-bit LAPACK");                    \
        T *A = (T *)a->data, *R = (T *)r->data;                                                                \
        T *tau = (T *)sejit_la_tmp(ctx, DT, k);                                                                \
        if (!tau) return -1;                                                                                   \
        if (k > 0) {                                                                                           \
            if (bl->ilp64)                                                                                     \
                info = ((int64_t(*)(int, int64_t, int64_t, void *, int64_t, void *))bl->P##geqrf)(101, m, n, A, n, tau); \
            else                                                                                               \
                info = ((int (*)(int, int, int, void *, int, void *))bl->P##geqrf)(101, (int)m, (int)n, A, (int)n, tau); \
            if (info != 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE geqrf failed (%lld)", (long long)info); \
        }                                                                                                      \
        for (int64_t i = 0; i < rows; i++)                                                                     \
            for (int64_t j = 0; j < n; j++) R[i * n + j] = j >= i ? A[i * n + j] : 0;                          \
        if (mode == 2) return 0;                                                                               \
        T *Q = (T *)q->data;                                                                                   \
        for (int64_t i = 0; i < m; i++)                                                                        \
            for (int64_t j = 0; j < mc; j++) Q[i * mc + j] = j < n ? A[i * n + j] : (T)(i == j);                \
        if (m == 0 || mc == 0) return 0;                                                                       \
        if (bl->ilp64)                                                                                         \
            info = ((int64_t(*)(int, int64_t, int64_t, int64_t, void *, int64_t, const void *))bl->P##orgqr)(     \
                101, m, mc, k, Q, mc, tau);                                                                    \
        else                                                                                                   \
            info = ((int (*)(int, int, int, int, void *, int, const void *))bl->P##orgqr)(                     \
                101, (int)m, (int)mc, (int)k, Q, (int)mc, tau);                                                \
        if (info != 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE orgqr failed (%lld)", (long long)info); \
        return 0;                                                                                              \
    }
SEJIT_LA2_DEF(f32, float, s, SEJIT_FLOAT32)
SEJIT_LA2_DEF(f64, double, d, SEJIT_FLOAT64)

/*@ sejit_np_linalg_lstsq_f32 sejit_np_linalg_lstsq_f64 */
/* lstsq(a, b, x, s, resid, rcond, given): gelsd (NumPy's driver) on the m x n a (overwritten) and the
 * nrhs right-hand sides of b (m, or m x nrhs, C-ordered): x (n, or n x nrhs) the minimum-norm least-squares
 * solution, s (min(m, n)) a's singular values, resid (nrhs) the squared residual norms; results: the
 * effective rank and how many residuals NumPy returns (nrhs when rank == n < m, else 0). rcond is NumPy's
 * eps * max(m, n) unless given. */
#define SEJIT_LA_LSTSQ_DEF(SUF, T, P, DT)                                                                      \
    static SEJIT_UNUSED int sejit_np_linalg_lstsq_##SUF(sejit_ctx *ctx, const sejit_array *a,                  \
                                                        const sejit_array *b, const sejit_array *x,             \
                                                        const sejit_array *s, const sejit_array *resid,         \
                                                        int64_t bdim, double rcond, int64_t given,              \
                                                        int64_t *rank, int64_t *nres) {                         \
        sejit_blas *bl = ctx->lapack;                                                                          \
        *rank = 0;                                                                                             \
        *nres = 0;                                                                                             \
        if (!bl || !bl->P##gelsd)                                                                              \
            return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "np.linalg needs NumPy's LAPACK, which was not found");  \
        int64_t m = a->shape[0], n = a->shape[1], nrhs = bdim == 1 ? 1 : b->shape[1], info = 0;                \
        if (b->shape[0] != m) return sejit_fail(ctx, SEJIT_ERR_LINALG, "Incompatible dimensions");           \
        if (!bl->ilp64 && (m > 0x7fffffff || n > 0x7fffffff || nrhs > 0x7fffffff))                             \
            return sejit_fail(ctx, SEJIT_ERR_VALUE, "array too large for a 32-bit LAPACK");                    \
        int64_t rows = m > n ? m : n;                                                                          \
        T *bb = (T *)sejit_la_tmp(ctx, DT, rows * nrhs);                                                       \
        if (!bb) return -1;                                                                                    \
        const T *B = (const T *)b->data;                                                                       \
        for (int64_t i = 0; i < rows * nrhs; i++) bb[i] = i < m * nrhs ? B[i] : 0;                             \
        if (!given) rcond = (double)((sizeof(T) == 4 ? __FLT_EPSILON__ : __DBL_EPSILON__) * (double)rows);   \
        if (m > 0 && n > 0 && nrhs > 0) {                                                                      \
            if (bl->ilp64) {                                                                                   \
                int64_t r = 0;                                                                                 \
                info = ((int64_t(*)(int, int64_t, int64_t, int64_t, void *, int64_t, void *, int64_t, void *, T,  \
                                    int64_t *))bl->P##gelsd)(101, m, n, nrhs, a->data, n, bb, nrhs, s->data,    \
                                                             (T)rcond, &r);                                    \
                *rank = r;                                                                                     \
            } else {                                                                                           \
                int r = 0;                                                                                     \
                info = ((int (*)(int, int, int, int, void *, int, void *, int, void *, T, int *))bl->P##gelsd)( \
                    101, (int)m, (int)n, (int)nrhs, a->data, (int)n, bb, (int)nrhs, s->data, (T)rcond, &r);     \
                *rank = r;                                                                                     \
            }                                                                                                  \
            if (info > 0) return sejit_fail(ctx, SEJIT_ERR_LINALG, "SVD did not converge in Linear Least Squares"); \
            if (info < 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE gelsd failed (%lld)", (long long)info); \
        }                                                                                                      \
        T *X = (T *)x->data, *R = (T *)resid->data;                                                            \
        for (int64_t i = 0; i < n * nrhs; i++) X[i] = bb[i];                                                   \
        if (*rank == n && m > n) {                                                                             \
            for (int64_t j = 0; j < nrhs; j++) {                                                               \
                T acc = 0;                                                                                     \
                for (int64_t i = n; i < m; i++) acc += bb[i * nrhs + j] * bb[i * nrhs + j];                    \
                R[j] = acc;                                                                                    \
            }                                                                                                  \
            *nres = nrhs;                                                                                      \
        }                                                                                                      \
        return 0;                                                                                              \
    }
SEJIT_LA_LSTSQ_DEF(f32, float, s, SEJIT_FLOAT32)
SEJIT_LA_LSTSQ_DEF(f64, double, d, SEJIT_FLOAT64)

/*@ sejit_np_polyfit */
/* np.polyfit(x, y, deg) of 1-D float64 data: NumPy's least squares, the
 * Vandermonde matrix's columns scaled to unit norm, solved in the minimum
 * norm sense with singular values below len(x) * eps of the largest cut
 * (lstsq's rcond), then unscaled. With NumPy's LAPACK the solve is its
 * own driver, ?gelsd (sejit_np_linalg_lstsq_f64), which also takes a
 * million points in a few passes; without it (Go tests zero the context)
 * a one-sided Jacobi SVD, which sweeps the whole matrix until the columns
 * are orthogonal. */
#include <stdlib.h>
static SEJIT_UNUSED int sejit_np_polyfit(sejit_ctx *ctx, const sejit_array *x, const sejit_array *y, int64_t deg,
                                         const sejit_array *out) {
    int64_t m = x->shape[0], n = deg + 1;
    if (deg < 0) return sejit_fail(ctx, SEJIT_ERR_VALUE, "expected deg >= 0");
    if (m == 0) return sejit_fail(ctx, SEJIT_ERR_TYPE, "expected non-empty vector for x");
    if (y->shape[0] != m) return sejit_fail(ctx, SEJIT_ERR_TYPE, "expected x and y to have same length");
    const double *X = (const double *)x->data, *Y = (const double *)y->data;
    double *U = (double *)malloc(sizeof(double) * (size_t)(m * n + n * n + 2 * n));
    if (!U) return sejit_fail(ctx, SEJIT_ERR_MEMORY, "out of memory in np.polyfit");
    double *V = U + m * n, *scale = V + n * n, *c = scale + n;
    /* U[i][j] = x_i^(deg - j), column j scaled by its norm. */
    for (int64_t i = 0; i < m; i++) {
        double xi = X[i * x->strides[0]], p = 1.0;
        for (int64_t j = n - 1; j >= 0; j--) {
            U[i * n + j] = p;
            p *= xi;
        }
    }
    /* Row by row (each column's sum still in the order of i): the columns
     * are strided, and a pass per column read the matrix n times. */
    for (int64_t j = 0; j < n; j++) scale[j] = 0.0;
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) scale[j] += U[i * n + j] * U[i * n + j];
    for (int64_t j = 0; j < n; j++) {
        scale[j] = sqrt(scale[j]);
        for (int64_t k = 0; k < n; k++) V[j * n + k] = j == k;
    }
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) U[i * n + j] /= scale[j];
    double *o = (double *)out->data;
    if (ctx->lapack && ctx->lapack->dgelsd) {
        double *yc = (double *)sejit_la_tmp(ctx, SEJIT_FLOAT64, m), *sv = (double *)sejit_la_tmp(ctx, SEJIT_FLOAT64, n + 1);
        if (!yc || !sv) {
            free(U);
            return -1;
        }
        for (int64_t i = 0; i < m; i++) yc[i] = Y[i * y->strides[0]];
        sejit_array A = {0}, B = {0}, X = {0}, S = {0}, R = {0};
        A.data = (char *)U, A.shape[0] = m, A.shape[1] = n;
        B.data = (char *)yc, B.shape[0] = m;
        X.data = (char *)c, S.data = (char *)sv, R.data = (char *)(sv + n); /* the residual: unused */
        int64_t rank, nres;
        int rc = sejit_np_linalg_lstsq_f64(ctx, &A, &B, &X, &S, &R, 1, (double)m * 2.220446049250313e-16, 1, &rank, &nres);
        for (int64_t k = 0; rc == 0 && k < n; k++) o[k * out->strides[0]] = c[k] / scale[k];
        free(U);
        return rc;
    }
    for (int sweep = 0; sweep < 60; sweep++) {
        int rotated = 0;
        for (int64_t p = 0; p < n - 1; p++)
            for (int64_t q = p + 1; q < n; q++) {
                double al = 0.0, be = 0.0, ga = 0.0;
                for (int64_t i = 0; i < m; i++) {
                    al += U[i * n + p] * U[i * n + p];
                    be += U[i * n + q] * U[i * n + q];
                    ga += U[i * n + p] * U[i * n + q];
                }
                if (ga == 0.0 || fabs(ga) <= 1e-17 * sqrt(al * be)) continue;
                rotated = 1;
                double z = (be - al) / (2.0 * ga);
                double t = (z >= 0 ? 1.0 : -1.0) / (fabs(z) + sqrt(1.0 + z * z));
                double cs = 1.0 / sqrt(1.0 + t * t), sn = cs * t;
                for (int64_t i = 0; i < m; i++) {
                    double up = U[i * n + p], uq = U[i * n + q];
                    U[i * n + p] = cs * up - sn * uq;
                    U[i * n + q] = sn * up + cs * uq;
                }
                for (int64_t i = 0; i < n; i++) {
                    double vp = V[i * n + p], vq = V[i * n + q];
                    V[i * n + p] = cs * vp - sn * vq;
                    V[i * n + q] = sn * vp + cs * vq;
                }
            }
        if (!rotated) break;
    }
    double smax = 0.0;
    for (int64_t j = 0; j < n; j++) {
        double s = 0.0;
        for (int64_t i = 0; i < m; i++) s += U[i * n + j] * U[i * n + j];
        c[j] = sqrt(s);
        if (c[j] > smax) smax = c[j];
    }
    double cut = (double)m * 2.220446049250313e-16 * smax;
    for (int64_t k = 0; k < n; k++) o[k * out->strides[0]] = 0.0;
    for (int64_t j = 0; j < n; j++) {
        if (!(c[j] > cut)) continue;
        double ub = 0.0;
        for (int64_t i = 0; i < m; i++) ub += U[i * n + j] * Y[i * y->strides[0]];
        double w = ub / (c[j] * c[j]);
        for (int64_t k = 0; k < n; k++) o[k * out->strides[0]] += w * V[k * n + j];
    }
    for (int64_t k = 0; k < n; k++) o[k * out->strides[0]] /= scale[k];
    free(U);
    return 0;
}

/*@ sejit_np_linalg_mpow_f32 sejit_np_linalg_mpow_f64 */
/* matrix_power(a, out, n): out (m x m) = a^n by NumPy's sequence of products (a a, (a a) a, then binary
 * powers from n = 4), each through gemm (BLAS from a size on, else a loop); n < 0 first inverts a as NumPy
 * does (LinAlgError "Singular matrix"); a (a C-ordered copy) is overwritten. */
#define SEJIT_LA_MPOW_DEF(SUF, T, DT, INV, GEMM)                                                                        \
    static SEJIT_UNUSED void sejit_la_mul_##SUF(sejit_ctx *ctx, const sejit_array *x, const sejit_array *y,    \
                                                const sejit_array *z) {                                         \
        int64_t done = 0, m = x->shape[0];                                                                     \
        GEMM(ctx, x, y, z, 1, 0, 0, &done);                                                                 \
        if (done) return;                                                                                      \
        const T *X = (const T *)x->data, *Y = (const T *)y->data;                                              \
        T *Z = (T *)z->data;                                                                                   \
        for (int64_t i = 0; i < m * m; i++) Z[i] = 0;                                                          \
        for (int64_t i = 0; i < m; i++)                                                                        \
            for (int64_t k = 0; k < m; k++) {                                                                  \
                T v = X[i * m + k];                                                                            \
                for (int64_t j = 0; j < m; j++) Z[i * m + j] += v * Y[k * m + j];                              \
            }                                                                                                  \
    }                                                                                                          \
    static SEJIT_UNUSED int sejit_np_linalg_mpow_##SUF(sejit_ctx *ctx, const sejit_array *a,                   \
                                                       const sejit_array *out, int64_t n) {                    \
        int64_t m = a->shape[0], sh[2] = {m, m};                                                               \
        if (a->shape[1] != m)                                                                                  \
            return sejit_fail(ctx, SEJIT_ERR_LINALG, "Last 2 dimensions of the array must be square");        \
        sejit_array base = *a, t1, t2, t3;                                                                     \
        if (ctx->alloc(ctx, DT, 2, sh, &t1) || ctx->alloc(ctx, DT, 2, sh, &t2) || ctx->alloc(ctx, DT, 2, sh, &t3)) \
            return -1;                                                                                         \
        T *O = (T *)out->data;                                                                                 \
        if (n < 0) {                                                                                           \
            if (INV(ctx, a, &t1)) return -1;                                                                  \
            base = t1;                                                                                         \
            t1 = *a;                                                                                           \
            n = -n;                                                                                            \
        }                                                                                                      \
        const T *B = (const T *)base.data;                                                                     \
        if (n <= 1) {                                                                                          \
            for (int64_t i = 0; i < m * m; i++) O[i] = n == 0 ? (T)(i % (m + 1) == 0) : B[i];                  \
            return 0;                                                                                          \
        }                                                                                                      \
        if (n <= 3) {                                                                                          \
            sejit_la_mul_##SUF(ctx, &base, &base, n == 2 ? out : &t2);                                         \
            if (n == 3) sejit_la_mul_##SUF(ctx, &t2, &base, out);                                              \
            return 0;                                                                                          \
        }                                                                                                      \
        /* binary powers: z runs through a, a^2, a^4, ...; the result gathers the set bits */                 \
        sejit_array z = base, res = {0}, spare[3] = {t1, t2, t3};                                              \
        int have = 0, first = 1;                                                                               \
        while (n > 0) {                                                                                        \
            if (!first) {                                                                                      \
                /* a free buffer: one that is neither z nor the result */                                    \
                sejit_array *f = 0;                                                                            \
                for (int i = 0; i < 3 && !f; i++)                                                              \
                    if (spare[i].data != z.data && (!have || spare[i].data != res.data)) f = &spare[i];        \
                sejit_la_mul_##SUF(ctx, &z, &z, f);                                                            \
                z = *f;                                                                                        \
            }                                                                                                  \
            first = 0;                                                                                         \
            if (n % 2) {                                                                                       \
                if (!have) {                                                                                   \
                    res = z; /* aliased with z until z moves on */                                            \
                    have = 1;                                                                                  \
                } else {                                                                                       \
                    sejit_array *f = 0;                                                                        \
                    for (int i = 0; i < 3 && !f; i++)                                                          \
                        if (spare[i].data != z.data && spare[i].data != res.data) f = &spare[i];               \
                    sejit_la_mul_##SUF(ctx, &res, &z, f);                                                      \
                    res = *f;                                                                                  \
                }                                                                                              \
            }                                                                                                  \
            n /= 2;                                                                                            \
        }                                                                                                      \
        const T *R = (const T *)res.data;                                                                      \
        for (int64_t i = 0; i < m * m; i++) O[i] = R[i];                                                       \
        return 0;                                                                                              \
    }
/* the helpers are named in full so that a unit carrying this section carries theirs */
SEJIT_LA_MPOW_DEF(f32, float, SEJIT_FLOAT32, sejit_np_linalg_inv_f32, sejit_gemm_f32)
SEJIT_LA_MPOW_DEF(f64, double, SEJIT_FLOAT64, sejit_np_linalg_inv_f64, sejit_gemm_f64)

/*@ sejit_np_linalg_solve_c64 sejit_np_linalg_solve_c128 sejit_np_linalg_inv_c64 sejit_np_linalg_inv_c128 sejit_np_linalg_det_c64 sejit_np_linalg_det_c128 sejit_np_linalg_slogdet_c64 sejit_np_linalg_slogdet_c128 sejit_np_linalg_cholesky_c64 sejit_np_linalg_cholesky_c128 sejit_np_linalg_eigh_c64 sejit_np_linalg_eigh_c128 sejit_np_linalg_svd_c64 sejit_np_linalg_svd_c128 sejit_np_linalg_qr_c64 sejit_np_linalg_qr_c128 */
/* The complex np.linalg helpers: the same drivers' c/z forms (?gesv, ?getrf, ?potrf, ?heevd, ?gesdd,
 * ?geqrf then ?ungqr) on complex64/complex128 copies, computed with C's _Complex types (laid out as the
 * ABI's sejit_c64/sejit_c128); eigenvalues and singular values are real as NumPy's. det is NumPy's: the
 * product of the LU diagonal's phases and the permutation's sign, times exp(sum log |u_ii|). */
#define SEJIT_LAC_DEF(SUF, T, R, CT, P, DT, RDT, ABS, LOG, EXP)                                                 \
    static SEJIT_UNUSED int sejit_np_linalg_solve_##SUF(sejit_ctx *ctx, const sejit_array *a,                   \
                                                        const sejit_array *b, int64_t bdim) {                  \
        if (sejit_la_square(ctx, a, ctx->lapack ? ctx->lapack->P##gesv : 0)) return -1;                       \
        int64_t n = a->shape[0], nrhs = bdim == 1 ? 1 : b->shape[1];                                           \
        if (b->shape[0] != n)                                                                                  \
            return sejit_fail(ctx, SEJIT_ERR_VALUE, "solve: Input operand 1 has a mismatch in its core "     \
                              "dimension 0, with gufunc signature (m,m),(m%s)->(m%s) (size %lld is different " \
                              "from %lld)", bdim == 1 ? "" : ",n", bdim == 1 ? "" : ",n",                      \
                              (long long)b->shape[0], (long long)n);                                          \
        if (n == 0 || nrhs == 0) return 0;                                                                     \
        int64_t lpiv[64]; /* small matrices: no allocation */                                 \
        void *ipiv = n <= 64 ? (void *)lpiv : sejit_la_ints(ctx, n);                                                                    \
        if (!ipiv) return -1;                                                                                  \
        int64_t info = SEJIT_LA_GESV(ctx->lapack, P##gesv, n, nrhs, a->data, ipiv, b->data, nrhs);             \
        if (info > 0) return sejit_fail(ctx, SEJIT_ERR_LINALG, "Singular matrix");                            \
        if (info < 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE gesv failed (%lld)", (long long)info); \
        return 0;                                                                                              \
    }                                                                                                          \
    static SEJIT_UNUSED int sejit_np_linalg_inv_##SUF(sejit_ctx *ctx, const sejit_array *a,                     \
                                                      const sejit_array *out) {                                \
        if (sejit_la_square(ctx, a, ctx->lapack ? ctx->lapack->P##gesv : 0)) return -1;                       \
        int64_t n = a->shape[0];                                                                               \
        T *o = (T *)out->data;                                                                                 \
        for (int64_t i = 0; i < n * n; i++) o[i] = (R)(i % (n + 1) == 0);                                      \
        if (n == 0) return 0;                                                                                  \
        int64_t lpiv[64]; /* small matrices: no allocation */                                 \
        void *ipiv = n <= 64 ? (void *)lpiv : sejit_la_ints(ctx, n);                                                                    \
        if (!ipiv) return -1;                                                                                  \
        int64_t info = SEJIT_LA_GESV(ctx->lapack, P##gesv, n, n, a->data, ipiv, out->data, n);                 \
        if (info > 0) return sejit_fail(ctx, SEJIT_ERR_LINALG, "Singular matrix");                            \
        if (info < 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE gesv failed (%lld)", (long long)info); \
        return 0;                                                                                              \
    }                                                                                                          \
    /* (sign, log|det|) of a (overwritten by getrf); (0, -inf) when singular. */                              \
    static SEJIT_UNUSED int sejit_la_logdet_##SUF(sejit_ctx *ctx, const sejit_array *a, T *sign, R *logdet) {  \
        *sign = 0;                                                                                             \
        *logdet = 0;                                                                                           \
        if (sejit_la_square(ctx, a, ctx->lapack ? ctx->lapack->P##getrf : 0)) return -1;                      \
        int64_t n = a->shape[0], info;                                                                         \
        if (n == 0) { *sign = 1; return 0; }                                                                   \
        int64_t lpiv[64]; /* small matrices: no allocation */                                 \
        void *ipiv = n <= 64 ? (void *)lpiv : sejit_la_ints(ctx, n);                                                                    \
        if (!ipiv) return -1;                                                                                  \
        sejit_blas *bl = ctx->lapack;                                                                          \
        if (bl->ilp64)                                                                                         \
            info = ((int64_t(*)(int, int64_t, int64_t, void *, int64_t, void *))bl->P##getrf)(101, n, n, a->data, n, ipiv); \
        else                                                                                                   \
            info = ((int (*)(int, int, int, void *, int, void *))bl->P##getrf)(101, (int)n, (int)n, a->data, (int)n, ipiv); \
        if (info < 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE getrf failed (%lld)", (long long)info); \
        if (info > 0) { *logdet = -(R)__builtin_inf(); return 0; }                                           \
        const T *A = (const T *)a->data;                                                                       \
        T s = 1;                                                                                               \
        R l = 0;                                                                                               \
        for (int64_t i = 0; i < n; i++) {                                                                      \
            int64_t p = bl->ilp64 ? ((const int64_t *)ipiv)[i] : ((const int *)ipiv)[i];                       \
            if (p != i + 1) s = -s;                                                                            \
            T d = A[i * n + i];                                                                                \
            R ad = ABS(d);                                                                                     \
            s *= d / ad;                                                                                       \
            l += LOG(ad);                                                                                      \
        }                                                                                                      \
        *sign = s;                                                                                             \
        *logdet = l;                                                                                           \
        return 0;                                                                                              \
    }                                                                                                          \
    static SEJIT_UNUSED int sejit_np_linalg_slogdet_##SUF(sejit_ctx *ctx, const sejit_array *a, CT *sign,     \
                                                          R *logdet) {                                         \
        T s;                                                                                                   \
        int rc = sejit_la_logdet_##SUF(ctx, a, &s, logdet);                                                    \
        sign->re = __real__ s;                                                                                 \
        sign->im = __imag__ s;                                                                                 \
        return rc;                                                                                             \
    }                                                                                                          \
    static SEJIT_UNUSED int sejit_np_linalg_det_##SUF(sejit_ctx *ctx, const sejit_array *a, CT *res) {         \
        T s;                                                                                                   \
        R l;                                                                                                   \
        int rc = sejit_la_logdet_##SUF(ctx, a, &s, &l);                                                        \
        T d = s * EXP(l);                                                                                      \
        res->re = __real__ d;                                                                                  \
        res->im = __imag__ d;                                                                                  \
        return rc;                                                                                             \
    }                                                                                                          \
    static SEJIT_UNUSED int sejit_np_linalg_cholesky_##SUF(sejit_ctx *ctx, const sejit_array *a) {             \
        if (sejit_la_square(ctx, a, ctx->lapack ? ctx->lapack->P##potrf : 0)) return -1;                      \
        int64_t n = a->shape[0], info;                                                                         \
        if (n == 0) return 0;                                                                                  \
        sejit_blas *bl = ctx->lapack;                                                                          \
        if (bl->ilp64)                                                                                         \
            info = ((int64_t(*)(int, char, int64_t, void *, int64_t))bl->P##potrf)(101, 'L', n, a->data, n);    \
        else                                                                                                   \
            info = ((int (*)(int, char, int, void *, int))bl->P##potrf)(101, 'L', (int)n, a->data, (int)n);     \
        if (info > 0) return sejit_fail(ctx, SEJIT_ERR_LINALG, "Matrix is not positive definite");            \
        if (info < 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE potrf failed (%lld)", (long long)info); \
        T *A = (T *)a->data;                                                                                   \
        for (int64_t i = 0; i < n; i++)                                                                        \
            for (int64_t j = i + 1; j < n; j++) A[i * n + j] = 0;                                              \
        return 0;                                                                                              \
    }                                                                                                          \
    /* eigh(a, w, vectors): heevd on a's lower triangle; w (real) ascending, a the eigenvectors. */           \
    static SEJIT_UNUSED int sejit_np_linalg_eigh_##SUF(sejit_ctx *ctx, const sejit_array *a,                    \
                                                       const sejit_array *w, int64_t vectors) {                \
        if (sejit_la_square(ctx, a, ctx->lapack ? ctx->lapack->P##heevd : 0)) return -1;                      \
        int64_t n = a->shape[0], info;                                                                         \
        if (n == 0) return 0;                                                                                  \
        sejit_blas *bl = ctx->lapack;                                                                          \
        char jobz = vectors ? 'V' : 'N';                                                                       \
        if (bl->ilp64)                                                                                         \
            info = ((int64_t(*)(int, char, char, int64_t, void *, int64_t, void *))bl->P##heevd)(              \
                101, jobz, 'L', n, a->data, n, w->data);                                                       \
        else                                                                                                   \
            info = ((int (*)(int, char, char, int, void *, int, void *))bl->P##heevd)(                         \
                101, jobz, 'L', (int)n, a->data, (int)n, w->data);                                             \
        if (info > 0) return sejit_fail(ctx, SEJIT_ERR_LINALG, "Eigenvalues did not converge");               \
        if (info < 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE heevd failed (%lld)", (long long)info); \
        return 0;                                                                                              \
    }                                                                                                          \
    /* svd(a, s, u, vt, mode) as the real one: s real, u and vt complex. */                                   \
    static SEJIT_UNUSED int sejit_np_linalg_svd_##SUF(sejit_ctx *ctx, const sejit_array *a, const sejit_array *s, \
                                                      const sejit_array *u, const sejit_array *vt, int64_t mode) { \
        sejit_blas *bl = ctx->lapack;                                                                          \
        if (!bl || !bl->P##gesdd)                                                                              \
            return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "np.linalg needs NumPy's LAPACK, which was not found");  \
        int64_t m = a->shape[0], n = a->shape[1], k = m < n ? m : n;                                           \
        if (!bl->ilp64 && (m > 0x7fffffff || n > 0x7fffffff))                                                  \
            return sejit_fail(ctx, SEJIT_ERR_VALUE, "array too large for a 32-bit LAPACK");                    \
        if (k == 0) {                                                                                          \
            if (mode == 1) {                                                                                   \
                T *U = (T *)u->data, *V = (T *)vt->data;                                                       \
                for (int64_t i = 0; i < m * m; i++) U[i] = (R)(i % (m + 1) == 0);                              \
                for (int64_t i = 0; i < n * n; i++) V[i] = (R)(i % (n + 1) == 0);                              \
            }                                                                                                  \
            return 0;                                                                                          \
        }                                                                                                      \
        char jobz = mode == 0 ? 'N' : mode == 1 ? 'A' : 'S';                                                   \
        int64_t ldu = mode == 1 ? m : mode == 2 ? k : 1, ldvt = mode == 0 ? 1 : n;                             \
        T dummy[1];                                                                                            \
        int64_t info = SEJIT_LA_GESDD(bl, P##gesdd, jobz, m, n, a->data, s->data,                              \
                                      mode ? (void *)u->data : (void *)dummy, ldu,                             \
                                      mode ? (void *)vt->data : (void *)dummy, ldvt);                          \
        /* -5: LAPACK's gesdd found a NaN in a (its argument 4, after the layout); NumPy reports it so too */  \
        if (info > 0 || info == -5) return sejit_fail(ctx, SEJIT_ERR_LINALG, "SVD did not converge");        \
        if (info < 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE gesdd failed (%lld)", (long long)info); \
        return 0;                                                                                              \
    }                                                                                                          \
    /* qr(a, q, r, mode) as the real one, with ungqr. */                                                     \
    static SEJIT_UNUSED int sejit_np_linalg_qr_##SUF(sejit_ctx *ctx, const sejit_array *a, const sejit_array *q, \
                                                     const sejit_array *r, int64_t mode) {                     \
        sejit_blas *bl = ctx->lapack;                                                                          \
        if (!bl || !bl->P##geqrf || !bl->P##ungqr)                                                             \
            return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "np.linalg needs NumPy's LAPACK, which was not found");  \
        int64_t m = a->shape[0], n = a->shape[1], k = m < n ? m : n, info = 0;                                 \
        int64_t rows = r->shape[0], mc = mode == 1 ? m : k;                                                    \
        if (!bl->ilp64 && (m > 0x7fffffff || n > 0x7fffffff))                                                  \
            return sejit_fail(ctx, SEJIT_ERR_VALUE, "array too large for a 32-bit LAPACK");                    \
        T *A = (T *)a->data, *Rm = (T *)r->data;                                                               \
        T *tau = (T *)sejit_la_tmp(ctx, DT, k);                                                                \
        if (!tau) return -1;                                                                                   \
        if (k > 0) {                                                                                           \
            if (bl->ilp64)                                                                                     \
                info = ((int64_t(*)(int, int64_t, int64_t, void *, int64_t, void *))bl->P##geqrf)(101, m, n, A, n, tau); \
            else                                                                                               \
                info = ((int (*)(int, int, int, void *, int, void *))bl->P##geqrf)(101, (int)m, (int)n, A, (int)n, tau); \
            if (info != 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE geqrf failed (%lld)", (long long)info); \
        }                                                                                                      \
        for (int64_t i = 0; i < rows; i++)                                                                     \
            for (int64_t j = 0; j < n; j++) Rm[i * n + j] = j >= i ? A[i * n + j] : 0;                         \
        if (mode == 2) return 0;                                                                               \
        T *Q = (T *)q->data;                                                                                   \
        for (int64_t i = 0; i < m; i++)                                                                        \
            for (int64_t j = 0; j < mc; j++) Q[i * mc + j] = j < n ? A[i * n + j] : (T)(R)(i == j);            \
        if (m == 0 || mc == 0) return 0;                                                                       \
        if (bl->ilp64)                                                                                         \
            info = ((int64_t(*)(int, int64_t, int64_t, int64_t, void *, int64_t, const void *))bl->P##ungqr)(     \
                101, m, mc, k, Q, mc, tau);                                                                    \
        else                                                                                                   \
            info = ((int (*)(int, int, int, int, void *, int, const void *))bl->P##ungqr)(                     \
                101, (int)m, (int)mc, (int)k, Q, (int)mc, tau);                                                \
        if (info != 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE ungqr failed (%lld)", (long long)info); \
        return 0;                                                                                              \
    }
SEJIT_LAC_DEF(c64, _Complex float, float, sejit_c64, c, SEJIT_COMPLEX64, SEJIT_FLOAT32, __builtin_cabsf, __builtin_logf, __builtin_expf)
SEJIT_LAC_DEF(c128, _Complex double, double, sejit_c128, z, SEJIT_COMPLEX128, SEJIT_FLOAT64, __builtin_cabs, __builtin_log, __builtin_exp)

/*@ sejit_np_linalg_eig_c64 sejit_np_linalg_eig_c128 sejit_np_linalg_pinv_c64 sejit_np_linalg_pinv_c128 sejit_np_linalg_lstsq_c64 sejit_np_linalg_lstsq_c128 sejit_np_linalg_norm_c64 sejit_np_linalg_norm_c128 */
/* More complex np.linalg: eig and eigvals (?geev's c/z form: complex eigenvalues and vectors directly),
 * pinv (v diag(1/s) u^H from the complex svd helper), lstsq (?gelsd's c/z form; real singular values and
 * residuals) and norm (NumPy's: the 2-norm as sqrt(re . re + im . im), |z| as a scaled hypot). */
#define SEJIT_LAC2_DEF(SUF, T, R, P, DT, RDT, ABS, SQRT, CONJ, SVD)                                                \
    static SEJIT_UNUSED int sejit_np_linalg_eig_##SUF(sejit_ctx *ctx, const sejit_array *a, const sejit_array *w, \
                                                      const sejit_array *v, int64_t vectors) {                 \
        if (sejit_la_square(ctx, a, ctx->lapack ? ctx->lapack->P##geev : 0)) return -1;                       \
        int64_t n = a->shape[0], info;                                                                         \
        for (int64_t i = 0; i < n * n; i++) {                                                                  \
            T z = ((const T *)a->data)[i];                                                                     \
            if (__real__ z - __real__ z != 0 || __imag__ z - __imag__ z != 0)                                  \
                return sejit_fail(ctx, SEJIT_ERR_LINALG, "Array must not contain infs or NaNs");              \
        }                                                                                                      \
        if (n == 0) return 0;                                                                                  \
        sejit_blas *bl = ctx->lapack;                                                                          \
        T dummy[1];                                                                                            \
        char jv = vectors ? 'V' : 'N';                                                                         \
        int64_t ldv = vectors ? n : 1;                                                                         \
        void *vr = vectors ? (void *)v->data : (void *)dummy;                                                  \
        if (bl->ilp64)                                                                                         \
            info = ((int64_t(*)(int, char, char, int64_t, void *, int64_t, void *, void *, int64_t, void *,     \
                                int64_t))bl->P##geev)(101, 'N', jv, n, a->data, n, w->data, dummy, 1, vr, ldv);  \
        else                                                                                                   \
            info = ((int (*)(int, char, char, int, void *, int, void *, void *, int, void *, int))bl->P##geev)(  \
                101, 'N', jv, (int)n, a->data, (int)n, w->data, dummy, 1, vr, (int)ldv);                       \
        if (info > 0) return sejit_fail(ctx, SEJIT_ERR_LINALG, "Eigenvalues did not converge");               \
        if (info < 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE geev failed (%lld)", (long long)info); \
        return 0;                                                                                              \
    }                                                                                                          \
    static SEJIT_UNUSED int sejit_np_linalg_pinv_##SUF(sejit_ctx *ctx, const sejit_array *a,                    \
                                                       const sejit_array *out, double rcond) {                 \
        int64_t m = a->shape[0], n = a->shape[1], k = m < n ? m : n;                                           \
        T *O = (T *)out->data;                                                                                 \
        for (int64_t i = 0; i < n * m; i++) O[i] = 0;                                                          \
        if (k == 0) return 0;                                                                                  \
        sejit_array s = {0}, u = {0}, vt = {0};                                                                \
        int64_t ls = k, lu[2] = {m, k}, lv[2] = {k, n};                                                        \
        if (ctx->alloc(ctx, RDT, 1, &ls, &s) || ctx->alloc(ctx, DT, 2, lu, &u) || ctx->alloc(ctx, DT, 2, lv, &vt)) \
            return -1;                                                                                         \
        if (SVD(ctx, a, &s, &u, &vt, 2)) return -1;                                                            \
        R *S = (R *)s.data;                                                                                    \
        T *U = (T *)u.data, *V = (T *)vt.data;                                                                 \
        double cut = rcond * (double)S[0];                                                                     \
        for (int64_t l = 0; l < k; l++) S[l] = (double)S[l] > cut ? 1 / S[l] : 0;                              \
        /* a = u s v^H, so pinv(a) = v s^-1 u^H: out[i][j] = sum_l conj(vt[l][i]) / s_l conj(u[j][l]) */       \
        for (int64_t i = 0; i < n; i++)                                                                        \
            for (int64_t l = 0; l < k; l++) {                                                                  \
                if (S[l] == 0) continue;                                                                       \
                T wv = CONJ(V[l * n + i]) * S[l];                                                              \
                for (int64_t j = 0; j < m; j++) O[i * m + j] += wv * CONJ(U[j * k + l]);                       \
            }                                                                                                  \
        return 0;                                                                                              \
    }                                                                                                          \
    static SEJIT_UNUSED int sejit_np_linalg_lstsq_##SUF(sejit_ctx *ctx, const sejit_array *a,                  \
                                                        const sejit_array *b, const sejit_array *x,             \
                                                        const sejit_array *s, const sejit_array *resid,         \
                                                        int64_t bdim, double rcond, int64_t given,              \
                                                        int64_t *rank, int64_t *nres) {                         \
        sejit_blas *bl = ctx->lapack;                                                                          \
        *rank = 0;                                                                                             \
        *nres = 0;                                                                                             \
        if (!bl || !bl->P##gelsd)                                                                              \
            return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "np.linalg needs NumPy's LAPACK, which was not found");  \
        int64_t m = a->shape[0], n = a->shape[1], nrhs = bdim == 1 ? 1 : b->shape[1], info = 0;                \
        if (b->shape[0] != m) return sejit_fail(ctx, SEJIT_ERR_LINALG, "Incompatible dimensions");           \
        if (!bl->ilp64 && (m > 0x7fffffff || n > 0x7fffffff || nrhs > 0x7fffffff))                             \
            return sejit_fail(ctx, SEJIT_ERR_VALUE, "array too large for a 32-bit LAPACK");                    \
        int64_t rows = m > n ? m : n;                                                                          \
        T *bb = (T *)sejit_la_tmp(ctx, DT, rows * nrhs);                                                       \
        if (!bb) return -1;                                                                                    \
        const T *B = (const T *)b->data;                                                                       \
        for (int64_t i = 0; i < rows * nrhs; i++) bb[i] = i < m * nrhs ? B[i] : 0;                             \
        if (!given) rcond = (double)((sizeof(R) == 4 ? __FLT_EPSILON__ : __DBL_EPSILON__) * (double)rows);   \
        if (m > 0 && n > 0 && nrhs > 0) {                                                                      \
            if (bl->ilp64) {                                                                                   \
                int64_t r = 0;                                                                                 \
                info = ((int64_t(*)(int, int64_t, int64_t, int64_t, void *, int64_t, void *, int64_t, void *, R,  \
                                    int64_t *))bl->P##gelsd)(101, m, n, nrhs, a->data, n, bb, nrhs, s->data,    \
                                                             (R)rcond, &r);                                    \
                *rank = r;                                                                                     \
            } else {                                                                                           \
                int r = 0;                                                                                     \
                info = ((int (*)(int, int, int, int, void *, int, void *, int, void *, R, int *))bl->P##gelsd)( \
                    101, (int)m, (int)n, (int)nrhs, a->data, (int)n, bb, (int)nrhs, s->data, (R)rcond, &r);     \
                *rank = r;                                                                                     \
            }                                                                                                  \
            if (info > 0) return sejit_fail(ctx, SEJIT_ERR_LINALG, "SVD did not converge in Linear Least Squares"); \
            if (info < 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "LAPACKE gelsd failed (%lld)", (long long)info); \
        }                                                                                                      \
        T *X = (T *)x->data;                                                                                   \
        R *Rs = (R *)resid->data;                                                                              \
        for (int64_t i = 0; i < n * nrhs; i++) X[i] = bb[i];                                                   \
        if (*rank == n && m > n) {                                                                             \
            for (int64_t j = 0; j < nrhs; j++) {                                                               \
                R acc = 0;                                                                                     \
                for (int64_t i = n; i < m; i++) {                                                              \
                    T z = bb[i * nrhs + j];                                                                    \
                    acc += __real__ z * __real__ z + __imag__ z * __imag__ z;                                  \
                }                                                                                              \
                Rs[j] = acc;                                                                                   \
            }                                                                                                  \
            *nres = nrhs;                                                                                      \
        }                                                                                                      \
        return 0;                                                                                              \
    }                                                                                                          \
    static SEJIT_UNUSED int sejit_np_linalg_norm_##SUF(sejit_ctx *ctx, const sejit_array *x, int64_t size,      \
                                                       int64_t ord, R *res) {                                  \
        const T *X = (const T *)x->data;                                                                       \
        R acc = 0, acc2 = 0;                                                                                   \
        switch (ord) {                                                                                         \
        case 0:                                                                                                \
            for (int64_t i = 0; i < size; i++) acc += __real__ X[i] * __real__ X[i];                           \
            for (int64_t i = 0; i < size; i++) acc2 += __imag__ X[i] * __imag__ X[i];                          \
            acc = SQRT(acc + acc2);                                                                            \
            break;                                                                                             \
        case 1:                                                                                                \
            for (int64_t i = 0; i < size; i++) acc += ABS(X[i]);                                               \
            break;                                                                                             \
        case 2:                                                                                                \
        case 3:                                                                                                \
            /* NumPy 2 takes the inf-norm as abs(x).max(initial=0): 0 when empty */                            \
            if (size == 0 && ord == 2) break;                                                                  \
            if (size == 0)                                                                                     \
                return sejit_fail(ctx, SEJIT_ERR_VALUE, "zero-size array to reduction operation %s which has " \
                                  "no identity", ord == 2 ? "maximum" : "minimum");                            \
            acc = ABS(X[0]);                                                                                   \
            for (int64_t i = 1; i < size; i++) {                                                               \
                R v = ABS(X[i]);                                                                               \
                if (v != v || acc != acc) { acc = v != v ? v : acc; continue; }                                \
                if (ord == 2 ? v > acc : v < acc) acc = v;                                                     \
            }                                                                                                  \
            break;                                                                                             \
        default:                                                                                               \
            for (int64_t i = 0; i < size; i++) acc += X[i] != 0;                                               \
        }                                                                                                      \
        *res = acc;                                                                                            \
        return 0;                                                                                              \
    }
/* the svd helpers are named in full so that a unit carrying this section carries theirs */
SEJIT_LAC2_DEF(c64, _Complex float, float, c, SEJIT_COMPLEX64, SEJIT_FLOAT32, __builtin_cabsf, __builtin_sqrtf, __builtin_conjf,
               sejit_np_linalg_svd_c64)
SEJIT_LAC2_DEF(c128, _Complex double, double, z, SEJIT_COMPLEX128, SEJIT_FLOAT64, __builtin_cabs, __builtin_sqrt, __builtin_conj,
               sejit_np_linalg_svd_c128)

/*@ always */
/* Everything below this line is emitted in every unit: give a new helper a
 * section marker of its own above instead (see the note at the top). */

/*@ sejit_str_new sejit_str_isspace sejit_str_hook sejit_str_ascii sejit_str_search sejit_str_in sejit_py_str_float sejit_py_str_int sejit_py_str_split sejit_py_str_find sejit_py_str_cmp sejit_py_str_match sejit_py_str_concat sejit_py_str_repeat sejit_py_str_strip sejit_py_str_replace sejit_py_str_case sejit_py_str_is sejit_py_str_join sejit_py_str_chr sejit_py_str_formatted sejit_str_less sejit_py_str_sort sejit_py_str_hash */
/* ---- Run-time strings (issue 14; lower/strings.go) ----------------------
 * A string is a 1-D uint32 array of its code points (C-contiguous: views
 * of strings always have stride 1), so lengths and indices are CPython's.
 * New strings are arrays allocated through ctx->alloc. What needs Unicode
 * tables or CPython's number parsing beyond plain ASCII (float and int of
 * other text, error messages, case mapping and classes of non-ASCII
 * characters) goes to ctx->strfn, which asks CPython itself. */
/* New strings are carved from the context's current chunk; a string too
 * big for what is left starts a new chunk of 64K code points, or of twice
 * its size when it is larger, so that concatenation can grow it in place
 * (sejit_py_str_concat). */
SEJIT_UNUSED static int sejit_str_new(sejit_ctx *ctx, int64_t n, sejit_array *out) {
    if (ctx->strchunk.data == 0 || ctx->strused + n > ctx->strchunk.shape[0]) {
        int64_t chunk = n > 32768 ? 2 * n : 65536;
        if (ctx->alloc(ctx, SEJIT_UINT32, 1, &chunk, &ctx->strchunk)) return -1;
        ctx->strused = 0;
    }
    *out = ctx->strchunk;
    out->data = ctx->strchunk.data + ctx->strused * 4;
    out->shape[0] = n;
    ctx->strused += n;
    return 0;
}
#define SEJIT_STR_P(a) ((const uint32_t *)(a)->data)
#define SEJIT_STR_N(a) ((a)->shape[0])
/* CPython's str.isspace of one character (Py_UNICODE_ISSPACE): also what
 * split() and strip() without arguments treat as whitespace. */
SEJIT_UNUSED static inline int sejit_str_isspace(uint32_t c) {
    if (c < 128) return (c >= 9 && c <= 13) || (c >= 28 && c <= 32);
    return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
           c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}
SEJIT_UNUSED static int sejit_str_hook(sejit_ctx *ctx, int op, const sejit_array *s, sejit_array *out, double *f,
                                       int64_t *i) {
    if (ctx->strfn == 0) return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "this string operation needs the sejit runtime");
    return ctx->strfn(ctx, op, s, out, f, i);
}
/* The ASCII text of s without surrounding ASCII whitespace into buf (cap
 * bytes), or -1 when s holds anything else or is too long. */
static int64_t sejit_str_ascii(const sejit_array *s, char *buf, int64_t cap) {
    const uint32_t *p = SEJIT_STR_P(s);
    int64_t lo = 0, hi = SEJIT_STR_N(s);
    while (lo < hi && (p[lo] == 32 || (p[lo] >= 9 && p[lo] <= 13))) lo++;
    while (hi > lo && (p[hi - 1] == 32 || (p[hi - 1] >= 9 && p[hi - 1] <= 13))) hi--;
    if (hi - lo >= cap) return -1;
    for (int64_t k = lo; k < hi; k++) {
        if (p[k] >= 128) return -1;
        buf[k - lo] = (char)p[k];
    }
    buf[hi - lo] = 0;
    return hi - lo;
}
double strtod(const char *restrict, char **restrict);
/* float(s): plain decimal ASCII ([sign] digits [. digits] [e [sign] digits])
 * through the C library's correctly rounded strtod, as CPython's own
 * parser rounds; anything else (underscores, inf and nan, other digits and
 * spaces, and every error with its message) through CPython. */
SEJIT_UNUSED static int sejit_py_str_float(sejit_ctx *ctx, const sejit_array *s, double *r) {
    char buf[80];
    int64_t n = sejit_str_ascii(s, buf, sizeof buf);
    if (n > 0) {
        int64_t k = 0, digits = 0;
        if (buf[k] == '+' || buf[k] == '-') k++;
        while (k < n && buf[k] >= '0' && buf[k] <= '9') k++, digits++;
        if (k < n && buf[k] == '.') {
            k++;
            while (k < n && buf[k] >= '0' && buf[k] <= '9') k++, digits++;
        }
        int ok = digits > 0;
        if (ok && k < n && (buf[k] == 'e' || buf[k] == 'E')) {
            k++;
            if (k < n && (buf[k] == '+' || buf[k] == '-')) k++;
            int64_t ed = 0;
            while (k < n && buf[k] >= '0' && buf[k] <= '9') k++, ed++;
            ok = ed > 0;
        }
        if (ok && k == n) {
            *r = strtod(buf, 0);
            return 0;
        }
    }
    int64_t unused;
    return sejit_str_hook(ctx, SEJIT_STR_FLOAT, s, 0, r, &unused);
}
/* int(s): [sign] up to 18 ASCII digits here, the rest through CPython. */
SEJIT_UNUSED static int sejit_py_str_int(sejit_ctx *ctx, const sejit_array *s, int64_t *r) {
    char buf[24];
    int64_t n = sejit_str_ascii(s, buf, sizeof buf);
    if (n > 0) {
        int64_t k = 0, v = 0;
        int neg = buf[0] == '-';
        if (buf[0] == '+' || buf[0] == '-') k++;
        int64_t first = k;
        while (k < n && buf[k] >= '0' && buf[k] <= '9') v = v * 10 + (buf[k++] - '0');
        if (k == n && k > first && k - first <= 18) {
            *r = neg ? -v : v;
            return 0;
        }
    }
    double unused;
    return sejit_str_hook(ctx, SEJIT_STR_INT, s, 0, &unused, r);
}
/* The start of the first sub in p[start:end], or -1 (rev: the last). */
static int64_t sejit_str_search(const uint32_t *p, int64_t start, int64_t end, const uint32_t *q, int64_t m, int rev) {
    if (end - start < m) return -1;
    if (!rev) {
        for (int64_t k = start; k + m <= end; k++) {
            if (m == 0) return k;
            if (p[k] != q[0]) continue;
            int64_t j = 1;
            while (j < m && p[k + j] == q[j]) j++;
            if (j == m) return k;
        }
        return -1;
    }
    for (int64_t k = end - m; k >= start; k--) {
        int64_t j = 0;
        while (j < m && p[k + j] == q[j]) j++;
        if (j == m) return k;
    }
    return -1;
}
/* s.split() (hassep 0) or s.split(sep), at most maxsplit splits when it
 * is not negative: CPython's algorithm, the pieces as (start, length)
 * pairs into s in two new int64 arrays of n items. */
SEJIT_UNUSED static int sejit_py_str_split(sejit_ctx *ctx, const sejit_array *s, const sejit_array *sep, int64_t hassep,
                                           int64_t maxsplit, sejit_array *starts, sejit_array *lens, int64_t *count) {
    const uint32_t *p = SEJIT_STR_P(s), *q = SEJIT_STR_P(sep);
    int64_t n = SEJIT_STR_N(s), m = hassep ? SEJIT_STR_N(sep) : 0;
    if (hassep && m == 0) return sejit_fail(ctx, SEJIT_ERR_VALUE, "empty separator");
    if (maxsplit < 0) maxsplit = INT64_MAX;
    int64_t *st = 0, *ln = 0, cnt = 0;
    for (int pass = 0; pass < 2; pass++) {
        int64_t c = 0, left = maxsplit, i = 0, j;
        if (!hassep) {
            while (left-- > 0) {
                while (i < n && sejit_str_isspace(p[i])) i++;
                if (i == n) break;
                j = i++;
                while (i < n && !sejit_str_isspace(p[i])) i++;
                if (pass) st[c] = j, ln[c] = i - j;
                c++;
            }
            if (i < n) {
                while (i < n && sejit_str_isspace(p[i])) i++;
                if (i != n) {
                    if (pass) st[c] = i, ln[c] = n - i;
                    c++;
                }
            }
        } else {
            while (left-- > 0) {
                if (m == 1) {
                    j = i;
                    while (j < n && p[j] != q[0]) j++;
                    if (j == n) break;
                } else if ((j = sejit_str_search(p, i, n, q, m, 0)) < 0) {
                    break;
                }
                if (pass) st[c] = i, ln[c] = j - i;
                c++;
                i = j + m;
            }
            if (pass) st[c] = i, ln[c] = n - i;
            c++;
        }
        if (!pass) {
            cnt = c;
            if (ctx->alloc(ctx, SEJIT_INT64, 1, &cnt, starts) || ctx->alloc(ctx, SEJIT_INT64, 1, &cnt, lens)) return -1;
            st = (int64_t *)starts->data;
            ln = (int64_t *)lens->data;
        }
    }
    *count = cnt;
    return 0;
}
/* s.find(sub, start, end) (mode 0), rfind (1) or count (2), with CPython's
 * adjustment of start and end (negative from the end, clamped). */
SEJIT_UNUSED static int sejit_py_str_find(sejit_ctx *ctx, const sejit_array *s, const sejit_array *sub, int64_t start,
                                          int64_t end, int64_t mode, int64_t *r) {
    (void)ctx;
    const uint32_t *p = SEJIT_STR_P(s), *q = SEJIT_STR_P(sub);
    int64_t n = SEJIT_STR_N(s), m = SEJIT_STR_N(sub);
    if (end > n) end = n;
    else if (end < 0 && (end += n) < 0) end = 0;
    if (start < 0 && (start += n) < 0) start = 0;
    if (start > n || end - start < m) {
        *r = mode == 2 ? 0 : -1;
        return 0;
    }
    if (mode == 2) {
        if (m == 0) {
            *r = end - start + 1;
            return 0;
        }
        int64_t c = 0, k;
        while ((k = sejit_str_search(p, start, end, q, m, 0)) >= 0) c++, start = k + m;
        *r = c;
        return 0;
    }
    *r = sejit_str_search(p, start, end, q, m, (int)mode);
    return 0;
}
/* Compares a and b by code points, then lengths: -1, 0 or 1. */
SEJIT_UNUSED static int sejit_py_str_cmp(sejit_ctx *ctx, const sejit_array *a, const sejit_array *b, int64_t *r) {
    (void)ctx;
    const uint32_t *p = SEJIT_STR_P(a), *q = SEJIT_STR_P(b);
    int64_t n = SEJIT_STR_N(a), m = SEJIT_STR_N(b), k = 0;
    while (k < n && k < m && p[k] == q[k]) k++;
    if (k < n && k < m) *r = p[k] < q[k] ? -1 : 1;
    else *r = n < m ? -1 : n > m ? 1 : 0;
    return 0;
}
/* Whether s[off:off+len(t)] is t (0 when it does not fit in s). */
SEJIT_UNUSED static int sejit_py_str_match(sejit_ctx *ctx, const sejit_array *s, int64_t off, const sejit_array *t,
                                           int64_t *r) {
    (void)ctx;
    int64_t n = SEJIT_STR_N(s), m = SEJIT_STR_N(t);
    *r = 0;
    if (off < 0 || off > n - m) return 0;
    const uint32_t *p = SEJIT_STR_P(s) + off, *q = SEJIT_STR_P(t);
    for (int64_t k = 0; k < m; k++)
        if (p[k] != q[k]) return 0;
    *r = 1;
    return 0;
}
/* a + b, copying as little as it can, since strings are immutable and
 * nothing is freed before the call ends: with an empty operand it is the
 * other; when b already follows a in one allocation it is the view of
 * both; when a ends where the current chunk's used part ends, b is
 * written after it in place (memory that belongs to no string yet, so
 * every view stays as it was). So `s = s + t` and `s += t + u` in a loop
 * cost the length of what is added, not of s, as CPython's in-place
 * concatenation does. */
SEJIT_UNUSED static int sejit_py_str_concat(sejit_ctx *ctx, const sejit_array *a, const sejit_array *b, sejit_array *out) {
    int64_t n = SEJIT_STR_N(a), m = SEJIT_STR_N(b);
    if (m == 0 || n == 0) {
        *out = m == 0 ? *a : *b;
        return 0;
    }
    if (a->obj == b->obj && a->data + n * 4 == b->data) {
        *out = *a;
        out->shape[0] = n + m;
        return 0;
    }
    if (ctx->strchunk.data != 0 && a->obj == ctx->strchunk.obj &&
        a->data + n * 4 == ctx->strchunk.data + ctx->strused * 4 && ctx->strused + m <= ctx->strchunk.shape[0]) {
        uint32_t *o = (uint32_t *)a->data;
        for (int64_t k = 0; k < m; k++) o[n + k] = SEJIT_STR_P(b)[k];
        *out = *a;
        out->shape[0] = n + m;
        ctx->strused += m;
        return 0;
    }
    if (sejit_str_new(ctx, n + m, out)) return -1;
    uint32_t *o = (uint32_t *)out->data;
    for (int64_t k = 0; k < n; k++) o[k] = SEJIT_STR_P(a)[k];
    for (int64_t k = 0; k < m; k++) o[n + k] = SEJIT_STR_P(b)[k];
    return 0;
}
SEJIT_UNUSED static int sejit_py_str_repeat(sejit_ctx *ctx, const sejit_array *a, int64_t times, sejit_array *out) {
    int64_t n = SEJIT_STR_N(a);
    if (times < 0 || n == 0) times = 0;
    if (times > 0 && n > INT64_MAX / 4 / times) return sejit_fail(ctx, SEJIT_ERR_MEMORY, "");
    if (sejit_str_new(ctx, n * times, out)) return -1;
    uint32_t *o = (uint32_t *)out->data;
    for (int64_t t = 0; t < times; t++)
        for (int64_t k = 0; k < n; k++) o[t * n + k] = SEJIT_STR_P(a)[k];
    return 0;
}
static inline int sejit_str_in(const uint32_t *c, int64_t m, uint32_t x) {
    for (int64_t k = 0; k < m; k++)
        if (c[k] == x) return 1;
    return 0;
}
/* strip (mode 3), lstrip (1), rstrip (2) of whitespace (haschars 0) or of
 * the characters of chars: the bounds [lo, hi) of what stays. */
SEJIT_UNUSED static int sejit_py_str_strip(sejit_ctx *ctx, const sejit_array *s, const sejit_array *chars,
                                           int64_t haschars, int64_t mode, int64_t *lo, int64_t *hi) {
    (void)ctx;
    const uint32_t *p = SEJIT_STR_P(s), *c = SEJIT_STR_P(chars);
    int64_t n = SEJIT_STR_N(s), m = haschars ? SEJIT_STR_N(chars) : 0, i = 0, j = n;
#define SEJIT_STR_IN(x) (haschars ? sejit_str_in(c, m, x) : sejit_str_isspace(x))
    if (mode & 1)
        while (i < j && SEJIT_STR_IN(p[i])) i++;
    if (mode & 2)
        while (j > i && SEJIT_STR_IN(p[j - 1])) j--;
#undef SEJIT_STR_IN
    *lo = i;
    *hi = j;
    return 0;
}
/* s.replace(old, new, count): CPython's result (an empty old inserts new
 * before every character and at the end, count times at most). */
SEJIT_UNUSED static int sejit_py_str_replace(sejit_ctx *ctx, const sejit_array *s, const sejit_array *old,
                                             const sejit_array *new_, int64_t count, sejit_array *out) {
    const uint32_t *p = SEJIT_STR_P(s), *q = SEJIT_STR_P(old), *w = SEJIT_STR_P(new_);
    int64_t n = SEJIT_STR_N(s), m = SEJIT_STR_N(old), r = SEJIT_STR_N(new_);
    if (count < 0) count = INT64_MAX;
    int64_t hits = 0;
    if (m == 0) {
        hits = count < n + 1 ? count : n + 1;
    } else {
        int64_t i = 0, k;
        while (hits < count && (k = sejit_str_search(p, i, n, q, m, 0)) >= 0) hits++, i = k + m;
    }
    if (sejit_str_new(ctx, n + hits * (r - m), out)) return -1;
    uint32_t *o = (uint32_t *)out->data;
    int64_t i = 0, at = 0;
    for (int64_t h = 0; h < hits; h++) {
        int64_t k = m == 0 ? i : sejit_str_search(p, i, n, q, m, 0);
        for (; i < k; i++) o[at++] = p[i];
        for (int64_t t = 0; t < r; t++) o[at++] = w[t];
        if (m == 0) {
            if (i < n) o[at++] = p[i];
            i++;
        } else {
            i = k + m;
        }
    }
    for (; i < n; i++) o[at++] = p[i];
    return 0;
}
/* lower (mode 0) or upper (1): ASCII here, other text through CPython. */
SEJIT_UNUSED static int sejit_py_str_case(sejit_ctx *ctx, const sejit_array *s, int64_t mode, sejit_array *out) {
    const uint32_t *p = SEJIT_STR_P(s);
    int64_t n = SEJIT_STR_N(s);
    for (int64_t k = 0; k < n; k++) {
        if (p[k] >= 128) {
            double f;
            int64_t i;
            return sejit_str_hook(ctx, mode ? SEJIT_STR_UPPER : SEJIT_STR_LOWER, s, out, &f, &i);
        }
    }
    if (sejit_str_new(ctx, n, out)) return -1;
    uint32_t *o = (uint32_t *)out->data;
    for (int64_t k = 0; k < n; k++) {
        uint32_t c = p[k];
        if (mode == 0 && c >= 'A' && c <= 'Z') c += 32;
        if (mode == 1 && c >= 'a' && c <= 'z') c -= 32;
        o[k] = c;
    }
    return 0;
}
/* isdigit (mode 0), isalpha (1), isspace (2): False for "", ASCII and
 * whitespace here, other characters' classes through CPython. */
SEJIT_UNUSED static int sejit_py_str_is(sejit_ctx *ctx, const sejit_array *s, int64_t mode, int64_t *r) {
    const uint32_t *p = SEJIT_STR_P(s);
    int64_t n = SEJIT_STR_N(s);
    *r = n > 0;
    for (int64_t k = 0; k < n && *r; k++) {
        uint32_t c = p[k];
        if (mode == 2) {
            *r = sejit_str_isspace(c);
        } else if (c >= 128) {
            double f;
            return sejit_str_hook(ctx, mode ? SEJIT_STR_ISALPHA : SEJIT_STR_ISDIGIT, s, 0, &f, r);
        } else if (mode == 0) {
            *r = c >= '0' && c <= '9';
        } else {
            *r = (c | 32) >= 'a' && (c | 32) <= 'z';
        }
    }
    return 0;
}
/* sep.join(items): the n strings (start, length) of pool. */
SEJIT_UNUSED static int sejit_py_str_join(sejit_ctx *ctx, const sejit_array *sep, const sejit_array *pool,
                                          const sejit_array *starts, const sejit_array *lens, int64_t n, sejit_array *out) {
    const int64_t *st = (const int64_t *)starts->data, *ln = (const int64_t *)lens->data;
    const uint32_t *p = SEJIT_STR_P(pool), *q = SEJIT_STR_P(sep);
    int64_t m = SEJIT_STR_N(sep), total = n > 0 ? (n - 1) * m : 0;
    for (int64_t k = 0; k < n; k++) total += ln[k];
    if (sejit_str_new(ctx, total, out)) return -1;
    uint32_t *o = (uint32_t *)out->data;
    for (int64_t k = 0, at = 0; k < n; k++) {
        if (k > 0)
            for (int64_t t = 0; t < m; t++) o[at++] = q[t];
        for (int64_t t = 0; t < ln[k]; t++) o[at++] = p[st[k] + t];
    }
    return 0;
}
/* The string the last print with raise SEJIT_FORMAT made. */
SEJIT_UNUSED static int sejit_py_str_formatted(sejit_ctx *ctx, sejit_array *out) {
    *out = ctx->formatted;
    return 0;
}
/* Whether string a (start, length in p) sorts before string b. */
static int sejit_str_less(const uint32_t *p, int64_t sa, int64_t la, int64_t sb, int64_t lb) {
    int64_t m = la < lb ? la : lb;
    for (int64_t k = 0; k < m; k++)
        if (p[sa + k] != p[sb + k]) return p[sa + k] < p[sb + k];
    return la < lb;
}
/* list.sort() of strings: a stable bottom-up merge sort of the (start,
 * length) pairs, through a scratch array from the runtime. */
SEJIT_UNUSED static int sejit_py_str_sort(sejit_ctx *ctx, const sejit_array *pool, sejit_array *starts,
                                          sejit_array *lens, int64_t n) {
    if (n < 2) return 0;
    const uint32_t *p = SEJIT_STR_P(pool);
    int64_t *st = (int64_t *)starts->data, *ln = (int64_t *)lens->data;
    int64_t cap = 2 * n;
    sejit_array tmp;
    if (ctx->alloc(ctx, SEJIT_INT64, 1, &cap, &tmp)) return -1;
    int64_t *ts = (int64_t *)tmp.data, *tl = ts + n;
    for (int64_t w = 1; w < n; w *= 2) {
        for (int64_t lo = 0; lo < n; lo += 2 * w) {
            int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            int64_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi) {
                if (sejit_str_less(p, st[j], ln[j], st[i], ln[i])) ts[o] = st[j], tl[o++] = ln[j++];
                else ts[o] = st[i], tl[o++] = ln[i++];
            }
            while (i < mid) ts[o] = st[i], tl[o++] = ln[i++];
            while (j < hi) ts[o] = st[j], tl[o++] = ln[j++];
        }
        for (int64_t k = 0; k < n; k++) st[k] = ts[k], ln[k] = tl[k];
    }
    return 0;
}
/* chr(i). */
/* hash(s) as CPython computes it in this process (sejit_abi.h). */
SEJIT_UNUSED static int sejit_py_str_hash(sejit_ctx *ctx, const sejit_array *s, int64_t *r) {
    if (ctx->strhash_bad)
        return sejit_fail(ctx, SEJIT_ERR_RUNTIME, "sets of strings need CPython's str hash, which sejit cannot "
                                                  "reproduce in this Python (sys.hash_info.algorithm is not siphash13)");
    *r = sejit_str_hash(ctx->strhash, SEJIT_STR_P(s), SEJIT_STR_N(s));
    return 0;
}
SEJIT_UNUSED static int sejit_py_str_chr(sejit_ctx *ctx, int64_t c, sejit_array *out) {
    if (c < 0 || c >= 0x110000) return sejit_fail(ctx, SEJIT_ERR_VALUE, "chr() arg not in range(0x110000)");
    if (sejit_str_new(ctx, 1, out)) return -1;
    ((uint32_t *)out->data)[0] = (uint32_t)c;
    return 0;
}
