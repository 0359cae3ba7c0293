"""Ray casting a sphere: for a grid of rays from a pinhole camera, the hit distance (or inf),
with masks over whole arrays, and Lambert shading."""
import numpy as np

GROUP = "masked"
NUMPY = True
SIZES = (32, 1000)


def ray_sphere(n, center, radius, light):
    xs = np.linspace(-1.0, 1.0, n)
    X, Y = np.meshgrid(xs, xs)
    d = np.stack((X, Y, np.ones_like(X)), axis=-1)
    d /= np.sqrt(np.sum(d * d, axis=-1))[..., np.newaxis]
    b = np.sum(d * center, axis=-1)
    c = np.dot(center, center) - radius * radius
    disc = b * b - c
    hit = disc >= 0
    t = np.full((n, n), np.inf)
    t[hit] = b[hit] - np.sqrt(disc[hit])
    p = d * np.where(hit, t, 0.0)[..., np.newaxis]
    normal = (p - center) / radius
    shade = np.where(hit, np.clip(np.sum(normal * light, axis=-1), 0.0, 1.0), 0.0)
    return t, shade


ENTRY = ray_sphere


def make_args(n):
    light = np.array([-1.0, 1.0, -1.0])
    return (n, np.array([0.0, 0.0, 3.0]), 1.0, light / np.linalg.norm(light))
