import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalPipeline } from '../../local/pipeline.js';
import { captureHandlerOutput, reportLine } from '../integration/harness.js';
import {
  drainTopics,
  MAILBOX,
  queueDepth,
  settle,
  smtp,
  startTestPipeline,
} from '../integration/local-pipeline-support.js';

// The load test: about 90 s on two cores, so it runs in `npm run test:all` (CI), not in
// the fast default `npm test`.

let pipeline: LocalPipeline;
let restoreOutput: () => void;

beforeAll(async () => {
  restoreOutput = captureHandlerOutput();
  pipeline = await startTestPipeline();
});

afterAll(async () => {
  await pipeline?.stop();
  restoreOutput?.();
});

describe('under load', () => {
  it('routes 1,000 mails from concurrent clients once each and answers each citizen once', async () => {
    await pipeline.emulators.clearSentMail();
    await drainTopics(pipeline);
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
    const clients = Array.from({ length: 4 }, () => smtp(pipeline));
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
    await settle(pipeline, MAILS, 240_000);
    const finished = Date.now();

    const records = await drainTopics(pipeline);
    expect(records).toHaveLength(MAILS);
    expect(new Set(records.map((r) => r.sesMessageId)).size).toBe(MAILS);
    for (const name of Object.keys(pipeline.resources.queues)) {
      const dlq = pipeline.resources.queues[name]?.dlqUrl ?? '';
      expect(await queueDepth(pipeline, dlq), `${name} DLQ`).toBe(0);
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
