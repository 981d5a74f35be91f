import { nullTranslator } from '@jupyterlab/translation';

import { column, profile } from './fakeProfile';
import {
  columnStats,
  formatDistinct,
  formatShare,
  formatValue,
  profileSummary
} from './format';

const trans = nullTranslator.load('mlworkbench');

describe('formatShare', () => {
  it('says 0% and 100% only for exactly none and all', () => {
    expect(formatShare(0)).toBe('0%');
    expect(formatShare(1)).toBe('100%');
    expect(formatShare(0.25)).toBe('25%');
    expect(formatShare(0.125)).toBe('12.5%');
    expect(formatShare(0.0000001)).toBe('<0.1%');
    expect(formatShare(0.9999999)).toBe('>99.9%');
  });
});

describe('formatDistinct', () => {
  it('marks an approximate count with ≈', () => {
    expect(formatDistinct(column({ distinct: 1234567 }))).toBe('1,234,567');
    expect(
      formatDistinct(column({ distinct: 98000, distinct_approximate: true }))
    ).toBe('≈98,000');
    expect(formatDistinct(column({ distinct: null }))).toBe('');
  });
});

describe('formatValue', () => {
  it('groups integers, rounds decimals and cuts long text', () => {
    expect(formatValue(1000000)).toBe('1,000,000');
    expect(formatValue(71.123456)).toBe('71.1235');
    expect(formatValue(1e-7)).toBe('1.000e-7');
    expect(formatValue('x'.repeat(50), 10)).toBe('xxxxxxxxx…');
    expect(formatValue(null)).toBe('');
    expect(formatValue(true)).toBe('true');
  });
});

describe('profileSummary', () => {
  it('gives rows, columns and time', () => {
    expect(profileSummary(profile(), trans)).toBe(
      '200 rows · 3 columns · 84 ms'
    );
  });

  it('says when the profile was sampled', () => {
    const sampled = profile({
      total_rows: 100000000,
      sampled: true,
      sample_rows: 1000000
    });
    expect(profileSummary(sampled, trans)).toBe(
      '100,000,000 rows · 3 columns · sampled 1,000,000 of 100,000,000 rows · 84 ms'
    );
  });
});

describe('columnStats', () => {
  it('lists only the statistics the column has', () => {
    const keys = (c: Parameters<typeof columnStats>[0]) =>
      columnStats(c, trans).map(s => s.key);
    expect(keys(column())).toEqual(['distinct', 'min', 'max', 'mean']);
    expect(keys(column({ mean: null, min: null, max: null }))).toEqual([
      'distinct'
    ]);
    expect(columnStats(column({ min: 0 }), trans)[1].value).toBe('0');
  });
});
