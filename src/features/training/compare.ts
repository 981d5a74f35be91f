/**
 * Two (or more) runs side by side: one row per setting, metric or input, with the runs'
 * values as columns and a mark on the rows whose values differ.
 */
import { formatScore, formatSeconds, formatValue, shortHash } from './format';
import { metricLabel } from './normalize';
import { ITrainingRun } from './types';

export type CompareSection = 'run' | 'params' | 'metrics' | 'lineage';

export interface ICompareRow {
  section: CompareSection;
  /** What the row is (a parameter's name, a metric's label, a table or file). */
  name: string;
  /** One text per run, in the runs' order. */
  values: string[];
  differs: boolean;
}

/** Parameters the run section shows already, or that are too long for a cell. */
const SHOWN_ELSEWHERE = new Set([
  'sql',
  'target',
  'task',
  'metric',
  'budget_s'
]);

/** The run section: a row's name and how a run's value is written. */
const RUN_FIELDS: readonly [string, (run: ITrainingRun) => string][] = [
  ['status', r => r.status],
  ['target', r => formatValue(r.target)],
  ['task', r => formatValue(r.task)],
  ['metric', r => (r.metric ? metricLabel(r.metric) : '—')],
  ['budget', r => formatSeconds(r.budget_s)],
  ['duration', r => formatSeconds(r.duration_s)],
  ['best model', r => r.result?.best?.label ?? '—'],
  ['SQL', r => r.sql ?? '—']
];

/** The rows of a comparison of `runs`, section by section. */
export function compareRuns(runs: readonly ITrainingRun[]): ICompareRow[] {
  const rows: ICompareRow[] = [];
  const add = (
    section: CompareSection,
    name: string,
    values: string[]
  ): void => {
    rows.push({
      section,
      name,
      values,
      differs: new Set(values).size > 1
    });
  };

  for (const [name, value] of RUN_FIELDS) {
    add('run', name, runs.map(value));
  }

  for (const name of unionOf(runs.map(r => Object.keys(r.params)))) {
    if (!SHOWN_ELSEWHERE.has(name)) {
      add(
        'params',
        name,
        runs.map(r => formatValue(r.params[name]))
      );
    }
  }
  if (runs.some(r => r.result?.best)) {
    for (const name of unionOf(
      runs.map(r => Object.keys(r.result?.best?.params ?? {}))
    )) {
      add(
        'params',
        `best.${name}`,
        runs.map(r => formatValue(r.result?.best?.params[name]))
      );
    }
  }

  for (const name of unionOf(
    runs.map(r => Object.keys(r.result?.metrics ?? {}))
  )) {
    add(
      'metrics',
      metricLabel(name),
      runs.map(r => formatScore(r.result?.metrics[name] ?? null))
    );
  }

  const inputKey = (kind: string, name: string | null, path: string) =>
    `${kind}:${name ?? path}`;
  const inputs = unionOf(
    runs.map(r => r.inputs.map(i => inputKey(i.kind, i.name, i.path)))
  );
  for (const key of inputs) {
    add(
      'lineage',
      key.slice(key.indexOf(':') + 1),
      runs.map(r => {
        const input = r.inputs.find(
          i => inputKey(i.kind, i.name, i.path) === key
        );
        if (!input) {
          return '—';
        }
        return input.version !== null
          ? `v${input.version}`
          : shortHash(input.sha256);
      })
    );
  }
  return rows;
}

/** Every name of the lists, in first-seen order. */
function unionOf(lists: string[][]): string[] {
  const seen = new Set<string>();
  for (const names of lists) {
    for (const name of names) {
      seen.add(name);
    }
  }
  return [...seen];
}
