"""Compiling a published pipeline into its row fast path, used only once verified exact.

``compile_pipeline(pipeline, signature)`` walks a fitted pipeline of our training
(``training/pipelines.py``): the ``ColumnTransformer`` (``transforms.py``), a linear model's
``SimpleImputer`` and ``StandardScaler`` (their own ``transform``, cheap on a NumPy matrix),
and the model: tree ensembles compiled (``trees.py``), linear models called on the matrix.
The result is then checked against the real pipeline on rows made from the pipeline itself
(``verify.py``); any difference, or any part it does not know, gives None and the reason,
and the caller keeps scikit-learn's path.

A compiled pipeline takes plain columns, ``{name: [value, ...]}`` of Python values that fit
the signature exactly (``types``: numbers for integer/float columns, bools for boolean ones,
strings for string ones, ``None`` anywhere), and answers what ``pipeline.predict`` and
``predict_proba`` would.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from mlworkbench.core.serving.fastpath.transforms import Preprocessor, Unsupported, \
    compile_columns
from mlworkbench.core.serving.fastpath.trees import compile_model

LOG = logging.getLogger(__name__)


class CompiledPipeline:
    """A pipeline's fast path (see the module docstring).

    Attributes:
        types: Input column -> its signature type ('integer', 'float', 'boolean', 'string').
        classify: Whether the model gives class probabilities.
    """

    def __init__(self, preprocessor: Preprocessor, steps: list[Any], model: Any,
                 classify: bool) -> None:
        self.preprocessor, self.steps, self.model = preprocessor, steps, model
        self.types = preprocessor.types
        self.classify = classify

    def matrix(self, columns: dict[str, list], n: int) -> np.ndarray:
        X = self.preprocessor.matrix(columns, n)
        for step in self.steps:
            X = step.transform(X)
        return X

    def predict(self, columns: dict[str, list], n: int) -> np.ndarray:
        return self.model.predict(self.matrix(columns, n))

    def predict_proba(self, columns: dict[str, list], n: int) -> np.ndarray | None:
        if not self.classify:
            return None
        return self.model.predict_proba(self.matrix(columns, n))


def compile_pipeline(pipeline: Any, signature: Any, *, verify: bool = True
                     ) -> tuple[CompiledPipeline | None, str | None]:
    """The verified fast path of ``pipeline``, or None and why not.

    Args:
        pipeline: A fitted scikit-learn pipeline of our training.
        signature: Its model's signature (``registry.signature.Signature``).
        verify: Compare with the real pipeline before answering (only tests turn it off).

    Returns:
        ``(compiled, None)``, or ``(None, reason)``; the reason is also logged.
    """
    try:
        compiled = _build(pipeline, signature)
        if verify:
            from mlworkbench.core.serving.fastpath.verify import differences

            problem = differences(compiled, pipeline, signature)
            if problem is not None:
                raise Unsupported(f"it differs from the pipeline: {problem}")
    except Unsupported as why:
        reason = str(why)
    except Exception as error:  # noqa: BLE001 - a fast path never breaks loading
        reason = f"compiling failed: {type(error).__name__}: {error}"
    else:
        return compiled, None
    LOG.info("No row fast path for this model: %s", reason)
    return None, reason


def _build(pipeline: Any, signature: Any) -> CompiledPipeline:
    from sklearn import linear_model
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    if type(pipeline) is not Pipeline or len(pipeline.steps) < 2:
        raise Unsupported(f"{type(pipeline).__name__} is not a Pipeline of our training")
    preprocessor = compile_columns(pipeline.steps[0][1], signature)
    if set(preprocessor.types) != set(signature.names):
        raise Unsupported("the pipeline does not read every column of the signature")
    preprocessor.types = {n: preprocessor.types[n] for n in signature.names}  # signature order
    steps = [s for _, s in pipeline.steps[1:-1]]
    for step in steps:
        if type(step) not in (SimpleImputer, StandardScaler):
            raise Unsupported(f"step {type(step).__name__} is not compiled")
    model = pipeline.steps[-1][1]
    compiled = compile_model(model)
    if compiled is None:
        if type(model) not in (linear_model.LogisticRegression, linear_model.Ridge):
            raise Unsupported(f"model {type(model).__name__} is not compiled")
        compiled = model  # a matrix product: its own predict costs little
    return CompiledPipeline(preprocessor, steps, compiled, hasattr(model, "classes_"))
