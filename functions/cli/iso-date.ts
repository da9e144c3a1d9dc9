/**
 * The date-time a command-line option gives, which must start with an ISO-8601 date
 * (YYYY-MM-DD). Throws a plain Error naming the option; each command wraps it in its own
 * usage error.
 */
export function parseIsoDateTime(option: string, value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new Error(`${option}: not an ISO-8601 date-time: '${value}'`);
  }
  return date;
}
