"""GrowCut cellular-automaton segmentation: each cell is attacked by its 8 neighbours, the
strength decaying with the colour difference."""
import numpy as np

GROUP = "image"
NUMPY = False
SIZES = (16, 300)


def window_floor(idx, radius):
    if radius > idx:
        return 0
    return idx - radius


def window_ceil(idx, radius, stop):
    if idx + radius > stop:
        return stop
    return idx + radius


def growcut(image, state, state_next, window_radius):
    changes = 0
    sqrt_3 = np.sqrt(3.0)
    height = image.shape[0]
    width = image.shape[1]
    for j in range(width):
        for i in range(height):
            winning_colony = state[i, j, 0]
            defense_strength = state[i, j, 1]
            for jj in range(window_floor(j, window_radius),
                            window_ceil(j + 1, window_radius, width)):
                for ii in range(window_floor(i, window_radius),
                                window_ceil(i + 1, window_radius, height)):
                    if ii == i and jj == j:
                        continue
                    d = image[i, j, 0] - image[ii, jj, 0]
                    s = d * d
                    for k in range(1, 3):
                        d = image[i, j, k] - image[ii, jj, k]
                        s += d * d
                    gval = 1.0 - np.sqrt(s) / sqrt_3
                    attack_strength = gval * state[ii, jj, 1]
                    if attack_strength > defense_strength:
                        defense_strength = attack_strength
                        winning_colony = state[ii, jj, 0]
                        changes += 1
            state_next[i, j, 0] = winning_colony
            state_next[i, j, 1] = defense_strength
    return changes


ENTRY = growcut
OUTPUTS = (2,)


def make_args(n):
    rng = np.random.default_rng(116)
    image = rng.random((n, n, 3))
    state = np.zeros((n, n, 2))
    state[0, 0] = (1.0, 1.0)
    state[n - 1, n - 1] = (-1.0, 1.0)
    state[n // 2, 2] = (1.0, 0.8)
    return (image, state, state.copy(), 1)
