"""Tree ensembles, predicted with NumPy over all trees at once.

Every tree's nodes go into one set of flat arrays (leaves point at themselves), and a node
index per (tree, row) moves down one level per step until all reach a leaf: about depth x ten
array operations for the whole forest instead of one scikit-learn call (and input check) per
tree. The branch rules are scikit-learn's own (``tree/_tree.pyx`` ``_apply_dense``,
``ensemble/_hist_gradient_boosting/_predictor.pyx``): NaN follows ``missing_go_to_left``; a
histogram boosting's categorical split sends a category in its bitset left, another known one
right, and negative or unknown ones the way of missing values. Sums over trees are taken in
scikit-learn's order (``np.add.accumulate``), so the results are the same floats.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mlworkbench.core.serving.fastpath.transforms import Unsupported


#: Rows x nodes up to which every node's branch is computed at once (``_by_all_nodes``).
ALL_NODES = 200_000


class _Nodes:
    """Flat nodes of many trees; ``leaves(X)`` -> the leaf index of each (tree, row)."""

    def __init__(self, trees: list[dict[str, np.ndarray]], cat_bitsets: np.ndarray | None = None,
                 known_bitsets: np.ndarray | None = None,
                 f_idx_map: np.ndarray | None = None) -> None:
        roots, offset, parts = [], 0, {k: [] for k in trees[0] if k != "depth"}
        for tree in trees:
            count = len(tree["feature"])
            leaf = tree["leaf"]
            own = np.arange(offset, offset + count)
            for key in ("left", "right"):
                parts[key].append(np.where(leaf, own, tree[key] + offset))
            for key in tree:
                if key not in ("left", "right", "depth"):
                    parts[key].append(tree[key])
            roots.append(offset)
            offset += count
        flat = {k: np.concatenate(v) for k, v in parts.items()}
        self.roots = np.asarray(roots, dtype=np.intp)
        self.left, self.right = flat["left"].astype(np.intp), flat["right"].astype(np.intp)
        self.feature = np.where(flat["leaf"], 0, flat["feature"]).astype(np.intp)
        self.threshold = flat["threshold"].astype(np.float64)
        self.missing_left = flat["missing_left"].astype(bool)
        self.leaf = flat["leaf"].astype(bool)
        self.categorical = flat.get("categorical")
        if self.categorical is not None and not self.categorical.any():
            self.categorical = None
        self.bitset = flat.get("bitset")
        self.cat_bitsets, self.known_bitsets, self.f_idx_map = cat_bitsets, known_bitsets, \
            f_idx_map
        self.depth = 1 + max(int(t["depth"]) for t in trees)
        self.children = np.stack([self.left, self.right], axis=1)
        self.flat_children = self.children.ravel()
        self.child_base = 2 * np.arange(len(self.leaf))
        self.jumps = max(1, int(np.ceil(np.log2(self.depth))))
        if self.categorical is not None:
            self._categorical_table()

    def leaves(self, X: np.ndarray) -> np.ndarray:
        if X.shape[0] * len(self.leaf) <= ALL_NODES:
            return self._by_all_nodes(X)
        return self._by_levels(X)

    def _by_all_nodes(self, X: np.ndarray) -> np.ndarray:
        """Every node's branch for every row at once, then pointer jumping: the node ``2**k``
        steps down from each node, k = 1, 2, ... until the deepest leaf is reached (a few
        operations on small arrays, whatever the depth)."""
        x = X[:, self.feature]  # rows x nodes
        go_right = ~(x <= self.threshold)
        missing = np.isnan(x)
        if missing.any():
            go_right = np.where(missing, ~self.missing_left, go_right)
        if self.categorical is not None:
            code = np.where((x >= 0) & (x < 256), x, 256).astype(np.intp)
            go_right = np.where(self.cat_row >= 0, self.cat_right[self.cat_row, code], go_right)
        step = self.flat_children[self.child_base + go_right.view(np.int8)]
        rows = np.arange(X.shape[0])[:, None]
        for _ in range(self.jumps):
            step = step[rows, step]
        return step[:, self.roots].T

    def _by_levels(self, X: np.ndarray) -> np.ndarray:
        """One level of all trees at a time (large forests, where nodes outnumber steps)."""
        n = X.shape[0]
        idx = np.repeat(self.roots[:, None], n, axis=1)
        rows = np.arange(n)[None, :]
        children, leaf, threshold, feature = self.children, self.leaf, self.threshold, \
            self.feature
        missing_left = self.missing_left if np.isnan(X).any() else None
        for _ in range(self.depth):
            if leaf[idx].all():
                break
            x = X[rows, feature[idx]]
            go_right = ~(x <= threshold[idx])
            if missing_left is not None:
                go_right = np.where(np.isnan(x), ~missing_left[idx], go_right)
            if self.categorical is not None:
                code = np.where((x >= 0) & (x < 256), x, 256).astype(np.intp)
                row = self.cat_row[idx]
                go_right = np.where(row >= 0, self.cat_right[row, code], go_right)
            idx = children[idx, go_right.view(np.int8)]
        return idx

    def _categorical_table(self) -> None:
        """Per categorical node, where each code 0..255 goes (256: missing or unknown):
        True is right. Row -1 for the other nodes."""
        nodes = np.flatnonzero(self.categorical & ~self.leaf)
        self.cat_row = np.full(len(self.leaf), -1, dtype=np.intp)
        self.cat_row[nodes] = np.arange(len(nodes))
        codes = np.arange(256)
        word, bit = codes >> 5, (codes & 31).astype(np.uint32)
        table = np.empty((max(len(nodes), 1), 257), dtype=bool)
        for r, node in enumerate(nodes):
            in_left = (self.cat_bitsets[self.bitset[node], word] >> bit) & 1 == 1
            known = (self.known_bitsets[self.f_idx_map[self.feature[node]], word] >> bit) & 1 == 1
            missing_right = not self.missing_left[node]
            table[r, :256] = np.where(in_left, False, np.where(known, True, missing_right))
            table[r, 256] = missing_right
        self.cat_right = table


class Forest:
    """A fitted RandomForest / ExtraTrees classifier or regressor."""

    def __init__(self, model: Any) -> None:
        if getattr(model, "n_outputs_", 1) != 1:
            raise Unsupported("a forest with several outputs")
        trees = []
        for est in model.estimators_:
            t = est.tree_
            leaf = t.children_left == -1
            trees.append({
                "feature": t.feature, "threshold": t.threshold, "left": t.children_left,
                "right": t.children_right, "leaf": leaf,
                "missing_left": np.asarray(t.missing_go_to_left, dtype=bool),
                "depth": t.max_depth})
        self.model = model
        self.nodes = _Nodes(trees)
        values = [est.tree_.value[:, 0, :] for est in model.estimators_]
        self.classify = hasattr(model, "classes_")
        self.width = model.n_classes_ if self.classify else 1
        self.values = np.concatenate([v[:, :self.width] for v in values])

    def _mean(self, X: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            X32 = np.asarray(X, dtype=np.float32).astype(np.float64)
        if np.isinf(X32).any():  # as scikit-learn's input check refuses it
            raise ValueError("Input X contains infinity or a value too large for "
                             "dtype('float32').")
        per_tree = self.values[self.nodes.leaves(X32)]  # trees x rows x width
        total = np.add.accumulate(per_tree, axis=0)[-1]
        return total / len(self.model.estimators_)

    def predict(self, X: np.ndarray) -> np.ndarray:
        mean = self._mean(X)
        if self.classify:
            return self.model.classes_.take(np.argmax(mean, axis=1), axis=0)
        return mean[:, 0]

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self._mean(X)


class Boosting:
    """A fitted HistGradientBoosting classifier or regressor."""

    def __init__(self, model: Any) -> None:
        self.order, self.categories = _categorical_remap(model)
        known, f_idx_map = model._bin_mapper.make_known_categories_bitsets()
        trees, bitsets, values, at = [], [], [], 0
        self.k = model.n_trees_per_iteration_
        for iteration in model._predictors:
            if len(iteration) != self.k:
                raise Unsupported("an iteration without a tree per output")
            for predictor in iteration:
                nodes = predictor.nodes
                trees.append({
                    "feature": nodes["feature_idx"], "threshold": nodes["num_threshold"],
                    "left": nodes["left"].astype(np.intp), "right": nodes["right"].astype(np.intp),
                    "leaf": nodes["is_leaf"].astype(bool),
                    "missing_left": nodes["missing_go_to_left"].astype(bool),
                    "categorical": nodes["is_categorical"].astype(bool),
                    "bitset": nodes["bitset_idx"].astype(np.intp) + at,
                    "depth": int(nodes["depth"].max())})
                bitsets.append(predictor.raw_left_cat_bitsets)
                at += len(predictor.raw_left_cat_bitsets)
                values.append(nodes["value"])
        if not trees:
            raise Unsupported("a boosting without trees")
        cat = np.concatenate(bitsets) if at else np.zeros((1, 8), dtype=np.uint32)
        self.nodes = _Nodes(trees, cat, known if len(known) else np.zeros((1, 8), np.uint32),
                            np.asarray(f_idx_map, dtype=np.intp))
        self.values = np.concatenate(values).astype(np.float64)
        self.model = model
        self.baseline = np.asarray(model._baseline_prediction, dtype=np.float64).reshape(-1)

    def raw(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if self.order is not None:  # the boosting's own OrdinalEncoder: categories first
            X = X[:, self.order]
            for p, known in enumerate(self.categories):
                codes = np.full(X.shape[0], np.nan)
                for code, value in enumerate(known):
                    codes[X[:, p] == value] = code
                X[:, p] = codes
        leaves = self.values[self.nodes.leaves(X)]  # (iterations * k) x rows
        n = X.shape[0]
        raw = np.empty((n, self.k), dtype=np.float64)
        for k in range(self.k):
            stack = np.concatenate([np.broadcast_to(self.baseline[k], (1, n)),
                                    leaves[k::self.k]])
            raw[:, k] = np.add.accumulate(stack, axis=0)[-1]
        return raw

    def predict(self, X: np.ndarray) -> np.ndarray:
        raw = self.raw(X)
        if not hasattr(self.model, "classes_"):
            return self.model._loss.link.inverse(raw.ravel())
        if raw.shape[1] == 1:
            encoded = (raw.ravel() > 0).astype(int)
        else:
            encoded = np.argmax(raw, axis=1)
        return self.model.classes_[encoded]

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self.model._loss.predict_proba(self.raw(X))


def _categorical_remap(model: Any) -> tuple[np.ndarray | None, list[np.ndarray]]:
    """A boosting with categorical columns re-encodes them (an ``OrdinalEncoder`` whose unseen
    values become NaN) and puts them first: the column order and each one's known values."""
    pre = getattr(model, "_preprocessor", None)
    if pre is None:
        return None, []
    mask = np.asarray(model.is_categorical_, dtype=bool)
    cat, num = np.flatnonzero(mask), np.flatnonzero(~mask)
    encoder = pre.named_transformers_["encoder"]
    expected = {"encoder": slice(0, len(cat)), "numerical": slice(len(cat), len(mask))}
    if any(pre.output_indices_.get(k) != v for k, v in expected.items()) or \
            encoder.unknown_value is not np.nan and not np.isnan(encoder.unknown_value):
        raise Unsupported("a boosting whose category encoder is not the usual one")
    known = [np.asarray([c for c in cats if not np.isnan(c)], dtype=np.float64)
             for cats in encoder.categories_]
    return np.concatenate([cat, num]), known


def compile_model(model: Any) -> Any:
    """The compiled form of a tree ensemble, or None when ``model`` is not one.

    Raises:
        Unsupported: A tree ensemble in a form that is not compiled.
    """
    from sklearn import ensemble

    if type(model) in (ensemble.RandomForestClassifier, ensemble.RandomForestRegressor,
                       ensemble.ExtraTreesClassifier, ensemble.ExtraTreesRegressor):
        return Forest(model)
    if type(model) in (ensemble.HistGradientBoostingClassifier,
                       ensemble.HistGradientBoostingRegressor):
        return Boosting(model)
    return None
