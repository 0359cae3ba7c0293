"""Great-circle (haversine) distance between two lists of points on a sphere, in radians."""
import numpy as np

GROUP = "numpy"
NUMPY = True
SIZES = (1000, 2000000)


def arc_distance(theta_1, phi_1, theta_2, phi_2):
    temp = (np.sin((theta_2 - theta_1) / 2) ** 2
            + np.cos(theta_1) * np.cos(theta_2) * np.sin((phi_2 - phi_1) / 2) ** 2)
    distance_matrix = 2 * np.arctan2(np.sqrt(temp), np.sqrt(1 - temp))
    return distance_matrix


ENTRY = arc_distance


def make_args(n):
    rng = np.random.default_rng(101)
    return tuple(rng.random(n) for _ in range(4))
