"""Total Lennard-Jones energy of a cluster of atoms with a cutoff, all pairs."""
import numpy as np

GROUP = "physics"
NUMPY = False
SIZES = (40, 3000)
RTOL = 1e-9


def lj_pair(r2, eps, sigma):
    s6 = (sigma * sigma / r2) ** 3
    return 4.0 * eps * (s6 * s6 - s6)


def lennard_jones(pos, eps, sigma, rcut):
    n = pos.shape[0]
    energy = 0.0
    rc2 = rcut * rcut
    for i in range(n - 1):
        for j in range(i + 1, n):
            dx = pos[i, 0] - pos[j, 0]
            dy = pos[i, 1] - pos[j, 1]
            dz = pos[i, 2] - pos[j, 2]
            r2 = dx * dx + dy * dy + dz * dz
            if r2 < rc2:
                energy += lj_pair(r2, eps, sigma)
    return energy


ENTRY = lennard_jones


def make_args(n):
    rng = np.random.default_rng(122)
    side = round(n ** (1 / 3)) + 1
    g = np.arange(side ** 3)
    pts = np.stack([g % side, (g // side) % side, g // side // side], axis=1)[:n]
    return (pts * 1.12 + 0.05 * rng.standard_normal((n, 3)), 1.0, 1.0, 2.5)
