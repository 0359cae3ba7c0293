package clgen

// The OpenCL C prelude: the helpers that give the IR's operators their
// exact semantics on a device (ir/op.go), ported from cgen's prelude.h.
// A kernel source carries only the sections whose names it uses, so a
// float32 program never mentions double (devices without cl_khr_fp64
// would refuse it). Each section lists the helpers it defines
// (TestPreludeSections checks the list).

import "strings"

type preludeSection struct {
	defines []string
	needs   []string // sections it calls
	code    string
}

var preludeSections = []preludeSection{
	{defines: []string{"sejit_fdiv_i64", "sejit_mod_i64", "sejit_fdiv_u64", "sejit_mod_u64", "sejit_ceildiv_i64"}, code: `
/* Floor division and modulo rounding toward negative infinity; a zero
 * divisor gives 0 (NumPy); Python's ZeroDivisionError is a check before. */
inline long sejit_fdiv_i64(long a, long b) {
    if (b == 0) return 0;
    if (b == -1) return (long)(0UL - (ulong)a);
    long q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q -= 1;
    return q;
}
inline long sejit_mod_i64(long a, long b) {
    if (b == 0 || b == -1) return 0;
    long r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}
inline ulong sejit_fdiv_u64(ulong a, ulong b) { return b ? a / b : 0; }
inline ulong sejit_mod_u64(ulong a, ulong b) { return b ? a % b : 0; }
inline long sejit_ceildiv_i64(long a, long b) { return -sejit_fdiv_i64(-a, b); }
`},
	{defines: []string{"sejit_np_hypot_f32"}, code: npHypot("float", "f32")},
	{defines: []string{"sejit_np_hypot_f64"}, code: npHypot("double", "f64")},
	{defines: []string{"sejit_np_cmul_c64"}, code: npCMul("float")},
	{defines: []string{"sejit_np_cmul_c128"}, code: npCMul("double")},
	{defines: []string{"sejit_np_cdiv_c64"}, code: npCDiv("float")},
	{defines: []string{"sejit_np_cdiv_c128"}, code: npCDiv("double")},
	{defines: []string{"sejit_cmul", "sejit_cdiv", "sejit_cexp"}, code: `
/* Complex numbers as double2 (x the real part, y the imaginary), with the
 * CPU target's formulas (cgen's sejit_c128_*: CPython's and NumPy's, not
 * C99 Annex G); complex64 is computed in double and narrowed, as there. */
inline double2 sejit_cmul(double2 a, double2 b) {
    return (double2)(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}
inline double2 sejit_cdiv(double2 a, double2 b) {
    /* Smith's algorithm, as CPython's _Py_c_quot. */
    double abr = b.x < 0 ? -b.x : b.x, abi = b.y < 0 ? -b.y : b.y;
    if (abr >= abi) {
        if (abr == 0.0) return (double2)(NAN, NAN);
        double ratio = b.y / b.x, denom = b.x + b.y * ratio;
        return (double2)((a.x + a.y * ratio) / denom, (a.y - a.x * ratio) / denom);
    } else if (abi >= abr) {
        double ratio = b.x / b.y, denom = b.x * ratio + b.y;
        return (double2)((a.x * ratio + a.y) / denom, (a.y * ratio - a.x) / denom);
    }
    return (double2)(NAN, NAN);
}
inline double2 sejit_cexp(double2 a) {
    /* exp(x) (cos y + i sin y), with C99's special cases for a zero or
     * non-finite imaginary part that the CPU's cexp gives. */
    if (a.y == 0) return (double2)(exp(a.x), a.y);
    double r = exp(a.x);
    return (double2)(r * cos(a.y), r * sin(a.y));
}
`},
	{defines: []string{"sejit_clog", "sejit_csqrt", "sejit_cpow"}, code: `
/* The complex logarithm, square root and power of the CPU target's
 * sejit_c128_log, _sqrt and _pow (the C library's clog and csqrt there:
 * C99 Annex G's values at zeros, infinities and NaN). */
inline double2 sejit_clog(double2 a) {
    return (double2)(log(hypot(a.x, a.y)), atan2(a.y, a.x));
}
inline double2 sejit_csqrt(double2 a) {
    double x = a.x, y = a.y;
    if (isinf(y)) return (double2)(INFINITY, y);
    if (isinf(x)) {
        if (isnan(y)) return x > 0 ? (double2)(x, y) : (double2)(y, INFINITY);
        return x > 0 ? (double2)(x, copysign(0.0, y)) : (double2)(0.0, copysign((double)INFINITY, y));
    }
    if (isnan(x) || isnan(y)) return (double2)(NAN, NAN);
    if (x == 0 && y == 0) return (double2)(0.0, y);
    /* Scaled so that |x| + |z| neither overflows nor loses subnormal bits. */
    double scale = 1.0;
    if (fabs(x) > 0x1p1020 || fabs(y) > 0x1p1020) {
        x *= 0x1p-4; y *= 0x1p-4; scale = 0x1p2;
    } else if (fabs(x) < 0x1p-1020 && fabs(y) < 0x1p-1020) {
        x *= 0x1p104; y *= 0x1p104; scale = 0x1p-52;
    }
    double t = sqrt((fabs(x) + hypot(x, y)) * 0.5);
    /* The root in the right half-plane, its imaginary part of y's sign. */
    double2 r = x >= 0 ? (double2)(t, y / (2 * t)) : (double2)(fabs(y) / (2 * t), copysign(t, y));
    return r * scale;
}
inline double2 sejit_cpow(double2 a, double2 b) {
    /* Small integer exponents by repeated squaring, as NumPy and CPython
     * do; others through exp(b * log(a)). */
    if (b.y == 0 && fabs(b.x) < 100 && b.x == (double)(int)b.x) {
        int n = (int)b.x, m = n < 0 ? -n : n;
        double2 r = (double2)(1.0, 0.0), x = a;
        while (m) {
            if (m & 1) r = sejit_cmul(r, x);
            x = sejit_cmul(x, x);
            m >>= 1;
        }
        return n < 0 ? sejit_cdiv((double2)(1.0, 0.0), r) : r;
    }
    if (a.x == 0 && a.y == 0) {
        if (b.x == 0 && b.y == 0) return (double2)(1.0, 0.0);
        /* NumPy (npy_cpow, and the CPU target's sejit_np_cpow): 0 to a
         * power of positive real part is 0, to any other NaN. */
        if (b.x > 0) return (double2)(0.0, 0.0);
        return (double2)(NAN, NAN);
    }
    return sejit_cexp(sejit_cmul(b, sejit_clog(a)));
}
`},
	{defines: []string{"sejit_mod_f32", "sejit_fdiv_f32"}, code: floatDivmod("float", "f32")},
	{defines: []string{"sejit_mod_f64", "sejit_fdiv_f64"}, code: floatDivmod("double", "f64")},
	{defines: []string{"sejit_pow_i64", "sejit_pow_u64"}, code: `
/* Integer power by squaring, wrapping; a negative exponent gives 0. */
inline long sejit_pow_i64(long b, long e) {
    if (e < 0) return 0;
    ulong r = 1, x = (ulong)b;
    while (e) { if (e & 1) r *= x; x *= x; e >>= 1; }
    return (long)r;
}
inline ulong sejit_pow_u64(ulong b, ulong e) {
    ulong r = 1;
    while (e) { if (e & 1) r *= b; b *= b; e >>= 1; }
    return r;
}
`},
	{defines: []string{"sejit_shl_i64", "sejit_shr_i64", "sejit_shl_u64", "sejit_shr_u64"}, code: `
/* Shifts defined for every count (ir.Shl, ir.Shr). */
inline long sejit_shl_i64(long a, long s) { return (s < 0 || s >= 64) ? 0 : (long)((ulong)a << s); }
inline long sejit_shr_i64(long a, long s) { return (s < 0 || s >= 64) ? (a < 0 ? -1 : 0) : a >> s; }
inline ulong sejit_shl_u64(ulong a, ulong s) { return s >= 64 ? 0 : a << s; }
inline ulong sejit_shr_u64(ulong a, ulong s) { return s >= 64 ? 0 : a >> s; }
`},
	{defines: []string{"sejit_f2i_f32", "sejit_f2u_f32"}, code: `
/* Float to integer (ir.Cast): NaN and out-of-range values give INT64_MIN. */
inline long sejit_f2i_f32(float x) {
    return (x > -0x1p63f && x < 0x1p63f) ? (long)x : LONG_MIN;
}
inline ulong sejit_f2u_f32(float x) {
    if (x >= 0.0f && x < 0x1p64f) return (ulong)x;
    if (x > -0x1p63f && x < 0.0f) return (ulong)(long)x;
    return (ulong)LONG_MIN;
}
`},
	{defines: []string{"sejit_f2i", "sejit_f2u"}, code: `
inline long sejit_f2i(double x) {
    return (x > -0x1p63 && x < 0x1p63) ? (long)x : LONG_MIN;
}
inline ulong sejit_f2u(double x) {
    if (x >= 0.0 && x < 0x1p64) return (ulong)x;
    if (x > -0x1p63 && x < 0.0) return (ulong)(long)x;
    return (ulong)LONG_MIN;
}
`},
	{defines: []string{"sejit_minimum_f32", "sejit_maximum_f32", "sejit_sign_f32"}, code: `
/* NumPy's minimum and maximum propagate NaN; sign keeps NaN and zeros. */
inline float sejit_minimum_f32(float a, float b) { return (a < b || a != a) ? a : b; }
inline float sejit_maximum_f32(float a, float b) { return (a > b || a != a) ? a : b; }
inline float sejit_sign_f32(float x) { return x > 0 ? 1.0f : x < 0 ? -1.0f : x; }
`},
	{defines: []string{"sejit_minimum_f64", "sejit_maximum_f64", "sejit_sign_f64"}, code: `
inline double sejit_minimum_f64(double a, double b) { return (a < b || a != a) ? a : b; }
inline double sejit_maximum_f64(double a, double b) { return (a > b || a != a) ? a : b; }
inline double sejit_sign_f64(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x; }
`},
	{defines: []string{"sejit_np_fmod_i64", "sejit_np_fmod_u64"}, code: `
/* NumPy's integer fmod: a zero divisor gives 0, INT_MIN % -1 gives 0. */
inline long sejit_np_fmod_i64(long a, long b) { return (b == 0 || b == -1) ? 0 : a % b; }
inline ulong sejit_np_fmod_u64(ulong a, ulong b) { return b ? a % b : 0; }
`},
}

