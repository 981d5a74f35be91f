"""A model's input signature: inferred from the training run's feature report, and the check
every prediction request goes through (no model needed)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from mlworkbench.core.registry import Signature, SignatureColumn, SignatureError, check_frame

SIGNATURE = Signature([
    SignatureColumn("amount", "float"), SignatureColumn("visits", "integer"),
    SignatureColumn("plan", "string"), SignatureColumn("active", "boolean"),
    SignatureColumn("seen", "datetime"), SignatureColumn("born", "date"),
])
GOOD = {"amount": [1.5, 2.0], "visits": [3, 4], "plan": ["pro", "basic"],
        "active": [True, False], "seen": pd.to_datetime(["2024-01-01", "2024-02-01"]),
        "born": pd.to_datetime(["1990-05-01", "1985-01-31"])}


def test_a_frame_that_fits_is_reordered_and_nothing_is_coerced():
    frame = pd.DataFrame(GOOD)[["plan", "born", "amount", "seen", "visits", "active"]]
    checked = check_frame(SIGNATURE, frame)
    assert list(checked.frame.columns) == SIGNATURE.names
    assert (checked.extra_columns, checked.coerced) == ([], [])


def test_safe_coercions_are_made_and_reported():
    frame = pd.DataFrame({**GOOD, "amount": [1, 2], "visits": ["3", " 4"],
                          "active": ["true", "No"], "seen": ["2024-01-01", "2024-02-01 10:00"],
                          "born": [dt.date(1990, 5, 1), dt.date(1985, 1, 31)],
                          "note": ["a", "b"]})
    checked = check_frame(SIGNATURE, frame)
    assert checked.coerced == ["amount", "visits", "active", "seen"]
    assert checked.extra_columns == ["note"]
    out = checked.frame
    assert out["amount"].dtype == np.float64 and list(out["visits"]) == [3, 4]
    assert list(out["active"]) == [True, False]
    assert out["seen"].iloc[1] == pd.Timestamp("2024-02-01 10:00")
    assert out["born"].iloc[0] == dt.date(1990, 5, 1)  # dates and datetimes are alike


def test_whole_floats_become_integers_and_nulls_are_accepted_everywhere():
    frame = pd.DataFrame({**GOOD, "visits": [3.0, None], "plan": [None, None],
                          "amount": [None, None]})
    checked = check_frame(SIGNATURE, frame)
    assert checked.frame["visits"].iloc[0] == 3 and pd.isna(checked.frame["visits"].iloc[1])
    assert checked.frame["amount"].dtype == np.float64  # an all-null column is typed
    assert checked.coerced == ["visits"]


def test_every_missing_and_mistyped_column_is_named_with_expected_and_got():
    frame = pd.DataFrame({"amount": ["1.5", "lots"], "visits": [1.5, 2.0],
                          "plan": [1, 2], "active": [0, 2]})
    with pytest.raises(SignatureError) as raised:
        check_frame(SIGNATURE, frame, model="model 'churn' version 2")
    error = raised.value
    assert (error.status, error.code) == (422, "signature_mismatch")
    assert error.missing == ["seen", "born"]
    assert [(m["column"], m["expected"], m["got"], m["example"]) for m in error.mistyped] == [
        ("amount", "float", "string", "lots"), ("visits", "integer", "float", 1.5),
        ("plan", "string", "integer", 1), ("active", "boolean", "integer", 2)]
    assert error.message.startswith(
        "The input does not match the signature of model 'churn' version 2: missing columns "
        "'seen', 'born'; column 'amount' should be float but is string (e.g. 'lots')")


def test_records_and_dicts_of_columns_are_accepted():
    checked = check_frame(Signature([SignatureColumn("x", "float")]), [{"x": 1}, {"x": 2.5}])
    assert list(checked.frame["x"]) == [1.0, 2.5]
