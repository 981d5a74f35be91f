/**
 * The sidebar's "Label data" section: the label sets with their progress, a button for a new
 * one; a click opens the labeler. A view: props in, callbacks out.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { addIcon, deleteIcon, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IconButton, Section } from '../history/HistoryPanel';
import { LabelSetsModel, progressOf } from './labelSets';

export interface ILabelSetsProps {
  model: LabelSetsModel;
  trans: TranslationBundle;
  onOpen: (name: string) => void;
  onNew: () => void;
  onRemove: (name: string) => void;
}

export function LabelSetsSection(props: ILabelSetsProps): JSX.Element {
  const { model, trans } = props;
  return (
    <Section
      title={trans.__('Label data')}
      testid="mlwb-label-sets"
      className="mlwb-LabelSets"
      actions={
        <IconButton
          icon={addIcon}
          title={trans.__('New label set…')}
          testid="mlwb-new-label-set"
          onClick={props.onNew}
        />
      }
    >
      {model.error ? (
        <div className="mlwb-Section-error">{model.error.message}</div>
      ) : null}
      {model.loaded && !model.error && model.labelSets.length === 0 ? (
        <div className="mlwb-Section-empty">
          {trans.__(
            'No label sets. Use + to label the rows of a table or query with keys 1-9.'
          )}
        </div>
      ) : null}
      <ul className="mlwb-LabelSets-list">
        {model.labelSets.map(set => {
          const progress = progressOf(set);
          return (
            <li
              key={set.name}
              className="mlwb-LabelSet-item"
              data-name={set.name}
              data-labeled={set.progress.labeled}
              data-total={set.progress.total}
              title={[
                set.name,
                trans.__('Labels: %1', set.choices.join(', ')),
                set.multi ? trans.__('multi-label') : trans.__('single label'),
                set.sql
              ].join('\n')}
            >
              <button
                className="mlwb-LabelSet-open"
                onClick={() => props.onOpen(set.name)}
                aria-label={trans.__(
                  'Open the labeler on %1 (%2 labeled)',
                  set.name,
                  progress.text
                )}
              >
                <span className="mlwb-LabelSet-name">{set.name}</span>
                <span
                  className="mlwb-ProgressBar mlwb-LabelSet-bar"
                  role="progressbar"
                  aria-valuemin={0}
                  aria-valuemax={set.progress.total}
                  aria-valuenow={set.progress.labeled}
                  aria-label={trans.__('Items labeled in %1', set.name)}
                >
                  <span
                    className="mlwb-ProgressBar-fill"
                    style={{ width: `${(progress.share * 100).toFixed(1)}%` }}
                  />
                </span>
                <span className="mlwb-LabelSet-count">{progress.text}</span>
              </button>
              <IconButton
                icon={deleteIcon}
                title={trans.__('Delete label set %1', set.name)}
                testid="mlwb-label-set-delete"
                className="mlwb-LabelSet-delete"
                onClick={() => props.onRemove(set.name)}
              />
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

/** The section, re-rendered when the list changes. */
export function LabelSetsSidebarSection(props: ILabelSetsProps): JSX.Element {
  return (
    <UseSignal signal={props.model.changed}>
      {() => <LabelSetsSection {...props} />}
    </UseSignal>
  );
}
