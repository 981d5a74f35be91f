import { nullTranslator } from '@jupyterlab/translation';

import {
  describeEntry,
  firstLine,
  formatDuration,
  formatTime
} from './describeEntry';

const trans = nullTranslator.load('mlworkbench');

describe('describeEntry', () => {
  it('takes the first non-empty line', () => {
    expect(firstLine('\n  \n  SELECT 1\nFROM t')).toBe('SELECT 1');
    expect(firstLine('   ')).toBe('');
  });

  it('formats durations for people', () => {
    expect(formatDuration(12.4)).toBe('12 ms');
    expect(formatDuration(1430)).toBe('1.4 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(3_780_000)).toBe('1 h 3 min');
  });

  it('shows the clock time today and the date before', () => {
    const now = new Date(2026, 10, 27, 15, 0);
    expect(formatTime(new Date(2026, 10, 27, 9, 5), now)).not.toMatch(/Nov/);
    expect(formatTime(new Date(2026, 10, 20, 9, 5), now)).toMatch(/Nov|20/);
  });

  it('describes a success with rows and a failure with its line', () => {
    const ok = describeEntry(
      {
        id: 1,
        sql: 'SELECT *\nFROM orders',
        started_at: '2026-11-27T08:00:00Z',
        duration_ms: 1500,
        rows: 1234,
        status: 'ok'
      },
      trans
    );
    expect(ok.label).toBe('SELECT *');
    expect(ok.duration).toBe('1.5 s');
    expect(ok.rows).toBe('1,234 rows');
    expect(ok.tooltip.startsWith('SELECT *\nFROM orders\n\nRan ')).toBe(true);

    const failed = describeEntry(
      {
        id: 2,
        sql: 'SELECT x',
        started_at: '2026-11-27T08:00:00Z',
        duration_ms: 3,
        rows: null,
        status: 'error',
        error: 'Referenced column "x" not found',
        error_line: 1
      },
      trans
    );
    expect(failed.rows).toBe('');
    expect(failed.tooltip).toContain(
      'Error on line 1: Referenced column "x" not found'
    );
    expect(failed.tooltip).toContain('Failed ');
  });
});
