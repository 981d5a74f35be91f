/** Whether the page URL asks for the Workbench sidebar (`/lab?mlworkbench=open`, as `make lab` does). */

/** The query parameter and the value that open the sidebar once the app is restored. */
export const OPEN_PARAM = 'mlworkbench';
export const OPEN_VALUE = 'open';

/** A page-config option (labconfig/page_config.json) that opens the sidebar on start too. */
export const OPEN_PAGE_CONFIG = 'mlworkbenchOpenOnStart';

/**
 * Whether a URL query string asks to open the Workbench sidebar.
 *
 * Args:
 *   search: a query string such as `window.location.search` (with or without the leading `?`).
 *
 * Returns:
 *   true when `mlworkbench=open` is among its parameters (the value is case-insensitive).
 */
export function openRequested(search: string): boolean {
  const values = new URLSearchParams(search).getAll(OPEN_PARAM);
  return values.some(value => value.trim().toLowerCase() === OPEN_VALUE);
}
