"""A small retail star schema (customers, products, orders, order_items), made by DuckDB SQL.

Every value is derived from ``hash(id, salt)`` rather than ``random()``, so the files are the same
on every run and every machine with the same DuckDB version, whatever the thread count.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# Rows at scale 1.0: about 250,000 in all, most of them order items.
BASE_ROWS = {"customers": 10_000, "products": 500, "orders": 60_000}

# (file name, format) per table, in the order they are built: items need products and orders.
FILES = {
    "customers": "customers.csv",
    "products": "products.csv",
    "orders": "orders.parquet",
    "order_items": "order_items.parquet",
}

_MACROS = """
-- A uniform number in [0, 1) that depends only on the key and a salt.
CREATE OR REPLACE TEMP MACRO u(k, salt) AS (hash(k, salt) % 1000003)::DOUBLE / 1000003;
-- Pick one element of a list by a uniform number.
CREATE OR REPLACE TEMP MACRO pick(xs, r) AS xs[1 + floor(r * len(xs))::INTEGER];
"""

_CUSTOMERS = """
CREATE OR REPLACE TEMP TABLE customers AS
WITH names AS (
    SELECT ['Emma','Liam','Olivia','Noah','Ava','Lucas','Mia','Leon','Sofia','Mateo','Chloe',
            'Hugo','Yuki','Arjun','Amara','Kofi','Ingrid','Lars','Priya','Wei','Fatima','Omar',
            'Elena','Marco','Zoe','Jonas','Aisha','Diego','Hannah','Ravi','Clara','Tomas'] AS first,
           ['Smith','Garcia','Müller','Rossi','Dubois','Kowalski','Tanaka','Patel','Okafor','Silva',
            'Jensen','Novak','Chen','Haddad','Johansson','Fernández','Kim','Nguyen','Schmidt',
            'Moreau','Costa','Ivanova','Brown','Martin','Wilson','Lopez','Andersen',
            'Bakker'] AS last,
           [{'city':'London','country':'United Kingdom'},
            {'city':'Manchester','country':'United Kingdom'},
            {'city':'Paris','country':'France'},{'city':'Lyon','country':'France'},
            {'city':'Berlin','country':'Germany'},{'city':'Munich','country':'Germany'},
            {'city':'Madrid','country':'Spain'},{'city':'Barcelona','country':'Spain'},
            {'city':'Milan','country':'Italy'},{'city':'Rome','country':'Italy'},
            {'city':'Amsterdam','country':'Netherlands'},{'city':'Warsaw','country':'Poland'},
            {'city':'Stockholm','country':'Sweden'},{'city':'Copenhagen','country':'Denmark'},
            {'city':'New York','country':'United States'},
            {'city':'Chicago','country':'United States'},
            {'city':'Austin','country':'United States'},{'city':'Toronto','country':'Canada'},
            {'city':'São Paulo','country':'Brazil'},{'city':'Mexico City','country':'Mexico'},
            {'city':'Tokyo','country':'Japan'},{'city':'Seoul','country':'South Korea'},
            {'city':'Bangalore','country':'India'},{'city':'Sydney','country':'Australia'},
            {'city':'Lagos','country':'Nigeria'},{'city':'Nairobi','country':'Kenya'}] AS places
), base AS (
    SELECT range::INTEGER + 1 AS customer_id,
           pick(first, u(range, 'first')) AS first_name,
           pick(last, u(range, 'last')) AS last_name,
           pick(places, u(range, 'place')) AS place,
           u(range, 'segment') AS r_segment,
           u(range, 'signup') AS r_signup
    FROM range($n), names
)
SELECT customer_id, first_name, last_name,
       lower(strip_accents(first_name || '.' || last_name)) || customer_id || '@example.com'
           AS email,
       place.city AS city, place.country AS country,
       CASE WHEN r_segment < 0.6 THEN 'consumer' WHEN r_segment < 0.9 THEN 'small_business'
            ELSE 'corporate' END AS segment,
       DATE '2019-01-01' + floor(r_signup * 1826)::INTEGER AS signup_date
FROM base ORDER BY customer_id
"""

_PRODUCTS = """
CREATE OR REPLACE TEMP TABLE products AS
WITH cats AS (
    SELECT [{'category':'Electronics','lo':15,'hi':900,
             'nouns':['Headphones','Charger','Speaker','Monitor','Keyboard','Mouse','Webcam',
                      'Tablet']},
            {'category':'Home & Kitchen','lo':8,'hi':300,
             'nouns':['Kettle','Pan','Knife Set','Blender','Toaster','Mug','Lamp','Cushion']},
            {'category':'Sports','lo':10,'hi':450,
             'nouns':['Yoga Mat','Dumbbell','Tent','Backpack','Bike Helmet','Running Shoes']},
            {'category':'Books','lo':5,'hi':60,
             'nouns':['Novel','Cookbook','Atlas','Biography','Guide','Poetry Collection']},
            {'category':'Toys','lo':5,'hi':120,
             'nouns':['Puzzle','Building Set','Board Game','Plush Bear','Kite','Train Set']},
            {'category':'Beauty','lo':4,'hi':90,
             'nouns':['Shampoo','Face Cream','Perfume','Lip Balm','Hair Dryer','Soap']},
            {'category':'Garden','lo':6,'hi':350,
             'nouns':['Hose','Planter','Shears','Lawn Chair','Bird Feeder','Seed Kit']},
            {'category':'Office','lo':2,'hi':400,
             'nouns':['Notebook','Pen Set','Desk Chair','Stapler','Organizer','Whiteboard']}]
               AS cats,
           ['Classic','Eco','Pro','Compact','Deluxe','Smart','Vintage','Ultra','Everyday','Nordic',
            'Premium','Mini','Travel','Family'] AS adjectives
), base AS (
    SELECT range::INTEGER + 1 AS product_id,
           pick(cats, u(range, 'cat')) AS cat,
           pick(adjectives, u(range, 'adj')) AS adjective,
           u(range, 'price') AS r_price,
           u(range, 'launch') AS r_launch,
           u(range, 'active') AS r_active
    FROM range($n), cats
)
SELECT product_id,
       adjective || ' ' || pick(cat.nouns, u(product_id, 'noun')) AS product_name,
       cat.category AS category,
       -- Prices skew low inside each category's range and end in .99 or .49, as shop prices do.
       (floor(cat.lo + (cat.hi - cat.lo) * r_price * r_price)
        + CASE WHEN r_price < 0.5 THEN 0.99 ELSE 0.49 END)::DECIMAL(10, 2) AS list_price,
       DATE '2018-06-01' + floor(r_launch * 2000)::INTEGER AS launched_on,
       r_active >= 0.08 AS active
