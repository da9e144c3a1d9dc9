import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Topic, TriageRecord } from '../../functions/core/types.js';
import { TOPICS } from '../../functions/core/types.js';
import { QUEUE_NAMES } from '../../functions/runtime/resource-names.js';
import { type LocalPipeline, startLocalPipeline } from '../../local/pipeline.js';
import { queueDepth as inspectDepth, takeAll as takeAllBodies } from '../../local/queue-inspection.js';
import { fixture } from '../support/fixtures.js';
import { capturedOutput, captureHandlerOutput, reportLine } from './harness.js';
import { assertNoPersonalData } from './personal-data.js';

const MAILBOX = 'ssidatabeskyttelse@ssi.dk';
let pipeline: LocalPipeline;
let restoreOutput: () => void;

beforeAll(async () => {
  restoreOutput = captureHandlerOutput();
  pipeline = await startLocalPipeline({
    ports: { smtp: 0, aws: 0, ses: 0, dynamodb: 0 },
    configOverrides: {
      limits: { maxMailBytes: 2 * 1024 * 1024 },
      reply: { hourlyCap: 10_000, domainHourlyCap: 10_000 },
      forward: { 'fraud-sms': ['security@ssi.dk'] },
    },
    visibilityTimeoutSeconds: 2,
    concurrency: 2,
  });
});

afterAll(async () => {
  await pipeline?.stop();
  restoreOutput?.();
});

function smtp() {
  return createTransport({
    host: '127.0.0.1',
    port: pipeline.smtpPort,
    secure: false,
    ignoreTLS: true,
    pool: true,
  });
}

const queueDepth = (url: string) => inspectDepth(pipeline.clients.sqs, url);
const takeAll = async (url: string) => (await takeAllBodies(pipeline.clients.sqs, url)) as TriageRecord[];

const topicUrl = (topic: Topic) => pipeline.resources.queues[QUEUE_NAMES.topic(topic)]?.url ?? '';
const url = (name: string) => pipeline.resources.queues[name]?.url ?? '';

/** Waits until `count` records sit on the topic queues and the function queues are empty. */
async function settle(count: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const routed = (await Promise.all(TOPICS.map((topic) => queueDepth(topicUrl(topic))))).reduce(
      (a, b) => a + b,
      0,
    );
    const busy =
      (await queueDepth(url(QUEUE_NAMES.intake))) +
      (await queueDepth(url(QUEUE_NAMES.replies))) +
      (await queueDepth(url(QUEUE_NAMES.forwards)));
    if (routed >= count && busy === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`pipeline did not settle on ${count} records in time`);
}

async function drainTopics(): Promise<TriageRecord[]> {
  return (await Promise.all(TOPICS.map((topic) => takeAll(topicUrl(topic))))).flat();
}

