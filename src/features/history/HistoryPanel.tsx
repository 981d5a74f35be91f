/**
 * The sidebar's "Saved queries" and "History" sections and the list of file imports.
 * Views: props in, callbacks out.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import {
  caretDownIcon,
  caretRightIcon,
  checkIcon,
  closeIcon,
  deleteIcon,
  editIcon,
  errorIcon,
  fileIcon,
  saveIcon,
  stopIcon
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { DescribeHistoryEntry } from '../../api/client';
import { formatRowCount } from '../catalog/tree';
import { describeEntry } from './describeEntry';
import { formatBytes, IImportJob, ImportModel, percentSent } from './imports';
import { HistoryModel, SavedQueriesModel } from './model';

/** A collapsible part of the sidebar with a title and optional header buttons. */
export function Section(props: {
  title: string;
  testid: string;
  className: string;
  actions?: React.ReactNode;
  children: React.ReactNode;
}): JSX.Element {
  const [open, setOpen] = React.useState(true);
  const Caret = open ? caretDownIcon : caretRightIcon;
  return (
    <section
      className={`mlwb-Section ${props.className}`}
      data-testid={props.testid}
      aria-expanded={open}
    >
      <div className="mlwb-Section-header">
        <button
          className="mlwb-Section-toggle"
          onClick={() => setOpen(!open)}
          aria-label={props.title}
        >
          <Caret.react tag="span" />
          <span className="mlwb-Section-title">{props.title}</span>
        </button>
        <span className="mlwb-Section-actions">{props.actions}</span>
      </div>
      {open ? <div className="mlwb-Section-body">{props.children}</div> : null}
    </section>
  );
}

/** A small icon button of a row or a section header. */
export function IconButton(props: {
  icon: typeof closeIcon;
  title: string;
  testid: string;
  className?: string;
  onClick: () => void;
}): JSX.Element {
  return (
    <button
      className={`mlwb-IconButton jp-Button jp-mod-minimal ${
        props.className ?? ''
      }`}
      data-testid={props.testid}
      title={props.title}
      aria-label={props.title}
      onClick={event => {
        event.stopPropagation();
        props.onClick();
      }}
    >
      <props.icon.react tag="span" />
    </button>
  );
}

export interface ISavedQueriesProps {
  model: SavedQueriesModel;
  trans: TranslationBundle;
  onOpen: (name: string) => void;
  onRename: (name: string) => void;
  onDelete: (name: string) => void;
  /** Saves the current SQL editor's text as a saved query. */
  onSaveCurrent: () => void;
}

export function SavedQueriesSection(props: ISavedQueriesProps): JSX.Element {
  const { model, trans } = props;
  return (
    <Section
      title={trans.__('Saved queries')}
      testid="mlwb-saved-queries"
      className="mlwb-SavedQueries"
      actions={
        <IconButton
          icon={saveIcon}
          title={trans.__('Save the current SQL editor as a query')}
          testid="mlwb-save-query"
          onClick={props.onSaveCurrent}
        />
      }
    >
      {model.error ? (
        <div className="mlwb-Section-error">{model.error.message}</div>
      ) : null}
      {model.loaded && !model.error && model.queries.length === 0 ? (
        <div className="mlwb-Section-empty">
          {trans.__(
            'No saved queries. In a SQL editor, use "Save Query…" (the save button here) to keep one as a .sql file in the workspace.'
          )}
        </div>
      ) : null}
      <ul className="mlwb-SavedQueries-list">
        {model.queries.map(query => (
          <li
            key={query.name}
            className="mlwb-SavedQuery-item"
            data-name={query.name}
            title={[
              query.title ?? query.name,
              query.description,
              trans.__(
                'queries/%1.sql · %2',
                query.name,
                new Date(query.modified_at).toLocaleString()
              )
            ]
              .filter(Boolean)
              .join('\n')}
            onClick={() => props.onOpen(query.name)}
          >
            <fileIcon.react tag="span" className="mlwb-SavedQuery-icon" />
            <span className="mlwb-SavedQuery-label">{query.name}</span>
            {query.title ? (
              <span className="mlwb-SavedQuery-title">{query.title}</span>
            ) : null}
            <IconButton
              icon={editIcon}
              title={trans.__('Rename %1', query.name)}
              testid="mlwb-saved-rename"
              className="mlwb-mod-hover"
              onClick={() => props.onRename(query.name)}
            />
            <IconButton
              icon={closeIcon}
              title={trans.__('Delete %1', query.name)}
              testid="mlwb-saved-delete"
              className="mlwb-mod-hover"
              onClick={() => props.onDelete(query.name)}
            />
          </li>
        ))}
      </ul>
    </Section>
  );
}

