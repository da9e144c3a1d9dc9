import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { readReplyJob, triageRecordSchema } from '../../functions/core/queue-messages.js';
import { jsonBytes, MAX_RECORD_BYTES } from '../../functions/core/record-limits.js';
import { triage } from '../../functions/core/triage.js';
import { runCli } from '../support/cli.js';

// Hostile MIME, built on purpose: structures no composer would write (broken and missing
// boundaries, nested message/rfc822, empty, duplicated, wrong-typed and huge header values
// and parameters, odd encodings and charsets). Whatever the parser makes of it, triage must
// return a record that validates, fits a queue message, and a reply job auto-reply accepts.
// These mails are hand-built because MailComposer, rightly, cannot write them.

const context = { sesMessageId: 'fuzz', receivedAt: new Date('2026-11-25T10:00:00Z') };

type Part =
  | { kind: 'leaf'; headers: string[]; body: string }
  | {
      kind: 'multipart';
      headers: string[];
      boundary: string;
      children: Part[];
      close: Close;
      preamble: string;
    }
  | { kind: 'message'; headers: string[]; inner: Part };
type Close = 'ok' | 'missing' | 'other-boundary' | 'twice' | 'no-dashes';

const huge = fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'x'.repeat(n));
const junk = fc.string({ maxLength: 40, unit: 'binary' });
const token = fc.constantFrom(
  '',
  ' ',
  ';',
  '"',
  '=',
  '/',
  '\\',
  '%',
  '*',
  '\u0000',
  '\u00e6\u00f8\u00e5',
  '=?',
);
const piece = fc.oneof(token, junk, fc.constant('a'));

const charset = fc.constantFrom(
  'utf-8',
  'iso-8859-1',
  'windows-1252',
  'utf-7',
  'utf-16',
  'shift_jis',
  'x-unknown',
  '',
  '"',
  'base64',
);
const mediaType = fc.oneof(
  // Empty and punctuation-only types first: `Content-Type: ; name="x.jpg"` crashed triage.
  { arbitrary: fc.constantFrom('', ' ', ';', '/'), weight: 3 },
  {
    arbitrary: fc.constantFrom(
      'text/plain',
      'text/html',
      'TEXT/HTML',
      'text',
      'x/y/z',
      'image/jpeg',
      'application/octet-stream',
      'application/pdf',
      'message/delivery-status',
      'multipart/mixed',
      'message/rfc822',
      'application/pkcs7-mime',
    ),
    weight: 4,
  },
  { arbitrary: junk, weight: 1 },
);
const parameter = fc.oneof(
  fc.constantFrom(
    'name="x.jpg"',
    'name=x.jpg',
    "name*=utf-8''%E2%82%AC%20rate.txt",
    'name*0="a"; name*1="b"',
    'name="=?utf-8?B?w6bDuMOl?=.pdf"',
    'name="unclosed',
    'name=',
    'charset=',
    'boundary=',
    'format=flowed; delsp=yes',
  ),
  charset.map((value) => `charset=${value}`),
  huge.map((value) => `name="${value}"`),
  piece.map((value) => `name="${value}"`),
  piece.map((value) => `${value}=${value}`),
);
const contentType = fc
  .tuple(mediaType, fc.array(parameter, { maxLength: 3 }))
  .map(([type, params]) => `Content-Type: ${[type, ...params].join('; ')}`);
const encoding = fc
  .constantFrom('7bit', '8bit', 'binary', 'base64', 'quoted-printable', 'x-uuencode', 'bogus', '', 'BASE64')
  .map((value) => `Content-Transfer-Encoding: ${value}`);
const disposition = fc
  .tuple(
    fc.constantFrom('attachment', 'inline', '', 'form-data', ';'),
    fc.array(
      fc.oneof(
        fc.constantFrom('filename="a.txt"', 'filename=', 'filename="../../etc/passwd"', 'size=-1', 'size=x'),
        huge.map((value) => `filename="${value}"`),
        piece.map((value) => `filename="${value}"`),
      ),
      { maxLength: 2 },
    ),
  )
  .map(([type, params]) => `Content-Disposition: ${[type, ...params].join('; ')}`);
