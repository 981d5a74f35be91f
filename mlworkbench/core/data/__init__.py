"""DuckDB side of the core: the per-process engine, the catalog, SQL and result sessions."""
