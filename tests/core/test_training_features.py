"""The feature report: each column's kind, and flags with reasons for the ones left out."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa

from mlworkbench.core.training.features import report_features


def customers(n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    spend = rng.gamma(2.0, 50.0, n)
    churned = np.where(spend + rng.normal(0, 40, n) < 90, "yes", "no")
    words = np.array(["late", "delivery", "great", "service", "refund", "asked", "for", "a"])
    notes = [" ".join(rng.choice(words, 6)) for _ in range(n)]
    return pd.DataFrame({
        "customer_id": [f"C{i:05d}" for i in range(n)],
        "row": np.arange(n),
        "spend": spend,
        "plan": rng.choice(["basic", "pro", "team"], n),
        "city": [f"city {i % 120}" for i in range(n)],
        "notes": notes,
        "signed_up": pd.date_range("2023-01-01", periods=n, freq="6h"),
        "last_seen": pd.Series(pd.date_range("2024-01-01", periods=n, freq="D").astype(str)),
        "active": rng.choice([True, False], n),
        "country": "NO",
        "fax": [None] * (n - 4) + ["1", "2", "3", "4"],
        "churn_flag": np.where(churned == "yes", 1, 0),
        "cancel_reason": np.where(churned == "yes", rng.choice(["price", "moved"], n), None),
        "tags": [["a"]] * n,
        "churned": churned,
    })


def flags(report) -> dict[str, list[str]]:
    return {c.name: [f.code for f in c.flags] for c in report.columns}


def test_each_column_gets_its_kind():
    report = report_features(customers(), "churned")
    kinds = report.kinds()
    assert kinds["spend"] == "numeric" and kinds["active"] == "boolean"
    assert kinds["plan"] == "categorical" and report.column("plan").distinct == 3
    assert kinds["city"] == "categorical" and report.column("city").distinct == 120
    assert kinds["notes"] == "text"
    assert kinds["signed_up"] == "datetime" and kinds["last_seen"] == "datetime"
    assert kinds["tags"] == "unsupported"
    assert "churned" not in kinds


def test_ids_constants_nulls_and_leaks_are_flagged_with_reasons_and_left_out():
    report = report_features(customers(), "churned")
    found = flags(report)
    assert found["customer_id"] == ["id_like"]
    assert found["row"] == ["id_like"]
    assert found["country"] == ["constant"]
    assert found["fax"] == ["mostly_null"]
    assert found["churn_flag"] == ["leak"]
    assert found["cancel_reason"] == ["leak"]
    assert found["tags"] == ["unsupported"]
    for name in ("spend", "plan", "city", "notes", "signed_up", "last_seen", "active"):
        assert found[name] == [], name
    assert report.features == ["spend", "plan", "city", "notes", "signed_up", "last_seen",
                               "active"]
    reasons = {c.name: c.flags[0].reason for c in report.columns if c.flags}
    assert "different value in every row" in reasons["customer_id"]
    assert "same value ('NO')" in reasons["country"]
    assert "99% of its rows are null" in reasons["fax"]
    assert "balanced accuracy 1.000 on held-out rows" in reasons["cancel_reason"]
    assert "'tags' holds list values" in reasons["tags"]


def test_a_copy_of_the_target_and_a_regression_leak_are_flagged():
    rng = np.random.default_rng(2)
    y = rng.normal(size=300)
    df = pd.DataFrame({"price": y, "price_copy": y, "price_eur": y * 0.9 + 0.01,
                       "noise": rng.normal(size=300)})
    reasons = {c.name: [f.reason for f in c.flags] for c in report_features(df, "price").columns}
    assert reasons["price_copy"] == ["It is equal to the target wherever it is set."]
    assert "R²" in reasons["price_eur"][0]
    assert reasons["noise"] == []


def test_the_report_is_json_and_arrow_tables_are_accepted():
    df = customers(200).drop(columns=["tags"])
    report = report_features(pa.Table.from_pandas(df), "churned")
    payload = json.loads(json.dumps(report.to_dict()))
    assert payload["target"] == "churned" and payload["rows"] == 200
    spend = next(c for c in payload["columns"] if c["name"] == "spend")
    assert spend["included"] is True and spend["kind"] == "numeric" and spend["flags"] == []
    fax = next(c for c in payload["columns"] if c["name"] == "fax")
    assert fax["included"] is False and fax["flags"][0]["code"] == "mostly_null"
    assert payload["features"] == report.features
