/** Profiles as the server sends them, for the profile feature's specs. */
import type { ColumnProfile, DescribeProfile } from '../../api/client';

export function column(overrides: Partial<ColumnProfile> = {}): ColumnProfile {
  return {
    name: 'amount',
    type: 'DOUBLE',
    kind: 'numeric',
    profiled: true,
    reason: null,
    count: 180,
    null_count: 20,
    null_share: 0.1,
    distinct: 150,
    distinct_approximate: false,
    min: 0.5,
    max: 142.75,
    mean: 71.123456,
    std: 40,
    quantiles: null,
    top_values: [],
    histogram: [],
    histogram_unit: null,
    chart: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      data: { values: [{ start: 0, end: 10, count: 3 }] },
      mark: 'bar'
    },
    ...overrides
  };
}

export function profile(
  overrides: Partial<DescribeProfile> = {}
): DescribeProfile {
  return {
    source: 'orders',
    total_rows: 200,
    sampled: false,
    sample_rows: null,
    elapsed_ms: 84.4,
    columns: [
      column(),
      column({
        name: 'region',
        type: 'VARCHAR',
        kind: 'text',
        count: 200,
        null_count: 0,
        null_share: 0,
        distinct: 4,
        min: 'east',
        max: 'west',
        mean: null,
        top_values: [
          { value: 'north', count: 50 },
          { value: null, count: 3 }
        ]
      }),
      column({
        name: 'nothing',
        type: 'INTEGER',
        count: 0,
        null_count: 200,
        null_share: 1,
        distinct: 0,
        min: null,
        max: null,
        mean: null,
        chart: null
      })
    ],
    ...overrides
  };
}
