/**
 * The sidebar's "Jobs" section: the saved jobs (schedule, next run, paused; run now, pause or
 * resume, edit, delete) and the recent runs (status, start, duration, parameters; a click
 * opens the run, Stop cancels a queued or running one). A view: models in, callbacks out.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import {
  addIcon,
  deleteIcon,
  editIcon,
  refreshIcon,
  runIcon,
  stopIcon,
  UseSignal
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { IconButton, Section } from '../history/HistoryPanel';
import { formatSeconds, formatTime } from '../training/format';
import { baseName, formatParameters, StatusBadge } from './labels';
import { RecentRunsModel, SavedJobsModel } from './lists';
import { isFinished, JobInfo } from './types';

export interface IJobsSectionProps {
  jobs: SavedJobsModel;
  runs: RecentRunsModel;
  trans: TranslationBundle;
  /** Pick a notebook and run it (the form). */
  onNew: () => void;
  onRunJob: (name: string) => void;
  onPause: (name: string) => void;
  onResume: (name: string) => void;
  onEdit: (name: string) => void;
  onDelete: (name: string) => void;
  onOpenRun: (id: number) => void;
  onStopRun: (id: number) => void;
  onRefresh: () => void;
}

export function JobsSection(props: IJobsSectionProps): JSX.Element {
  const { jobs, runs, trans } = props;
  const error = jobs.error ?? runs.error;
  return (
    <Section
      title={trans.__('Jobs')}
      testid="mlwb-jobs"
      className="mlwb-Jobs"
      actions={
        <>
          <IconButton
            icon={addIcon}
            title={trans.__('Run a notebook as a job…')}
            testid="mlwb-jobs-new"
            onClick={props.onNew}
          />
          <IconButton
            icon={refreshIcon}
            title={trans.__('Refresh the jobs and runs')}
            testid="mlwb-jobs-refresh"
            onClick={props.onRefresh}
          />
        </>
      }
    >
      {error ? <div className="mlwb-Section-error">{error.message}</div> : null}
      {jobs.schedulesIdle ? (
        <div className="mlwb-Jobs-warning" data-testid="mlwb-jobs-no-scheduler">
          {trans.__(
            'No scheduler is running, so schedules do not fire: run “mlworkbench scheduler” beside this workspace, or start JupyterLab without --MLWorkbench.scheduler=False.'
          )}
        </div>
      ) : null}
      {jobs.loaded && !jobs.error && jobs.jobs.length === 0 ? (
        <div className="mlwb-Section-empty">
          {trans.__(
            'No saved jobs. Right-click a notebook and “Run as Job…”, or use +.'
          )}
        </div>
      ) : null}
      <ul className="mlwb-Jobs-list">
        {jobs.jobs.map(job => (
          <JobRow key={job.name} job={job} {...props} />
        ))}
      </ul>
      {runs.runs.length ? (
        <div className="mlwb-Jobs-subtitle">{trans.__('Recent runs')}</div>
      ) : null}
      <ul className="mlwb-Jobs-runs">
        {runs.runs.map(run => {
          const active = !isFinished(run.status);
          const params = formatParameters(run.parameters);
          return (
            <li
              key={run.id}
              className="mlwb-Jobs-run"
              data-run-id={run.id}
              data-status={run.status}
            >
              <button
                className="mlwb-Jobs-runOpen"
                onClick={() => props.onOpenRun(run.id)}
                title={[run.notebook, params, run.exit_reason ?? '']
                  .filter(Boolean)
                  .join('\n')}
                aria-label={trans.__('Open run %1', run.id)}
              >
                <StatusBadge status={run.status} trans={trans} />
                <span className="mlwb-Jobs-runName">
                  {run.job_name ?? baseName(run.notebook)}
                </span>
                <span className="mlwb-Jobs-runTime">
                  {formatTime(run.started_at ?? run.created_at)}
                  {run.duration_seconds !== null
                    ? ` · ${formatSeconds(run.duration_seconds)}`
                    : ''}
                </span>
                {params ? (
                  <span className="mlwb-Jobs-runParams">{params}</span>
                ) : null}
              </button>
              {active ? (
                <IconButton
                  icon={stopIcon}
                  title={trans.__('Stop run %1', run.id)}
                  testid="mlwb-job-stop"
                  onClick={() => props.onStopRun(run.id)}
                />
              ) : null}
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

function JobRow(props: IJobsSectionProps & { job: JobInfo }): JSX.Element {
  const { job, trans } = props;
  const next = job.next_fire_times?.[0];
  const when = !job.schedule
    ? trans.__('on demand')
    : job.paused
      ? trans.__('paused')
      : next
        ? trans.__('next %1', formatTime(next))
        : '';
  return (
    <li
      className="mlwb-Jobs-job"
      data-name={job.name}
      data-paused={job.paused ? 'true' : 'false'}
      title={[job.notebook, formatParameters(job.parameters)]
        .filter(Boolean)
        .join('\n')}
    >
      <div className="mlwb-Jobs-jobText">
        <span className="mlwb-Jobs-jobName">{job.name}</span>
        {job.last_run ? (
          <StatusBadge status={job.last_run.status} trans={trans} />
        ) : null}
        <span className="mlwb-Jobs-schedule">
          {job.schedule_description ?? job.schedule ?? ''}
        </span>
        <span className="mlwb-Jobs-next">{when}</span>
      </div>
      <span className="mlwb-Jobs-jobActions">
        <IconButton
          icon={runIcon}
          title={trans.__('Run %1 now', job.name)}
          testid="mlwb-job-run-now"
          onClick={() => props.onRunJob(job.name)}
        />
        {job.schedule ? (
          <button
            className="jp-Button jp-mod-minimal mlwb-Jobs-textButton"
            data-testid={job.paused ? 'mlwb-job-resume' : 'mlwb-job-pause'}
            title={
              job.paused
                ? trans.__('Resume the schedule of %1', job.name)
                : trans.__('Pause the schedule of %1', job.name)
            }
            onClick={() =>
              job.paused ? props.onResume(job.name) : props.onPause(job.name)
            }
          >
            {job.paused ? trans.__('Resume') : trans.__('Pause')}
          </button>
        ) : null}
        <IconButton
          icon={editIcon}
          title={trans.__('Edit %1', job.name)}
          testid="mlwb-job-edit"
          onClick={() => props.onEdit(job.name)}
        />
        <IconButton
          icon={deleteIcon}
          title={trans.__('Delete %1', job.name)}
          testid="mlwb-job-delete"
          onClick={() => props.onDelete(job.name)}
        />
      </span>
    </li>
  );
}

/** The section, re-rendered when either list changes. */
export function JobsSidebarSection(props: IJobsSectionProps): JSX.Element {
  return (
    <UseSignal signal={props.jobs.changed}>
      {() => (
        <UseSignal signal={props.runs.changed}>
          {() => <JobsSection {...props} />}
        </UseSignal>
      )}
    </UseSignal>
  );
}
