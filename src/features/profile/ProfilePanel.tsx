/**
 * The profile view: a header (rows, columns, sampling, time), then one card per column with its
 * type, null share, distinct count, min/max/mean, top values and chart. Cards are added in
 * batches as the user scrolls and charts are drawn only near the viewport, so a table of
 * hundreds of columns opens at once.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { ColumnProfile, DescribeProfile } from '../../api/client';
import { WorkbenchApiError } from '../../api/client';
import { describeDetail } from '../sql-editor/errorDetail';
import { IChartRenderers, useVegaLite } from '../shared/vegaLite';
import { LazyTrigger } from './chart';
import {
  columnStats,
  formatCount,
  formatShare,
  formatValue,
  profileSummary
} from './format';

/** Cards rendered at first, and added each time the last one scrolls into view. */
export const CARD_BATCH = 48;

/** Top values listed on a card (the chart may show more). */
const TOP_VALUES_SHOWN = 5;

export interface IProfileViewProps {
  profile: DescribeProfile | null;
  error: WorkbenchApiError | null;
  running: boolean;
  /** What is profiled, shown while the first profile runs. */
  label: string;
  trans: TranslationBundle;
  renderers: IChartRenderers;
  lazy: LazyTrigger;
  /** Changes when the theme does: drawn charts are drawn again in the new theme. */
  themeGeneration: number;
}

export function ProfileView(props: IProfileViewProps): JSX.Element {
  const { profile, error, trans } = props;
  const [filter, setFilter] = React.useState('');
  return (
    <div className="mlwb-Profile">
      <div className="mlwb-Profile-header">
        <div className="mlwb-Profile-title">
          {profile ? profile.source : props.label}
        </div>
        {profile ? (
          <div
            className="mlwb-Profile-summary"
            data-testid="mlwb-profile-summary"
            data-total-rows={profile.total_rows}
            data-sampled={profile.sampled ? 'true' : 'false'}
          >
            {profileSummary(profile, trans)}
          </div>
        ) : props.running ? (
          <div className="mlwb-Profile-summary">
            {trans.__('Profiling %1…', props.label)}
          </div>
        ) : null}
        {profile && profile.columns.length > 1 ? (
          <input
            className="mlwb-Profile-filter jp-mod-styled"
            data-testid="mlwb-profile-filter"
            type="search"
            placeholder={trans.__('Filter columns')}
            aria-label={trans.__('Filter columns')}
            value={filter}
            onChange={event => setFilter(event.target.value)}
          />
        ) : null}
      </div>
      {error ? <ErrorBox error={error} /> : null}
      {profile ? (
        <ColumnCards
          key={profile.source + profile.elapsed_ms}
          {...props}
          profile={profile}
          filter={filter}
        />
      ) : null}
    </div>
  );
}

/** The error as the SQL editor shows one (its styles): the message, then the detail. */
function ErrorBox(props: { error: WorkbenchApiError }): JSX.Element {
  const detail = describeDetail(props.error.detail);
  return (
    <div
      className="mlwb-SqlEditor-error"
      data-testid="mlwb-profile-error"
      role="alert"
    >
      <div className="mlwb-SqlEditor-errorMessage">{props.error.message}</div>
      {detail ? (
        <pre className="mlwb-SqlEditor-errorDetail">{detail}</pre>
      ) : null}
    </div>
  );
}

/** The columns whose name contains the filter text (any case). */
export function filterColumns(
  columns: ColumnProfile[],
  filter: string
): ColumnProfile[] {
  const needle = filter.trim().toLowerCase();
  return needle
    ? columns.filter(c => c.name.toLowerCase().includes(needle))
    : columns;
}

function ColumnCards(
  props: IProfileViewProps & { profile: DescribeProfile; filter: string }
): JSX.Element {
  const { profile, trans, lazy } = props;
  const columns = filterColumns(profile.columns, props.filter);
  const [shown, setShown] = React.useState(CARD_BATCH);
  const more = React.useRef<HTMLDivElement>(null);
  const hasMore = shown < columns.length;
  React.useEffect(() => {
    if (!hasMore || !more.current) {
      return;
    }
    return lazy.watch(more.current, () => setShown(n => n + CARD_BATCH));
  }, [hasMore, shown, lazy]);
  if (!columns.length) {
    return (
      <div className="mlwb-Profile-empty">
        {profile.columns.length
          ? trans.__('No column matches "%1".', props.filter)
          : trans.__('This table has no columns.')}
      </div>
    );
  }
  return (
    <>
      <div className="mlwb-Profile-cards">
        {columns.slice(0, shown).map(column => (
          <ColumnCard
            key={column.name}
            column={column}
            trans={trans}
            renderers={props.renderers}
            lazy={lazy}
            themeGeneration={props.themeGeneration}
          />
        ))}
      </div>
      {hasMore ? (
        <div className="mlwb-Profile-more" ref={more}>
          {trans.__(
            '%1 of %2 columns shown; scroll for more',
            formatCount(shown),
            formatCount(columns.length)
          )}
        </div>
      ) : null}
    </>
  );
}