// floatDivmod is CPython's float floor division and modulo
// (floatobject.c's algorithm), as cgen's SEJIT_FLOAT_DIVMOD.
// npCMul is ir.FnNpCMul on T2 (float2 or double2): NumPy's loop for complex
// arrays multiplies with a multiply-add, which every device has (fma).
func npCMul(t string) string {
	suf := map[string]string{"float": "c64", "double": "c128"}[t]
	return strings.NewReplacer("T", t, "SUF", suf).Replace(`
/* NumPy's product of complex array elements (ir.FnNpCMul). */
inline T2 sejit_np_cmul_SUF(T2 a, T2 b) {
    return (T2)(fma(a.x, b.x, -(a.y * b.y)), fma(a.x, b.y, a.y * b.x));
}
`)
}

// npCDiv is ir.FnNpCDiv on T2: NumPy's divide loop for complex numbers
// (Smith's algorithm scaled by a reciprocal), in T's precision as NumPy's.
func npCDiv(t string) string {
	suf := map[string]string{"float": "c64", "double": "c128"}[t]
	return strings.NewReplacer("T", t, "SUF", suf).Replace(`
/* NumPy's quotient of complex numbers (ir.FnNpCDiv). */
inline T2 sejit_np_cdiv_SUF(T2 a, T2 b) {
    T abr = fabs(b.x), abi = fabs(b.y);
    if (abr >= abi) {
        if (abr == 0 && abi == 0) return (T2)(a.x / abr, a.y / abi);
        T rat = b.y / b.x, scl = (T)1 / (b.x + b.y * rat);
        return (T2)((a.x + a.y * rat) * scl, (a.y - a.x * rat) * scl);
    }
    T rat = b.x / b.y, scl = (T)1 / (b.y + b.x * rat);
    return (T2)((a.x * rat + a.y) * scl, (a.y * rat - a.x) * scl);
}
`)
}

