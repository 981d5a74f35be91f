/** A server error as the training panel shows it: its message, then its detail. */
import * as React from 'react';

import { describeDetail } from '../sql-editor/errorDetail';
import { ITrainingError } from './types';

export function ErrorBox(props: {
  error: ITrainingError;
  testid: string;
  /** What was being done ("Preview", "Train"...), shown before the message. */
  action?: string;
}): JSX.Element {
  const { error } = props;
  const detail = error.detail ? describeDetail(error.detail) : '';
  return (
    <div
      className="mlwb-Train-error"
      role="alert"
      data-testid={props.testid}
      data-code={error.code ?? ''}
    >
      <div className="mlwb-Train-errorMessage">
        {props.action ? <strong>{props.action}: </strong> : null}
        {error.message}
      </div>
      {detail ? <pre className="mlwb-Train-errorDetail">{detail}</pre> : null}
    </div>
  );
}
