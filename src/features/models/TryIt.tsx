/**
 * A version's signature and its "Try it" form: one input per column typed by the signature,
 * Predict calls the predict route with the row and shows the prediction (and the class
 * probabilities); then the curl and Python snippets that make the same call.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ErrorBox } from '../training/ErrorBox';
import { formatScore } from '../training/format';
import { predictPath } from './api';
import { ModelViewModel } from './model';
import {
  curlSnippet,
  exampleRow,
  inputType,
  pythonSnippet,
  rowFromForm
} from './tryIt';
import { DescribeModelVersion } from './types';

export function TryIt(props: {
  model: ModelViewModel;
  version: DescribeModelVersion;
  trans: TranslationBundle;
  baseUrl: string;
}): JSX.Element {
  const { model, version, trans } = props;
  const columns = version.signature.columns;
  const [values, setValues] = React.useState<{
    [column: string]: string | boolean;
  }>({});
  const { row, errors } = rowFromForm(columns, values);
  const invalid = Object.keys(errors).length > 0;
  const prediction = model.prediction;
  const ref = `${model.name}@${version.version}`;
  const url = joinUrl(props.baseUrl, predictPath(ref));
  const example = exampleRow(columns);
  return (
    <>
      <h4>{trans.__('Signature')}</h4>
      <table className="mlwb-ModelView-table mlwb-ModelView-signature">
        <thead>
          <tr>
            <th>{trans.__('Column')}</th>
            <th>{trans.__('Type')}</th>
            <th>{trans.__('Nulls')}</th>
            <th>{trans.__('Try it')}</th>
          </tr>
        </thead>
        <tbody>
          {columns.map(c => (
            <tr
              key={c.name}
              className="mlwb-ModelView-signatureRow"
              data-column={c.name}
              data-type={c.type}
            >
              <td>{c.name}</td>
              <td>{c.type}</td>
              <td>{c.nullable ? trans.__('allowed') : trans.__('no')}</td>
              <td>
                <input
                  className="jp-mod-styled mlwb-ModelView-tryInput"
                  data-column={c.name}
                  type={inputType(c.type)}
                  step={c.type === 'float' ? 'any' : undefined}
                  aria-label={trans.__('Value of %1', c.name)}
                  aria-invalid={Boolean(errors[c.name])}
                  title={errors[c.name] ?? ''}
                  {...(c.type === 'boolean'
                    ? {
                        checked: values[c.name] === true,
                        onChange: e =>
                          setValues({ ...values, [c.name]: e.target.checked })
                      }
                    : {
                        value: String(values[c.name] ?? ''),
                        onChange: e =>
                          setValues({ ...values, [c.name]: e.target.value })
                      })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="mlwb-ModelView-tryBar">
        <Button
          data-testid="mlwb-model-predict"
          disabled={invalid || model.busy === 'predict'}
          onClick={() => void model.predict(row)}
        >
          {model.busy === 'predict'
            ? trans.__('Predicting…')
            : trans.__('Predict with v%1', version.version)}
        </Button>
        {invalid ? (
          <span className="mlwb-ModelView-muted">
            {Object.entries(errors)
              .map(([c, e]) => `${c}: ${e}`)
              .join(' ')}
          </span>
        ) : null}
        {prediction ? (
          <PredictionView prediction={prediction} trans={trans} />
        ) : null}
      </div>
      {model.predictError ? (
        <ErrorBox
          error={model.predictError}
          testid="mlwb-model-predict-error"
          action={trans.__('Predict')}
        />
      ) : null}
      <details className="mlwb-ModelView-details">
        <summary>{trans.__('Call it from code')}</summary>
        <p className="mlwb-ModelView-muted">
          {trans.__(
            'Replace the token placeholder with your Jupyter token (or call it from `mlworkbench serve`). %1 names the version; use %2 to follow an alias.',
            ref,
            `${model.name}@production`
          )}
        </p>
        <Snippet
          text={curlSnippet(url, example)}
          testid="mlwb-model-snippet-curl"
          trans={trans}
        />
        <Snippet
          text={pythonSnippet(url, example)}
          testid="mlwb-model-snippet-python"
          trans={trans}
        />
      </details>
    </>
  );
}

function PredictionView(props: {
  prediction: NonNullable<ModelViewModel['prediction']>;
  trans: TranslationBundle;
}): JSX.Element {
  const { prediction, trans } = props;
  const value = prediction.predictions[0];
  const probabilities = prediction.probabilities?.[0] ?? null;
  const shown =
    typeof value === 'number' ? formatScore(value) : String(value ?? '—');
  return (
    <div
      className="mlwb-ModelView-prediction"
      data-testid="mlwb-model-prediction"
      data-value={String(value)}
    >
      <strong>
        {trans.__('Prediction:')} {shown}
      </strong>
      {probabilities ? (
        <span className="mlwb-ModelView-probabilities">
          {Object.entries(probabilities)
            .map(([cls, p]) => `${cls} ${p === null ? '—' : formatScore(p)}`)
            .join(' · ')}
        </span>
      ) : null}
      {prediction.ignored_columns?.length ? (
        <span className="mlwb-ModelView-muted">
          {trans.__('ignored: %1', prediction.ignored_columns.join(', '))}
        </span>
      ) : null}
    </div>
  );
}

function Snippet(props: {
  text: string;
  testid: string;
  trans: TranslationBundle;
}): JSX.Element {
  const [copied, setCopied] = React.useState(false);
  return (
    <div className="mlwb-ModelView-snippet">
      <pre data-testid={props.testid}>{props.text}</pre>
      <Button
        minimal
        small
        onClick={async () => {
          await navigator.clipboard?.writeText(props.text);
          setCopied(true);
        }}
      >
        {copied ? props.trans.__('Copied') : props.trans.__('Copy')}
      </Button>
    </div>
  );
}

/** An absolute URL of a path under the server's base URL. */
function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
