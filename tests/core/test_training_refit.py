"""The steps that make large tables cheap: the vectorised word TF-IDF of text columns, strings
that are strings already, and the refit on every row within the time left."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import skrub
from sklearn.datasets import load_diabetes
from sklearn.feature_extraction.text import TfidfVectorizer

from mlworkbench.core.training import refit as refit_module
from mlworkbench.core.training import search as search_module
from mlworkbench.core.training import string_encoding, train
from mlworkbench.core.training.pipelines import DistinctValues, as_strings
from mlworkbench.core.training.result import fit_trial
from mlworkbench.core.training.string_encoding import encode_strings, word_tfidf

DOCS = ["The red car is RED", "a red car", "blue sky, blue SEA!", "", "unseen words only",
        "red", "car red car red", "naïve café crème brûlée", "sky\nblue\tcar", "x y z"]


def _texts(rows: int, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    words = np.array("red blue car sky sea is the an of café naïve big small fast".split())
    lengths = rng.integers(0, 9, rows)
    return [" ".join(rng.choice(words, k)) + (" NEW" if i % 7 == 0 else "")
            for i, k in enumerate(lengths)]


@pytest.mark.parametrize("settings", [
    {"ngram_range": (1, 2)}, {"ngram_range": (1, 1)}, {"ngram_range": (2, 2)},
    {"ngram_range": (1, 2), "norm": None, "use_idf": False}, {"lowercase": False},
    {"ngram_range": (1, 2), "min_df": 2},  # bigrams whose words are not unigrams of the vocabulary
])
def test_word_tfidf_is_the_vectorizers_own_matrix(settings):
    fit_on = _texts(300, seed=1) + DOCS
    vectorizer = TfidfVectorizer(**settings).fit(fit_on)
    texts = _texts(3000, seed=2) + DOCS
    fast = word_tfidf(vectorizer, texts)
    assert fast is not None
    assert abs(fast - vectorizer.transform(texts)).max() < 1e-12


def test_word_tfidf_leaves_other_settings_to_the_vectorizer():
    for settings in ({"analyzer": "char"}, {"stop_words": ["the"]}, {"sublinear_tf": True},
                     {"ngram_range": (1, 3)}, {"binary": True}):
        vectorizer = TfidfVectorizer(**settings).fit(DOCS)
        assert word_tfidf(vectorizer, DOCS) is None


def test_a_text_column_encodes_as_the_string_encoder_would_on_many_rows_and_on_few():
    texts = pd.Series(_texts(5000) + DOCS + [None], name="review", dtype=object)
    encoder = skrub.StringEncoder(n_components=5, vectorizer="tfidf", analyzer="word",
                                  ngram_range=(1, 2), random_state=0)
    fitted = DistinctValues(encoder, random_state=0).fit(as_strings(texts))
    uniques = pd.Series(pd.unique(as_strings(texts)), name="review", dtype=object)
    assert len(uniques) >= string_encoding.FAST_FROM  # the vectorised path
    expected = np.asarray(fitted.encoder_.transform(uniques))
    assert np.allclose(encode_strings(fitted.encoder_, uniques), expected, atol=1e-6)
    rows = fitted.transform(as_strings(texts))
    assert rows.shape == (len(texts), 5)
    assert np.allclose(rows[:3], fitted.transform(as_strings(texts.head(3))), atol=1e-6)
    # City names (character n-grams) take the encoder's own transform.
    cities = skrub.StringEncoder(n_components=3, random_state=0).fit(uniques.head(50))
    assert np.allclose(encode_strings(cities, uniques), np.asarray(cities.transform(uniques)))


def test_strings_are_kept_and_other_values_become_their_text():
    def shown(series):
        assert series.dtype == object
        return [v if isinstance(v, str) else "NaN" if np.isnan(v) else v for v in series]

    values = pd.Series(["a", None, np.nan, 1, True, 2.5], dtype=object)
    assert shown(as_strings(values)) == ["a", "NaN", "NaN", "1", "True", "2.5"]
    strings = pd.Series(["x", None, "y"], dtype="string")
    assert shown(as_strings(strings)) == ["x", "NaN", "y"]
    assert shown(as_strings(pd.Series(["x", None], dtype="category"))) == ["x", "NaN"]


def test_refit_on_every_row_that_the_time_left_cannot_afford_keeps_the_evaluated_model(
        monkeypatch):
    monkeypatch.setattr(search_module, "REFIT_FLOOR_ROWS", 100)
    frame = load_diabetes(as_frame=True).frame

    result = train(frame, "target", budget_s=0, folds=3, n_jobs=1, refit_all=True)

    assert result.pipeline is result.evaluated and result.refitted is None
    assert result.rows["refit"] == result.rows["train"] < 442
    assert ("The budget left no time to refit it on all 442 rows (training and held-out"
            in result.message)
    assert f"the saved model is the evaluated one, fitted on {result.rows['train']} training " \
           "rows" in result.message
    # Runners-up are refitted on the rows the kept model was: the training split.
    dummy = result.refit(result.search.trials[0])
    assert dummy.predict(frame.iloc[:1])[0] == pytest.approx(result.train_target.mean())


def test_refit_on_every_row_takes_the_sample_the_time_left_affords_and_says_so(monkeypatch):
    monkeypatch.setattr(search_module, "REFIT_FLOOR_ROWS", 100)
    monkeypatch.setattr(refit_module, "affordable_rows", lambda total, *_: 400)
    frame = load_diabetes(as_frame=True).frame

    result = train(frame, "target", budget_s=0, folds=3, n_jobs=1, refit_all=True)

    assert result.rows["refit"] == 400 and len(result.refit_sample) == 400
    assert ("refitted on 400 of the 442 rows, as many as the budget left time for (training "
            "and held-out)") in result.message
    X, y = result.all_rows()
    X, y = X.iloc[result.refit_sample], y.iloc[result.refit_sample]
    assert len(X.index.unique()) == 400  # 400 distinct rows of the 442
    on_sample = fit_trial(result.best, X, y, task="regression", encodings=result.encodings,
                          random_state=0)
    assert np.allclose(result.pipeline.predict(frame), on_sample.predict(frame))
    assert not np.allclose(result.pipeline.predict(frame), result.evaluated.predict(frame))
    # Runners-up are refitted on the same rows: the dummy predicts the mean of their target.
    dummy = result.refit(result.search.trials[0])
    assert dummy.predict(frame.iloc[:1])[0] == pytest.approx(y.mean())


def test_affordable_rows_grow_with_the_time_left_between_the_floor_and_every_row(monkeypatch):
    monkeypatch.setattr(search_module, "REFIT_FLOOR_ROWS", 1000)
    rows = [refit_module.affordable_rows(10_000, 2000, 4.0, left) for left in (0, 5, 10, 60)]
    assert rows == sorted(rows) and rows[0] == 1000 and rows[-1] == 10_000
    assert refit_module.affordable_rows(800, 100, 50.0, 0) == 800  # under the floor: all
