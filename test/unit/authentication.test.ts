import { describe, expect, it } from 'vitest';
import { readAuthentication, verdictStatus } from '../../functions/core/authentication.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { parseMail } from '../../functions/core/parse.js';
import { isAuthenticatedSender, readSenderEvidence } from '../../functions/core/sender-authentication.js';
import { fixture } from '../support/fixtures.js';

async function headersOf(name: string) {
  return (await parseMail(fixture(name), DEFAULT_CONFIG.limits)).headerLines;
}

describe('authentication verdicts', () => {
  it('reads the verdicts SES wrote on top of a stored mail', async () => {
    expect(readAuthentication(await headersOf('general-question-da.eml'), 'amazonses.com')).toEqual({
      spf: 'PASS',
      dkim: 'PASS',
      dmarc: 'PASS',
      spam: 'PASS',
      virus: 'PASS',
    });
  });

  it('maps softfail and missing DKIM to GRAY and reads a virus FAIL', async () => {
    expect(readAuthentication(await headersOf('quarantine-virus.eml'), 'amazonses.com')).toEqual({
      spf: 'GRAY',
      dkim: 'GRAY',
      dmarc: 'GRAY',
      spam: 'PASS',
      virus: 'FAIL',
    });
  });

  it('ignores a forged Authentication-Results below the receiving host’s own', async () => {
    const verdicts = readAuthentication(await headersOf('spoofed-dmarc-fail.eml'), 'amazonses.com');
    expect(verdicts.dmarc).toBe('FAIL');
  });

  it('trusts no Authentication-Results from another authserv-id', async () => {
    const headers = [
      {
        key: 'authentication-results',
        line: 'Authentication-Results: mx.evil.example; dmarc=pass; dkim=pass',
      },
    ];
    expect(readAuthentication(headers, 'amazonses.com')).toEqual({
      spf: 'UNKNOWN',
      dkim: 'UNKNOWN',
      dmarc: 'UNKNOWN',
      spam: 'UNKNOWN',
      virus: 'UNKNOWN',
    });
  });

  it('passes DKIM when one of several signatures passes', () => {
    const headers = [
      {
        key: 'authentication-results',
        line: 'Authentication-Results: amazonses.com;\r\n dkim=fail header.i=@a.example;\r\n dkim=pass header.i=@b.example',
      },
    ];
    expect(readAuthentication(headers, 'amazonses.com').dkim).toBe('PASS');
  });

  it('prefers the verdicts of the SES notification over headers', async () => {
    const verdicts = readAuthentication(await headersOf('general-question-da.eml'), 'amazonses.com', {
      spam: 'FAIL',
      dmarc: 'GRAY',
    });
    expect(verdicts).toMatchObject({ spam: 'FAIL', dmarc: 'GRAY', spf: 'PASS' });
  });

  it('turns unexpected verdict values into UNKNOWN', () => {
    expect(verdictStatus('pass')).toBe('PASS');
    expect(verdictStatus('maybe')).toBe('UNKNOWN');
    expect(verdictStatus(undefined)).toBe('UNKNOWN');
  });
});

describe('sender evidence', () => {
  const results = (value: string) => [
    { key: 'authentication-results', line: `Authentication-Results: ${value}` },
  ];
  const evidence = (value: string, notificationSpf?: 'PASS' | 'GRAY', envelopeSender?: string) =>
    readSenderEvidence({
      headerLines: results(value),
      receivingHost: 'amazonses.com',
      envelopeSender,
      notificationSpf,
    });

  it('reads the MAIL FROM domain of SES’s spf clause, its properties split off by semicolons', async () => {
    const headerLines = await headersOf('general-question-da.eml');
    expect(
      readSenderEvidence({
        headerLines,
        receivingHost: 'amazonses.com',
        envelopeSender: undefined,
        notificationSpf: undefined,
      }),
    ).toEqual({ spfPassDomain: 'icloud.com', dkimPassDomains: ['icloud.com'] });
  });

  it('ignores domains named in comments, semicolons inside comments included', () => {
    expect(
      evidence(
        'amazonses.com; spf=pass (domain of gmail.com; really) smtp.mailfrom=x@shop.example; dkim=pass (2048-bit key; gmail.com) header.d=shop.example',
      ),
    ).toEqual({ spfPassDomain: 'shop.example', dkimPassDomains: ['shop.example'] });
  });

  it('prefers header.d to header.i and keeps only passing signatures', () => {
    expect(
      evidence(
        'amazonses.com; dkim=pass header.d=a.example header.i=@sub.b.example; dkim=fail header.d=c.example; dkim=pass header.i=user@d.example',
      ).dkimPassDomains,
    ).toEqual(['a.example', 'd.example']);
  });

  it('takes SES’s notification SPF verdict as a verdict on the envelope sender it saw', () => {
    expect(
      evidence('amazonses.com; spf=softfail smtp.mailfrom=a@x.example', 'PASS', 'anna@gmail.com')
        .spfPassDomain,
    ).toBe('gmail.com');
    expect(
      evidence('amazonses.com; spf=pass smtp.mailfrom=anna@gmail.com', 'GRAY', 'anna@gmail.com')
        .spfPassDomain,
    ).toBeNull();
  });

  it('authenticates an address by SPF for its exact domain or by a DKIM signature of its organisation', () => {
    const found = { spfPassDomain: 'bounce.shop.dk', dkimPassDomains: ['mail.gmail.com'] };
    expect(isAuthenticatedSender('x@bounce.shop.dk', found)).toBe(true);
    expect(isAuthenticatedSender('x@shop.dk', found)).toBe(false);
    expect(isAuthenticatedSender('anna@gmail.com', found)).toBe(true);
    expect(isAuthenticatedSender('anna@googlemail.com', found)).toBe(false);
    expect(isAuthenticatedSender('nobody', found)).toBe(false);
  });
});
