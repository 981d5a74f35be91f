/**
 * The sidebar's "Label Studio" section: for each label set, its Label Studio project (a link
 * that opens it in a new tab), sync counts, and Connect / Push / Pull with a progress bar and
 * Cancel while the server works. A view: props in, callbacks out.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { formatTime } from '../history/describeEntry';
import { IconButton, Section } from '../history/HistoryPanel';
import {
  CONFIG_ENV,
  CONFIG_HELP,
  IStudioCounts,
  IStudioEntry,
  IStudioJob,
  IStudioProblem,
  jobShare,
  StudioAction,
  StudioModel
} from './model';

export interface IStudioSectionProps {
  model: StudioModel;
  trans: TranslationBundle;
  onAction: (name: string, action: StudioAction) => void;
  onCancel: (name: string) => void;
  onRefresh: () => void;
  /** The current time (for "today" in the last pull time), replaced in tests. */
  now?: () => Date;
}

export function StudioSection(props: IStudioSectionProps): JSX.Element {
  const { model, trans } = props;
  return (
    <Section
      title={trans.__('Label Studio')}
      testid="mlwb-studio"
      className="mlwb-Studio"
      actions={
        <IconButton
          icon={refreshIcon}
          title={trans.__('Refresh the Label Studio status')}
          testid="mlwb-studio-refresh"
          onClick={props.onRefresh}
        />
      }
    >
      {model.error ? <ProblemBox problem={model.error} trans={trans} /> : null}
      {!model.error && model.configuration?.configured === false ? (
        <ProblemBox
          problem={{
            action: 'status',
            message:
              model.configuration.message ??
              trans.__('No Label Studio URL or API key is set on the server.'),
            detail: '',
            code: 'not_configured',
            needsConfig: true
          }}
          trans={trans}
        />
      ) : null}
      {model.loaded && !model.error && model.entries.length === 0 ? (
        <div className="mlwb-Section-empty">
          {trans.__(
            'No label sets yet. Create one under "Label data", then connect it here to label in Label Studio.'
          )}
        </div>
      ) : null}
      {connectHint(model) ? (
        // Said once for the section; each unlinked row has its own Connect.
        <div
          className="mlwb-Studio-hint"
          data-testid="mlwb-studio-hint"
          role="note"
        >
          {trans.__(
            'Connect creates a project in Label Studio for a label set not linked yet (label config from its choices); Push then sends its items as tasks.'
          )}
        </div>
      ) : null}
      <ul className="mlwb-Studio-list">
        {model.entries.map(entry => (
          <StudioItem key={entry.name} entry={entry} {...props} />
        ))}
      </ul>
    </Section>
  );
}

/** Whether the section says what Connect does: a row waits for it, and it can work (the
 * server has a Label Studio URL and key). */
function connectHint(model: StudioModel): boolean {
  return (
    model.loaded &&
    !model.error &&
    model.configuration?.configured !== false &&
    model.entries.some(e => !e.linked && !e.job && !e.problem)
  );
}

