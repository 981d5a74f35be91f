"""Serving published models: request payloads in MLflow's forms, and ``predict()`` in SQL.

``payload`` parses prediction requests (JSON in MLflow's scoring forms, or CSV) into a frame and
formats predictions as MLflow's response. ``sql_predict`` makes ``predict('model@alias', ...)``
callable in DuckDB queries. Importing this package imports neither pandas nor scikit-learn.
"""