const partHeaders = fc.array(fc.oneof(contentType, encoding, disposition, fc.constant('Content-ID: <c@x>')), {
  maxLength: 4,
});

const body = fc.oneof(
  fc.constantFrom(
    '',
    'hej med dig\r\n',
    'aGVsbG8=\r\n',
    '!!!not base64!!!',
    '=ZZ=\r\nsoft=\r\nbreak=',
    '<html><body><p>hej</p><script>x</script></body></html>',
    '<<<<<<<<<<<<<<<<<<<<<<<<<<<',
    'Fraud SMS: https://evil.example/x +45 12 34 56 78',
    'Jeg vil have indsigt i mine oplysninger, CPR 010190-1234.',
  ),
  fc.string({ maxLength: 200, unit: 'binary' }),
);

const boundary = fc.oneof(
  fc.constantFrom('b', 'boundary-1', '', ' ', '--', 'a b', '"'),
  fc.string({ minLength: 1, maxLength: 70, unit: 'grapheme-ascii' }),
);

const { part } = fc.letrec<{ part: Part; leaf: Part; multipart: Part; message: Part }>((tie) => ({
  part: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    tie('multipart'),
    tie('message'),
  ),
  leaf: fc.record({ kind: fc.constant('leaf' as const), headers: partHeaders, body }),
  multipart: fc.record({
    kind: fc.constant('multipart' as const),
    headers: fc.array(fc.oneof(encoding, disposition), { maxLength: 2 }),
    boundary,
    children: fc.array(tie('part'), { maxLength: 4 }),
    close: fc.constantFrom<Close>('ok', 'ok', 'missing', 'other-boundary', 'twice', 'no-dashes'),
    preamble: fc.constantFrom('', 'This is a multi-part message.\r\n', '--\r\n'),
  }),
  message: fc.record({
    kind: fc.constant('message' as const),
    headers: fc.array(fc.oneof(encoding, disposition), { maxLength: 2 }),
    inner: tie('part'),
  }),
}));

function serialise(node: Part): string {
  switch (node.kind) {
    case 'leaf':
      return `${node.headers.join('\r\n')}\r\n\r\n${node.body}`;
    case 'message':
      return `${['Content-Type: message/rfc822', ...node.headers].join('\r\n')}\r\n\r\n${serialise(node.inner)}`;
    case 'multipart': {
      const head = [`Content-Type: multipart/mixed; boundary="${node.boundary}"`, ...node.headers].join(
        '\r\n',
      );
      const parts = node.children.map((child) => `--${node.boundary}\r\n${serialise(child)}\r\n`).join('');
      const close = {
        ok: `--${node.boundary}--\r\n`,
        missing: '',
        'other-boundary': `--${node.boundary}x--\r\n`,
        twice: `--${node.boundary}--\r\n--${node.boundary}--\r\n`,
        'no-dashes': `--${node.boundary}\r\n`,
      }[node.close];
      return `${head}\r\n\r\n${node.preamble}${parts}${close}`;
    }
  }
}

