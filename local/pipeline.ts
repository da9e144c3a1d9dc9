import type { TriageConfig } from '../functions/core/config.js';
import type { DigestOutcome } from '../functions/digest/digest.js';
import { configFromEnvironment } from '../functions/runtime/environment.js';
import { QUEUE_NAMES } from '../functions/runtime/resource-names.js';
import { type Emulators, startEmulators } from './emulators.js';
import { localHandlers } from './handlers.js';
import { type EmulatorClients, emulatorClients, type LocalResources, provisionLocal } from './provision.js';
import { receiveInbound } from './ses-inbound.js';
import { type SmtpInbound, startSmtpInbound } from './smtp-inbound.js';
import { QueuePoller } from './sqs-poller.js';

// The whole system on one machine: emulators, the same resources the stack creates, the
// real handlers fed by pollers that behave like Lambda's SQS event sources, and an SMTP
// listener where SES inbound would be. Everything listens on loopback only.

export interface LocalPipelineOptions {
  ports?: { smtp?: number; aws?: number; ses?: number; dynamodb?: number };
  /** JSON overrides of the triage configuration (as `--config` or the stack's context give them). */
  configOverrides?: unknown;
  /** Seconds before a failed message is retried; Lambda's is the queue's visibility timeout. */
  visibilityTimeoutSeconds?: number;
  /** Pollers per queue, as Lambda scales out its event source. */
  concurrency?: number;
  onPollError?: (queue: string, error: unknown) => void;
}

export interface LocalPipeline {
  smtpUrl: string;
  smtpPort: number;
  emulators: Emulators;
  resources: LocalResources;
  config: TriageConfig;
  clients: EmulatorClients;
  /** Runs the morning digest now, on any day (as `--digest-now` does). */
  digest(): Promise<DigestOutcome>;
  stop(): Promise<void>;
}

export async function startLocalPipeline(options: LocalPipelineOptions = {}): Promise<LocalPipeline> {
  const host = '127.0.0.1';
  const ports = options.ports ?? {};
  const emulators = await startEmulators({
    host,
    ports: { aws: ports.aws, ses: ports.ses, dynamodb: ports.dynamodb },
  });
  const stops: Array<() => Promise<void>> = [() => emulators.stop()];
  let stopping: Promise<void> | null = null;
  const stopAll = () => {
    stopping ??= (async () => {
      for (const stop of [...stops].reverse()) await stop().catch(() => {});
    })();
    return stopping;
  };
  try {
    const clients = emulatorClients(emulators);
    stops.push(async () => {
      for (const client of Object.values(clients)) client.destroy();
    });
    const resources = await provisionLocal(clients, {
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 5,
      configOverrides: options.configOverrides,
    });
    const config = configFromEnvironment(resources.functionEnv);

    const handlers = localHandlers(resources.functionEnv, clients);
    const functions = [
      { queue: QUEUE_NAMES.intake, name: 'intake', handler: handlers.intake },
      {
        queue: QUEUE_NAMES.replies,
        name: 'auto-reply',
        handler: handlers.autoReply,
      },
      { queue: QUEUE_NAMES.forwards, name: 'deliver', handler: handlers.deliver },
    ];
    const pollers = functions.flatMap(({ queue, name, handler }) => {
      const ref = resources.queues[queue];
      if (!ref) throw new Error(`queue ${queue} was not provisioned`);
      return Array.from(
        { length: options.concurrency ?? 2 },
        () =>
          new QueuePoller(clients.sqs, ref, handler, { functionName: name }, (error) =>
            options.onPollError?.(queue, error),
          ),
      );
    });
    for (const poller of pollers) poller.start();
    stops.push(async () => {
      await Promise.all(pollers.map((poller) => poller.stop()));
    });

    const smtp: SmtpInbound = await startSmtpInbound({
      host,
      port: ports.smtp ?? 2525,
      config,
      deliver: async (mail) => {
        await receiveInbound(mail, {
          s3: clients.s3,
          sns: clients.sns,
          bucket: resources.bucket,
          topicArn: resources.mailTopicArn,
        });
      },
    });
    stops.push(() => smtp.stop());

    return {
      smtpUrl: smtp.url,
      smtpPort: smtp.port,
      emulators,
      resources,
      config,
      clients,
      digest: () => handlers.digest({ force: true }),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