export interface IHistoryProps {
  model: HistoryModel;
  trans: TranslationBundle;
  onOpen: (entry: DescribeHistoryEntry) => void;
  onDelete: (entry: DescribeHistoryEntry) => void;
  onClear: () => void;
  /** Milliseconds to wait after typing before searching. */
  searchDelay?: number;
}

export function HistorySection(props: IHistoryProps): JSX.Element {
  const { model, trans } = props;
  const [search, setSearch] = React.useState(model.search);
  const delay = props.searchDelay ?? 250;
  React.useEffect(() => {
    const timer = setTimeout(() => void model.setSearch(search.trim()), delay);
    return () => clearTimeout(timer);
  }, [search]);
  const empty = model.loaded && !model.error && model.entries.length === 0;
  return (
    <Section
      title={trans.__('History')}
      testid="mlwb-history"
      className="mlwb-History"
      actions={
        <IconButton
          icon={deleteIcon}
          title={trans.__('Clear the query history')}
          testid="mlwb-history-clear"
          onClick={props.onClear}
        />
      }
    >
      <input
        className="mlwb-History-search jp-mod-styled"
        data-testid="mlwb-history-search"
        type="search"
        placeholder={trans.__('Search the history')}
        aria-label={trans.__('Search the history')}
        value={search}
        onChange={event => setSearch(event.target.value)}
      />
      {model.error ? (
        <div className="mlwb-Section-error">{model.error.message}</div>
      ) : null}
      {empty ? (
        <div className="mlwb-Section-empty">
          {model.search
            ? trans.__('No query in the history contains "%1".', model.search)
            : trans.__('No queries yet. Queries you run are kept here.')}
        </div>
      ) : null}
      <ul className="mlwb-History-list">
        {model.entries.map(entry => (
          <HistoryRow key={entry.id} entry={entry} {...props} />
        ))}
      </ul>
      {model.hasMore ? (
        <button
          className="mlwb-History-more jp-Button jp-mod-minimal"
          data-testid="mlwb-history-more"
          onClick={() => void model.loadMore()}
        >
          {trans.__(
            'Show more (%1 of %2)',
            formatRowCount(model.entries.length),
            formatRowCount(model.total)
          )}
        </button>
      ) : null}
    </Section>
  );
}

function HistoryRow(
  props: IHistoryProps & { entry: DescribeHistoryEntry }
): JSX.Element {
  const { entry, trans } = props;
  const text = describeEntry(entry, trans);
  const StatusIcon =
    entry.status === 'ok'
      ? checkIcon
      : entry.status === 'cancelled'
        ? stopIcon
        : errorIcon;
  const statusTitle =
    entry.status === 'ok'
      ? trans.__('Succeeded')
      : entry.status === 'cancelled'
        ? trans.__('Cancelled')
        : (entry.error_line ? trans.__('Line %1: ', entry.error_line) : '') +
          (entry.error ?? trans.__('Failed'));
  return (
    <li
      className={`mlwb-History-item mlwb-mod-${entry.status}`}
      data-id={entry.id}
      data-status={entry.status}
      title={text.tooltip}
      onClick={() => props.onOpen(entry)}
    >
      <span className="mlwb-History-status" title={statusTitle}>
        <StatusIcon.react tag="span" />
      </span>
      <span className="mlwb-History-sql">{text.label}</span>
      <span className="mlwb-History-meta">
        <span className="mlwb-History-time">{text.time}</span>
        <span className="mlwb-History-duration">{text.duration}</span>
        {text.rows ? (
          <span className="mlwb-History-rows">{text.rows}</span>
        ) : null}
      </span>
      <IconButton
        icon={closeIcon}
        title={trans.__('Remove from the history')}
        testid="mlwb-history-delete"
        className="mlwb-mod-hover"
        onClick={() => props.onDelete(entry)}
      />
    </li>
  );
}