FROM base ORDER BY product_id
"""

_ORDERS = """
CREATE OR REPLACE TEMP TABLE orders AS
WITH base AS (
    SELECT range::BIGINT + 100001 AS order_id,
           u(range, 'cust') AS r_cust, u(range, 'day') AS r_day, u(range, 'sec') AS r_sec,
           u(range, 'status') AS r_status, u(range, 'channel') AS r_channel,
           u(range, 'ship') AS r_ship
    FROM range($n)
)
SELECT order_id,
       -- A few customers order much more often than most (r^2 piles up near the low ids).
       (1 + floor(r_cust * r_cust * $customers))::INTEGER AS customer_id,
       TIMESTAMP '2022-01-01' + to_days(floor(r_day * 1096)::INTEGER)
           + to_seconds(floor(28800 + r_sec * 54000)::BIGINT) AS ordered_at,
       CASE WHEN r_status < 0.78 THEN 'delivered' WHEN r_status < 0.86 THEN 'shipped'
            WHEN r_status < 0.90 THEN 'processing' WHEN r_status < 0.96 THEN 'cancelled'
            ELSE 'returned' END AS status,
       CASE WHEN r_channel < 0.55 THEN 'web' WHEN r_channel < 0.85 THEN 'mobile'
            ELSE 'store' END AS channel,
       CASE WHEN r_channel >= 0.85 OR r_ship < 0.3 THEN 0
            ELSE 3.95 + floor(r_ship * 3) * 2 END::DECIMAL(8, 2) AS shipping_cost
FROM base ORDER BY order_id
"""

_ORDER_ITEMS = """
CREATE OR REPLACE TEMP TABLE order_items AS
WITH lines AS (
    SELECT o.order_id, unnest(range(1, 2 + (hash(o.order_id, 'lines') % 5)::INTEGER)) AS line_no
    FROM orders o
), picked AS (
    SELECT order_id, line_no::INTEGER AS line_no,
           -- Popular products sell more: r^1.6 favours low product ids.
           (1 + floor(pow(u(order_id * 16 + line_no, 'prod'), 1.6) * $products))::INTEGER
               AS product_id,
           u(order_id * 16 + line_no, 'qty') AS r_qty,
           u(order_id * 16 + line_no, 'disc') AS r_disc
    FROM lines
)
SELECT p.order_id, p.line_no, p.product_id,
       CASE WHEN r_qty < 0.7 THEN 1 WHEN r_qty < 0.88 THEN 2 WHEN r_qty < 0.96 THEN 3
            ELSE 4 + floor((r_qty - 0.96) * 100)::INTEGER END AS quantity,
       pr.list_price AS unit_price,
       CASE WHEN r_disc < 0.75 THEN 0 WHEN r_disc < 0.9 THEN 0.05 WHEN r_disc < 0.97 THEN 0.10
            ELSE 0.20 END::DECIMAL(4, 2) AS discount
FROM picked p JOIN products pr USING (product_id)
ORDER BY p.order_id, p.line_no
"""


def star_schema(data_dir: Path, *, scale: float = 1.0, force: bool = False) -> list[Path]:
    """Write the four star-schema files into ``data_dir`` (CSV for dimensions, Parquet for facts).

    Args:
        data_dir: Folder for the files; created if missing.
        scale: Multiplies the row counts of ``BASE_ROWS`` (order items follow orders, ~3 each).
        force: Rewrite files that already exist. Without it an existing file is kept as it is.

    Returns:
        The files this call wrote (empty when all four were already there).
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    wanted = {t: data_dir / f for t, f in FILES.items() if force or not (data_dir / f).exists()}
    if not wanted:
        return []
    n = {t: max(20 if t == "products" else 1, round(rows * scale)) for t, rows in BASE_ROWS.items()}
    con = duckdb.connect()
    try:
        con.execute(_MACROS)
        con.execute(_CUSTOMERS, {"n": n["customers"]})
        con.execute(_PRODUCTS, {"n": n["products"]})
        con.execute(_ORDERS, {"n": n["orders"], "customers": n["customers"]})
        con.execute(_ORDER_ITEMS, {"products": n["products"]})
        for table, path in wanted.items():
            _copy(con, table, path)
    finally:
        con.close()
    return list(wanted.values())


def _copy(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> None:
    """COPY a table to a temp name, then rename: a reader never sees half a file."""
    options = "FORMAT csv, HEADER" if path.suffix == ".csv" else "FORMAT parquet, COMPRESSION zstd"
    tmp = path.with_name(f".{path.name}.tmp")
    con.execute(f"COPY {table} TO '{_quote(tmp)}' ({options})")
    tmp.replace(path)


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
