import { describe, expect, it } from 'vitest';
import { readAuthentication, verdictStatus } from '../../functions/core/authentication.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { parseMail } from '../../functions/core/parse.js';
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
