import { parse as parseDomain } from 'tldts';
import { findCprNumbers, redactCpr, type TextRange } from './cpr.js';
import type { FraudFacts } from './types.js';

// What a forwarded fraud SMS tells the people who chase it: the links and the sender's
// number. Links are returned defanged, so no mail client, ticket system or chat that shows
// them turns them into something clickable again.

const MAX_URLS = 20;
const MAX_URL_LENGTH = 200;
const MAX_PHONE_NUMBERS = 20;

// Characters that end a link in running text; quotes and angle brackets delimit links in
// mail ("<https://…>", href="…").
const URL_CHAR = String.raw`[^\s<>"'\x60]`;
const HOST_CHAR = String.raw`[^\s/?#<>"'\x60]`;
const LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?`;

// One left-to-right pass; at each position the first alternative that matches wins, so a
// link is reported once however many forms it fits. Every repetition is either bounded or
// the last element of its alternative, so matching stays linear in the text's length.
const LINK = new RegExp(
  [
    // http://… and https://…
    String.raw`(?<![\p{L}\p{N}])(?<scheme>https?):\/\/(?<authority>${HOST_CHAR}{1,253})(?<path>[/?#]${URL_CHAR}*)?`,
    // www.… without a scheme
    String.raw`(?<![\p{L}\p{N}@./-])(?<www>www\.${HOST_CHAR}{1,249})(?<wwwPath>[/?#]${URL_CHAR}*)?`,
    // a bare domain followed by a path, as SMS senders write them: "post-dk.info/pakke"
    String.raw`(?<![\p{L}\p{N}@._/-])(?<domain>(?:${LABEL}\.){1,10}\p{L}{2,63})(?<domainPath>\/${URL_CHAR}*)`,
  ].join('|'),
  'giu',
);

// Reserved for documentation and tests (RFC 2606, RFC 6761); not in the public suffix list.
const RESERVED_TLDS = new Set(['example', 'test', 'invalid']);

const TRAILING_PUNCTUATION = /[.,;:!?'"»)\]}>]+$/u;

const OPENING: Record<string, string> = { ')': '(', ']': '[' };

/**
 * Drops sentence punctuation after a link, but keeps a ")" or "]" that closes a "(" or
 * "[" in it, such as the end of the [CPR] mark in a redacted link.
 */
function trimTrailingPunctuation(link: string): string {
  let trimmed = link.replace(TRAILING_PUNCTUATION, '');
  for (const closing of link.slice(trimmed.length)) {
    const opening = OPENING[closing];
    if (opening === undefined) break;
    const opens = trimmed.split(opening).length - 1;
    const closes = trimmed.split(closing).length - 1;
    if (opens <= closes) break;
    trimmed += closing;
  }
  return trimmed;
}

function isPublicDomain(host: string): boolean {
  const { isIcann, publicSuffix } = parseDomain(host);
  return isIcann === true || RESERVED_TLDS.has(publicSuffix?.toLowerCase() ?? '');
}

/** A link with every dot of its host written `[.]`, the host lower-cased (hosts are case-insensitive). */
function defang(prefix: string, link: string): string {
  const hostEnd = link.search(/[/?#]/u);
  const [host, rest] = hostEnd < 0 ? [link, ''] : [link.slice(0, hostEnd), link.slice(hostEnd)];
  return `${prefix}${host.toLowerCase().replaceAll('.', '[.]')}${rest}`;
}

function defangedLink(groups: Record<string, string | undefined>): string | null {
  const { scheme, authority, path, www, wwwPath, domain, domainPath } = groups;
  if (scheme !== undefined && authority !== undefined) {
    const link = trimTrailingPunctuation(`${authority}${path ?? ''}`);
    if (link === '') return null;
    return defang(scheme.toLowerCase() === 'https' ? 'hxxps://' : 'hxxp://', link);
  }
  if (www !== undefined) {
    const link = trimTrailingPunctuation(`${www}${wwwPath ?? ''}`);
    return /^www\.[^/?#]/iu.test(link) ? defang('', link) : null;
  }
  if (domain !== undefined && domainPath !== undefined) {
    // Without a scheme or www., "f.eks/x" or "rapport.docx/…" would pass for links; only
    // a real top-level domain makes the text one.
    return isPublicDomain(domain) ? defang('', `${domain}${trimTrailingPunctuation(domainPath)}`) : null;
  }
  return null;
}

function extractUrls(text: string): string[] {
  const urls = new Set<string>();
  // Links are read from the redacted text: a CPR number in a query (?cpr=…) or a path
  // leaves as [CPR], and its keyword may stand in the text before the link.
  for (const match of redactCpr(text).matchAll(LINK)) {
    const link = match.groups ? defangedLink(match.groups) : null;
    if (link === null) continue;
    urls.add(link.slice(0, MAX_URL_LENGTH));
    if (urls.size >= MAX_URLS) break;
  }
  return [...urls];
}

// Danish numbers: eight digits, written 12345678, 12 34 56 78 or 1234 5678, optionally
// after +45 or 0045. Other countries: + and 7–15 digits (ITU-T E.164), single spaces or
// hyphens allowed between digits. Groupings of dates (12-03-2026, 2026-03-12) and CPR
// numbers (DDMMYY-SSSS) fit none of these, and the guards keep a match from being the
// slice of a longer number.
const GAP = String.raw`[ \u00A0-]`;
const PHONE = new RegExp(
  String.raw`(?<![\p{L}\p{N}+])(?<!\d[-./])(?:` +
    String.raw`(?<dk>(?:\+|00)45${GAP}?)?(?<local>\d{8}|\d{2}(?<sep>${GAP})\d{2}\k<sep>\d{2}\k<sep>\d{2}|\d{4}${GAP}\d{4})` +
    String.raw`|(?<intl>\+[1-9](?:${GAP}?\d){6,14})` +
    String.raw`)(?!\d)(?![-./]\d)`,
  'gu',
);

function overlaps(range: TextRange, others: readonly TextRange[]): boolean {
  return others.some((other) => range.start < other.end && other.start < range.end);
}

function extractPhoneNumbers(text: string): string[] {
  const cprNumbers = findCprNumbers(text);
  const numbers = new Set<string>();
  for (const match of text.matchAll(PHONE)) {
    const range = { start: match.index, end: match.index + match[0].length };
    if (overlaps(range, cprNumbers)) continue;
    const { dk, local, intl } = match.groups ?? {};
    const digits = (intl ?? local ?? '').replace(/\D/gu, '');
    numbers.add(intl !== undefined ? `+${digits}` : dk !== undefined ? `+45${digits}` : digits);
    if (numbers.size >= MAX_PHONE_NUMBERS) break;
  }
  return [...numbers];
}

/**
 * `text` with every link (http, https, www. and bare domains with a path, as found for the
 * fraud facts) replaced by `replacement`.
 */
export function removeLinks(text: string, replacement: string): string {
  let result = '';
  let from = 0;
  for (const match of text.matchAll(LINK)) {
    if (!match.groups || defangedLink(match.groups) === null) continue;
    // Sentence punctuation after a link is not part of it and stays.
    const link = trimTrailingPunctuation(match[0]);
    result += text.slice(from, match.index) + replacement;
    from = match.index + link.length;
  }
  return result + text.slice(from);
}

/** Links (defanged) and phone numbers in a mail's text, each de-duplicated, in order of appearance. */
export function extractFraudFacts(text: string): FraudFacts {
  return { urls: extractUrls(text), phoneNumbers: extractPhoneNumbers(text) };
}