function StudioItem(
  props: IStudioSectionProps & { entry: IStudioEntry }
): JSX.Element {
  const { entry, model, trans } = props;
  const link = entry.link;
  // An unlinked row says at once whether Connect can work: the server may have no Label
  // Studio URL or key (the model learns it from one link description).
  const unconfigured =
    !entry.linked && model.configuration?.configured === false;
  const state = entry.linked
    ? (link?.state ?? 'loading')
    : unconfigured
      ? 'not_configured'
      : 'not_connected';
  return (
    <li
      className="mlwb-Studio-item"
      data-name={entry.name}
      data-state={state}
      data-busy={entry.job ? entry.job.action : undefined}
    >
      <div className="mlwb-Studio-head">
        <span className="mlwb-Studio-name" title={entry.name}>
          {entry.name}
        </span>
        {link?.project_url ? (
          <a
            className="mlwb-Studio-project"
            data-testid="mlwb-studio-project"
            href={link.project_url}
            target="_blank"
            rel="noopener noreferrer"
            title={trans.__('Open the project in Label Studio (%1)', link.url)}
          >
            {trans.__('Project %1 ↗', link.project_id)}
          </a>
        ) : (
          <span className="mlwb-Studio-state">
            {entry.linked ? trans.__('linked') : trans.__('not linked')}
          </span>
        )}
      </div>
      {entry.linked &&
      link &&
      link.state !== 'ok' &&
      link.state !== 'not_connected' ? (
        <Note kind="warning" text={link.message} />
      ) : null}
      {unconfigured ? (
        <Note
          kind="warning"
          text={trans.__(
            'Label Studio is not set up on this Jupyter server yet (see above): Connect needs its URL and API key.'
          )}
        />
      ) : null}
      {entry.counts ? (
        <Counts
          counts={entry.counts}
          lastPull={link?.last_pull_at ?? null}
          now={props.now}
          trans={trans}
        />
      ) : null}
      {entry.job ? (
        <JobProgress
          job={entry.job}
          trans={trans}
          onCancel={() => props.onCancel(entry.name)}
        />
      ) : (
        <div className="mlwb-Studio-actions">
          {entry.linked && link?.state !== 'project_missing' ? (
            (['push', 'pull'] as const).map(action => (
              <ActionButton
                key={action}
                action={action}
                label={action === 'push' ? trans.__('Push') : trans.__('Pull')}
                title={
                  action === 'push'
                    ? trans.__(
                        'Send the items not pushed before to Label Studio as tasks'
                      )
                    : trans.__(
                        'Bring the annotations made in Label Studio since the last pull into %1',
                        entry.name
                      )
                }
                {...props}
              />
            ))
          ) : (
            <ActionButton
              action="connect"
              label={trans.__('Connect')}
              title={trans.__(
                'Create a Label Studio project for %1 (label config generated from its choices)',
                entry.name
              )}
              {...props}
            />
          )}
        </div>
      )}
      {entry.outcome && !entry.job ? (
        <Note kind="outcome" text={entry.outcome} />
      ) : null}
      {entry.problem ? (
        <ProblemBox
          problem={
            // The section already says how to set the URL and key.
            unconfigured
              ? { ...entry.problem, needsConfig: false }
              : entry.problem
          }
          trans={trans}
        />
      ) : null}
    </li>
  );
}

/** A status line of a row: a link state's warning, or what the last action did. */
function Note(props: {
  kind: 'warning' | 'outcome';
  text?: string | null;
}): JSX.Element {
  return (
    <div
      className={`mlwb-Studio-${props.kind}`}
      data-testid={`mlwb-studio-${props.kind}`}
      role="status"
    >
      {props.text}
    </div>
  );
}

function ActionButton(
  props: IStudioSectionProps & {
    entry: IStudioEntry;
    action: StudioAction;
    label: string;
    title: string;
  }
): JSX.Element {
  return (
    <button
      className="mlwb-Studio-button jp-Button jp-mod-styled jp-mod-reject"
      data-testid={`mlwb-studio-${props.action}`}
      title={props.title}
      onClick={() => props.onAction(props.entry.name, props.action)}
    >
      {props.label}
    </button>
  );
}

function Counts(props: {
  counts: IStudioCounts;
  lastPull: string | null;
  trans: TranslationBundle;
  now?: () => Date;
}): JSX.Element {
  const { counts, trans } = props;
  const n = (value: number) => value.toLocaleString();
  const lastPull = props.lastPull ? new Date(props.lastPull) : null;
  const flagged = counts.unknownLabels + counts.deletedUpstream;
  return (
    <div
      className="mlwb-Studio-counts"
      data-testid="mlwb-studio-counts"
      data-tasks={counts.tasks}
      data-pushed={counts.pushed}
      data-annotated={counts.annotated}
      data-pulled={counts.pulled}
      data-unknown-labels={counts.unknownLabels}
      data-deleted-upstream={counts.deletedUpstream}
      data-last-pull={props.lastPull ?? undefined}
    >
      <div
        title={trans.__(
          '%1 items pushed from this label set; %2 tasks in the project, %3 of them annotated; %4 annotations pulled back',
          n(counts.pushed),
          n(counts.tasks),
          n(counts.annotated),
          n(counts.pulled)
        )}
      >
        {trans.__(
          '%1 pushed · %2 annotated · %3 pulled',
          n(counts.pushed),
          n(counts.annotated),
          n(counts.pulled)
        )}
      </div>
      <div className="mlwb-Studio-lastPull">
        {lastPull
          ? trans.__(
              'Last pull %1',
              formatTime(lastPull, props.now ? props.now() : new Date())
            )
          : trans.__('Never pulled')}
      </div>
      {flagged > 0 ? (
        <div
          className="mlwb-Studio-flagged"
          data-testid="mlwb-studio-flagged"
          title={trans.__(
            'Kept in the label set and flagged (status column): labels not in the choices, and labels of tasks deleted in Label Studio'
          )}
        >
          {[
            counts.unknownLabels
              ? trans._n(
                  '%1 unknown label',
                  '%1 unknown labels',
                  counts.unknownLabels
                )
              : null,
            counts.deletedUpstream
              ? trans._n(
                  '%1 deleted upstream',
                  '%1 deleted upstream',
                  counts.deletedUpstream
                )
              : null
          ]
            .filter(Boolean)
            .join(' · ')}
        </div>
      ) : null}
    </div>
  );
}

