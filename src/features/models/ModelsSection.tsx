/**
 * The sidebar's "Models" section: every published model (name, newest version, what it
 * predicts) with its aliases as badges; a click opens the model's tab. A view.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IconButton, Section } from '../history/HistoryPanel';
import { aliasBadges, ModelsListModel } from './modelsList';

export interface IModelsSectionProps {
  model: ModelsListModel;
  trans: TranslationBundle;
  onOpen: (name: string) => void;
  onRefresh: () => void;
}

export function ModelsSection(props: IModelsSectionProps): JSX.Element {
  const { model, trans } = props;
  return (
    <Section
      title={trans.__('Models')}
      testid="mlwb-models"
      className="mlwb-Models"
      actions={
        <IconButton
          icon={refreshIcon}
          title={trans.__('Refresh the published models')}
          testid="mlwb-models-refresh"
          onClick={props.onRefresh}
        />
      }
    >
      {model.error ? (
        <div className="mlwb-Section-error">{model.error.message}</div>
      ) : null}
      {model.loaded && !model.error && model.models.length === 0 ? (
        <div className="mlwb-Section-empty">
          {trans.__(
            'No published models yet. Publish one from a training run’s result.'
          )}
        </div>
      ) : null}
      <ul className="mlwb-Models-list">
        {model.models.map(m => {
          const badges = aliasBadges(m.aliases);
          return (
            <li
              key={m.name}
              className="mlwb-Models-item"
              data-name={m.name}
              data-aliases={badges
                .map(b => `${b.alias}=${b.version ?? ''}`)
                .join(' ')}
            >
              <button
                className="mlwb-Models-open"
                aria-label={trans.__('Open model %1', m.name)}
                title={m.description ?? m.name}
                onClick={() => props.onOpen(m.name)}
              >
                <span className="mlwb-Models-name">{m.name}</span>
                <span className="mlwb-Models-version">
                  {m.latest_version !== null
                    ? trans.__('v%1', m.latest_version)
                    : ''}
                </span>
                <span className="mlwb-Models-target">
                  {m.target ? trans.__('predicts %1', m.target) : ''}
                </span>
                <span className="mlwb-Models-badges">
                  {badges.map(b => (
                    <AliasBadge
                      key={b.alias}
                      alias={b.alias}
                      version={b.version}
                    />
                  ))}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

/** An alias as a badge: `production v3`. */
export function AliasBadge(props: {
  alias: string;
  version?: number | null;
}): JSX.Element {
  return (
    <span className="mlwb-AliasBadge" data-alias={props.alias}>
      {props.alias}
      {props.version !== undefined && props.version !== null
        ? ` v${props.version}`
        : ''}
    </span>
  );
}

/** The section, re-rendered when the list changes. */
export function ModelsSidebarSection(props: IModelsSectionProps): JSX.Element {
  return (
    <UseSignal signal={props.model.changed}>
      {() => <ModelsSection {...props} />}
    </UseSignal>
  );
}
