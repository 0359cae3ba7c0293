/* The hand-written baseline for bench/run.py: DESIGN §1's poly as the C loop
 * a programmer would write, compiled with the flags sejit's engine uses. */
#include <stdint.h>

void poly_c(const double *x, double *y, double a, int64_t n)
{
    for (int64_t i = 0; i < n; ++i) {
        double x1 = x[i] - a;
        y[i] = x1 + x1 * x1;
    }
}
