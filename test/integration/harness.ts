import type { TriageRecord } from '../../functions/core/queue-messages.js';
import { QUEUE_NAMES } from '../../functions/runtime/resource-names.js';
import { type Emulators, startEmulators } from '../../local/emulators.js';
import { localHandlers } from '../../local/handlers.js';
import { captureOutput } from '../../local/output-capture.js';
import {
  type EmulatorClients,
  emulatorClients,
  type LocalResources,
  provisionLocal,
} from '../../local/provision.js';
import { queueDepth, takeAll } from '../../local/queue-inspection.js';
import { type InboundMail, receiveInbound } from '../../local/ses-inbound.js';
import { drain, type SqsHandler } from '../../local/sqs-poller.js';
import { fixture } from '../support/fixtures.js';

/** Writes to the terminal even while handler output is captured (for figures a run reports). */
export const reportLine = (line: string) => realStderrWrite(`${line}\n`);
const realStderrWrite = process.stderr.write.bind(process.stderr);

/** Every line the handlers wrote to stdout/stderr (logs and EMF metrics), kept for inspection. */
export const capturedOutput: string[] = [];

/**
 * Handler output (logs and EMF metric lines) goes to `capturedOutput` instead of the test
 * output: the tests assert on it and check it for personal data, and a quiet run is easier
 * to read. Vitest's own reporter writes elsewhere.
 */
export function captureHandlerOutput(): () => void {
  const capture = captureOutput((line) => capturedOutput.push(line));
  return () => capture.restore();
}

export interface Pipeline {
  emulators: Emulators;
  resources: LocalResources;
  clients: EmulatorClients;
  handlers: { intake: SqsHandler; autoReply: SqsHandler; deliver: SqsHandler };
  /** Stores a fixture as SES would and publishes its notification; returns the SES message id. */
  receive(name: string, mail?: Partial<InboundMail>): Promise<string>;
  /** Runs a function over its queue until the queue is empty (failures retried at once). */
  run(
    fn: 'intake' | 'autoReply' | 'deliver',
    handler?: SqsHandler,
  ): Promise<{ received: number; failed: number }>;
  /** Intake, then replies and forwards. */
  runAll(): Promise<void>;
  /** Takes every message off a queue and returns the parsed bodies. */
  take(queueName: string): Promise<unknown[]>;
  takeRecords(topicQueue: string): Promise<TriageRecord[]>;
  depth(queueName: string, deadLetter?: boolean): Promise<number>;
  queueUrl(name: string): string;
  stop(): Promise<void>;
}

const FUNCTION_QUEUES = {
  intake: QUEUE_NAMES.intake,
  autoReply: QUEUE_NAMES.replies,
  deliver: QUEUE_NAMES.forwards,
};

export async function startPipeline(options: { configOverrides?: unknown } = {}) {
  const emulators = await startEmulators();
  const clients = emulatorClients(emulators);
  const resources = await provisionLocal(clients, {
    visibilityTimeoutSeconds: 30,
    maxReceiveCount: 3,
    configOverrides: options.configOverrides,
  });
  const handlers = localHandlers(resources.functionEnv, clients);
  const queueUrl = (name: string) => {
    const queue = resources.queues[name];
    if (!queue) throw new Error(`no queue ${name}`);
    return queue.url;
  };

  const pipeline: Pipeline = {
    emulators,
    resources,
    clients,
    handlers,
    queueUrl,
    receive: (name, mail = {}) =>
      receiveInbound(
        {
          raw: fixture(name),
          envelopeSender: mail.envelopeSender ?? '',
          recipients: ['ssidatabeskyttelse@ssi.dk'],
          ...mail,
        },
        { s3: clients.s3, sns: clients.sns, bucket: resources.bucket, topicArn: resources.mailTopicArn },
      ),
    run: (fn, handler) => {
      const name = FUNCTION_QUEUES[fn];
      const queue = resources.queues[name];
      if (!queue) throw new Error(`no queue ${name}`);
      return drain(clients.sqs, queue, handler ?? handlers[fn], { retryDelaySeconds: 0, functionName: fn });
    },
    async runAll() {
      await pipeline.run('intake');
      await pipeline.run('autoReply');
      await pipeline.run('deliver');
    },
    take: (name) => takeAll(clients.sqs, queueUrl(name)),
    takeRecords: async (name) => (await pipeline.take(name)) as TriageRecord[],
    async depth(name, deadLetter = false) {
      const queue = resources.queues[name];
      return queueDepth(clients.sqs, (deadLetter ? queue?.dlqUrl : queue?.url) ?? '');
    },
    async stop() {
      for (const client of Object.values(clients)) client.destroy();
      await emulators.stop();
    },
  };
  return pipeline;
}

/** EMF metric objects (Powertools' output) in the captured lines that carry `metric`. */
export function emf(lines: string[], metric: string): Array<Record<string, unknown>> {
  return lines.flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      return parsed._aws && metric in parsed ? [parsed] : [];
    } catch {
      return [];
    }
  });
}
