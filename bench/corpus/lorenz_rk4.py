"""Classic RK4 integration of the Lorenz system, the right-hand side a helper returning a
tuple, the trajectory stored in a preallocated array."""
import numpy as np

GROUP = "physics"
NUMPY = False
SIZES = (1000, 1000000)
RTOL = 1e-9


def lorenz(x, y, z, sigma, rho, beta):
    return sigma * (y - x), x * (rho - z) - y, x * y - beta * z


def lorenz_rk4(x0, y0, z0, dt, nsteps):
    sigma, rho, beta = 10.0, 28.0, 8.0 / 3.0
    traj = np.empty((nsteps, 3))
    x, y, z = x0, y0, z0
    for i in range(nsteps):
        k1x, k1y, k1z = lorenz(x, y, z, sigma, rho, beta)
        k2x, k2y, k2z = lorenz(x + 0.5 * dt * k1x, y + 0.5 * dt * k1y, z + 0.5 * dt * k1z,
                               sigma, rho, beta)
        k3x, k3y, k3z = lorenz(x + 0.5 * dt * k2x, y + 0.5 * dt * k2y, z + 0.5 * dt * k2z,
                               sigma, rho, beta)
        k4x, k4y, k4z = lorenz(x + dt * k3x, y + dt * k3y, z + dt * k3z, sigma, rho, beta)
        x += dt / 6.0 * (k1x + 2 * k2x + 2 * k3x + k4x)
        y += dt / 6.0 * (k1y + 2 * k2y + 2 * k3y + k4y)
        z += dt / 6.0 * (k1z + 2 * k2z + 2 * k3z + k4z)
        traj[i, 0] = x
        traj[i, 1] = y
        traj[i, 2] = z
    return traj


ENTRY = lorenz_rk4


def make_args(n):
    return (1.0, 1.0, 1.0, 0.001, n)
