import { getDomain, parse } from 'tldts';

type Parsed = ReturnType<typeof parse>;

/**
 * True when `domain` is `listed` or one of its subdomains. Both are parsed with the public
 * suffix list, so `ssi.dk.evil.example` or `evil-ssi.dk` never pass for `ssi.dk`, and a
 * listed entry that is itself a public suffix (`dk`, `co.uk`) matches nothing: it would
 * make every sender under it "known".
 */
export function isDomainOrSubdomain(domain: string, listed: string): boolean {
  return sameOrSubdomain(parse(domain), parse(listed));
}

function sameOrSubdomain(candidate: Parsed, entry: Parsed): boolean {
  if (!candidate.domain || !entry.domain || candidate.isIp || entry.isIp) return false;
  if (candidate.domain !== entry.domain) return false;
  const host = candidate.hostname ?? '';
  const want = entry.hostname ?? '';
  return host === want || host.endsWith(`.${want}`);
}

// Configured lists are parsed once each, not once per mail and entry (~160 parses a mail).
const parsedLists = new WeakMap<readonly string[], Parsed[]>();

export function matchesAnyDomain(domain: string | null, listed: readonly string[]): boolean {
  if (!domain) return false;
  const candidate = parse(domain);
  let entries = parsedLists.get(listed);
  if (!entries) {
    entries = listed.map((entry) => parse(entry));
    parsedLists.set(listed, entries);
  }
  return entries.some((entry) => sameOrSubdomain(candidate, entry));
}

/** A registrable, ICANN-listed domain: what a deliverable reply address must have. */
export function isDeliverableDomain(domain: string): boolean {
  const parsed = parse(domain);
  return Boolean(parsed.domain) && parsed.isIcann === true && !parsed.isIp && parsed.hostname === domain;
}

/**
 * The organisational domain (RFC 7489 §3.2): the registrable domain by the public suffix
 * list, private suffixes included, so `a.github.io` and `b.github.io` are two
 * organisations, as are two tenants of any hosting suffix. Null for a suffix or an IP.
 */
export function organisationalDomain(domain: string): string | null {
  return getDomain(domain, { allowPrivateDomains: true });
}