export interface IImportListProps {
  model: ImportModel;
  trans: TranslationBundle;
  /** Try the same file again, skipping the lines the server cannot read. */
  onRetrySkipping: (job: IImportJob) => void;
}

/** Uploads in flight (with their progress), and the ones that ended. */
export function ImportList(props: IImportListProps): JSX.Element | null {
  const { model } = props;
  if (model.jobs.length === 0) {
    return null;
  }
  return (
    <ul className="mlwb-Import-list" data-testid="mlwb-imports">
      {model.jobs.map(job => (
        <ImportRow key={job.id} job={job} {...props} />
      ))}
    </ul>
  );
}

function ImportRow(props: IImportListProps & { job: IImportJob }): JSX.Element {
  const { job, model, trans } = props;
  const percent = percentSent(job);
  const running = job.state === 'uploading' || job.state === 'importing';
  const line = Number(job.error?.detail.line);
  const isCsv = /\.(csv|tsv|txt)(\.gz)?$/i.test(job.filename);
  return (
    <li
      className={`mlwb-Import-job mlwb-mod-${job.state}`}
      data-filename={job.filename}
      data-state={job.state}
    >
      <div className="mlwb-Import-header">
        <span className="mlwb-Import-name" title={job.filename}>
          {job.filename}
        </span>
        <span className="mlwb-Import-size">
          {running
            ? `${formatBytes(job.loaded)} / ${formatBytes(job.total)}`
            : formatBytes(job.total)}
        </span>
        <IconButton
          icon={closeIcon}
          title={running ? trans.__('Cancel the upload') : trans.__('Dismiss')}
          testid={running ? 'mlwb-import-cancel' : 'mlwb-import-dismiss'}
          onClick={() =>
            running ? model.cancel(job.id) : model.dismiss(job.id)
          }
        />
      </div>
      {running ? (
        <div
          className={`mlwb-ProgressBar mlwb-Import-progress${
            job.state === 'importing' ? ' mlwb-mod-indeterminate' : ''
          }`}
          data-testid="mlwb-import-progress"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          title={
            job.state === 'importing'
              ? trans.__('Reading the file on the server…')
              : trans.__('%1% uploaded', percent)
          }
        >
          <div
            className="mlwb-ProgressBar-fill"
            style={{ width: `${percent}%` }}
          />
        </div>
      ) : null}
      {job.state === 'done' && job.result ? (
        <div className="mlwb-Import-done" data-testid="mlwb-import-done">
          {job.result.row_count !== null
            ? trans._n(
                'Imported as %2 (%3 row).',
                'Imported as %2 (%3 rows).',
                job.result.row_count,
                job.result.name,
                formatRowCount(job.result.row_count)
              )
            : trans.__('Imported as %1.', job.result.name)}
          {job.result.rejected_rows
            ? ' ' +
              trans._n(
                '%1 line skipped.',
                '%1 lines skipped.',
                job.result.rejected_rows
              )
            : ''}
        </div>
      ) : null}
      {job.state === 'error' && job.error ? (
        <div
          className="mlwb-Import-error"
          data-testid="mlwb-import-error"
          data-line={Number.isInteger(line) ? line : undefined}
        >
          {Number.isInteger(line) ? (
            <div className="mlwb-Import-errorLine">
              {trans.__('Line %1', line)}
            </div>
          ) : null}
          <div className="mlwb-Import-errorMessage">{job.error.message}</div>
          {isCsv && Number.isInteger(line) && !job.request.ignore_errors ? (
            <button
              className="jp-Button jp-mod-styled jp-mod-reject mlwb-Import-retry"
              data-testid="mlwb-import-retry"
              onClick={() => props.onRetrySkipping(job)}
            >
              {trans.__('Import, skipping bad lines')}
            </button>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}
