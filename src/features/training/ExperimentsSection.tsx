/**
 * The sidebar's "Experiments" section: "Train a model…", then every training run (status
 * icon, target, score of its metric, when); a click reopens a run, ticking two and Compare
 * opens them side by side, the bin deletes one (after a confirmation). A view.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import {
  addIcon,
  deleteIcon,
  refreshIcon,
  UseSignal
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { IconButton, Section } from '../history/HistoryPanel';
import { COMPARE_MAX, ExperimentsModel } from './experiments';
import { formatScore, formatSeconds, formatTime } from './format';
import { StatusIcon, statusLabel } from './labels';
import { metricLabel } from './normalize';

export interface IExperimentsProps {
  model: ExperimentsModel;
  trans: TranslationBundle;
  onNew: () => void;
  onOpen: (id: number) => void;
  onCompare: (ids: number[]) => void;
  onRemove: (id: number) => void;
  onRefresh: () => void;
}

export function ExperimentsSection(props: IExperimentsProps): JSX.Element {
  const { model, trans } = props;
  const selected = model.selected;
  return (
    <Section
      title={trans.__('Experiments')}
      testid="mlwb-experiments"
      className="mlwb-Experiments"
      actions={
        <>
          <IconButton
            icon={addIcon}
            title={trans.__('Train a model…')}
            testid="mlwb-train-new"
            onClick={props.onNew}
          />
          <IconButton
            icon={refreshIcon}
            title={trans.__('Refresh the training runs')}
            testid="mlwb-experiments-refresh"
            onClick={props.onRefresh}
          />
        </>
      }
    >
      {model.error ? (
        <div className="mlwb-Section-error">{model.error.message}</div>
      ) : null}
      {model.loaded && !model.error && model.runs.length === 0 ? (
        <div className="mlwb-Section-empty">
          {trans.__(
            'No training runs yet. Use + to train a model on a table or query.'
          )}
        </div>
      ) : null}
      {model.runs.length > 1 ? (
        <div className="mlwb-Experiments-compareBar">
          <button
            className="jp-Button jp-mod-styled jp-mod-accept mlwb-Experiments-compare"
            data-testid="mlwb-experiments-compare"
            disabled={selected.length !== COMPARE_MAX}
            onClick={() => props.onCompare([...selected])}
          >
            {trans.__('Compare')}
          </button>
          <span className="mlwb-Experiments-hint">
            {selected.length === COMPARE_MAX
              ? trans.__('Runs %1 and %2', selected[0], selected[1])
              : trans.__('Tick two runs to compare them.')}
          </span>
        </div>
      ) : null}
      <ul className="mlwb-Experiments-list">
        {model.runs.map(run => {
          const score =
            run.score !== null
              ? formatScore(run.score)
              : run.status === 'running'
                ? trans.__('running…')
                : '—';
          const details = [
            run.metric ? metricLabel(run.metric) : '',
            formatTime(run.started_at)
          ]
            .filter(Boolean)
            .join(' · ');
          return (
            <li
              key={run.id}
              className="mlwb-Experiment-item"
              data-run-id={run.id}
              data-status={run.status}
              data-target={run.target ?? ''}
              title={[
                trans.__('Run %1', run.id),
                statusLabel(run.status, trans),
                run.experiment ? trans.__('experiment %1', run.experiment) : '',
                run.duration_s !== null
                  ? trans.__('took %1', formatSeconds(run.duration_s))
                  : ''
              ]
                .filter(Boolean)
                .join('\n')}
            >
              <input
                type="checkbox"
                className="mlwb-Experiment-select"
                checked={selected.includes(run.id)}
                aria-label={trans.__('Compare run %1', run.id)}
                onChange={() => model.toggleSelected(run.id)}
              />
              <button
                className="mlwb-Experiment-open"
                onClick={() => props.onOpen(run.id)}
                aria-label={trans.__('Open run %1', run.id)}
              >
                <StatusIcon status={run.status} trans={trans} />
                <span className="mlwb-Experiment-target">
                  {run.target ?? trans.__('Run %1', run.id)}
                </span>
                <span className="mlwb-Experiment-score">{score}</span>
                <span className="mlwb-Experiment-time">{details}</span>
              </button>
              <IconButton
                icon={deleteIcon}
                title={trans.__('Delete run %1', run.id)}
                testid="mlwb-experiment-delete"
                className="mlwb-Experiment-delete"
                onClick={() => props.onRemove(run.id)}
              />
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

/** The section, re-rendered when the list changes. */
export function ExperimentsSidebarSection(
  props: IExperimentsProps
): JSX.Element {
  return (
    <UseSignal signal={props.model.changed}>
      {() => <ExperimentsSection {...props} />}
    </UseSignal>
  );
}
