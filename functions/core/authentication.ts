import type { HeaderLines } from 'mailparser';
import { type ResultInfo, trustedResults } from './authentication-results.js';
import { firstHeader } from './headers.js';
import { type Authentication, VERDICT_STATUSES, type VerdictStatus } from './types.js';

/**
 * The authentication verdicts of a mail. SES's notification is authoritative; without one
 * (the CLI, a replay of stored mail) they are read from the headers SES adds on top of the
 * stored message. Only the topmost of each header is trusted, and for
 * Authentication-Results only the topmost whose authserv-id is our receiving host: every
 * header below it could have been written by the sender (RFC 8601 §5).
 */
export function readAuthentication(
  headerLines: HeaderLines,
  receivingHost: string,
  verdicts: Partial<Authentication> = {},
): Authentication {
  const fromHeaders = verdictsFromHeaders(headerLines, receivingHost);
  return {
    spf: verdicts.spf ?? fromHeaders.spf,
    dkim: verdicts.dkim ?? fromHeaders.dkim,
    dmarc: verdicts.dmarc ?? fromHeaders.dmarc,
    spam: verdicts.spam ?? fromHeaders.spam,
    virus: verdicts.virus ?? fromHeaders.virus,
  };
}

/** Maps an SES notification verdict (`{status: 'PASS'}`) to a status, tolerating junk. */
export function verdictStatus(value: unknown): VerdictStatus {
  const status = typeof value === 'string' ? value.toUpperCase() : '';
  return (VERDICT_STATUSES as readonly string[]).includes(status) ? (status as VerdictStatus) : 'UNKNOWN';
}

function verdictsFromHeaders(headerLines: HeaderLines, receivingHost: string): Authentication {
  const spam = firstHeader(headerLines, 'x-ses-spam-verdict');
  const virus = firstHeader(headerLines, 'x-ses-virus-verdict');
  const receivedSpf = firstHeader(headerLines, 'received-spf');
  const results = trustedAuthenticationResults(headerLines, receivingHost);
  return {
    spam: spam === null ? 'UNKNOWN' : verdictStatus(spam.trim().split(/\s/)[0]),
    virus: virus === null ? 'UNKNOWN' : verdictStatus(virus.trim().split(/\s/)[0]),
    spf:
      results?.spf ??
      (receivedSpf === null ? 'UNKNOWN' : spfStatus(receivedSpf.trim().split(/[\s;(]/)[0] ?? '')),
    dkim: results?.dkim ?? 'UNKNOWN',
    dmarc: results?.dmarc ?? 'UNKNOWN',
  };
}

interface ResultVerdicts {
  spf?: VerdictStatus;
  dkim?: VerdictStatus;
  dmarc?: VerdictStatus;
}

function trustedAuthenticationResults(
  headerLines: HeaderLines,
  receivingHost: string,
): ResultVerdicts | null {
  const results = trustedResults(headerLines, receivingHost);
  return results ? verdictsOf(results) : null;
}

/** A mail with several DKIM signatures passes if one does. */
function verdictsOf(results: ResultInfo[]): ResultVerdicts {
  const verdicts: ResultVerdicts = {};
  const dkim: VerdictStatus[] = [];
  for (const { method, result } of results) {
    if (method === 'spf') verdicts.spf ??= spfStatus(result);
    if (method === 'dmarc') verdicts.dmarc ??= dmarcStatus(result);
    if (method === 'dkim') dkim.push(dkimStatus(result));
  }
  if (dkim.length > 0) {
    verdicts.dkim = dkim.includes('PASS') ? 'PASS' : dkim.includes('FAIL') ? 'FAIL' : (dkim[0] ?? 'UNKNOWN');
  }
  return verdicts;
}

// The mappings follow the statuses SES reports for the same results.
function spfStatus(result: string): VerdictStatus {
  switch (result.toLowerCase()) {
    case 'pass':
      return 'PASS';
    case 'fail':
      return 'FAIL';
    case 'softfail':
    case 'neutral':
    case 'none':
      return 'GRAY';
    case 'temperror':
    case 'permerror':
      return 'PROCESSING_FAILED';
    default:
      return 'UNKNOWN';
  }
}

function dkimStatus(result: string): VerdictStatus {
  switch (result) {
    case 'pass':
      return 'PASS';
    case 'fail':
    case 'policy':
      return 'FAIL';
    case 'none':
    case 'neutral':
      return 'GRAY';
    case 'temperror':
    case 'permerror':
      return 'PROCESSING_FAILED';
    default:
      return 'UNKNOWN';
  }
}

function dmarcStatus(result: string): VerdictStatus {
  switch (result) {
    case 'pass':
    case 'bestguesspass':
      return 'PASS';
    case 'fail':
      return 'FAIL';
    case 'none':
      return 'GRAY';
    case 'temperror':
    case 'permerror':
      return 'PROCESSING_FAILED';
    default:
      return 'UNKNOWN';
  }
}
