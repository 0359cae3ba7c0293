/* Hand-written C for bench/suite.py: each kernel as a C programmer would write it
 * (contiguous arrays, plain loops, loop invariants hoisted by hand where a programmer
 * would), compiled with the flags sejit's engine uses (internal/build.Flags) and called
 * through ctypes with the arrays' data pointers. This is the physical reference: the
 * issue's "hand-written C loop" for the streaming kernels and HOPE's C versions.
 *
 * No restrict qualifiers and no pragmas: the C a scientist writes. GCC still vectorises
 * the streaming loops (it versions them for aliasing at run time). */
#include <math.h>
#include <stdint.h>

void poly_f64(const double *x, double *y, double a, int64_t n)
{
    for (int64_t i = 0; i < n; ++i) {
        double x1 = x[i] - a;
        y[i] = x1 + x1 * x1;
    }
}

void poly_f32(const float *x, float *y, float a, int64_t n)
{
    for (int64_t i = 0; i < n; ++i) {
        float x1 = x[i] - a;
        y[i] = x1 + x1 * x1;
    }
}

void quad(const double *x, double *y, int64_t n)
{
    for (int64_t i = 0; i < n; ++i)
        y[i] = 2.0 * (x[i] * x[i]) + 3.0 * x[i] + 4.0;
}

void poly10(const double *x, double *y, int64_t n)
{
    for (int64_t i = 0; i < n; ++i) {
        double t = x[i];
        y[i] = 1.0 + t * (0.9 + t * (0.8 + t * (0.7 + t * (0.6 + t * (0.5 + t * (
            0.4 + t * (0.3 + t * (0.2 + t * (0.1 + t * 0.05)))))))));
    }
}

void chain(const double *x, const double *y, const double *z, double *out, int64_t n)
{
    for (int64_t i = 0; i < n; ++i) {
        double s = x[i] + y[i];
        double d = x[i] - y[i];
        double q = s * d / (z[i] + 1.0);
        double r = q - 0.5 * z[i];
        out[i] = r * r + s;
    }
}

void mathmix(const double *x, double *out, int64_t n)
{
    for (int64_t i = 0; i < n; ++i)
        out[i] = sin(x[i]) * cos(x[i]) + exp(-x[i]) * sqrt(x[i]) + log(x[i] + 1.0);
}

double sumsq(const double *x, int64_t n)
{
    double s = 0.0;
    for (int64_t i = 0; i < n; ++i)
        s += x[i] * x[i];
    return s;
}

double pisum(void)
{
    double s = 0.0;
    for (int j = 1; j <= 500; ++j) {
        s = 0.0;
        for (int64_t k = 1; k <= 10000; ++k)
            s += 1.0 / (double)(k * k);
    }
    return s;
}

void star_psf(double *density, int64_t n0, int64_t n1, double cx, double cy,
              const double *xs, const double *ws, int64_t np, double r50, double beta)
{
    /* The same arithmetic as the Python, in the same order (so the same bits), with what a
     * C programmer hoists without changing a result: alpha*alpha, -beta, dx and its square. */
    double alpha = r50 / sqrt(pow(2.0, 1.0 / beta) - 1.0);
    double norm = (beta - 1.0) / (M_PI * alpha * alpha);
    double a2 = alpha * alpha;
    double mbeta = -beta;
    for (int64_t i = 0; i < n0; ++i) {
        for (int64_t j = 0; j < n1; ++j) {
            double acc = 0.0;
            for (int64_t p = 0; p < np; ++p) {
                double dx = (double)i + xs[p] - cx;
                double dx2 = dx * dx;
                for (int64_t q = 0; q < np; ++q) {
                    double dy = (double)j + xs[q] - cy;
                    double r2 = (dx2 + dy * dy) / a2;
                    acc += ws[p] * ws[q] * norm * pow(1.0 + r2, mbeta);
                }
            }
            density[i * n1 + j] = acc;
        }
    }
}

void pairwise(const double *X, double *D, int64_t n, int64_t d)
{
    for (int64_t i = 0; i < n; ++i) {
        for (int64_t j = 0; j < n; ++j) {
            double s = 0.0;
            for (int64_t k = 0; k < d; ++k) {
                double t = X[i * d + k] - X[j * d + k];
                s += t * t;
            }
            D[i * n + j] = sqrt(s);
        }
    }
}

/* The loop kernels too, so that every gap to a peer can be split into what the C compiler
 * does with natural C and what sejit's generated C adds. Same arithmetic in the same order
 * as the Python, so the same results. */

/* static: an exported function in a -fPIC shared object may be interposed, so its
 * recursive calls would go through the PLT and not be inlined. */
static int64_t fib_(int64_t n)
{
    return n < 2 ? n : fib_(n - 1) + fib_(n - 2);
}

int64_t fib(int64_t n)
{
    return fib_(n);
}

void laplace(const double *u, double *out, int64_t n0, int64_t n1)
{
    for (int64_t i = 1; i < n0 - 1; ++i)
        for (int64_t j = 1; j < n1 - 1; ++j)
            out[i * n1 + j] = 0.25 * (u[(i - 1) * n1 + j] + u[(i + 1) * n1 + j]
                                      + u[i * n1 + j - 1] + u[i * n1 + j + 1]);
}

void matmul(const double *a, const double *b, double *c, int64_t n, int64_t p, int64_t m)
{
    for (int64_t i = 0; i < n; ++i) {
        for (int64_t j = 0; j < m; ++j)
            c[i * m + j] = 0.0;
        for (int64_t k = 0; k < p; ++k) {
            double aik = a[i * p + k];
            for (int64_t j = 0; j < m; ++j)
                c[i * m + j] += aik * b[k * m + j];
        }
    }
}

void nbody(double *pos, double *vel, const double *mass, int64_t n, double dt, double soft)
{
    for (int64_t i = 0; i < n; ++i) {
        double ax = 0.0, ay = 0.0, az = 0.0;
        for (int64_t j = 0; j < n; ++j) {
            double dx = pos[3 * j] - pos[3 * i];
            double dy = pos[3 * j + 1] - pos[3 * i + 1];
            double dz = pos[3 * j + 2] - pos[3 * i + 2];
            double r2 = dx * dx + dy * dy + dz * dz + soft * soft;
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
}

void mandelbrot(int64_t *counts, int64_t h, int64_t w, double x0, double x1, double y0,
                double y1, int64_t maxiter)
{
    for (int64_t i = 0; i < h; ++i) {
        double ci = y0 + (y1 - y0) * (double)i / (double)h;
        for (int64_t j = 0; j < w; ++j) {
            double cr = x0 + (x1 - x0) * (double)j / (double)w;
            double zr = 0.0, zi = 0.0;
            int64_t k = 0;
            while (k < maxiter && zr * zr + zi * zi <= 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                k++;
            }
            counts[i * w + j] = k;
        }
    }
}

void histogram(const double *x, int64_t n, int64_t *counts, int64_t nbins, double lo, double hi)
{
    double scale = (double)nbins / (hi - lo);
    for (int64_t i = 0; i < n; ++i) {
        int64_t b = (int64_t)((x[i] - lo) * scale);
        if (b >= 0 && b < nbins && x[i] >= lo)
            counts[b] += 1;
    }
}

int64_t count_primes(int64_t n)
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
            if (m % d == 0) {
                is_prime = 0;
                break;
            }
        }
        count += is_prime;
    }
    return count;
}
