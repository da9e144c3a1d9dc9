import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import type { TriageRecord } from '../../functions/core/queue-messages.js';
import { runCli } from '../support/cli.js';
import { fixture, fixturePath } from '../support/fixtures.js';

const run = runCli;

// From a public parser test suite: `Content-Type: ; name="x.jpg"` gave mailparser a
// content type of `false`, and triage a TypeError.
const EMPTY_CONTENT_TYPE = fixture('attachment-empty-content-type.eml');

const records = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as TriageRecord);

describe('triage classify', () => {
  it('prints one JSON record per file, in input order', async () => {
    const { code, stdout, stderr } = await run([
      'classify',
      fixturePath('fraud-sms-en.eml'),
      fixturePath('dsr-erasure-en.eml'),
      fixturePath('partner-breach-notice-authority-da.eml'),
    ]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(records(stdout).map((record) => record.topic)).toEqual([
      'fraud-sms',
      'data-subject-request',
      'partner',
    ]);
  });

  it('takes the receipt time from the topmost Received header', async () => {
    const [record] = records((await run(['classify', fixturePath('dsr-erasure-en.eml')])).stdout);
    expect(record?.receivedAt).toBe('2026-01-31T22:41:09.000Z');
    expect(record?.gdpr?.receivedOn).toBe('2026-01-31');
  });

  it('passes over a Received date no clock can count from (year 10000) to the Date header', async () => {
    const mail = Buffer.from(
      [
        'Received: from mx.example by amazonses.com; Sat, 1 Jan 10000 00:00:00 +0000',
        'From: a@gmail.com',
        'To: ssidatabeskyttelse@ssi.dk',
        'Date: Thu, 5 Mar 2026 12:00:00 +0100',
        'Subject: Indsigt',
        '',
        'Jeg vil have indsigt i mine personoplysninger.',
        '',
      ].join('\r\n'),
    );
    const { code, stdout } = await run(['classify', '-'], mail);
    expect(code).toBe(0);
    expect(records(stdout)[0]?.receivedAt).toBe('2026-03-05T11:00:00.000Z');
  });

  it('takes the receipt time from --received when given', async () => {
    const { stdout } = await run([
      'classify',
      '--received',
      '2026-03-05T12:00:00+01:00',
      fixturePath('dsr-erasure-en.eml'),
    ]);
    expect(records(stdout)[0]?.gdpr?.dueOn).toBe('2026-04-07');
  });

  it('reads standard input for -', async () => {
    const { code, stdout } = await run(['classify', '-'], fixture('general-question-en.eml'));
    expect(code).toBe(0);
    expect(records(stdout)[0]?.topic).toBe('general');
  });

  it('prints a record for a file that does not parse, and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'triage-'));
    const junk = join(dir, 'junk.eml');
    writeFileSync(junk, Buffer.from([0, 255, 1, 254, 10, 13]));
    const { code, stdout } = await run(['classify', junk]);
    expect(code).toBe(0);
    expect(records(stdout)[0]?.parseErrors.length).toBeGreaterThan(0);
  });

  it('names an unreadable file in one stderr line, goes on with the next and exits 1', async () => {
    const { code, stdout, stderr } = await run([
      'classify',
      '/no/such/file.eml',
      fixturePath('fraud-sms-en.eml'),
      tmpdir(),
      fixturePath('general-question-en.eml'),
    ]);
    expect(code).toBe(1);
    expect(records(stdout).map((record) => record.topic)).toEqual(['fraud-sms', 'general']);
    expect(stderr.trim().split('\n')).toEqual([
      'triage: /no/such/file.eml: cannot read (ENOENT)',
      `triage: ${tmpdir()}: not a regular file`,
    ]);
  });

  it('reports a read that breaks off as a failure of that input, not as a record', async () => {
    const { code, stdout, stderr } = await runCli(
      ['classify', fixturePath('general-question-da.eml'), '-'],
      () =>
        new Readable({
          read() {
            this.push('From: a@gmail.com\r\nSubject: half');
            this.destroy(Object.assign(new Error('connection reset'), { code: 'ECONNRESET' }));
          },
        }),
    );
    expect(code).toBe(1);
    expect(records(stdout)).toHaveLength(1);
    expect(stderr).toBe('triage: -: read failed (ECONNRESET)\n');
  });

  it('prints a record for a mail with an empty attachment Content-Type, and exits 0', async () => {
    const { code, stdout, stderr } = await run(['classify', '-'], EMPTY_CONTENT_TYPE);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(records(stdout)[0]?.attachments).toEqual([
      expect.objectContaining({ filename: 'x.jpg', contentType: 'application/octet-stream' }),
    ]);
  });

  it.each([
    [['classify'], 'no input files'],
    [['explain', 'x.eml'], "unknown command 'explain'"],
    [['classify', '--received', 'yesterday', 'x.eml'], '--received'],
    [['classify', '--colour', 'x.eml'], "Unknown option '--colour'"],
  ])('exits 2 on bad options %j', async (args, message) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('exits 2 naming the field of a bad --config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'triage-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ reply: { hourlyCap: -1 } }));
    const { code, stderr } = await run(['classify', '--config', config, fixturePath('fraud-sms-en.eml')]);
    expect(code).toBe(2);
    expect(stderr).toContain('reply.hourlyCap');
  });

  it('applies a --config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'triage-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ senders: { companyDomains: ['labpartner.example'] } }));
    const { stdout } = await run(['classify', '--config', config, fixturePath('pgp-mime-company.eml')]);
    expect(records(stdout)[0]?.senderKind).toBe('company');
  });
});