// Top-level headers: each may be missing, given once or several times, empty, huge or garbage.
const address = fc.oneof(
  fc.constantFrom(
    'Anna <anna@gmail.com>',
    'anna@gmail.com',
    '',
    '<>',
    '<<>>',
    '"" <>',
    'Team: a@x.dk, b@y.dk;',
    'Team: Inner: c@z.dk;;',
    '=?utf-8?q?=C3=86blegr=C3=B8d?= <a@b.dk>',
    '=?x-unknown?b?!!?= <a@b.dk>',
    'undisclosed-recipients:;',
    'a@b@c',
    'mailer-daemon@ssi.dk',
  ),
  huge.map((value) => `${value}@example.com`),
  fc.array(fc.constant('x@example.com'), { minLength: 50, maxLength: 400 }).map((list) => list.join(', ')),
  junk,
);
const messageId = fc.oneof(
  fc.constantFrom('<a@b>', 'a@b', '', '<>', '<a@b> <c@d>', '<<a@b>>'),
  huge.map((value) => `<${value}@x>`),
  junk,
);
const topHeader = fc.oneof(
  address.map((value) => `From: ${value}`),
  address.map((value) => `To: ${value}`),
  address.map((value) => `Cc: ${value}`),
  address.map((value) => `Reply-To: ${value}`),
  address.map((value) => `Return-Path: ${value}`),
  fc
    .oneof(fc.constantFrom('', 'Fraud SMS', '=?utf-8?B?!!!?=', '=?utf-8?Q?Svindel-SMS?= '), huge, junk)
    .map((value) => `Subject: ${value}`),
  fc
    .oneof(
      fc.constantFrom('', 'yesterday', 'Wed, 31 Feb 2026 25:61:00 +9999', 'Mon, 1 Jan 275760 00:00 +0000'),
      junk,
    )
    .map((value) => `Date: ${value}`),
  // The CLI starts the GDPR clock from the topmost Received date.
  fc
    .constantFrom(
      'garbage date',
      '',
      'Sat, 1 Jan 10000 00:00:00 +0000',
      'Mon, 1 Jan 1900 00:00:00 +0000',
      'Wed, 25 Nov 2026 10:00:00 +0100',
    )
    .map((value) => `Received: from x by amazonses.com; ${value}`),
  messageId.map((value) => `Message-ID: ${value}`),
  messageId.map((value) => `In-Reply-To: ${value}`),
  fc
    .oneof(
      messageId,
      fc.array(fc.constant('<r@x>'), { minLength: 100, maxLength: 3_000 }).map((ids) => ids.join(' ')),
    )
    .map((value) => `References: ${value}`),
  fc.constantFrom(
    'Auto-Submitted: no',
    'Auto-Submitted: ',
    'Precedence: bulk',
    'List-Id: <x>',
    'Authentication-Results: amazonses.com; spf=pass; dkim=pass header.d=',
    'Authentication-Results: ;;;',
    'X-SES-Virus-Verdict: FAIL',
    'X-SES-Spam-Verdict: ',
    'MIME-Version: 1.0',
    'MIME-Version: ',
    'Content-Type: ',
    'Content-Transfer-Encoding: base64',
    ' folded continuation without a header',
    'No colon at all',
    ': empty name',
  ),
);

const mail = fc
  .record({
    headers: fc.array(topHeader, { maxLength: 10 }),
    body: part,
    lineEnding: fc.constantFrom('\r\n', '\r\n', '\n', '\r'),
    cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { freq: 5 }),
  })
  .map(({ headers, body, lineEnding, cut }) => {
    let text = `${headers.join('\r\n')}\r\n${serialise(body)}`;
    if (lineEnding !== '\r\n') text = text.replaceAll('\r\n', lineEnding);
    const bytes = Buffer.from(text, 'utf8');
    return cut === null ? bytes : bytes.subarray(0, Math.floor(cut * bytes.length));
  });

describe('triage of hostile MIME (property)', () => {
  it('always returns a record that validates, fits a queue message, and a reply job auto-reply accepts', async () => {
    await fc.assert(
      fc.asyncProperty(mail, async (raw) => {
        const { record, replyJob } = await triage(raw, context, DEFAULT_CONFIG);
        const checked = triageRecordSchema.safeParse(record);
        expect(checked.error?.issues ?? []).toEqual([]);
        expect(jsonBytes(record)).toBeLessThanOrEqual(MAX_RECORD_BYTES);
        if (replyJob) expect(readReplyJob(JSON.stringify(replyJob)).sesMessageId).toBe('fuzz');
      }),
      { numRuns: 400 },
    );
  });

  it('always gives one valid record through the CLI, which reads the receipt time from the headers', async () => {
    await fc.assert(
      fc.asyncProperty(mail, async (raw) => {
        const { code, stdout, stderr } = await runCli(['classify', '-'], raw);
        expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
        const checked = triageRecordSchema.safeParse(JSON.parse(stdout));
        expect(checked.error?.issues ?? []).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
