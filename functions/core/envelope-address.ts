import { domainOf } from './address.js';

// What an envelope sender says about the person behind it: the address a forwarder
// rewrote with SRS, the mailbox behind a +tag, the one Gmail account behind its dotted
// and googlemail.com spellings. Plain string work, no public suffix list.

/**
 * The original sender inside an SRS-rewritten address (the Sender Rewriting Scheme that
 * forwarders use to keep SPF passing), or null when the address is not one:
 * `SRS0=HHH=TT=example.com=user@forwarder.example` → `user@example.com`;
 * `SRS1=HHH=first.example==HHH=TT=example.com=user@second.example` (forwarded twice) → the same.
 * libsrs2 and postsrsd write `=` after the tag; `+` and `-` are allowed there too.
 */
export function decodeSrs(address: string): string | null {
  const at = address.lastIndexOf('@');
  if (at < 1) return null;
  const local = address.slice(0, at);
  const srs0 = /^srs0[=+-][^=]+=[^=]+=([^=]+)=(.+)$/i.exec(local);
  const srs1 = /^srs1[=+-][^=]+=[^=]+=[=+-][^=]+=[^=]+=([^=]+)=(.+)$/i.exec(local);
  const match = srs1 ?? srs0;
  if (!match?.[1] || !match[2]) return null;
  return `${match[2]}@${match[1]}`;
}

/** The local part without a `+tag` (RFC 5233 subaddress): `mailer-daemon+x` → `mailer-daemon`. */
export function withoutSubaddress(localPart: string): string {
  const plus = localPart.indexOf('+');
  return plus > 0 ? localPart.slice(0, plus) : localPart;
}

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * The one spelling of a sender that the reply log's per-sender window is kept under, so
 * that `Anna.Lind+x@GoogleMail.com`, `annalind@gmail.com` and an SRS-forwarded copy of
 * either share one window (RFC 5230 §4.2 asks for one response per sender per period):
 * the SRS original, lower-cased, its `+tag` cut, and for Gmail, which ignores dots in the
 * local part and treats googlemail.com as gmail.com, the dots removed and the domain folded.
 */
export function replyWindowAddress(address: string): string {
  const trimmed = address.trim();
  const original = (decodeSrs(trimmed) ?? trimmed).toLowerCase();
  const domain = domainOf(original);
  if (domain === null) return original;
  let local = withoutSubaddress(original.slice(0, original.lastIndexOf('@')));
  let foldedDomain = domain;
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.replaceAll('.', '');
    foldedDomain = 'gmail.com';
  }
  return `${local}@${foldedDomain}`;
}
