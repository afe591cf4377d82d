"""Price scores: the lowest price always gets the best score.

Formulas (DESIGN, section 3), with N the score, Nmax the best score, P the price:
- proportional (default): N = Nmax × Pmin / P
- linear:                 N = Nmax × (Pmax − P) / (Pmax − Pmin); all Nmax when every price is equal
- relative gap:           N = Nmax × max(0, 1 − (P − Pmin) / Pmin)

Rounding: computed exactly with Decimal (28 significant digits) and kept exact; a score is
rounded half up to the hundredth of a point (0,01) only where it is shown or stored as a result
(round_score, the project's one rounding rule). Only the prices of regular offers are compared.
"""

from decimal import Decimal

from core.formats import round_half_up

PROPORTIONAL = "proportional"
LINEAR = "linear"
RELATIVE_GAP = "relative_gap"
FORMULAS = (PROPORTIONAL, LINEAR, RELATIVE_GAP)


def round_score(value: Decimal) -> Decimal:
    """A score as stored and shown: to the hundredth, half up."""
    return round_half_up(value, 2)


def price_scores(prices: dict, *, formula: str, best: Decimal) -> dict:
    """prices: {key: Decimal price > 0}; returns {key: score}, exact: it is rounded where it is
    shown, and its points once in the bid's part of the total."""
    if formula not in FORMULAS:
        raise ValueError(f"Unknown price formula: {formula}")
    if not prices:
        return {}
    if any(p is None or p <= 0 for p in prices.values()):
        raise ValueError("Every compared price is greater than 0.")
    lowest = min(prices.values())
    highest = max(prices.values())
    scores = {}
    for key, price in prices.items():
        if formula == PROPORTIONAL:
            raw = best * lowest / price
        elif formula == LINEAR:
            raw = best if highest == lowest else best * (highest - price) / (highest - lowest)
        else:
            raw = best * max(Decimal(0), 1 - (price - lowest) / lowest)
        scores[key] = raw
    return scores
