import type { HeaderLines } from 'mailparser';
import { headerText } from './headers.js';

/** One method's result in an Authentication-Results header (RFC 8601 §2.2 resinfo). */
export interface ResultInfo {
  method: string;
  result: string;
  /** `ptype.property` (or SES's bare `envelope-from`) → value, lower-cased keys. */
  properties: Map<string, string>;
}

/**
 * The results in the topmost Authentication-Results header whose authserv-id is our
 * receiving host, or null when there is none. Only that one is trusted: the receiving
 * host adds its own on top, and every header below it, of whatever authserv-id, could
 * have been written by the sender (RFC 8601 §5, §7.1).
 */
export function trustedResults(headerLines: HeaderLines, receivingHost: string): ResultInfo[] | null {
  const host = receivingHost.toLowerCase();
  for (const entry of headerLines) {
    if (entry.key !== 'authentication-results') continue;
    const value = headerText(entry.line);
    const authservId = value.split(';')[0]?.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    if (authservId === host) return parseResults(value);
  }
  return null;
}

/**
 * RFC 8601 resinfo clauses are separated by `;`, and so are the properties SES writes after
 * its spf result (`spf=pass (…) client-ip=…; envelope-from=…; helo=…;`): a segment that does
 * not start a new `method=result` continues the one before it. Comments are dropped first,
 * since SES's ("domain of example.com designates …") name domains that prove nothing.
 */
function parseResults(value: string): ResultInfo[] {
  const results: ResultInfo[] = [];
  let current: ResultInfo | null = null;
  for (const segment of withoutComments(value).split(';').slice(1)) {
    const start = /^\s*([a-z][a-z0-9_-]*)\s*=\s*([a-z]+)\b(.*)$/is.exec(segment);
    const method = start?.[1]?.toLowerCase();
    let rest = segment;
    if (start && method && METHODS.has(method)) {
      current = { method, result: (start[2] ?? '').toLowerCase(), properties: new Map() };
      results.push(current);
      rest = start[3] ?? '';
    }
    if (!current) continue;
    for (const token of rest.trim().split(/\s+/)) {
      const eq = token.indexOf('=');
      if (eq < 1) continue;
      const key = token.slice(0, eq).toLowerCase();
      if (!current.properties.has(key))
        current.properties.set(key, token.slice(eq + 1).replace(/^"|"$/g, ''));
    }
  }
  return results;
}

// The methods whose results we read; any other `x=y` at a segment start is a property.
const METHODS = new Set(['spf', 'dkim', 'dmarc', 'arc', 'auth', 'iprev', 'dkim-atps', 'sender-id', 'bimi']);

/** RFC 5322 comments, nested ones included, replaced by a space. */
function withoutComments(value: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (char === '\\') {
      if (depth === 0) out += value.slice(i, i + 2);
      i++;
      continue;
    }
    if (char === '"' && depth === 0) quoted = !quoted;
    if (!quoted && char === '(') depth++;
    else if (!quoted && char === ')' && depth > 0) {
      depth--;
      if (depth === 0) out += ' ';
    } else if (depth === 0) out += char;
  }
  return out;
}