interface IColumnCardProps {
  column: ColumnProfile;
  trans: TranslationBundle;
  renderers: IChartRenderers;
  lazy: LazyTrigger;
  themeGeneration: number;
}

export const ColumnCard = React.memo(function ColumnCard(
  props: IColumnCardProps
): JSX.Element {
  const { column, trans } = props;
  const nullShare = column.null_share ?? 0;
  const profiled = column.profiled !== false;
  const top = (column.top_values ?? []).slice(0, TOP_VALUES_SHOWN);
  return (
    <section
      className="mlwb-ProfileCard"
      data-column={column.name}
      data-kind={column.kind}
      aria-label={column.name}
    >
      <header className="mlwb-ProfileCard-header">
        <span className="mlwb-ProfileCard-name" title={column.name}>
          {column.name}
        </span>
        <span className="mlwb-ProfileCard-type" title={column.type}>
          {column.type}
        </span>
      </header>
      {profiled ? (
        <>
          <div
            className="mlwb-ProfileCard-nulls"
            data-null-share={nullShare}
            title={trans._n(
              '%2 null value',
              '%2 null values',
              column.null_count ?? 0,
              formatCount(column.null_count ?? 0)
            )}
          >
            <div
              className="mlwb-ProfileCard-nullBar"
              role="meter"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(nullShare * 100)}
              aria-label={trans.__('null share')}
            >
              <div
                className="mlwb-ProfileCard-nullFill"
                style={{ width: `${Math.min(100, nullShare * 100)}%` }}
              />
            </div>
            <span className="mlwb-ProfileCard-nullText">
              {trans.__('%1 null', formatShare(nullShare))}
            </span>
          </div>
          <dl className="mlwb-ProfileCard-stats">
            {columnStats(column, trans).map(stat => (
              <React.Fragment key={stat.key}>
                <dt>{stat.label}</dt>
                <dd data-stat={stat.key}>{stat.value}</dd>
              </React.Fragment>
            ))}
          </dl>
          {top.length ? (
            <ol
              className="mlwb-ProfileCard-top"
              aria-label={trans.__('top values')}
            >
              {top.map((value, index) => (
                <li key={index}>
                  <span
                    className={
                      value.value === null
                        ? 'mlwb-ProfileCard-topValue mlwb-mod-null'
                        : 'mlwb-ProfileCard-topValue'
                    }
                    title={value.value ?? 'NULL'}
                  >
                    {value.value === null ? 'NULL' : formatValue(value.value)}
                  </span>
                  <span className="mlwb-ProfileCard-topCount">
                    {formatCount(value.count)}
                  </span>
                </li>
              ))}
            </ol>
          ) : null}
          {!column.chart && !top.length && allDistinct(column) ? (
            <div className="mlwb-ProfileCard-note">
              {trans.__('Every value is distinct: no chart.')}
            </div>
          ) : null}
          {column.chart ? (
            <ChartHost
              spec={column.chart}
              renderers={props.renderers}
              lazy={props.lazy}
              themeGeneration={props.themeGeneration}
            />
          ) : null}
        </>
      ) : (
        <div className="mlwb-ProfileCard-reason">
          {column.reason ?? trans.__('Not profiled.')}
        </div>
      )}
    </section>
  );
});

/** Whether every non-null value of the column is different (an id, a name). */
export function allDistinct(column: ColumnProfile): boolean {
  const count = column.count ?? 0;
  return count > 0 && column.distinct === count;
}

/** Where a chart goes: drawn through rendermime once it comes near the viewport. */
function ChartHost(props: {
  spec: { [key: string]: unknown };
  renderers: IChartRenderers;
  lazy: LazyTrigger;
  themeGeneration: number;
}): JSX.Element {
  const host = React.useRef<HTMLDivElement>(null);
  const [visible, setVisible] = React.useState(false);
  const { lazy, renderers, spec, themeGeneration } = props;

  React.useEffect(() => {
    if (!host.current || visible) {
      return;
    }
    return lazy.watch(host.current, () => setVisible(true));
  }, [lazy, visible]);

  const state = useVegaLite(host, {
    renderers,
    spec,
    themeGeneration,
    what: 'profile chart',
    enabled: visible
  });

  return (
    <div className="mlwb-ProfileCard-chart" data-state={state} ref={host} />
  );
}
