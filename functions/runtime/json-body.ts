import type { z } from 'zod';

/**
 * Parses a queue message body as JSON and checks it against a schema. Queues are inputs
 * like any other; the error names the fields, never their values.
 */
export function parseJsonBody<S extends z.ZodType>(
  body: string,
  schema: S,
  invalid: new (message: string) => Error,
): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new invalid('not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new invalid(
      `invalid fields: ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}`,
    );
  }
  return parsed.data;
}
