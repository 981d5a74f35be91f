/** The detail of an API error as text, for the error boxes of the panel. */

/** The error's detail as "key: value" lines, without the SQL text (it is in the editor). */
export function describeDetail(detail: { [key: string]: unknown }): string {
  return Object.entries(detail)
    .filter(
      ([key, value]) => key !== 'sql' && value !== null && value !== undefined
    )
    .map(
      ([key, value]) =>
        `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`
    )
    .join('\n');
}
