"""Pre-annotations for a Label Studio push: a model's predicted label(s) with its score and
model version, from the active-learning queue, a fitted scikit-learn classifier or a callable.
(Registered models come with the model registry.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlworkbench.core.errors import InvalidRequestError
from mlworkbench.core.labeling.source import ITEM_KEY
from mlworkbench.core.labeling.studio_config import choice_result

if TYPE_CHECKING:
    from mlworkbench.core.labeling.label_sets import LabelSet

Guess = dict[str, Any]  # a Label Studio prediction: model_version, score, result


@dataclass
class Predictor:
    """Called with a batch of row dicts; answers one prediction (or None) per row."""

    version: str
    guess: Callable[[list[dict]], list[Guess | None]]
    all_columns: bool = False

    def __call__(self, rows: list[dict]) -> list[Guess | None]:
        return self.guess(rows)


def _prediction(labels: list[str], score: float | None, version: str) -> Guess:
    guess: Guess = {"model_version": version, "result": choice_result(labels)}
    if score is not None:
        guess["score"] = float(score)
    return guess


def predictor(label_set: LabelSet, predictions_from: str | None, model: Any,
              model_version: str | None) -> Predictor | None:
    """The pre-annotation source asked for, or None.

    Raises:
        InvalidRequestError: both a model and ``predictions_from``, or an unknown source.
    """
    if predictions_from is not None and model is not None:
        raise InvalidRequestError("predictions_from", "Give either a model or "
                                  "predictions_from, not both.")
    if predictions_from == "queue":
        return _from_queue(model_version)
    if predictions_from is not None:
        raise InvalidRequestError("predictions_from", "predictions_from is 'queue' (the "
                                  "active-learning queue's model).")
    if model is None:
        return None
    if callable(getattr(model, "predict_proba", None)):
        return _from_estimator(label_set, model, model_version)
    if callable(model):
        return _from_callable(label_set, model, model_version)
    raise InvalidRequestError("model", f"A {type(model).__name__} cannot predict: pass a fitted "
                              "classifier with predict_proba or a callable.")


def _from_queue(model_version: str | None) -> Predictor:
    def guess(rows: list[dict]) -> list[Guess | None]:
        answers: list[Guess | None] = []
        for row in rows:
            labels = row.get("predicted_labels") or (
                [row["predicted"]] if row.get("predicted") is not None else None)
            if not labels:
                answers.append(None)
                continue
            version = model_version or row.get("model_version") or "queue"
            answers.append(_prediction([str(v) for v in labels], row.get("confidence"), version))
        return answers

    return Predictor(version=model_version or "queue", guess=guess)


def _frame(label_set: LabelSet, rows: list[dict]):
    import pandas

    frame = pandas.DataFrame(rows)
    drop = [c for c in ("item_key", ITEM_KEY, label_set.key) if c in frame.columns]
    return frame.drop(columns=drop)


def _from_estimator(label_set: LabelSet, model: Any, model_version: str | None) -> Predictor:
    from mlworkbench.core.labeling.queue_model import custom_queue_model

    wrapped = custom_queue_model(model, choices=label_set.choices, multi=label_set.multi,
                                 columns=[])
    version = model_version or wrapped.version

    def guess(rows: list[dict]) -> list[Guess | None]:
        probabilities = wrapped.probabilities(_frame(label_set, rows))
        answers: list[Guess | None] = []
        for p in probabilities:
            top = int(p.argmax())
            if label_set.multi:
                chosen = [i for i, v in enumerate(p) if v >= 0.5] or [top]
                score = float(sum(p[i] for i in chosen) / len(chosen))
            else:
                chosen, score = [top], float(p[top])
            answers.append(_prediction([wrapped.classes[i] for i in chosen], score, version))
        return answers

    return Predictor(version=version, guess=guess, all_columns=True)


def _from_callable(label_set: LabelSet, fn: Callable, model_version: str | None) -> Predictor:
    version = model_version or getattr(fn, "__name__", "callable")

    def guess(rows: list[dict]) -> list[Guess | None]:
        answers: list[Guess | None] = []
        for answer in fn(_frame(label_set, rows)):
            if answer is None:
                answers.append(None)
                continue
            labels, score = answer if isinstance(answer, tuple) else (answer, None)
            labels = [labels] if isinstance(labels, str) else [str(v) for v in labels]
            answers.append(_prediction(labels, score, version))
        if len(answers) != len(rows):
            raise InvalidRequestError("model", f"The model answered {len(answers)} predictions "
                                      f"for {len(rows)} items.")
        return answers

    return Predictor(version=version, guess=guess, all_columns=True)
