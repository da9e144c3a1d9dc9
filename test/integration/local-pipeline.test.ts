import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '../../functions/core/types.js';
import { QUEUE_NAMES } from '../../functions/runtime/resource-names.js';
import { captureOutput, lineKind, type OutputCapture } from '../../local/output-capture.js';
import { type LocalPipeline, startLocalPipeline } from '../../local/pipeline.js';
import { fixture } from '../support/fixtures.js';
import { capturedOutput, captureHandlerOutput } from './harness.js';
import {
  drainTopics,
  MAILBOX,
  queueDepth,
  queueUrl,
  settle,
  smtp,
  startTestPipeline,
} from './local-pipeline-support.js';
import { assertNoPersonalData } from './personal-data.js';

let pipeline: LocalPipeline;
let restoreOutput: () => void;
/** What reaches the test output below the harness's capture (passed on, and kept to check). */
const testOutput: string[] = [];
let terminal: OutputCapture;

beforeAll(async () => {
  terminal = captureOutput((line, stream) => {
    testOutput.push(line);
    terminal.passOn(stream, `${line}\n`);
  });
  restoreOutput = captureHandlerOutput();
  pipeline = await startTestPipeline();
});

afterAll(async () => {
  await pipeline?.stop();
  restoreOutput?.();
  terminal?.restore();
});

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
    const transport = smtp(pipeline);
    await transport.sendMail({ envelope: { from, to: [MAILBOX] }, raw });
    transport.close();
    await settle(pipeline, 1);
    const records = await drainTopics(pipeline);
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
    const transport = smtp(pipeline);
    await expect(
      transport.sendMail({
        envelope: { from: 'anna@gmail.com', to: ['someone@ssi.dk'] },
        raw: fixture('general-question-en.eml'),
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
    transport.close();
  });

  it('rejects a mail over the size limit with 552 and stores nothing', async () => {
    const transport = smtp(pipeline);
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
    expect(await queueDepth(pipeline, queueUrl(pipeline, QUEUE_NAMES.intake))).toBe(0);
  });
});

describe('the case reference', () => {
  it('reaches the citizen in the reply, the owners in the forward and the live log, the same as on the record', async () => {
    await pipeline.emulators.clearSentMail();
    const raw = fixture('fraud-sms-en.eml');
    const citizen = (await simpleParser(raw)).from?.value[0]?.address ?? '';
    const transport = smtp(pipeline);
    await transport.sendMail({ envelope: { from: citizen, to: [MAILBOX] }, raw });
    transport.close();
    await settle(pipeline, 1);
    const [record] = await drainTopics(pipeline);
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
      await expect(
        startLocalPipeline({ ports: { smtp: taken, aws: 0, ses: 0, dynamodb: 0 } }),
      ).rejects.toThrow('--smtp-port');
    } finally {
      blocker.close();
    }
  });

  it('seeds every sample mail through SMTP, each routed once', async () => {
    await drainTopics(pipeline);
    const { readdirSync } = await import('node:fs');
    const { seedSampleMails } = await import('../../local/seed.js');
    const { FIXTURES_DIR } = await import('../support/fixtures.js');
    const count = await seedSampleMails(pipeline.smtpPort, MAILBOX, FIXTURES_DIR);
    expect(count).toBe(readdirSync(FIXTURES_DIR).filter((name) => name.endsWith('.eml')).length);
    await settle(pipeline, count);
    const records = await drainTopics(pipeline);
    expect(records).toHaveLength(count);
    expect(new Set(records.map((record) => record.topic))).toEqual(new Set(TOPICS));
  });
});

describe('logs', () => {
  it('hold no personal data', async () => {
    expect(capturedOutput.length).toBeGreaterThan(0);
    await assertNoPersonalData(capturedOutput);
  });

  it('keep metric lines for the tests to check, and off the test output', () => {
    expect(capturedOutput.filter((line) => lineKind(line) === 'metric').length).toBeGreaterThan(0);
    expect(testOutput.filter((line) => lineKind(line) !== 'other')).toEqual([]);
  });
});
