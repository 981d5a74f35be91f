/** The words the training panel uses for tasks, phases, statuses and charts, translated. */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IColumnFlag, RunStatus, TaskKind } from './types';

export function taskLabel(task: TaskKind, trans: TranslationBundle): string {
  switch (task) {
    case 'binary':
      return trans.__('Binary classification');
    case 'multiclass':
      return trans.__('Multiclass classification');
    case 'regression':
      return trans.__('Regression');
  }
}

export function statusLabel(
  status: RunStatus,
  trans: TranslationBundle
): string {
  switch (status) {
    case 'running':
      return trans.__('Running');
    case 'finished':
      return trans.__('Finished');
    case 'stopped':
      return trans.__('Stopped');
    case 'failed':
      return trans.__('Failed');
  }
}

/** The status icon of a run (a character, coloured by CSS through data-status). */
export function StatusIcon(props: {
  status: RunStatus;
  trans: TranslationBundle;
}): JSX.Element {
  const glyph = { running: '●', finished: '✓', stopped: '■', failed: '✕' }[
    props.status
  ];
  return (
    <span
      className="mlwb-Train-statusIcon"
      data-status={props.status}
      role="img"
      aria-label={statusLabel(props.status, props.trans)}
      title={statusLabel(props.status, props.trans)}
    >
      {glyph}
    </span>
  );
}

export function phaseLabel(phase: string, trans: TranslationBundle): string {
  const labels: { [phase: string]: string } = {
    starting: trans.__('Starting'),
    reading: trans.__('Reading the data'),
    saving: trans.__('Saving the models'),
    baseline: trans.__('Cross-validating the baselines'),
    search: trans.__('Searching models'),
    refit: trans.__('Refitting the best model on all training rows'),
    evaluate: trans.__('Evaluating on the held-out rows'),
    done: trans.__('Done')
  };
  return labels[phase] ?? phase;
}

/** The heading of a chart of the result, by its name in `charts`. */
export function chartLabel(name: string, trans: TranslationBundle): string {
  const labels: { [name: string]: string } = {
    confusion_matrix: trans.__('Confusion matrix'),
    roc: trans.__('ROC curve'),
    pr: trans.__('Precision-recall curve'),
    calibration: trans.__('Calibration'),
    residuals: trans.__('Residuals'),
    predicted_vs_actual: trans.__('Predicted vs actual'),
    importance: trans.__('Permutation importance'),
    slices: trans.__('Metric per slice')
  };
  return labels[name] ?? name;
}

/** A column's kind as a small badge, its database type as the tooltip. */
export function FeatureKind(props: {
  kind: string;
  dtype: string;
  trans: TranslationBundle;
}): JSX.Element {
  const { kind, trans } = props;
  const labels: { [kind: string]: string } = {
    numeric: trans.__('numeric'),
    boolean: trans.__('boolean'),
    datetime: trans.__('date/time'),
    categorical: trans.__('categorical'),
    text: trans.__('text'),
    unsupported: trans.__('unsupported')
  };
  return (
    <span
      className="mlwb-Train-kind"
      data-kind={kind}
      title={props.dtype || undefined}
    >
      {labels[kind] ?? kind}
    </span>
  );
}

/** A column's flags as badges: the reason as text and tooltip, the code as data-code. */
export function FlagBadges(props: {
  flags: readonly IColumnFlag[];
}): JSX.Element {
  return (
    <>
      {props.flags.map(flag => (
        <span
          key={flag.code}
          className="mlwb-TrainForm-flag"
          data-code={flag.code}
          title={flag.reason}
        >
          {flag.reason}
        </span>
      ))}
    </>
  );
}