describe('the local pipeline through SMTP', () => {
  it.each([
    ['fraud-sms-forwarded-da.eml', 'fraud-sms', 'fraud-sms'],
    ['dsr-access-with-cpr-da.eml', 'data-subject-request', 'data-subject-request'],
    ['processing-notice-question-da.eml', 'processing-notice', 'processing-notice'],
    ['general-question-da.eml', 'general', 'general'],
    ['partner-breach-notice-authority-da.eml', 'partner', null],
    ['quarantine-virus.eml', 'quarantine', null],
    ['newsletter-precedence-bulk.eml', 'general', null],
  ] as const)('triages %s to %s and answers with %s', async (name, topic, template) => {
    await pipeline.emulators.clearSentMail();
    const raw = fixture(name);
    const from = (await simpleParser(raw)).from?.value[0]?.address ?? '';
    const transport = smtp();
    await transport.sendMail({ envelope: { from, to: [MAILBOX] }, raw });
    transport.close();
    await settle(1);
    const records = await drainTopics();
    expect(records).toHaveLength(1);
    expect(records[0]?.topic).toBe(topic);
    const replies = (await pipeline.emulators.sentMail()).filter((m) =>
      m.envelope?.destinations.includes(from),
    );
    if (template) {
      expect(replies).toHaveLength(1);
      expect(records[0]?.autoReply.template).toBe(template);
      expect(replies[0]?.subject.startsWith('Automatisk svar / Automatic reply:')).toBe(true);
    } else {
      expect(replies).toHaveLength(0);
    }
  });

  it('rejects a recipient it does not receive for with 550', async () => {
    const transport = smtp();
    await expect(
      transport.sendMail({
        envelope: { from: 'anna@gmail.com', to: ['someone@ssi.dk'] },
        raw: fixture('general-question-en.eml'),
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
    transport.close();
  });

  it('rejects a mail over the size limit with 552 and stores nothing', async () => {
    const transport = smtp();
    const big = `From: anna@gmail.com\r\nTo: ${MAILBOX}\r\nSubject: big\r\n\r\n${'x'.repeat(76)}\r\n`.repeat(
      1,
    );
    const raw = Buffer.concat([Buffer.from(big), Buffer.alloc(3 * 1024 * 1024, 'a')]);
    await expect(
      transport.sendMail({ envelope: { from: 'anna@gmail.com', to: [MAILBOX] }, raw }),
    ).rejects.toMatchObject({
      responseCode: 552,
    });
    transport.close();
    expect(await queueDepth(url(QUEUE_NAMES.intake))).toBe(0);
  });
});

describe('the case reference', () => {
  it('reaches the citizen in the reply, the owners in the forward and the live log, the same as on the record', async () => {
    await pipeline.emulators.clearSentMail();
    const raw = fixture('fraud-sms-en.eml');
    const citizen = (await simpleParser(raw)).from?.value[0]?.address ?? '';
    const transport = smtp();
    await transport.sendMail({ envelope: { from: citizen, to: [MAILBOX] }, raw });
    transport.close();
    await settle(1);
    const [record] = await drainTopics();
    const reference = record?.reference ?? '';
    expect(reference).toMatch(/^SSI-DB-\d{4}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);

    const sent = await pipeline.emulators.sentMail();
    const replyRaw = sent.find((m) => m.envelope?.destinations.includes(citizen))?.raw;
    const forwardRaw = sent.find((m) => m.envelope?.source === 'mailtriage@ssi.dk')?.raw;
    expect(replyRaw).toBeTruthy();
    expect(forwardRaw).toBeTruthy();

    const reply = await simpleParser(replyRaw ?? '');
    expect(reply.subject).toBe('Automatisk svar / Automatic reply: FW: Fraud SMS');
    expect(reply.text).toContain(`Oplys venligst referencen ${reference}, når du skriver via Digital Post`);
    expect(reply.text).toContain(`Please quote reference ${reference} when you write through Digital Post`);
    expect(reply.html).toContain(`<strong>${reference}</strong>`);

    const forward = await simpleParser(forwardRaw ?? '');
    expect(forward.subject).toBe(`[Fraud SMS ${reference}] FW: Fraud SMS`);
    expect(forward.text).toContain(`Reference: ${reference}\n`);
    // The sender is a citizen: the owners answer through Digital Post, not by pressing Reply.
    expect(forward.replyTo).toBeUndefined();

    const logged = capturedOutput.filter((line) => line.includes(record?.sesMessageId ?? '-'));
    for (const message of ['mail routed', 'reply sent', 'mail forwarded']) {
      expect(
        logged.some((line) => line.includes(`"${message}"`) && line.includes(reference)),
        message,
      ).toBe(true);
    }
  });
});

describe('starting up', () => {
  it('says which port is taken', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      await expect(
        startLocalPipeline({ ports: { smtp: taken, aws: 0, ses: 0, dynamodb: 0 } }),
      ).rejects.toThrow(`port ${taken} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('seeds every sample mail through SMTP, each routed once', async () => {
    await drainTopics();
    const { readdirSync } = await import('node:fs');
    const { seedSampleMails } = await import('../../local/seed.js');
    const { FIXTURES_DIR } = await import('../support/fixtures.js');
    const count = await seedSampleMails(pipeline.smtpPort, MAILBOX, FIXTURES_DIR);
    expect(count).toBe(readdirSync(FIXTURES_DIR).filter((name) => name.endsWith('.eml')).length);
    await settle(count);
    const records = await drainTopics();
    expect(records).toHaveLength(count);
    expect(new Set(records.map((record) => record.topic))).toEqual(new Set(TOPICS));
  });
});

describe('under load', () => {
  it('routes 1,000 mails from concurrent clients once each and answers each citizen once', async () => {
    await pipeline.emulators.clearSentMail();
    await drainTopics();
    const SENDERS = 150;
    const MAILS = 1_000;
    const subjects = ['Fraud SMS', 'Anmodning om indsigt', 'Spørgsmål om min vaccination', 'SV: svindel-sms'];
    const mails = Array.from({ length: MAILS }, (_, i) => {
      const sender = `borger${i % SENDERS}@gmail.com`;
      // Every 25th mail is a resend of the one before it, same Message-ID: SES sees two mails.
      const n = i % 25 === 24 ? i - 1 : i;
      return {
        envelope: { from: sender, to: [MAILBOX] },
        from: sender,
        to: MAILBOX,
        subject: subjects[n % subjects.length],
        text: `Hej\n\nDette er henvendelse nummer ${n}.\n\nVenlig hilsen`,
        messageId: `<load-${n}@gmail.com>`,
      };
    });

    const started = Date.now();
    const clients = Array.from({ length: 4 }, () => smtp());
    let next = 0;
    await Promise.all(
      clients.map(async (transport) => {
        while (next < mails.length) {
          const mail = mails[next++];
          if (mail) await transport.sendMail(mail);
        }
        transport.close();
      }),
    );
    const accepted = Date.now();
    await settle(MAILS, 240_000);
    const finished = Date.now();

    const records = await drainTopics();
    expect(records).toHaveLength(MAILS);
    expect(new Set(records.map((r) => r.sesMessageId)).size).toBe(MAILS);
    for (const name of Object.keys(pipeline.resources.queues)) {
      const dlq = pipeline.resources.queues[name]?.dlqUrl ?? '';
      expect(await queueDepth(dlq), `${name} DLQ`).toBe(0);
    }
    const replies = (await pipeline.emulators.sentMail()).filter((m) =>
      m.subject.startsWith('Automatisk svar'),
    );
    expect(replies).toHaveLength(SENDERS);
    expect(new Set(replies.map((m) => m.envelope?.destinations[0])).size).toBe(SENDERS);

    const seconds = (finished - started) / 1000;
    reportLine(
      `load: ${MAILS} mails, 4 SMTP clients: accepted in ${((accepted - started) / 1000).toFixed(1)} s, ` +
        `all routed and answered in ${seconds.toFixed(1)} s = ${(MAILS / seconds).toFixed(0)} mails/s`,
    );
  }, 300_000);
});

describe('logs', () => {
  it('hold no personal data', async () => {
    expect(capturedOutput.length).toBeGreaterThan(0);
    await assertNoPersonalData(capturedOutput);
  });
});
