"""Which of a payer's open amounts add up to a payment, and how likely that is by chance.

Amounts here are integers in minor units (cents). The search is bounded twice: at most
`max_items` amounts per combination, and a budget of search steps; it stops after finding two
different combinations, because two already mean the payment is ambiguous.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SumSearch:
    solutions: tuple[tuple[int, ...], ...]  # indices into the values, each sorted
    complete: bool  # False when the step budget ran out before the search space did


def combinations_summing_to(
    values: list[int], target: int, max_items: int, budget: int = 40_000, stop_after: int = 2
) -> SumSearch:
    order = sorted(range(len(values)), key=lambda i: (values[i], i))
    ordered = [values[i] for i in order]
    count = len(ordered)
    # best[r][i]: the largest total r amounts taken from ordered[i:] can reach.
    suffix = [0] * (count + 1)
    for i in range(count - 1, -1, -1):
        suffix[i] = suffix[i + 1] + ordered[i]
    found: list[tuple[int, ...]] = []
    steps = 0

    def largest(start: int, items: int) -> int:
        first = max(start, count - items)
        return suffix[first]

    def walk(start: int, rest: int, chosen: list[int]) -> bool:
        nonlocal steps
        left = max_items - len(chosen)
        if largest(start, left) < rest:
            return True
        for i in range(start, count):
            steps += 1
            if steps > budget:
                return False
            value = ordered[i]
            if value > rest:
                break
            if value == rest:
                found.append(tuple(sorted(order[j] for j in [*chosen, i])))
                if len(found) >= stop_after:
                    return True
            elif left > 1 and value > 0:
                chosen.append(i)
                carry_on = walk(i + 1, rest - value, chosen)
                chosen.pop()
                if not carry_on or len(found) >= stop_after:
                    return carry_on
        return True

    complete = target > 0 and walk(0, target, [])
    return SumSearch(tuple(found), complete or len(found) >= stop_after)


def count_sums_between(
    values: list[int], low: int, high: int, max_items: int, budget: int = 30_000
) -> tuple[int, bool]:
    """How many combinations of up to `max_items` values have a total within [low, high]:
    the local density of totals near a payment, to judge how easily one hits it by chance.
    Returns (count, complete); incomplete when the step budget ran out."""
    ordered = sorted(values)
    count = len(ordered)
    suffix = [0] * (count + 1)
    for i in range(count - 1, -1, -1):
        suffix[i] = suffix[i + 1] + ordered[i]
    found = steps = 0

    def walk(start: int, total: int, left: int) -> bool:
        nonlocal found, steps
        if total + suffix[max(start, count - left)] < low:
            return True  # even the largest remaining values cannot reach the band
        for i in range(start, count):
            reached = total + ordered[i]
            if reached > high:
                break
            steps += 1
            if steps > budget:
                return False
            if reached >= low:
                found += 1
            if left > 1 and not walk(i + 1, reached, left - 1):
                return False
        return True

    complete = walk(0, 0, max_items)
    return found, complete


def band(target: int) -> tuple[int, int]:
    """The totals around `target` whose density stands for the chance of a coincidence:
    ±10 % of it, and at least ±50.00."""
    half = max(5_000, target // 10)
    return target - half, target + half
