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
