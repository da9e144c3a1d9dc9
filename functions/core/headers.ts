import type { HeaderLines } from 'mailparser';

// Reading raw header lines as mailparser keeps them (key lower-cased, line as received).
// The first occurrence is the topmost, which the receiving side added last.

/** A header line's value: the name cut off, folded lines joined, outer whitespace trimmed. */
export function headerText(line: string): string {
  return line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

/** The value of the topmost header of that (lower-case) name, or null when there is none. */
export function firstHeader(headerLines: HeaderLines, key: string): string | null {
  const line = headerLines.find((entry) => entry.key === key);
  return line ? headerText(line.line) : null;
}

/** The values of every header of that (lower-case) name, topmost first. */
export function allHeaders(headerLines: HeaderLines, key: string): string[] {
  return headerLines.filter((entry) => entry.key === key).map((entry) => headerText(entry.line));
}

/** Each header name's topmost value. */
export function headerMap(headerLines: HeaderLines): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of headerLines) if (!map.has(entry.key)) map.set(entry.key, headerText(entry.line));
  return map;
}
