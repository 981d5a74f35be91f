/** How the training panel writes numbers, durations, params and hashes. */

/** A score or metric with 4 significant digits ("—" when undefined). */
export function formatScore(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '—';
  }
  if (Number.isInteger(value) && Math.abs(value) >= 1000) {
    return value.toLocaleString('en-US');
  }
  return Number(value.toPrecision(4)).toString();
}

/** Seconds as "42 s", "3 min 5 s" or "1 h 2 min". */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
    return '—';
  }
  const s = Math.max(0, seconds);
  if (s < 10) {
    return `${Number(s.toFixed(1))} s`;
  }
  if (s < 60) {
    return `${Math.round(s)} s`;
  }
  const minutes = Math.floor(s / 60);
  if (minutes < 60) {
    const rest = Math.round(s - minutes * 60);
    return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes - hours * 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** A value of a parameter or a cell, short (objects as JSON). */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) {
    return '—';
  }
  if (typeof value === 'number') {
    return formatScore(value);
  }
  if (typeof value === 'string') {
    return value;
  }
  return JSON.stringify(value);
}

/** Parameters as "C=0.5, max_depth=3". */
export function formatParams(params: { [name: string]: unknown }): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${formatValue(value)}`)
    .join(', ');
}

/** The first 12 hex digits of a content hash. */
export function shortHash(sha256: string | null): string {
  return sha256 ? sha256.slice(0, 12) : '—';
}

/** A local date and time ("2026-11-27 17:40"), or "—". */
export function formatTime(iso: string | null): string {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/** Bytes as "12.3 kB" / "4.5 MB". */
export function formatBytes(size: number | null): string {
  if (size === null) {
    return '—';
  }
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = size;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit ? Number(value.toPrecision(3)) : value} ${units[unit]}`;
}
