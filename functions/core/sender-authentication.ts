import type { HeaderLines } from 'mailparser';
import { domainOf } from './address.js';
import { type ResultInfo, trustedResults } from './authentication-results.js';
import { organisationalDomain } from './domains.js';
import type { VerdictStatus } from './types.js';

/** What the receiving host proved about who sent a mail. */
export interface SenderEvidence {
  /** The MAIL FROM domain SPF passed for, or null when SPF did not pass (or for an unknown domain). */
  spfPassDomain: string | null;
  /** The d= domains of the DKIM signatures that passed. */
  dkimPassDomains: string[];
}

export interface EvidenceSources {
  headerLines: HeaderLines;
  receivingHost: string;
  /** The envelope sender (MAIL FROM) the receiving host saw, when known. */
  envelopeSender: string | undefined;
  /** SES's own SPF verdict from its notification, when there is one. */
  notificationSpf: VerdictStatus | undefined;
}

/**
 * Reads the evidence from what the receiving host wrote and nothing else: SES's
 * notification, and the topmost Authentication-Results of the receiving host
 * (authentication-results.ts). SES's spfVerdict is about the MAIL FROM it saw, so PASS
 * there authenticates that address's domain. Without a notification (the CLI, a replay),
 * the spf clause counts only with the MAIL FROM it was checked for (`smtp.mailfrom=`,
 * which SES writes as `envelope-from=`). DKIM domains come only from that header:
 * SES's dkimVerdict does not say whose signature passed.
 */
export function readSenderEvidence(sources: EvidenceSources): SenderEvidence {
  const results = trustedResults(sources.headerLines, sources.receivingHost) ?? [];
  return {
    spfPassDomain:
      sources.notificationSpf !== undefined
        ? sources.notificationSpf === 'PASS' && sources.envelopeSender
          ? domainOf(sources.envelopeSender)
          : null
        : spfPassDomainOf(results),
    dkimPassDomains: results.flatMap((result) => {
      const domain = result.method === 'dkim' && result.result === 'pass' ? signingDomain(result) : null;
      return domain ? [domain] : [];
    }),
  };
}

/**
 * True when `address` is one the evidence authenticates: SPF passed for its own domain
 * (RFC 7208 checks the MAIL FROM domain exactly), or a DKIM signature passed whose d= is
 * that domain or shares its organisational domain (RFC 7489 §3.2 relaxed alignment, from
 * the public suffix list; private suffixes such as github.io count as suffixes, so one
 * tenant's signature never vouches for another's address).
 */
export function isAuthenticatedSender(address: string, evidence: SenderEvidence): boolean {
  const domain = domainOf(address);
  if (!domain) return false;
  if (evidence.spfPassDomain === domain) return true;
  const organisation = organisationalDomain(domain);
  return evidence.dkimPassDomains.some(
    (signer) => signer === domain || (organisation !== null && organisationalDomain(signer) === organisation),
  );
}

function spfPassDomainOf(results: ResultInfo[]): string | null {
  const spf = results.find((result) => result.method === 'spf');
  if (spf?.result !== 'pass') return null;
  const mailFrom = spf.properties.get('smtp.mailfrom') ?? spf.properties.get('envelope-from');
  return mailFrom ? domainOfIdentity(mailFrom) : null;
}

/** RFC 6376 §3.5: d= is the signing domain; i= is an identity at it or a subdomain. */
function signingDomain(result: ResultInfo): string | null {
  const d = result.properties.get('header.d');
  if (d) return domainOfIdentity(d);
  const i = result.properties.get('header.i');
  return i ? domainOfIdentity(i) : null;
}

/** `user@example.com`, `@example.com`, `<user@example.com>` or `example.com` → `example.com`. */
function domainOfIdentity(value: string): string | null {
  const bare = value.replace(/^<|>$/g, '').trim();
  const domain = bare
    .slice(bare.lastIndexOf('@') + 1)
    .toLowerCase()
    .replace(/\.$/, '');
  return /^[a-z0-9.-]+$/.test(domain) && domain.includes('.') ? domain : null;
}
