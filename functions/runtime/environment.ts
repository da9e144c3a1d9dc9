import * as z from 'zod';
import { ConfigInvalid, configWithOverrides, type TriageConfig } from '../core/config.js';
import { DEFAULT_CONFIG } from '../core/default-config.js';
import { TOPICS, type Topic } from '../core/types.js';

/**
 * The contract between the deployment (CDK stack or local pipeline) and the functions:
 * environment variable names, defined once and used by both sides.
 */
export const ENV = {
  /** JSON overrides laid over the default configuration (validated at synth and at cold start). */
  config: 'TRIAGE_CONFIG',
  rawBucket: 'RAW_BUCKET',
  rawPrefix: 'RAW_PREFIX',
  /** JSON object: topic id → queue URL. */
  topicQueues: 'TOPIC_QUEUES',
  repliesQueue: 'REPLIES_QUEUE_URL',
  forwardsQueue: 'FORWARDS_QUEUE_URL',
  idempotencyTable: 'IDEMPOTENCY_TABLE',
  replyLogTable: 'REPLY_LOG_TABLE',
  /** Secrets Manager secret holding the reply log's salt (deployed)… */
  replySaltSecretArn: 'REPLY_SALT_SECRET_ARN',
  /** …or the salt itself (local pipeline, tests). */
  replySalt: 'REPLY_SALT',
  /** Largest original (bytes) that deliver attaches to a forward; larger ones are named, not sent. */
  maxForwardBytes: 'MAX_FORWARD_BYTES',
  /**
   * `true`: intake tags stored mail with its topic for the per-topic retention. The stack
   * sets it; the local pipeline does not, as its S3 emulator (fauxqs) has no object tagging.
   */
  tagRawMail: 'TAG_RAW_MAIL',
  /**
   * The GDPR case register (DynamoDB). Intake opens cases in it when set (and then needs the
   * reply salt, to hash senders); the digest function reads it.
   */
  casesTable: 'CASES_TABLE',
} as const;

/** The raw-mail key prefix SES writes to; intake reads nothing outside it. */
export const RAW_PREFIX = 'raw/';

/**
 * The largest original deliver attaches when MAX_FORWARD_BYTES is unset, and the most the
 * deployment allows: SES refuses a raw message over 10 MB; base64 grows an attachment by a third.
 */
export const DEFAULT_MAX_FORWARD_BYTES = 7 * 1024 * 1024;

// Built when asked for: only intake reads the topic queues.
const topicQueuesSchema = () =>
  z.record(z.enum(TOPICS), z.url()).refine((map) => TOPICS.every((topic) => typeof map[topic] === 'string'), {
    message: `needs a queue URL for every topic: ${TOPICS.join(', ')}`,
  });

export interface RuntimeEnvironment {
  config: TriageConfig;
  rawBucket: string;
  rawPrefix: string;
  topicQueues: Record<Topic, string>;
  repliesQueueUrl: string;
  forwardsQueueUrl: string;
  idempotencyTable: string;
  replyLogTable: string;
  replySalt: { secretArn: string } | { value: string };
  maxForwardBytes: number;
  tagRawMail: boolean;
  /** Empty when not set: intake then keeps no cases. */
  casesTable: string;
}

type Env = Record<string, string | undefined>;

/**
 * Reads and validates what a function needs from its environment, once per container.
 * Every problem is reported at cold start, naming the variable, as a ConfigInvalid.
 */
export function loadRuntimeEnvironment(
  env: Env,
  needs: ReadonlyArray<keyof RuntimeEnvironment>,
): RuntimeEnvironment {
  const issues: string[] = [];
  const required = (name: string): string => {
    const value = env[name];
    if (!value) issues.push(`${name}: not set`);
    return value ?? '';
  };
  const want = new Set(needs);

  let config = DEFAULT_CONFIG;
  try {
    config = env[ENV.config]
      ? configWithOverrides(JSON.parse(env[ENV.config] ?? ''), DEFAULT_CONFIG, ENV.config)
      : DEFAULT_CONFIG;
  } catch (error) {
    issues.push(
      error instanceof ConfigInvalid
        ? error.issues.map((i) => `${ENV.config}.${i}`).join('; ')
        : `${ENV.config}: not valid JSON`,
    );
  }

  let queues = {} as Record<Topic, string>;
  if (want.has('topicQueues')) {
    try {
      const parsed = topicQueuesSchema().safeParse(JSON.parse(required(ENV.topicQueues) || '{}'));
      if (parsed.success) queues = parsed.data as Record<Topic, string>;
      else issues.push(`${ENV.topicQueues}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    } catch {
      issues.push(`${ENV.topicQueues}: not valid JSON`);
    }
  }

  const saltArn = env[ENV.replySaltSecretArn];
  const saltValue = env[ENV.replySalt] ?? '';
  const salt: RuntimeEnvironment['replySalt'] = saltArn ? { secretArn: saltArn } : { value: saltValue };
  const casesTable = env[ENV.casesTable] ?? '';
  if (want.has('casesTable') && !casesTable) issues.push(`${ENV.casesTable}: not set`);
  if (want.has('replySalt') && !saltArn && saltValue.length < 16) {
    issues.push(`${ENV.replySaltSecretArn} or ${ENV.replySalt} (at least 16 characters): not set`);
  }

  const maxForwardBytes = Number(env[ENV.maxForwardBytes] ?? DEFAULT_MAX_FORWARD_BYTES);
  if (!Number.isInteger(maxForwardBytes) || maxForwardBytes < 0)
    issues.push(`${ENV.maxForwardBytes}: not a whole number of bytes`);

  const tagRawMail = env[ENV.tagRawMail] ?? 'false';
  if (tagRawMail !== 'true' && tagRawMail !== 'false')
    issues.push(`${ENV.tagRawMail}: expected true or false`);

  const environment: RuntimeEnvironment = {
    config,
    rawBucket: want.has('rawBucket') ? required(ENV.rawBucket) : (env[ENV.rawBucket] ?? ''),
    rawPrefix: env[ENV.rawPrefix] ?? RAW_PREFIX,
    topicQueues: queues,
    repliesQueueUrl: want.has('repliesQueueUrl') ? required(ENV.repliesQueue) : (env[ENV.repliesQueue] ?? ''),
    forwardsQueueUrl: want.has('forwardsQueueUrl')
      ? required(ENV.forwardsQueue)
      : (env[ENV.forwardsQueue] ?? ''),
    idempotencyTable: want.has('idempotencyTable')
      ? required(ENV.idempotencyTable)
      : (env[ENV.idempotencyTable] ?? ''),
    replyLogTable: want.has('replyLogTable') ? required(ENV.replyLogTable) : (env[ENV.replyLogTable] ?? ''),
    replySalt: salt,
    maxForwardBytes,
    tagRawMail: tagRawMail === 'true',
    casesTable,
  };
  if (issues.length > 0) throw new ConfigInvalid('the function environment', issues);
  return environment;
}