function JobProgress(props: {
  job: IStudioJob;
  trans: TranslationBundle;
  onCancel: () => void;
}): JSX.Element {
  const { job, trans } = props;
  const share = jobShare(job);
  return (
    <div className="mlwb-Studio-job">
      <div
        className={
          share === null
            ? 'mlwb-ProgressBar mlwb-mod-indeterminate'
            : 'mlwb-ProgressBar'
        }
        data-testid="mlwb-studio-progress"
        data-action={job.action}
        data-done={job.done}
        data-total={job.total ?? undefined}
        role="progressbar"
        aria-label={job.message}
        aria-valuemin={0}
        aria-valuemax={job.total ?? undefined}
        aria-valuenow={job.total !== null ? job.done : undefined}
      >
        <span
          className="mlwb-ProgressBar-fill"
          style={share === null ? undefined : { width: `${share * 100}%` }}
        />
      </div>
      <div className="mlwb-Studio-jobLine">
        <span className="mlwb-Studio-jobMessage">
          {job.total !== null
            ? `${job.message} (${job.done.toLocaleString()} / ${job.total.toLocaleString()})`
            : job.message}
        </span>
        <button
          className="mlwb-Studio-button jp-Button jp-mod-styled jp-mod-reject"
          data-testid="mlwb-studio-cancel"
          disabled={job.cancelling || !job.taskId}
          onClick={props.onCancel}
        >
          {job.cancelling ? trans.__('Cancelling…') : trans.__('Cancel')}
        </button>
      </div>
    </div>
  );
}

function ProblemBox(props: {
  problem: IStudioProblem;
  trans: TranslationBundle;
}): JSX.Element {
  const { problem, trans } = props;
  return (
    <div
      className="mlwb-Studio-error"
      data-testid="mlwb-studio-error"
      data-code={problem.code}
      data-action={problem.action}
      role="alert"
    >
      <div className="mlwb-Studio-errorMessage">{problem.message}</div>
      {problem.detail ? (
        <pre className="mlwb-Studio-errorDetail">{problem.detail}</pre>
      ) : null}
      {problem.needsConfig ? <ConfigHelp trans={trans} /> : null}
    </div>
  );
}

/** Where the server reads the Label Studio URL and key, shown when they are missing. */
function ConfigHelp(props: { trans: TranslationBundle }): JSX.Element {
  const { trans } = props;
  return (
    <div
      className="mlwb-Studio-configHelp"
      data-testid="mlwb-studio-config-help"
    >
      {trans.__(
        'Label Studio is set up on the Jupyter server, not in notebooks. In jupyter_server_config.py:'
      )}
      <pre>{CONFIG_HELP.join('\n')}</pre>
      {trans.__(
        'or in the environment of the server: %1. Then restart JupyterLab.',
        CONFIG_ENV.join(', ')
      )}
    </div>
  );
}

/** The section, re-rendered when the model changes. */
export function StudioSidebarSection(props: IStudioSectionProps): JSX.Element {
  return (
    <UseSignal signal={props.model.changed}>
      {() => <StudioSection {...props} />}
    </UseSignal>
  );
}
