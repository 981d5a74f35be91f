/**
 * The errors of the REST client: `WorkbenchApiError` (the server's `{message, code, detail}`)
 * and turning any non-2xx answer into one; plus the small URL helpers requests share.
 */
import { URLExt } from '@jupyterlab/coreutils';

import type { components } from './types';

type ErrorResponse = components['schemas']['ErrorResponse'];

/** Error codes the client itself produces (the server's are in `ErrorResponse.code`). */
export const CLIENT_ERROR_CODES = {
  /** The server answered 404 with no JSON on /status: the server extension is not loaded. */
  extensionMissing: 'extension_missing',
  /** The request never got an answer. */
  network: 'network_error',
  /** An answer that is not an ErrorResponse (e.g. a proxy's HTML page). */
  unexpected: 'unexpected_response'
} as const;

/** An error answer of the API, with the server's `{message, code, detail}`. */
export class WorkbenchApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly detail: { [key: string]: unknown } = {}
  ) {
    super(message);
    this.name = 'WorkbenchApiError';
  }

  /** True when the mlworkbench server extension is not installed or not enabled. */
  get extensionMissing(): boolean {
    return this.code === CLIENT_ERROR_CODES.extensionMissing;
  }

  /** Line and column (1-based) of a SQL error, when the server knows them. */
  get position(): { line: number; column: number | null } | null {
    const line = Number(this.detail.line);
    if (!Number.isInteger(line) || line < 1) {
      return null;
    }
    const column = Number(this.detail.column);
    return {
      line,
      column: Number.isInteger(column) && column >= 1 ? column : null
    };
  }
}

/**
 * Any thrown value as a WorkbenchApiError, what every view shows: the API's own errors as they
 * are, anything else (a bug, a failed fetch outside the client) with its message and the
 * `unexpected_response` code.
 */
export function asApiError(error: unknown): WorkbenchApiError {
  if (error instanceof WorkbenchApiError) {
    return error;
  }
  return new WorkbenchApiError(
    error instanceof Error ? error.message : String(error),
    0,
    CLIENT_ERROR_CODES.unexpected
  );
}

/** `?a=1&b=x` of the options that are set (none: an empty string). */
export function queryString(options: object = {}): string {
  const set: { [key: string]: string } = {};
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && value !== null) {
      set[key] = String(value);
    }
  }
  return Object.keys(set).length ? URLExt.objectToQueryString(set) : '';
}

/** Turn a non-2xx answer into a WorkbenchApiError, whatever its body. */
export async function errorFromResponse(
  response: Response
): Promise<WorkbenchApiError> {
  const text = await response.text().catch(() => '');
  let body: Partial<ErrorResponse> | null = null;
  try {
    body = JSON.parse(text) as Partial<ErrorResponse>;
  } catch {
    body = null;
  }
  if (body && typeof body.message === 'string') {
    return new WorkbenchApiError(
      body.message,
      response.status,
      typeof body.code === 'string' ? body.code : 'error',
      body.detail ?? {}
    );
  }
  const reason = response.statusText || `HTTP ${response.status}`;
  return new WorkbenchApiError(
    `The server answered ${response.status} (${reason}).`,
    response.status,
    CLIENT_ERROR_CODES.unexpected,
    text ? { body: text.slice(0, 500) } : {}
  );
}

/** The file name in a Content-Disposition header, if any. */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) {
    return null;
  }
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain filename
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  return plain ? plain[1].trim() : null;
}
