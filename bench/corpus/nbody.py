"""One leapfrog step of a softened N-body system, pairwise separations by broadcasting
column vectors against their transposes (the popular NumPy tutorial style)."""
import numpy as np

GROUP = "physics"
NUMPY = True
SIZES = (32, 1000)
OUTPUTS = (0, 1)
RTOL = 1e-9


def get_acc(pos, mass, G, softening):
    x = pos[:, 0:1]
    y = pos[:, 1:2]
    z = pos[:, 2:3]
    dx = x.T - x
    dy = y.T - y
    dz = z.T - z
    inv_r3 = dx**2 + dy**2 + dz**2 + softening**2
    inv_r3[inv_r3 > 0] = inv_r3[inv_r3 > 0] ** (-1.5)
    ax = G * (dx * inv_r3) @ mass
    ay = G * (dy * inv_r3) @ mass
    az = G * (dz * inv_r3) @ mass
    return np.hstack((ax, ay, az))


def nbody_step(pos, vel, mass, dt, G, softening):
    acc = get_acc(pos, mass, G, softening)
    vel += acc * dt / 2.0
    pos += vel * dt
    acc = get_acc(pos, mass, G, softening)
    vel += acc * dt / 2.0
    KE = 0.5 * np.sum(mass * vel**2)
    return KE


ENTRY = nbody_step


def make_args(n):
    rng = np.random.default_rng(61)
    return (rng.standard_normal((n, 3)), rng.standard_normal((n, 3)),
            20.0 * np.ones((n, 1)) / n, 0.01, 1.0, 0.1)
