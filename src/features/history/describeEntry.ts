/** What a history row says about one run: first line, time, duration, rows, error. */
import { TranslationBundle } from '@jupyterlab/translation';

import { DescribeHistoryEntry } from '../../api/client';
import { formatRowCount } from '../catalog/tree';

export interface IEntryText {
  /** The first non-empty line of the SQL (comments included: they often name the query). */
  label: string;
  /** Clock time today, else the date and time. */
  time: string;
  duration: string;
  /** '' when the row count is unknown (errors, statements without a result). */
  rows: string;
  /** The whole SQL, when and how it ran, and the error (the row's tooltip). */
  tooltip: string;
}

/** The first non-empty line of a text, trimmed. */
export function firstLine(sql: string): string {
  return (
    sql
      .split(/\r?\n/)
      .map(line => line.trim())
      .find(line => line.length > 0) ?? ''
  );
}

/** A duration as people read it: 12 ms, 1.4 s, 2 min 5 s, 1 h 3 min. */
export function formatDuration(ms: number): string {
  if (ms < 1000) {
    return `${Math.max(0, Math.round(ms))} ms`;
  }
  if (ms < 60_000) {
    return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  }
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  }
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/** Clock time (HH:MM) when `when` is today, else the short date and time. */
export function formatTime(when: Date, now: Date = new Date()): string {
  const time = when.toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit'
  });
  if (when.toDateString() === now.toDateString()) {
    return time;
  }
  const date = when.toLocaleDateString([], { month: 'short', day: 'numeric' });
  return `${date} ${time}`;
}

/**
 * The texts of a history row.
 *
 * Args:
 *   entry: the server's entry.
 *   trans: the translation bundle.
 *   now: the current time (for "today"), replaced in tests.
 */
export function describeEntry(
  entry: DescribeHistoryEntry,
  trans: TranslationBundle,
  now: Date = new Date()
): IEntryText {
  const started = new Date(entry.started_at);
  const rows =
    entry.rows === null || entry.rows === undefined
      ? ''
      : trans._n('%2 row', '%2 rows', entry.rows, formatRowCount(entry.rows));
  const duration = formatDuration(entry.duration_ms);
  const status =
    entry.status === 'ok'
      ? trans.__('Ran %1 in %2', started.toLocaleString(), duration)
      : entry.status === 'cancelled'
        ? trans.__('Cancelled %1 after %2', started.toLocaleString(), duration)
        : trans.__('Failed %1 after %2', started.toLocaleString(), duration);
  const error = entry.error
    ? entry.error_line
      ? trans.__('Error on line %1: %2', entry.error_line, entry.error)
      : trans.__('Error: %1', entry.error)
    : '';
  return {
    label: firstLine(entry.sql) || trans.__('(empty)'),
    time: formatTime(started, now),
    duration,
    rows,
    tooltip: [entry.sql, '', [status, rows].filter(Boolean).join(' · '), error]
      .filter((part, index) => index < 3 || part)
      .join('\n')
  };
}
