"""Prediction request bodies in MLflow's scoring forms, and the response shape."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mlworkbench.core.errors import BadRequestError, InvalidRequestError, UnsupportedError
from mlworkbench.core.serving.errors import PayloadTooLargeError
from mlworkbench.core.serving.payload import (
    format_predictions,
    parse_payload,
    read_payload,
)

LIMIT = 1_000_000
ROWS = [{"a": 1.5, "b": "x"}, {"a": -2.0, "b": "y"}]


def body(document) -> bytes:
    return json.dumps(document).encode()


def rows_of(frame) -> list[dict]:
    return frame.to_dict("records")


@pytest.mark.parametrize("document", [
    {"dataframe_split": {"columns": ["a", "b"], "data": [[1.5, "x"], [-2.0, "y"]]}},
    {"dataframe_split": {"columns": ["a", "b"], "data": [[1.5, "x"], [-2.0, "y"]],
                         "index": [7, 8]}},
    {"dataframe_records": ROWS},
    {"instances": ROWS},
    {"inputs": ROWS},
    {"inputs": {"a": [1.5, -2.0], "b": ["x", "y"]}},
])
def test_every_mlflow_json_form_gives_the_same_rows(document):
    frame = parse_payload(body(document), "application/json", max_bytes=LIMIT)
    assert list(frame.columns) == ["a", "b"]
    assert rows_of(frame) == ROWS


def test_csv_with_a_header_row():
    frame = parse_payload(b"a,b\n1.5,x\n-2.0,y\n", "text/csv; charset=utf-8", max_bytes=LIMIT)
    assert rows_of(frame) == ROWS


def test_rows_given_as_lists_take_the_signature_columns_in_order():
    for document in ({"instances": [[1.5, "x"], [-2.0, "y"]]},
                     {"inputs": [[1.5, "x"], [-2.0, "y"]]},
                     {"dataframe_split": {"data": [[1.5, "x"], [-2.0, "y"]]}}):
        frame = parse_payload(body(document), "application/json", max_bytes=LIMIT,
                              columns=["a", "b"])
        assert rows_of(frame) == ROWS


def test_rows_as_lists_of_the_wrong_width_name_the_model_columns():
    with pytest.raises(InvalidRequestError) as caught:
        parse_payload(body({"inputs": [[1.5, "x", 3]]}), "application/json",
                      max_bytes=LIMIT, columns=["a", "b"])
    assert caught.value.status == 422
    assert "Row 0" in caught.value.message and "a, b" in caught.value.message


def test_rows_as_lists_without_a_signature_are_refused_with_the_fix():
    with pytest.raises(BadRequestError, match="without column names"):
        parse_payload(body({"instances": [[1, 2]]}), "application/json", max_bytes=LIMIT)


def test_single_values_fit_a_one_column_model():
    frame = parse_payload(body({"inputs": [1, 2, 3]}), "application/json", max_bytes=LIMIT,
                          columns=["x"])
    assert frame["x"].tolist() == [1, 2, 3]


def test_one_row_of_scalars_under_inputs():
    frame = parse_payload(body({"inputs": {"a": 1.5, "b": "x"}}), "application/json",
                          max_bytes=LIMIT)
    assert rows_of(frame) == ROWS[:1]


def test_params_are_accepted_and_reported_as_not_used():
    payload = read_payload(body({"dataframe_records": ROWS, "params": {"temperature": 1}}),
                           "application/json", max_bytes=LIMIT)
    assert payload.form == "dataframe_records"
    assert payload.ignored_params == ["temperature"]
    assert rows_of(payload.frame) == ROWS


@pytest.mark.parametrize("raw, fragment", [
    (b"{not json", "not valid JSON"),
    (body([1, 2]), "JSON array, not an object"),
    (body({"rows": ROWS}), "none of the input fields"),
    (body({"inputs": ROWS, "instances": ROWS}), "more than one of"),
    (body({"dataframe_split": {"columns": ["a"], "data": [[1, 2]]}}), "Row 0"),
    (body({"dataframe_split": [[1]]}), "must be an object with 'columns'"),
    (body({"dataframe_records": [ROWS[0], 3]}), "Item 1 of 'dataframe_records' is a JSON number"),
    (body({"inputs": {"a": [1, 2], "b": [1]}}), "different lengths"),
    (body({"dataframe_records": [{"a": {"nested": 1}}]}), "holds a JSON object"),
    (body({"dataframe_records": []}), "no rows"),
    (body({"dataframe_records": ROWS, "params": [1]}), "'params' must be an object"),
])
def test_bodies_in_no_accepted_form_are_400_saying_what_is_wrong(raw, fragment):
    with pytest.raises(BadRequestError) as caught:
        parse_payload(raw, "application/json", max_bytes=LIMIT)
    assert caught.value.status == 400
    assert fragment in caught.value.message


def test_the_form_errors_list_the_accepted_forms():
    with pytest.raises(BadRequestError) as caught:
        parse_payload(body({"data": []}), "application/json", max_bytes=LIMIT)
    for form in ("dataframe_split", "dataframe_records", "instances", "inputs", "text/csv"):
        assert form in caught.value.message


def test_a_body_over_the_limit_is_refused_before_parsing():
    raw = b"{" * 101  # not JSON either: the size is checked first
    with pytest.raises(PayloadTooLargeError) as caught:
        parse_payload(raw, "application/json", max_bytes=100)
    assert caught.value.status == 413
    assert caught.value.detail == {"size": 101, "limit": 100}


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "",
                                          "application/json; charset=latin-1"])
def test_other_content_types_are_415_naming_the_accepted_ones(content_type):
    with pytest.raises(UnsupportedError) as caught:
        parse_payload(body({"inputs": ROWS}), content_type, max_bytes=LIMIT)
    assert caught.value.status == 415


def test_empty_csv_says_what_a_csv_needs():
    with pytest.raises(BadRequestError, match="header row"):
        parse_payload(b"", "text/csv", max_bytes=LIMIT)


def test_predictions_come_back_in_mlflows_shape_as_plain_json():
    response = format_predictions(np.array([0.5, np.nan]), extra_columns=["id"],
                                  ignored_params=["k"])
    assert response == {"predictions": [0.5, None], "ignored_columns": ["id"],
                        "ignored_params": ["k"]}
    assert json.loads(json.dumps(response)) == response


def test_probabilities_per_row_keyed_by_class():
    response = format_predictions(np.array([1, 0]), probabilities=np.array([[0.2, 0.8],
                                                                             [0.9, 0.1]]),
                                  classes=np.array([0, 1]))
    assert response == {"predictions": [1, 0],
                        "probabilities": [{"0": 0.2, "1": 0.8}, {"0": 0.9, "1": 0.1}]}
