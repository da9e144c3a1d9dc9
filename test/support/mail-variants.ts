// Variants of a sample mail with some header fields changed, for tests that need the
// same real-looking mail under many verdicts or header combinations. Header fields are
// edited as the raw lines they are (folded continuation lines included); the body is kept.

interface Field {
  name: string;
  lines: string[];
}

function split(raw: Buffer): { fields: Field[]; body: string } {
  const text = raw.toString('utf8');
  const end = text.indexOf('\r\n\r\n');
  const head = text.slice(0, end);
  const fields: Field[] = [];
  for (const line of head.split('\r\n')) {
    const last = fields[fields.length - 1];
    if (/^[ \t]/.test(line) && last) last.lines.push(line);
    else fields.push({ name: line.slice(0, line.indexOf(':')).toLowerCase(), lines: [line] });
  }
  return { fields, body: text.slice(end) };
}

function join(fields: Field[], body: string): Buffer {
  return Buffer.from(fields.flatMap((field) => field.lines).join('\r\n') + body, 'utf8');
}

/** The mail with the topmost field of that name replaced by `line` (a whole field, may be folded), or removed when null. */
export function replaceField(raw: Buffer, name: string, line: string | null): Buffer {
  const { fields, body } = split(raw);
  const index = fields.findIndex((field) => field.name === name.toLowerCase());
  if (index < 0) throw new Error(`no ${name} field to replace`);
  if (line === null) fields.splice(index, 1);
  else fields[index] = { name, lines: line.split('\r\n') };
  return join(fields, body);
}

/** The mail with every field of those names removed. */
export function removeFields(raw: Buffer, ...names: string[]): Buffer {
  const { fields, body } = split(raw);
  const drop = new Set(names.map((name) => name.toLowerCase()));
  return join(
    fields.filter((field) => !drop.has(field.name)),
    body,
  );
}

/**
 * The mail with `lines` added: `top` puts them above everything (where the receiving host
 * writes), `sender` just above From (where the sender's own headers are).
 */
export function addFields(raw: Buffer, where: 'top' | 'sender', ...lines: string[]): Buffer {
  const { fields, body } = split(raw);
  const added = lines.map((line) => ({
    name: line.slice(0, line.indexOf(':')).toLowerCase(),
    lines: [line],
  }));
  const at =
    where === 'top'
      ? 0
      : Math.max(
          0,
          fields.findIndex((field) => field.name === 'from'),
        );
  fields.splice(at, 0, ...added);
  return join(fields, body);
}

/** SES's Authentication-Results for the given clauses, as the receiving host writes it. */
export function sesResults(...clauses: string[]): string {
  return ['Authentication-Results: amazonses.com;', ...clauses.map((clause) => ` ${clause};`)].join('\r\n');
}
