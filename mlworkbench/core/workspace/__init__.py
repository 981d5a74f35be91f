"""The workspace directory: metadata store, migrations and versioned Parquet tables."""
