"""The demo seed: files, row counts, join keys, idempotence; registration into a workspace."""

from pathlib import Path

import duckdb
import pytest

from mlworkbench.demo import demo_files, seed

SCALE = 0.02  # 200 customers, 20 products, 1,200 orders


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> tuple[Path, list[str]]:
    target = tmp_path_factory.mktemp("demo")
    return target, seed(target, scale=SCALE)


def rows(sql: str) -> list[tuple]:
    with duckdb.connect() as con:
        return con.execute(sql).fetchall()


def count(path: Path) -> int:
    return rows(f"SELECT count(*) FROM '{path}'")[0][0]


def test_seeding_writes_every_file_and_the_welcome_query(seeded):
    target, done = seeded
    names = sorted(p.name for p in (target / "data").iterdir())
    assert names == sorted(
        ["customers.csv", "products.csv", "orders.parquet", "order_items.parquet",
         "breast_cancer.parquet", "wine.parquet", "diabetes.parquet"]
    )
    assert sorted(done) == sorted(
        [p.relative_to(target).as_posix() for p in demo_files(target)] + ["welcome.sql"]
    )
    assert "JOIN orders" in (target / "welcome.sql").read_text()


def test_row_counts_follow_the_scale(seeded):
    data = seeded[0] / "data"
    assert count(data / "customers.csv") == 200
    assert count(data / "products.csv") == 20
    assert count(data / "orders.parquet") == 1200
    assert 1200 <= count(data / "order_items.parquet") <= 5 * 1200
    assert count(data / "breast_cancer.parquet") == 569
    assert count(data / "wine.parquet") == 178
    assert count(data / "diabetes.parquet") == 442


def test_every_foreign_key_finds_its_row(seeded):
    d = seeded[0] / "data"
    orphans = rows(f"""
        SELECT
          (SELECT count(*) FROM '{d}/orders.parquet' o
           ANTI JOIN '{d}/customers.csv' c USING (customer_id)),
          (SELECT count(*) FROM '{d}/order_items.parquet' i
           ANTI JOIN '{d}/orders.parquet' o USING (order_id)),
          (SELECT count(*) FROM '{d}/order_items.parquet' i
           ANTI JOIN '{d}/products.csv' p USING (product_id)),
          (SELECT count(*) - count(DISTINCT customer_id) FROM '{d}/customers.csv'),
          (SELECT count(*) - count(DISTINCT (order_id, line_no)) FROM '{d}/order_items.parquet')
    """)[0]
    assert orphans == (0, 0, 0, 0, 0)


def test_prices_are_decimals_and_values_look_real(seeded):
    d = seeded[0] / "data"
    types = {r[0]: r[1] for r in rows(f"DESCRIBE SELECT * FROM '{d}/order_items.parquet'")}
    assert types["unit_price"] == "DECIMAL(10,2)"
    statuses = {r[0] for r in rows(f"SELECT DISTINCT status FROM '{d}/orders.parquet'")}
    assert statuses <= {"delivered", "shipped", "processing", "cancelled", "returned"}
    assert "delivered" in statuses
    emails = rows(f"SELECT count(*) FROM '{d}/customers.csv' WHERE email NOT LIKE '%@example.com'")
    assert emails == [(0,)]


def test_seeding_is_deterministic(seeded, tmp_path):
    seed(tmp_path, scale=SCALE)
    for name in ["customers.csv", "orders.parquet", "order_items.parquet"]:
        a, b = seeded[0] / "data" / name, tmp_path / "data" / name
        diff = rows(f"SELECT count(*) FROM (FROM '{a}' EXCEPT ALL FROM '{b}')")
        assert diff == [(0,)], name


def test_seeding_twice_keeps_the_files_and_does_nothing(seeded):
    target, _ = seeded
    before = {p: p.stat().st_mtime_ns for p in demo_files(target)}
    assert seed(target, scale=SCALE) == []
    assert {p: p.stat().st_mtime_ns for p in demo_files(target)} == before


def test_force_rewrites_a_file(tmp_path):
    seed(tmp_path, scale=SCALE)
    (tmp_path / "data" / "products.csv").write_text("broken\n")
    assert seed(tmp_path, scale=SCALE) == []
    assert "data/products.csv" in seed(tmp_path, scale=SCALE, force=True)
    assert count(tmp_path / "data" / "products.csv") == 20


def test_a_non_positive_scale_is_refused(tmp_path):
    with pytest.raises(ValueError, match="scale"):
        seed(tmp_path, scale=0)
