import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoReplyHandlerFrom } from '../../functions/auto-reply/from-environment.js';
import { triageRecordSchema } from '../../functions/core/queue-messages.js';
import type { Topic } from '../../functions/core/types.js';
import { QUEUE_NAMES } from '../../functions/runtime/resource-names.js';
import { fixture } from '../support/fixtures.js';
import { capturedOutput, captureHandlerOutput, type Pipeline, startPipeline } from './harness.js';
import { assertNoPersonalData } from './personal-data.js';

// Quarantined mail has no owners to forward to: the configuration refuses it (the
// original, a virus, would go along); its owners read the quarantine queue.
const OWNERS: Partial<Record<Topic, string[]>> = {
  'fraud-sms': ['security@ssi.dk'],
  'data-subject-request': ['dpo@ssi.dk'],
  'processing-notice': ['borgerhenvendelser@ssi.dk'],
  partner: ['dpo@ssi.dk'],
  general: ['borgerhenvendelser@ssi.dk'],
};

let pipeline: Pipeline;
let restoreOutput: () => void;

beforeAll(async () => {
  restoreOutput = captureHandlerOutput();
  pipeline = await startPipeline({ configOverrides: { forward: OWNERS } });
});

afterAll(async () => {
  await pipeline?.stop();
  restoreOutput?.();
});

async function sent() {
  return pipeline.emulators.sentMail();
}

describe('each topic end to end', () => {
  const cases = [
    { fixture: 'fraud-sms-forwarded-da.eml', topic: 'fraud-sms', template: 'fraud-sms', tag: '[Fraud SMS ' },
    {
      fixture: 'dsr-access-with-cpr-da.eml',
      topic: 'data-subject-request',
      template: 'data-subject-request',
      tag: '[GDPR-anmodning ',
    },
    {
      fixture: 'processing-notice-question-da.eml',
      topic: 'processing-notice',
      template: 'processing-notice',
      tag: '[Behandlingsbrev ',
    },
    { fixture: 'general-question-en.eml', topic: 'general', template: 'general', tag: '[Generel ' },
    { fixture: 'partner-breach-notice-authority-da.eml', topic: 'partner', template: null, tag: '[Partner ' },
    {
      fixture: 'quarantine-virus.eml',
      topic: 'quarantine',
      template: null,
      tag: '[Karantæne ',
      virus: 'FAIL',
    },
  ] as const;

  it.each(cases)(
    'routes $fixture to $topic, replies with $template and forwards to its owners, if any',
    async (c) => {
      await pipeline.emulators.clearSentMail();
      const original = await simpleParser(fixture(c.fixture));
      const citizen = original.from?.value[0]?.address ?? '';
      const id = await pipeline.receive(c.fixture, {
        envelopeSender: citizen,
        verdicts: { virus: 'virus' in c ? c.virus : 'PASS' },
      });
      await pipeline.runAll();

      const records = await pipeline.takeRecords(QUEUE_NAMES.topic(c.topic));
      expect(records).toHaveLength(1);
      const record = triageRecordSchema.parse(records[0]);
      expect(record.sesMessageId).toBe(id);
      expect(record.s3).toEqual({ bucket: pipeline.resources.bucket, key: `raw/${id}` });

      const mail = await sent();
      const replies = mail.filter((m) => m.envelope?.destinations.includes(citizen));
      const forwards = mail.filter((m) => m.envelope?.source === 'mailtriage@ssi.dk');
      if (c.template) {
        expect(replies).toHaveLength(1);
        const reply = await simpleParser(replies[0]?.raw ?? '');
        expect(reply.headers.get('auto-submitted')).toBe('auto-replied');
        expect(reply.inReplyTo).toBe(original.messageId);
        expect(record.autoReply.template).toBe(c.template);
      } else {
        expect(replies).toHaveLength(0);
      }
      const owners = OWNERS[c.topic];
      if (!owners) {
        expect(forwards).toHaveLength(0);
        return;
      }
      expect(forwards).toHaveLength(1);
      const forward = await simpleParser(forwards[0]?.raw ?? '');
      // The topic tag, then the case reference: `[Fraud SMS SSI-DB-2026-…] …`.
      expect(forward.subject?.startsWith(`${c.tag}${record.reference}`)).toBe(true);
      expect(forwards[0]?.envelope?.destinations).toEqual(owners);
      const attached = forward.attachments.find((a) => a.contentType === 'message/rfc822');
      expect(attached?.content.equals(fixture(c.fixture))).toBe(true);
    },
  );

  it('states the due date in the reply to a data-subject request', async () => {
    await pipeline.emulators.clearSentMail();
    await pipeline.receive('dsr-erasure-en.eml', {
      envelopeSender: 'sarah.k.miller@yahoo.com',
      receivedAt: new Date('2026-01-31T22:41:09Z'),
    });
    await pipeline.runAll();
    const [record] = await pipeline.takeRecords(QUEUE_NAMES.topic('data-subject-request'));
    expect(record?.gdpr?.dueOn).toBe('2026-03-02');
    const reply = (await sent()).find((m) => m.envelope?.destinations.includes('sarah.k.miller@yahoo.com'));
    expect(reply?.text).toContain('2. marts 2026');
    expect(reply?.text).toContain('2 March 2026');
  });
});

