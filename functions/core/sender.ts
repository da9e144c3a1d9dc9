import { domainOf } from './address.js';
import type { TriageConfig } from './config.js';
import { matchesAnyDomain } from './domains.js';
import type { ParsedMail } from './parse.js';
import type { Encryption, SenderKind } from './types.js';

/** Who wrote, judged by the From domain against the configured lists. We are an authority too. */
export function classifySender(fromAddress: string | null, config: TriageConfig): SenderKind {
  const domain = fromAddress ? domainOf(fromAddress) : null;
  if (!domain) return 'unknown';
  if (
    matchesAnyDomain(domain, config.senders.authorityDomains) ||
    matchesAnyDomain(domain, config.ownDomains)
  ) {
    return 'authority';
  }
  if (matchesAnyDomain(domain, config.senders.companyDomains)) return 'company';
  if (matchesAnyDomain(domain, config.senders.consumerDomains)) return 'citizen';
  return 'unknown';
}

/**
 * Encryption and signing from the MIME structure: S/MIME (RFC 8551) is
 * application/pkcs7-mime, PGP/MIME (RFC 3156) is multipart/encrypted; both sign with
 * multipart/signed. Inline PGP armour in the text counts as well.
 */
export function detectEncryption(mail: ParsedMail): { encryption: Encryption; signed: boolean } {
  const { value, params } = mail.contentType;
  const partTypes = mail.attachments.map((attachment) => attachment.contentType.toLowerCase());
  const head = mail.text.slice(0, 4096);

  let encryption: Encryption = 'none';
  let signed = value === 'multipart/signed';
  if (value === 'multipart/encrypted' || partTypes.includes('application/pgp-encrypted')) encryption = 'pgp';
  else if (value === 'application/pkcs7-mime' || value === 'application/x-pkcs7-mime') {
    const smimeType = params['smime-type']?.toLowerCase();
    if (smimeType === 'signed-data') signed = true;
    else encryption = 'smime';
  } else if (head.includes('-----BEGIN PGP MESSAGE-----')) encryption = 'pgp';

  if (head.includes('-----BEGIN PGP SIGNED MESSAGE-----')) signed = true;
  if (
    partTypes.some((type) => /^application\/(x-)?pkcs7-signature$|^application\/pgp-signature$/.test(type))
  ) {
    signed = true;
  }
  return { encryption, signed };
}
