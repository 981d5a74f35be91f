/** How a profile's numbers read on screen: counts, shares, distinct counts, values. */
import { TranslationBundle } from '@jupyterlab/translation';

import type { ColumnProfile, DescribeProfile } from '../../api/client';

/** 1234567 -> "1,234,567" (the same grouping everywhere in the panel). */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/**
 * A share (0-1) as a percentage: whole numbers at the ends ("0%", "100%"), one decimal
 * otherwise, and never "0%" or "100%" for a share that is not exactly that.
 */
export function formatShare(share: number): string {
  if (share <= 0) {
    return '0%';
  }
  if (share >= 1) {
    return '100%';
  }
  const percent = share * 100;
  if (percent < 0.1) {
    return '<0.1%';
  }
  if (percent > 99.9) {
    return '>99.9%';
  }
  return `${percent.toFixed(1).replace(/\.0$/, '')}%`;
}

/** The distinct count, with "≈" when it is approximate; '' when unknown. */
export function formatDistinct(column: ColumnProfile): string {
  if (column.distinct === null || column.distinct === undefined) {
    return '';
  }
  const prefix = column.distinct_approximate ? '≈' : '';
  return `${prefix}${formatCount(column.distinct)}`;
}

/** A min, max or mean: numbers rounded for reading, text cut to a card's width. */
export function formatValue(value: unknown, maxLength = 40): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value)) {
      return formatCount(value);
    }
    const magnitude = Math.abs(value);
    if (magnitude !== 0 && (magnitude >= 1e15 || magnitude < 1e-4)) {
      return value.toExponential(3);
    }
    return value.toLocaleString('en-US', { maximumSignificantDigits: 6 });
  }
  const text = String(value);
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/** The header line: "200 rows · 3 columns · sampled 1,000,000 of 100,000,000 rows · 84 ms". */
export function profileSummary(
  profile: DescribeProfile,
  trans: TranslationBundle
): string {
  const parts = [
    trans._n(
      '%2 row',
      '%2 rows',
      profile.total_rows,
      formatCount(profile.total_rows)
    ),
    trans._n(
      '%2 column',
      '%2 columns',
      profile.columns.length,
      formatCount(profile.columns.length)
    )
  ];
  if (profile.sampled) {
    parts.push(
      trans.__(
        'sampled %1 of %2 rows',
        formatCount(profile.sample_rows ?? 0),
        formatCount(profile.total_rows)
      )
    );
  }
  parts.push(trans.__('%1 ms', formatCount(Math.round(profile.elapsed_ms))));
  return parts.join(' · ');
}

/** The statistics a card lists, as label/value pairs (only the ones the column has). */
export function columnStats(
  column: ColumnProfile,
  trans: TranslationBundle
): { key: string; label: string; value: string }[] {
  const stats: { key: string; label: string; value: string }[] = [];
  const add = (key: string, label: string, value: string) => {
    if (value) {
      stats.push({ key, label, value });
    }
  };
  add('distinct', trans.__('distinct'), formatDistinct(column));
  add('min', trans.__('min'), formatValue(column.min));
  add('max', trans.__('max'), formatValue(column.max));
  add('mean', trans.__('mean'), formatValue(column.mean));
  return stats;
}
