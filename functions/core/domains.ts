import { parse } from 'tldts';

/** The lower-cased domain of an address, or null when there is no usable one. */
export function domainOf(address: string): string | null {
  const at = address.lastIndexOf('@');
  if (at < 1 || at === address.length - 1) return null;
  return address
    .slice(at + 1)
    .toLowerCase()
    .replace(/\.$/, '');
}

/**
 * True when `domain` is `listed` or one of its subdomains. Both are parsed with the public
 * suffix list, so `ssi.dk.evil.example` or `evil-ssi.dk` never pass for `ssi.dk`, and a
 * listed entry that is itself a public suffix (`dk`, `co.uk`) matches nothing: it would
 * make every sender under it "known".
 */
export function isDomainOrSubdomain(domain: string, listed: string): boolean {
  const candidate = parse(domain);
  const entry = parse(listed);
  if (!candidate.domain || !entry.domain || candidate.isIp || entry.isIp) return false;
  if (candidate.domain !== entry.domain) return false;
  const host = candidate.hostname ?? '';
  const want = entry.hostname ?? '';
  return host === want || host.endsWith(`.${want}`);
}

export function matchesAnyDomain(domain: string | null, listed: readonly string[]): boolean {
  if (!domain) return false;
  return listed.some((entry) => isDomainOrSubdomain(domain, entry));
}

/** A registrable, ICANN-listed domain: what a deliverable reply address must have. */
export function isDeliverableDomain(domain: string): boolean {
  const parsed = parse(domain);
  return Boolean(parsed.domain) && parsed.isIcann === true && !parsed.isIp && parsed.hostname === domain;
}
