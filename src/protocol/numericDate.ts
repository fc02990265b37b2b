/**
 * JWT times (RFC 7519 §2 "NumericDate": seconds since 1970-01-01 UTC) shown the way people read
 * them: an ISO date and "in 53 minutes" / "2 hours ago" relative to a given moment.
 */

/** The registered claims that are NumericDates (RFC 7519 §4.1.4–4.1.6) plus OIDC's `auth_time`. */
export const NUMERIC_DATE_CLAIMS = ['exp', 'nbf', 'iat', 'auth_time'] as const;

export interface DescribedTime {
  /** `2026-11-25T18:07:00.000Z` */
  iso: string;
  /** "in 53 minutes", "2 hours ago", "now". */
  relative: string;
  /** Signed seconds from `now` to the time: negative is in the past. */
  secondsFromNow: number;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

export function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < 1e11;
}

export function describeNumericDate(seconds: number, nowMs: number, locale = 'en'): DescribedTime {
  const secondsFromNow = Math.round(seconds - nowMs / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const magnitude = Math.abs(secondsFromNow);
  const [unit, size] = UNITS.find(([, size]) => magnitude >= size) ?? ['second', 1];
  const relative = magnitude < 5 ? format.format(0, 'second') : format.format(Math.trunc(secondsFromNow / size), unit);
  return { iso: new Date(seconds * 1000).toISOString(), relative, secondsFromNow };
}