describe('triage reply', () => {
  it('prints the headers and the decoded text of the reply that would be sent', async () => {
    const { code, stdout, stderr } = await run(['reply', fixturePath('fraud-sms-forwarded-da.eml')]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const [record] = records((await run(['classify', fixturePath('fraud-sms-forwarded-da.eml')])).stdout);
    const [headers = '', body = ''] = stdout.split(/\n\n([\s\S]*)/);
    expect(headers.split('\n')).toEqual(
      expect.arrayContaining([
        'From: "Statens Serum Institut" <ssidatabeskyttelse@ssi.dk>',
        'To: mette.sorensen1987@gmail.com',
        'Subject: Automatisk svar / Automatic reply: VS: svindel-SMS',
        'In-Reply-To: <CAJx3kFq8n2b+Yh3w0bC1=sms-forward@mail.gmail.com>',
        'Auto-Submitted: auto-replied',
      ]),
    );
    expect(body.startsWith('English version below.\n')).toBe(true);
    expect(body).toContain('Statens Serum Institut sender aldrig SMS’er med links til borgere.');
    expect(body).toContain(`Please quote reference ${record?.reference} when you write through Digital Post`);
    // Readable in a terminal: no MIME structure, no base64.
    expect(stdout).not.toMatch(/Content-Transfer-Encoding|^[A-Za-z0-9+/]{60,}=*$/m);
  });

  it('prints the raw MIME reply with --raw', async () => {
    const { code, stdout } = await run(['reply', '--raw', fixturePath('fraud-sms-forwarded-da.eml')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Content-Transfer-Encoding: base64/m);
    const reply = await simpleParser(stdout);
    expect(reply.subject).toBe('Automatisk svar / Automatic reply: VS: svindel-SMS');
    expect(reply.to && !Array.isArray(reply.to) ? reply.to.value[0]?.address : '').toBe(
      'mette.sorensen1987@gmail.com',
    );
    expect(reply.headers.get('auto-submitted')).toBe('auto-replied');
    expect(reply.inReplyTo).toBe('<CAJx3kFq8n2b+Yh3w0bC1=sms-forward@mail.gmail.com>');
  });

  it('prints the suppression reason when no reply would be sent', async () => {
    const { code, stdout } = await run(['reply', fixturePath('newsletter-precedence-bulk.eml')]);
    expect(code).toBe(0);
    expect(stdout).toBe('suppressed: precedence-bulk\n');
  });
});

describe('triage forward', () => {
  function ownersConfig(forward: Record<string, string[]>, extra: object = {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'triage-'));
    const file = join(dir, 'owners.json');
    writeFileSync(file, JSON.stringify({ forward, ...extra }));
    return file;
  }

  it('says so, and exits 0, when no owners are configured for the topic', async () => {
    const { code, stdout, stderr } = await run(['forward', fixturePath('dsr-erasure-en.eml')]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      'not forwarded: no owners configured for topic data-subject-request (name them under "forward" in a --config file)\n',
    );
  });

  it('prints what the owners would get: headers, the summary and the calendar file, decoded', async () => {
    const config = ownersConfig({ 'data-subject-request': ['dpo@ssi.dk'] });
    const file = fixturePath('dsr-erasure-en.eml');
    const { code, stdout, stderr } = await run(['forward', '--config', config, file]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const [record] = records((await run(['classify', file])).stdout);
    const reference = record?.reference ?? '';
    const [headers = '', body = ''] = stdout.split(/\n\n([\s\S]*)/);
    expect(headers).toContain('From: mailtriage@ssi.dk\nTo: dpo@ssi.dk\n');
    expect(headers).toContain(
      `Subject: [GDPR-anmodning ${reference} · frist 2. mar. 2026] Request to delete my personal data`,
    );
    // A citizen: no Reply-To, and the summary says how to answer instead.
    expect(headers).not.toContain('Reply-To:');
    expect(body).toContain(`Reference: ${reference}\n`);
    expect(body).toContain(
      `Svar (how to answer): med Digital Post, ikke på e-mail; oplys referencen ${reference}.`,
    );
    expect(body).toContain('Modtaget (received at): 2026-01-31T22:41:09.000Z (31. januar 2026 kl. 23.41)');
    expect(body).toMatch(/\[attachment original\.eml \(message\/rfc822, \d+ bytes\)\]/);
    expect(body).toContain(`--- attachment ${reference}.ics (text/calendar,`);
    expect(body).toContain('DTSTART;VALUE=DATE:20260302\n');
  });

  it('prints the raw MIME forward with --raw, the original attached byte for byte', async () => {
    const config = ownersConfig({ partner: ['partners@ssi.dk'] });
    const file = fixturePath('partner-breach-notice-authority-da.eml');
    const { code, stdout } = await run(['forward', '--raw', '--config', config, file]);
    expect(code).toBe(0);
    const forward = await simpleParser(stdout);
    expect(forward.subject).toMatch(/^\[Partner SSI-DB-\d{4}-[0-9A-Z]{5}-[0-9A-Z]{5}\] /);
    // An authority may be answered by (encrypted) e-mail: Reply-To is kept.
    expect(forward.replyTo?.value[0]?.address).toBeTruthy();
    const original = forward.attachments.find((a) => a.contentType === 'message/rfc822');
    expect(original?.content.equals(fixture('partner-breach-notice-authority-da.eml'))).toBe(true);
  });

  it.each([
    [['forward', 'a.eml', 'b.eml'], 'forward takes exactly one FILE'],
    [['classify', '--raw', 'a.eml'], '--raw is for reply and forward'],
  ])('exits 2 on %j', async (args, message) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});

describe('the npm script', () => {
  it('runs the CLI as the README shows', async () => {
    const { stdout } = await promisify(execFile)(
      'npx',
      ['tsx', 'functions/cli/bin.ts', 'classify', fixturePath('general-question-da.eml')],
      { cwd: new URL('../..', import.meta.url).pathname },
    );
    expect(records(stdout)[0]?.topic).toBe('general');
  });
});
