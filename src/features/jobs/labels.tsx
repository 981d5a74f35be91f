/** The words and badges the jobs panel uses for run statuses and times, translated. */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { formatTime } from '../training/format';
import { JobRunStatus } from './types';

export function runStatusLabel(
  status: JobRunStatus | string,
  trans: TranslationBundle
): string {
  switch (status) {
    case 'queued':
      return trans.__('Queued');
    case 'running':
      return trans.__('Running');
    case 'succeeded':
      return trans.__('Succeeded');
    case 'failed':
      return trans.__('Failed');
    case 'timed_out':
      return trans.__('Timed out');
    case 'cancelled':
      return trans.__('Cancelled');
    default:
      return status;
  }
}

/** A run's status as a coloured badge (the colour from CSS through data-status). */
export function StatusBadge(props: {
  status: JobRunStatus | string;
  trans: TranslationBundle;
}): JSX.Element {
  return (
    <span
      className="mlwb-JobStatus"
      data-status={props.status}
      data-testid="mlwb-job-status"
    >
      {runStatusLabel(props.status, props.trans)}
    </span>
  );
}

/** A run's parameters as "n=5, region=south" (none: an empty string). */
export function formatParameters(parameters: {
  [name: string]: unknown;
}): string {
  return Object.entries(parameters)
    .map(
      ([name, value]) =>
        `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`
    )
    .join(', ');
}

/** Fire times (ISO, UTC) as local times, "2026-11-28 07:30". */
export function formatFireTimes(times: readonly string[], most = 5): string[] {
  return times.slice(0, most).map(formatTime);
}

/** The file name of a notebook path. */
export function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}
