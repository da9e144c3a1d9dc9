import type { HeaderLines } from 'mailparser';
import addressparser from 'nodemailer/lib/addressparser';
import { domainOf } from './address.js';
import type { TriageConfig } from './config.js';
import { matchesAnyDomain } from './domains.js';
import { allHeaders, firstHeader } from './headers.js';

// RFC 5230 §4.5 (Sieve vacation, as Dovecot Pigeonhole implements it): no response unless
// one of the user's addresses is in To, Cc, Bcc, Resent-To, Resent-Cc or Resent-Bcc. Mail
// that reached us only through the envelope (Bcc'd, or from a list or a forwarder that
// names someone else) is not a letter to us, and answering it answers someone who did not
// write to us. Such mail is still routed; only the reply is suppressed.

const RECIPIENT_HEADERS = ['to', 'cc', 'bcc', 'resent-to', 'resent-cc', 'resent-bcc'];

/**
 * True when the header recipients name one of our addresses: `recipients`,
 * `reply.aliases`, and the envelope recipients this copy was received for (SES's
 * `receipt.recipients`; without them, Delivered-To or X-Original-To, as Pigeonhole uses the
 * envelope recipient). An envelope recipient counts only inside our own domains, so a
 * Delivered-To the sender wrote cannot make a stranger's address "ours". The envelope
 * alone never allows a reply: it only widens which addresses in the headers are ours.
 */
export function isAddressedToUs(
  headerLines: HeaderLines,
  envelopeRecipients: readonly string[] | undefined,
  config: TriageConfig,
): boolean {
  const ours = new Set([...config.recipients, ...config.reply.aliases].map(normalise));
  for (const recipient of envelopeRecipients ?? deliveredTo(headerLines)) {
    if (matchesAnyDomain(domainOf(normalise(recipient)), config.ownDomains)) ours.add(normalise(recipient));
  }
  return RECIPIENT_HEADERS.some((key) =>
    allHeaders(headerLines, key).some((value) =>
      addressparser(value, { flatten: true }).some((entry) => ours.has(normalise(entry.address ?? ''))),
    ),
  );
}

/** The topmost Delivered-To and X-Original-To: the delivering host's record of RCPT TO. */
function deliveredTo(headerLines: HeaderLines): string[] {
  return ['delivered-to', 'x-original-to']
    .map((key) => firstHeader(headerLines, key))
    .filter((value): value is string => value !== null)
    .flatMap((value) => addressparser(value, { flatten: true }).map((entry) => entry.address ?? ''));
}

function normalise(address: string): string {
  return address.trim().replace(/^<|>$/g, '').toLowerCase();
}
