"""How unsure a model is about each item, from its predicted probabilities.

Three measures (Settles, *Active Learning Literature Survey*, 2009): least confidence
(1 - the top probability), margin (1 - the gap between the two top probabilities) and entropy
(of the whole distribution, divided by its maximum so that it lies in [0, 1]). For multi-label
sets every label is a yes/no question of its own and the item counts as unsure as its most
unsure label (entropy: the mean over labels).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Strategy = Literal["least_confidence", "margin", "entropy"]
STRATEGIES: tuple[Strategy, ...] = ("least_confidence", "margin", "entropy")


@dataclass(frozen=True)
class Scores:
    """Per item: the predicted label index, and the three measures (each in [0, 1])."""

    predicted: np.ndarray  # int, index into the classes
    confidence: np.ndarray  # top probability (multi: of the least sure label's answer)
    margin: np.ndarray  # gap between the two most likely answers
    entropy: np.ndarray  # normalised entropy

    def uncertainty(self, strategy: Strategy) -> np.ndarray:
        """The score the queue sorts by, highest first."""
        if strategy == "least_confidence":
            return 1.0 - self.confidence
        if strategy == "margin":
            return 1.0 - self.margin
        if strategy == "entropy":
            return self.entropy
        raise ValueError(f"Unknown strategy {strategy!r}; use one of {', '.join(STRATEGIES)}.")


def _entropy(p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log(p), 0.0)
    return terms.sum(axis=1)


def score(probabilities: np.ndarray, *, multi: bool = False) -> Scores:
    """Score a batch.

    Args:
        probabilities: ``(items, classes)``; single-label rows sum to 1, multi-label entries are
            each label's own probability.
        multi: The columns are independent labels rather than one distribution.

    Returns:
        The scores of every item.

    >>> s = score(np.array([[0.5, 0.5, 0.0], [0.4, 0.3, 0.3]]))
    >>> [round(float(x), 2) for x in s.uncertainty("least_confidence")]
    [0.5, 0.6]
    >>> [round(float(x), 2) for x in s.uncertainty("margin")]
    [1.0, 0.9]
    """
    p = np.clip(np.asarray(probabilities, dtype=float), 0.0, 1.0)
    if p.ndim != 2 or p.shape[1] == 0:
        raise ValueError(f"Expected (items, classes) probabilities, got shape {p.shape}.")
    if multi:
        sure = np.maximum(p, 1.0 - p)  # probability of the answer given, per label
        binary = np.stack([p, 1.0 - p], axis=2).reshape(-1, 2)
        per_label = _entropy(binary).reshape(p.shape) / np.log(2)
        return Scores(
            predicted=p.argmax(axis=1),
            confidence=sure.min(axis=1),
            margin=np.abs(2.0 * p - 1.0).min(axis=1),
            entropy=per_label.mean(axis=1),
        )
    classes = p.shape[1]
    top_two = -np.sort(-p, axis=1)[:, :2]
    second = top_two[:, 1] if classes > 1 else np.zeros(len(p))
    entropy = _entropy(p) / np.log(classes) if classes > 1 else np.zeros(len(p))
    return Scores(
        predicted=p.argmax(axis=1),
        confidence=top_two[:, 0],
        margin=top_two[:, 0] - second,
        entropy=np.clip(entropy, 0.0, 1.0),
    )
