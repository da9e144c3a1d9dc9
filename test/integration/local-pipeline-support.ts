import { createTransport } from 'nodemailer';
import type { TriageRecord } from '../../functions/core/queue-messages.js';
import type { Topic } from '../../functions/core/types.js';
import { TOPICS } from '../../functions/core/types.js';
import { QUEUE_NAMES } from '../../functions/runtime/resource-names.js';
import { type LocalPipeline, startLocalPipeline } from '../../local/pipeline.js';
import { queueDepth as inspectDepth, takeAll as takeAllBodies } from '../../local/queue-inspection.js';

// The local pipeline as the tests drive it: `npm start` on free ports, mail sent through
// its SMTP listener, queues read through the emulator. Shared by the fast suite and the
// load test.

export const MAILBOX = 'ssidatabeskyttelse@ssi.dk';

export function startTestPipeline(): Promise<LocalPipeline> {
  return startLocalPipeline({
    ports: { smtp: 0, aws: 0, ses: 0, dynamodb: 0 },
    configOverrides: {
      limits: { maxMailBytes: 2 * 1024 * 1024 },
      reply: { hourlyCap: 10_000, domainHourlyCap: 10_000 },
      forward: { 'fraud-sms': ['security@ssi.dk'] },
    },
    visibilityTimeoutSeconds: 2,
    concurrency: 2,
  });
}

export function smtp(pipeline: LocalPipeline) {
  return createTransport({
    host: '127.0.0.1',
    port: pipeline.smtpPort,
    secure: false,
    ignoreTLS: true,
    pool: true,
  });
}

export const queueDepth = (pipeline: LocalPipeline, url: string) => inspectDepth(pipeline.clients.sqs, url);
const topicUrl = (pipeline: LocalPipeline, topic: Topic) =>
  pipeline.resources.queues[QUEUE_NAMES.topic(topic)]?.url ?? '';
export const queueUrl = (pipeline: LocalPipeline, name: string) => pipeline.resources.queues[name]?.url ?? '';

/** Waits until `count` records sit on the topic queues and the function queues are empty. */
export async function settle(pipeline: LocalPipeline, count: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const routed = (
      await Promise.all(TOPICS.map((topic) => queueDepth(pipeline, topicUrl(pipeline, topic))))
    ).reduce((a, b) => a + b, 0);
    const busy =
      (await queueDepth(pipeline, queueUrl(pipeline, QUEUE_NAMES.intake))) +
      (await queueDepth(pipeline, queueUrl(pipeline, QUEUE_NAMES.replies))) +
      (await queueDepth(pipeline, queueUrl(pipeline, QUEUE_NAMES.forwards)));
    if (routed >= count && busy === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`pipeline did not settle on ${count} records in time`);
}

export async function drainTopics(pipeline: LocalPipeline): Promise<TriageRecord[]> {
  const bodies = await Promise.all(
    TOPICS.map((topic) => takeAllBodies(pipeline.clients.sqs, topicUrl(pipeline, topic))),
  );
  return bodies.flat() as TriageRecord[];
}
