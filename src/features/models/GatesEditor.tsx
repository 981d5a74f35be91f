/**
 * The gates of an alias, editable: its SQL checks on metrics (`roc_auc >= 0.85`), add, edit or
 * remove one, Save (the server tries each on the newest version's metrics and refuses one it
 * cannot read, with its message). The shown version's metrics are listed as the names a check
 * can use. Whether a version passes shows when it is promoted (the gate refusal).
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { Button, closeIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ErrorBox } from '../training/ErrorBox';
import { formatScore } from '../training/format';
import { ModelViewModel } from './model';
import { DescribeModel } from './types';

export interface IGatesEditorProps {
  model: ModelViewModel;
  described: DescribeModel;
  trans: TranslationBundle;
  /** Aliases offered besides the model's own (production, staging). */
  standardAliases: string[];
}

/** The alias the editor shows: the one asked for, else the first alias, else production. */
export function gatesAliasOf(
  model: ModelViewModel,
  described: DescribeModel,
  standard: string[]
): string {
  return (
    model.gatesAlias ??
    described.aliases[0]?.alias ??
    standard[0] ??
    'production'
  );
}

export function GatesEditor(props: IGatesEditorProps): JSX.Element {
  const { model, described, trans } = props;
  const alias = gatesAliasOf(model, described, props.standardAliases);
  const existing = described.aliases.map(a => a.alias);
  const choices = [
    ...existing,
    ...props.standardAliases.filter(a => !existing.includes(a))
  ];
  if (!choices.includes(alias)) {
    choices.push(alias);
  }
  const saved = described.aliases.find(a => a.alias === alias)?.gates ?? [];
  return (
    <div
      className="mlwb-GatesEditor"
      data-testid="mlwb-gates"
      data-alias={alias}
      data-gates={saved.join('\n')}
    >
      <label className="mlwb-GatesEditor-alias">
        {trans.__('Gates of')}{' '}
        <select
          className="jp-mod-styled"
          data-testid="mlwb-gates-alias"
          value={alias}
          onChange={e => model.editGates(e.target.value)}
        >
          {choices.map(c => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <p className="mlwb-ModelView-muted">
        {trans.__(
          'Each check is a SQL condition on a version’s metrics (e.g. roc_auc >= 0.85); a move of %1 is refused unless every check passes, and the result is kept in the alias history.',
          alias
        )}
      </p>
      {/* A new draft whenever the alias or its saved checks change. */}
      <GateChecks
        key={`${alias}\u0000${saved.join('\u0000')}`}
        {...props}
        alias={alias}
        saved={saved}
      />
    </div>
  );
}

function GateChecks(
  props: IGatesEditorProps & { alias: string; saved: string[] }
): JSX.Element {
  const { model, trans, alias, saved } = props;
  const [draft, setDraft] = React.useState<string[]>(saved);
  const dirty =
    draft.length !== saved.length || draft.some((g, i) => g !== saved[i]);
  const busy = model.busy !== null;
  const metrics = Object.entries(model.version?.metrics ?? {}).filter(
    ([, value]) => typeof value === 'number'
  );
  const error = model.gatesAlias === alias ? model.gatesError : null;
  return (
    <>
      {draft.length ? (
        <ul className="mlwb-GatesEditor-checks">
          {draft.map((check, index) => (
            <li key={index}>
              <input
                className="jp-mod-styled mlwb-GatesEditor-check"
                data-testid="mlwb-gates-check"
                data-index={index}
                aria-label={trans.__('Check %1', index + 1)}
                spellCheck={false}
                placeholder="roc_auc >= 0.85"
                value={check}
                onChange={e =>
                  setDraft(
                    draft.map((g, i) => (i === index ? e.target.value : g))
                  )
                }
              />
              <Button
                minimal
                small
                data-testid="mlwb-gates-remove"
                title={trans.__('Remove this check')}
                aria-label={trans.__('Remove this check')}
                onClick={() => setDraft(draft.filter((_, i) => i !== index))}
              >
                <closeIcon.react tag="span" />
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mlwb-ModelView-muted">
          {trans.__('%1 has no gates: any version can be promoted.', alias)}
        </p>
      )}
      {metrics.length ? (
        <div
          className="mlwb-GatesEditor-metrics"
          data-testid="mlwb-gates-metrics"
        >
          {trans.__('Metrics of v%1:', model.version?.version ?? '?')}{' '}
          {metrics.map(([name, value]) => (
            <code key={name}>{`${name} ${formatScore(value as number)}`}</code>
          ))}
        </div>
      ) : null}
      <div className="mlwb-GatesEditor-actions">
        <Button
          minimal={false}
          data-testid="mlwb-gates-add"
          disabled={busy}
          onClick={() => setDraft([...draft, ''])}
        >
          {trans.__('Add check')}
        </Button>
        <Button
          data-testid="mlwb-gates-save"
          disabled={busy || !dirty}
          onClick={() => void model.saveGates(alias, draft)}
        >
          {model.busy === 'gates'
            ? trans.__('Saving…')
            : trans.__('Save gates')}
        </Button>
        {dirty ? (
          <Button
            minimal
            data-testid="mlwb-gates-revert"
            disabled={busy}
            onClick={() => setDraft(saved)}
          >
            {trans.__('Revert')}
          </Button>
        ) : null}
      </div>
      {error ? (
        <ErrorBox
          error={error}
          testid="mlwb-gates-error"
          action={trans.__('Gates of %1 not saved', alias)}
        />
      ) : null}
    </>
  );
}
