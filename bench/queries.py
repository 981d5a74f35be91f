"""The SQL of the benchmarks: data generation, the measured queries, the large results."""

from __future__ import annotations

# Row counts of the generated star schema: (full, --quick).
SIZES = {
    "sales": (10_000_000, 200_000),
    "customers": (200_000, 5_000),
    "products": (20_000, 1_000),
    "stores": (500, 50),
}
BIG_ROWS = (100_000_000, 1_000_000)  # part b: the large result
WIDE_ROWS = (200_000, 20_000)  # part c: the 20-column result

# Dimensions first; sales draws its keys from their sizes. $n is the table's row count.
GENERATE = {
    "customers": """
        SELECT range::INTEGER AS customer_id,
               ['consumer','small_business','corporate'][1 + (hash(range, 's') % 3)::INTEGER]
                   AS segment,
               ['DE','FR','US','GB','JP','BR','IN','ES','IT','NL']
                   [1 + (hash(range, 'c') % 10)::INTEGER] AS country,
               DATE '2015-01-01' + (hash(range, 'd') % 3650)::INTEGER AS signup_date
        FROM range($n)""",
    "products": """
        SELECT range::INTEGER AS product_id,
               'product ' || range AS product_name,
               ['Electronics','Home','Sports','Books','Toys','Beauty','Garden','Office']
                   [1 + (hash(range, 'cat') % 8)::INTEGER] AS category,
               'brand ' || (hash(range, 'b') % 200) AS brand,
               (1 + (hash(range, 'p') % 50000) / 100)::DECIMAL(10, 2) AS list_price
        FROM range($n)""",
    "stores": """
        SELECT range::INTEGER AS store_id, 'store ' || range AS store_name,
               ['north','south','east','west','central'][1 + (range % 5)::INTEGER] AS region
        FROM range($n)""",
    "sales": """
        SELECT range AS sale_id,
               TIMESTAMP '2021-01-01' + to_seconds((hash(range, 't') % 94608000)::BIGINT)
                   AS sold_at,
               (hash(range, 'st') % $stores)::INTEGER AS store_id,
               (hash(range, 'pr') % $products)::INTEGER AS product_id,
               (hash(range, 'cu') % $customers)::INTEGER AS customer_id,
               (1 + hash(range, 'q') % 10)::INTEGER AS quantity,
               (1 + (hash(range, 'a') % 100000) / 100)::DECIMAL(12, 2) AS amount,
               ['web','mobile','store'][1 + (hash(range, 'ch') % 3)::INTEGER] AS channel
        FROM range($n)""",
}

# Part a: named aggregation and join queries; the same text runs on every engine, against
# views (bare DuckDB, JupySQL) or registered sources (REST) of the same names.
QUERIES = {
    "revenue_by_category": """
        SELECT p.category, count(*) AS sales, sum(s.amount) AS revenue
        FROM sales s JOIN products p USING (product_id)
        GROUP BY p.category ORDER BY revenue DESC""",
    "daily_revenue": """
        SELECT date_trunc('day', sold_at) AS day, sum(amount) AS revenue, avg(quantity) AS qty
        FROM sales GROUP BY day ORDER BY day""",
    "customer_totals": """
        SELECT s.customer_id, c.segment, c.country, count(*) AS orders, sum(s.amount) AS spent
        FROM sales s JOIN customers c USING (customer_id)
        GROUP BY ALL ORDER BY spent DESC""",
    "region_channel_month": """
        SELECT st.region, s.channel, p.category, date_trunc('month', s.sold_at) AS month,
               sum(s.amount) AS revenue, approx_count_distinct(s.customer_id) AS buyers
        FROM sales s JOIN stores st USING (store_id) JOIN products p USING (product_id)
        GROUP BY ALL ORDER BY month, region, channel, category""",
    "filtered_rows": """
        SELECT s.*, p.category FROM sales s JOIN products p USING (product_id)
        WHERE s.quantity >= 9 AND s.channel = 'store'""",
}


def big_result(rows: int) -> str:
    """Part b: a result too large to hold, with a couple of computed columns."""
    return (
        "SELECT range AS id, range % 1000 AS bucket, hash(range) % 1000000007 AS h, "
        f"range / 2 AS half FROM range({rows})"
    )


def wide_result(rows: int) -> str:
    """Part c: 20 columns of mixed types (ints, doubles, text, dates, decimals, booleans)."""
    cols = []
    for i in range(4):
        cols += [
            f"range * {i + 1} AS int_{i}",
            f"(hash(range, {i}) % 100000) / 7.0 AS dbl_{i}",
            f"'text ' || (hash(range, 't{i}') % 100000) AS txt_{i}",
            f"DATE '2020-01-01' + (hash(range, 'd{i}') % 2000)::INTEGER AS day_{i}",
            f"((hash(range, 'm{i}') % 1000000) / 100)::DECIMAL(12, 2) AS dec_{i}"
            if i % 2 == 0
            else f"hash(range, 'b{i}') % 2 = 0 AS flag_{i}",
        ]
    return f"SELECT {', '.join(cols)} FROM range({rows})"
