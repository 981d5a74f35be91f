/**
 * What the labeler tells the user: a hint (worded by the view) or a failed request with the
 * server's message, and how any thrown value becomes one.
 */
import { ILabelingError, ItemKey } from './types';

/** A hint the labeler shows (the view words it), or the server's message. */
export interface ILabelerNotice {
  code: 'pick-multi' | 'pick-single' | 'nothing-to-undo' | 'server';
  message?: string;
}

/** A failed request: what was being done, on which item, and the server's answer. */
export interface ILabelerError extends ILabelingError {
  action: 'save' | 'skip' | 'undo' | 'load';
  key?: ItemKey;
  labels?: string[];
}

/** What a write was doing, for its error. */
export type WriteAction = Pick<ILabelerError, 'action' | 'key' | 'labels'>;

/** Any error as what the labeler shows. */
export function asLabelingError(error: unknown): ILabelingError {
  if (error && typeof error === 'object' && 'message' in error) {
    const e = error as {
      message: string;
      detail?: { [key: string]: unknown };
      status?: number;
    };
    return { message: String(e.message), detail: e.detail, status: e.status };
  }
  return { message: String(error) };
}
