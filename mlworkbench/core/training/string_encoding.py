"""Applying a fitted skrub ``StringEncoder`` to many values, with a vectorised word TF-IDF.

scikit-learn's ``TfidfVectorizer.transform`` analyses each document in Python: it builds every
word n-gram as a new string and looks each one up in a dict, which made the TF-IDF of the free
text most of the preprocessing of a large table (5.5 s of 8.3 s for 600k reviews). The same
matrix comes from tokenising each document once (the vectorizer's own pattern) and looking the
tokens and the token pairs up in bulk as integer codes; ``encode_strings`` does that for the
settings the training pipelines use (words, unigrams and bigrams, no stop words) on batches of
at least ``FAST_FROM`` values, and otherwise calls the encoder's own ``transform``.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain, repeat
from typing import Any

import numpy as np
import pandas as pd

#: Values from which the vectorised path is taken: below, the encoder's own transform is as
#: fast (and a single-row prediction does not pay for building the lookup tables).
FAST_FROM = 2000


def encode_strings(encoder: Any, values: pd.Series) -> np.ndarray:
    """``encoder.transform(values)`` as an array: a fitted skrub ``StringEncoder`` applied to a
    column of strings (the same numbers as its own transform, computed faster for word
    TF-IDF on many values).

    Args:
        encoder: A fitted ``skrub.StringEncoder`` (anything else is called as it is).
        values: The strings to encode (missing values allowed).

    Returns:
        One row per value, one column per component.
    """
    if len(values) < FAST_FROM or not _word_tfidf_encoder(encoder):
        return np.asarray(encoder.transform(values))
    filled = encoder.to_str.transform(values).fillna("")
    counts = word_tfidf(encoder.vectorizer_, filled.tolist())
    if counts is None:
        return np.asarray(encoder.transform(values))
    matrix = counts.astype("float32")
    if hasattr(encoder, "tsvd_"):
        result = encoder.tsvd_.transform(matrix)
    else:
        result = matrix[:, : encoder.n_components].toarray()
    result /= encoder.scaling_factor_
    return result


def _word_tfidf_encoder(encoder: Any) -> bool:
    """Whether ``encoder`` is a fitted skrub ``StringEncoder`` with a TF-IDF vectorizer (the
    steps ``encode_strings`` repeats around the vectorizer)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    fitted = all(hasattr(encoder, a) for a in ("to_str", "vectorizer_", "scaling_factor_"))
    return (type(encoder).__name__ == "StringEncoder" and fitted
            and isinstance(encoder.vectorizer_, TfidfVectorizer))


def word_tfidf(vectorizer: Any, texts: list[str]) -> Any:
    """``vectorizer.transform(texts)`` for a fitted word ``TfidfVectorizer`` of unigrams and/or
    bigrams without stop words, custom analysers or sublinear/binary counts; None for any
    other settings (the caller then uses ``vectorizer.transform``).

    >>> from sklearn.feature_extraction.text import TfidfVectorizer
    >>> docs = ["a red car", "the red car is red", "blue sky", ""]
    >>> v = TfidfVectorizer(ngram_range=(1, 2)).fit(docs)
    >>> bool(np.allclose(word_tfidf(v, docs).toarray(), v.transform(docs).toarray()))
    True
    """
    from scipy import sparse
    from sklearn.preprocessing import normalize

    settings = vectorizer.get_params()
    low, high = settings["ngram_range"]
    if not (settings["analyzer"] == "word" and settings["input"] == "content"
            and settings["tokenizer"] is None and settings["preprocessor"] is None
            and settings["strip_accents"] is None and settings["stop_words"] is None
            and not settings["binary"] and not settings["sublinear_tf"]
            and 1 <= low <= high <= 2 and hasattr(vectorizer, "vocabulary_")):
        return None
    pattern = re.compile(settings["token_pattern"])
    if pattern.groups > 1:
        return None
    lookup = _lookup(vectorizer.vocabulary_)
    if lookup is None:
        return None
    words, unigram, pairs, pair_columns = lookup
    findall, lower = pattern.findall, settings["lowercase"]
    # Millions of short-lived lists: the cyclic garbage collector would walk all of them
    # again and again (it tripled the time); none of them can form a cycle.
    with _collector_paused():
        tokens = [findall(t.lower() if lower else t) for t in texts]
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        ids = np.fromiter(map(words.get, chain.from_iterable(tokens), repeat(-1)),
                          dtype=np.int64, count=int(lengths.sum()))
        del tokens
    rows = np.repeat(np.arange(len(texts)), lengths)
    found_rows, found_columns = [], []
    if low == 1:
        known = ids >= 0
        columns = unigram[ids[known]]
        found_rows.append(rows[known][columns >= 0])
        found_columns.append(columns[columns >= 0])
    if high == 2 and len(ids) > 1:
        same_doc = rows[1:] == rows[:-1]
        both = same_doc & (ids[:-1] >= 0) & (ids[1:] >= 0)
        codes = ids[:-1][both] * len(words) + ids[1:][both]
        hit = pairs.get_indexer(codes)
        found_rows.append(rows[:-1][both][hit >= 0])
        found_columns.append(pair_columns[hit[hit >= 0]])
    row_of = np.concatenate(found_rows) if found_rows else np.empty(0, dtype=np.int64)
    column_of = np.concatenate(found_columns) if found_columns else np.empty(0, dtype=np.int64)
    counts = sparse.csr_matrix(
        (np.ones(len(row_of), dtype=settings["dtype"]), (row_of, column_of)),
        shape=(len(texts), len(vectorizer.vocabulary_)))
    counts.sum_duplicates()
    counts.sort_indices()
    if settings["use_idf"]:
        counts.data *= vectorizer.idf_[counts.indices]
    if settings["norm"]:
        counts = normalize(counts, norm=settings["norm"], copy=False)
    return counts


def _lookup(vocabulary: dict[str, int]) -> tuple[dict[str, int], np.ndarray, pd.Index,
                                                np.ndarray] | None:
    """The words of a vocabulary (word -> position), each word's unigram column (-1: none),
    the bigrams as integer codes (first word's position * words + second's) and their columns;
    None when a term is neither a word nor two words (a vocabulary given by hand)."""
    bigrams = [t.split(" ") for t in vocabulary if " " in t]
    if any(len(pair) != 2 for pair in bigrams):
        return None
    names = sorted({t for t in vocabulary if " " not in t} | {w for pair in bigrams for w in pair})
    words = {w: position for position, w in enumerate(names)}
    unigram = np.array([vocabulary.get(w, -1) for w in names], dtype=np.int64)
    first = np.array([words[p[0]] for p in bigrams], dtype=np.int64)
    second = np.array([words[p[1]] for p in bigrams], dtype=np.int64)
    pairs = pd.Index(first * len(words) + second)
    pair_columns = np.array([vocabulary[" ".join(p)] for p in bigrams], dtype=np.int64)
    return words, unigram, pairs, pair_columns


@contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