// npHypot is ir.FnNpHypot in the dialect's type T (cgen's prelude.h has
// the same function for the CPU).
func npHypot(t, suf string) string {
	return strings.NewReplacer("T", t, "SUF", suf).Replace(`
/* NumPy's absolute of a complex array's element (ir.FnNpHypot). */
inline T sejit_np_hypot_SUF(T x, T y) {
    T a = fabs(x), b = fabs(y);
    if (isinf(a) || isinf(b)) return isinf(a) ? a : b;
    T hi = a > b ? a : b, lo = a > b ? b : a;
    if (hi == 0 && lo == 0) return hi;
    T r = lo / hi;
    return sqrt(fma(r, r, (T)1)) * hi;
}
`)
}

func floatDivmod(t, suf string) string {
	return strings.NewReplacer("T", t, "SUF", suf).Replace(`
/* CPython's float floor division and modulo (floatobject.c). */
inline T sejit_mod_SUF(T vx, T wx) {
    if (wx == 0) return (T)NAN;
    T mod = fmod(vx, wx);
    if (mod != 0) {
        if ((wx < 0) != (mod < 0)) mod += wx;
    } else {
        mod = copysign((T)0, wx);
    }
    return mod;
}
inline T sejit_fdiv_SUF(T vx, T wx) {
    if (wx == 0) return vx / wx;
    T mod = fmod(vx, wx);
    T div = (vx - mod) / wx;
    if (mod != 0) {
        if ((wx < 0) != (mod < 0)) div -= 1;
    }
    T floordiv;
    if (div != 0) {
        floordiv = floor(div);
        if (div - floordiv > (T)0.5) floordiv += 1;
    } else {
        floordiv = copysign((T)0, vx / wx);
    }
    return floordiv;
}
`)
}

// selectPrelude returns the sections whose helpers the kernels use, in
// prelude order, with the sections those call.
func selectPrelude(kernels string, tgt Target) string {
	// A section is needed when the kernels or a needed section call one of
	// its helpers (sejit_cpow calls sejit_cmul): repeated until no more.
	used := make([]bool, len(preludeSections))
	text := kernels
	for changed := true; changed; {
		changed = false
		for i, s := range preludeSections {
			if used[i] {
				continue
			}
			for _, name := range s.defines {
				if strings.Contains(text, name+"(") {
					used[i], changed = true, true
					text += s.code
					break
				}
			}
		}
	}
	var b strings.Builder
	for i, s := range preludeSections {
		if !used[i] {
			continue
		}
		if tgt == CUDA {
			b.WriteString(cudaSection(s))
		} else {
			b.WriteString(s.code)
		}
	}
	return b.String()
}