describe('at-least-once in, exactly one out', () => {
  it('routes, replies and forwards once when the same notification arrives three times', async () => {
    await pipeline.emulators.clearSentMail();
    const messageId = 'repeated0notification0000000000000000001';
    for (let i = 0; i < 3; i++) {
      await pipeline.receive('fraud-sms-en.eml', { envelopeSender: 'j.whitfield@outlook.com', messageId });
    }
    await pipeline.runAll();
    expect(await pipeline.takeRecords(QUEUE_NAMES.topic('fraud-sms'))).toHaveLength(1);
    const mail = await sent();
    expect(mail.filter((m) => m.envelope?.destinations.includes('j.whitfield@outlook.com'))).toHaveLength(1);
    expect(mail.filter((m) => m.envelope?.source === 'mailtriage@ssi.dk')).toHaveLength(1);
  });

  it('answers the same citizen once within the window and again after it', async () => {
    await pipeline.emulators.clearSentMail();
    // Far from the wall clock, so earlier tests' replies to the same address are long expired.
    let now = new Date('2027-06-01T10:00:00Z');
    const autoReply = autoReplyHandlerFrom(pipeline.resources.functionEnv, pipeline.clients, () => now);
    const citizen = 'anna.lind@gmail.com';
    const replies = async () =>
      (await sent()).filter((m) => m.envelope?.destinations.includes(citizen)).length;

    await pipeline.receive('general-question-en.eml', { envelopeSender: citizen });
    await pipeline.run('intake');
    await pipeline.run('autoReply', autoReply);
    expect(await replies()).toBe(1);

    now = new Date('2027-06-04T10:00:00Z');
    await pipeline.receive('general-question-en.eml', { envelopeSender: citizen });
    await pipeline.run('intake');
    await pipeline.run('autoReply', autoReply);
    expect(await replies()).toBe(1);

    now = new Date('2027-06-08T10:00:01Z');
    await pipeline.receive('general-question-en.eml', { envelopeSender: citizen });
    await pipeline.run('intake');
    await pipeline.run('autoReply', autoReply);
    expect(await replies()).toBe(2);
    await pipeline.take(QUEUE_NAMES.topic('general'));
    await pipeline.take(QUEUE_NAMES.forwards);
  });

  it('never answers its own reply fed back into intake', async () => {
    await pipeline.emulators.clearSentMail();
    const citizen = 'peter.nielsen@icloud.com';
    await pipeline.receive('general-question-da.eml', { envelopeSender: citizen });
    await pipeline.runAll();
    const [reply] = await sent();
    expect(reply?.raw).toBeDefined();

    // The reply bounces back to the mailbox, as a misconfigured forwarder would do.
    await pipeline.emulators.clearSentMail();
    const { receiveInbound } = await import('../../local/ses-inbound.js');
    const loopId = await receiveInbound(
      {
        raw: Buffer.from(reply?.raw ?? ''),
        envelopeSender: 'ssidatabeskyttelse@ssi.dk',
        recipients: ['ssidatabeskyttelse@ssi.dk'],
      },
      {
        s3: pipeline.clients.s3,
        sns: pipeline.clients.sns,
        bucket: pipeline.resources.bucket,
        topicArn: pipeline.resources.mailTopicArn,
      },
    );
    await pipeline.runAll();
    // From our own domain, it counts as authority mail and is routed to partner.
    const looped = (await pipeline.takeRecords(QUEUE_NAMES.topic('partner'))).find(
      (r) => r.sesMessageId === loopId,
    );
    expect(looped?.autoReply).toEqual({ decision: 'suppress', reason: 'auto-submitted', template: null });
    expect((await sent()).filter((m) => m.envelope?.source === 'ssidatabeskyttelse@ssi.dk')).toHaveLength(0);
    expect(await pipeline.depth(QUEUE_NAMES.replies)).toBe(0);
  });
});

describe('characters beyond the Basic Multilingual Plane', () => {
  it('routes a mail whose subject, text and file name hold emoji and rare scripts', async () => {
    const raw = Buffer.from(
      [
        'From: Sara Holm <sara.holm@gmail.com>',
        'To: ssidatabeskyttelse@ssi.dk',
        `Subject: =?UTF-8?B?${Buffer.from('Spørgsmål 😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢').toString('base64')}?=`,
        'Message-ID: <astral-1@mail.gmail.com>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Hej 👋 hvornår åbner I? 𠜎',
        '--b',
        'Content-Type: application/pdf; name="=?UTF-8?B?' +
          Buffer.from('billede 🙂.pdf').toString('base64') +
          '?="',
        'Content-Transfer-Encoding: base64',
        '',
        'JVBERi0xLjQK',
        '--b--',
        '',
      ].join('\r\n'),
    );
    const id = await pipeline.receive('general-question-en.eml', { raw });
    await pipeline.run('intake');
    const [record] = (await pipeline.takeRecords(QUEUE_NAMES.topic('general'))).filter(
      (candidate) => candidate.sesMessageId === id,
    );
    expect(record?.subject).toBe('Spørgsmål 😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢');
    expect(record?.attachments[0]?.filename).toBe('billede 🙂.pdf');
    expect(await pipeline.depth(QUEUE_NAMES.intake, true)).toBe(0);
  });
});

describe('logs', () => {
  it('hold no address, subject, name or CPR number of any mail', async () => {
    expect(capturedOutput.some((line) => line.includes('"mail routed"'))).toBe(true);
    await assertNoPersonalData(capturedOutput);
  });

  it('carry the Lambda request id of the invocation that wrote them', () => {
    const lines = capturedOutput
      .filter((line) => line.startsWith('{') && /"(mail routed|reply sent|mail forwarded)"/.test(line))
      .map((line) => JSON.parse(line) as { function_request_id?: string });
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line.function_request_id).toMatch(/^local-/);
  });
});
