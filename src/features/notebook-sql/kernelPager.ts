/**
 * Pages a `%%sql` result that lives in the notebook's kernel. Each request opens a comm on the
 * target `mlworkbench.results` (see mlworkbench/magics/comm.py); the kernel answers with one
 * message and closes the comm.
 */
import type { Kernel } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { JSONObject } from '@lumino/coreutils';

import type {
  DescribeResult,
  FetchPageRequest,
  QueryPage
} from '../../api/client';
import type { PageFetcher } from '../results/model';

/** The kernel-side comm target. */
export const COMM_TARGET = 'mlworkbench.results';

/** How long a request may wait for the kernel (it queues behind a running cell). */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** The part of a kernel connection the pager uses (a fake in tests). */
export type CommKernel = Pick<Kernel.IKernelConnection, 'createComm'>;

/** Finds the kernel of the notebook or console showing the result, at request time. */
export type KernelFinder = () => CommKernel | null | undefined;

/** Why a request failed; `code` tells the view whether the kernel is the problem. */
export class KernelRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly detail: JSONObject = {}
  ) {
    super(message);
    this.name = 'KernelRequestError';
  }
}

/** Codes of failures that another try will not fix until the cell runs again. */
export const NO_KERNEL = 'no_kernel';
export const NOT_LOADED = 'not_loaded';
export const GONE = 'not_found';
export const TIMEOUT = 'timeout';

export interface IAskOptions {
  trans: TranslationBundle;
  timeoutMs?: number;
}

/**
 * Send one request over a new comm and wait for the kernel's one reply.
 *
 * Rejects with a KernelRequestError when the kernel says `ok: false`, closes the comm without
 * answering (mlworkbench is not loaded there), does not answer in time, or goes away.
 */
export function askKernel(
  kernel: CommKernel,
  data: JSONObject,
  options: IAskOptions
): Promise<JSONObject> {
  const { trans } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise<JSONObject>((resolve, reject) => {
    let settled = false;
    let comm: Kernel.IComm | null = null;
    const finish = (reply: JSONObject | null, error?: Error) => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      if (error) {
        if (comm && !comm.isDisposed) {
          comm.dispose();
        }
        reject(error);
        return;
      }
      resolve(reply as JSONObject);
    };
    const timer = setTimeout(
      () =>
        finish(
          null,
          new KernelRequestError(
            trans.__(
              'The kernel did not answer within %1 s (is it busy running a cell?).',
              Math.round(timeoutMs / 1000)
            ),
            TIMEOUT
          )
        ),
      timeoutMs
    );
    try {
      comm = kernel.createComm(COMM_TARGET);
      comm.onMsg = msg => {
        const reply = (msg.content.data ?? {}) as JSONObject;
        if (reply.ok === true) {
          finish(reply);
        } else {
          finish(
            null,
            new KernelRequestError(
              String(
                reply.message ?? trans.__('The kernel refused the request.')
              ),
              String(reply.code ?? 'error'),
              (reply.detail ?? {}) as JSONObject
            )
          );
        }
      };
      comm.onClose = () =>
        finish(
          null,
          new KernelRequestError(
            trans.__(
              'The kernel has not loaded mlworkbench: run the cell again.'
            ),
            NOT_LOADED
          )
        );
      const future = comm.open(data);
      // A kernel restart or shutdown cancels the future: nothing will answer.
      future.done.catch(error =>
        finish(
          null,
          new KernelRequestError(
            trans.__('The kernel went away: run the cell again. (%1)', error),
            NO_KERNEL
          )
        )
      );
    } catch (error) {
      finish(
        null,
        new KernelRequestError(
          trans.__('Cannot reach the kernel: %1', String(error)),
          NO_KERNEL
        )
      );
    }
  });
}

export interface IKernelPagerOptions extends IAskOptions {
  sessionId: string;
  findKernel: KernelFinder;
  /** Rows the cell's output already holds (named by the no-kernel message). */
  firstRows: number;
}

/** Page and describe requests for one result session, over whichever kernel is there. */
export class KernelPager {
  constructor(private readonly _options: IKernelPagerOptions) {}

  /** The grid's PageFetcher. */
  readonly fetchPage: PageFetcher = async (request: FetchPageRequest) => {
    const reply = await this._ask({
      method: 'page',
      session_id: this._options.sessionId,
      request: request as unknown as JSONObject
    });
    return reply.page as unknown as QueryPage;
  };

  /** The result's columns, status and (once counted) total rows. */
  async describe(): Promise<DescribeResult> {
    const reply = await this._ask({
      method: 'describe',
      session_id: this._options.sessionId
    });
    return reply.describe as unknown as DescribeResult;
  }

  /** The message shown when no kernel is there to page. */
  get noKernelMessage(): string {
    return this._options.trans.__(
      'Paging beyond the first %1 rows needs the kernel: run the cell again.',
      this._options.firstRows.toLocaleString('en-US')
    );
  }

  private _ask(data: JSONObject): Promise<JSONObject> {
    const kernel = this._options.findKernel();
    if (!kernel) {
      return Promise.reject(
        new KernelRequestError(this.noKernelMessage, NO_KERNEL)
      );
    }
    return askKernel(kernel, data, this._options);
  }
}
