/* Experiments for bench/diagnose.py: the same loop written two ways in C, to test what a gap
 * between sejit and a peer comes from. Compiled with sejit's flags. */
#include <math.h>
#include <stdint.h>

/* primes: count_primes of kernels_c.c, but dividing in 32 bits when both operands fit, as
 * LLVM does for x86-64 (its "bypass slow division"); GCC does not. */
int64_t primes_div32(int64_t n)
{
    int64_t count = 0;
    for (int64_t m = 2; m < n; ++m) {
        if (m % 2 == 0) {
            if (m == 2)
                count++;
            continue;
        }
        int is_prime = 1;
        for (int64_t d = 3; d * d <= m; d += 2) {
            int64_t r = (((uint64_t)m | (uint64_t)d) >> 32) == 0
                            ? (int64_t)((uint32_t)m % (uint32_t)d) : m % d;
            if (r == 0) {
                is_prime = 0;
                break;
            }
        }
        count += is_prime;
    }
    return count;
}

/* histogram: kernels_c.c's loop with the checks sejit's generated C makes: int() of NaN or
 * infinity raises, the float-to-int conversion is defined for every value, the index is
 * bounds-checked. */
static inline int64_t f2i(double x)
{
    if (x > -9223372036854775808.0 && x < 9223372036854775808.0)
        return (int64_t)x;
    return INT64_MIN;
}

int histogram_checked(const double *x, int64_t n, int64_t *counts, int64_t nbins, double lo,
                      double hi)
{
    double scale = (double)nbins / (hi - lo);
    for (int64_t i = 0; i < n; ++i) {
        double t = (x[i] - lo) * scale;
        if (__builtin_expect(!isfinite(t), 0))
            return -1;
        int64_t b = f2i(trunc(t));
        if (b >= 0 && b < nbins && x[i] >= lo) {
            if (__builtin_expect((uint64_t)b >= (uint64_t)nbins, 0))
                return -2;
            counts[b] += 1;
        }
    }
    return 0;
}

/* The same with only the int() check (NaN/infinity raise): the bounds check removed. */
int histogram_intcheck(const double *x, int64_t n, int64_t *counts, int64_t nbins, double lo,
                       double hi)
{
    double scale = (double)nbins / (hi - lo);
    for (int64_t i = 0; i < n; ++i) {
        double t = (x[i] - lo) * scale;
        if (__builtin_expect(!isfinite(t), 0))
            return -1;
        int64_t b = f2i(trunc(t));
        if (b >= 0 && b < nbins && x[i] >= lo)
            counts[b] += 1;
    }
    return 0;
}

/* fib with sejit's internal calling convention: a status return and the result through a
 * pointer, checked after every call. */
static int fib_status_(int64_t n, int64_t *r)
{
    if (n < 2) {
        *r = n;
        return 0;
    }
    int64_t a, b;
    if (fib_status_(n - 1, &a))
        return -1;
    if (fib_status_(n - 2, &b))
        return -1;
    *r = a + b;
    return 0;
}

int64_t fib_status(int64_t n)
{
    int64_t r;
    return fib_status_(n, &r) ? -1 : r;
}

/* min and max with NumPy's NaN propagation, as sejit generates them (a select per element,
 * one serial chain), and as 4 independent chains combined at the end. */
void minmax_serial(const double *x, int64_t n, double *out)
{
    double mn = x[0], mx = x[0];
    for (int64_t i = 0; i < n; ++i) {
        double v = x[i];
        mn = (v < mn || v != v) ? v : mn;
        mx = (v > mx || v != v) ? v : mx;
    }
    out[0] = mn;
    out[1] = mx;
}

void minmax_4chains(const double *x, int64_t n, double *out)
{
    double mn[4] = {x[0], x[0], x[0], x[0]}, mx[4] = {x[0], x[0], x[0], x[0]};
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) {
        for (int k = 0; k < 4; ++k) {
            double v = x[i + k];
            mn[k] = (v < mn[k] || v != v) ? v : mn[k];
            mx[k] = (v > mx[k] || v != v) ? v : mx[k];
        }
    }
    for (; i < n; ++i) {
        double v = x[i];
        mn[0] = (v < mn[0] || v != v) ? v : mn[0];
        mx[0] = (v > mx[0] || v != v) ? v : mx[0];
    }
    for (int k = 1; k < 4; ++k) {
        mn[0] = (mn[k] < mn[0] || mn[k] != mn[k]) ? mn[k] : mn[0];
        mx[0] = (mx[k] > mx[0] || mx[k] != mx[k]) ? mx[k] : mx[0];
    }
    out[0] = mn[0];
    out[1] = mx[0];
}

/* The same with the NaN test taken out of the chain: plain ordered compares (which GCC turns
 * into vector min/max) and a flag that any NaN sets; NaN is returned at the end if it was
 * seen. Equal to NumPy's result for every input. */
void minmax_nanflag(const double *x, int64_t n, double *out)
{
    double mn = x[0], mx = x[0];
    int nan = 0;
    for (int64_t i = 0; i < n; ++i) {
        double v = x[i];
        mn = v < mn ? v : mn;
        mx = v > mx ? v : mx;
        nan |= v != v;
    }
    out[0] = nan ? NAN : mn;
    out[1] = nan ? NAN : mx;
}

/* nbody of kernels_c.c with the check sejit makes for math.sqrt (a negative argument raises
 * ValueError: "math domain error") in the inner loop. */
int nbody_sqrtcheck(double *pos, double *vel, const double *mass, int64_t n, double dt,
                    double soft)
{
    for (int64_t i = 0; i < n; ++i) {
        double ax = 0.0, ay = 0.0, az = 0.0;
        for (int64_t j = 0; j < n; ++j) {
            double dx = pos[3 * j] - pos[3 * i];
            double dy = pos[3 * j + 1] - pos[3 * i + 1];
            double dz = pos[3 * j + 2] - pos[3 * i + 2];
            double r2 = dx * dx + dy * dy + dz * dz + soft * soft;
            if (__builtin_expect(r2 < 0.0, 0))
                return -1;
            double inv = mass[j] / (r2 * sqrt(r2));
            ax += dx * inv;
            ay += dy * inv;
            az += dz * inv;
        }
        vel[3 * i] += dt * ax;
        vel[3 * i + 1] += dt * ay;
        vel[3 * i + 2] += dt * az;
    }
    for (int64_t i = 0; i < 3 * n; ++i)
        pos[i] += dt * vel[i];
    return 0;
}
