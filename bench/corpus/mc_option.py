"""Monte Carlo price of a European call from given standard normal draws (GBM terminal value),
with its standard error."""
import numpy as np

GROUP = "montecarlo"
NUMPY = True
SIZES = (10000, 5000000)


def mc_option(z, s0, strike, r, sigma, t):
    st = s0 * np.exp((r - 0.5 * sigma**2) * t + sigma * np.sqrt(t) * z)
    payoff = np.maximum(st - strike, 0.0)
    disc = np.exp(-r * t)
    price = disc * payoff.mean()
    stderr = disc * payoff.std() / np.sqrt(z.size)
    return price, stderr


ENTRY = mc_option


def make_args(n):
    rng = np.random.default_rng(73)
    return (rng.standard_normal(n), 100.0, 105.0, 0.03, 0.2, 1.0)
