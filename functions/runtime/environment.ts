import * as z from 'zod';
import { ConfigInvalid, configWithOverrides, isPlainObject, type TriageConfig } from '../core/config.js';
import { DEFAULT_CONFIG } from '../core/default-config.js';

/**
 * The contract between the deployment (CDK stack or local pipeline) and the functions:
 * environment variable names, defined once and used by both sides. Each function reads
 * its own with its own schema (functions/<name>/from-environment.ts), composed of the
 * pieces below.
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

type Env = Record<string, string | undefined>;

/**
 * Reads a function's environment with its schema, once per container. Every problem is
 * reported at once, at cold start, naming the variable, as a ConfigInvalid.
 */
export function readEnvironment<S extends z.ZodType>(env: Env, schema: S): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigInvalid('the function environment', parsed.error.issues.map(describeIssue));
}

/** `RAW_BUCKET: not set`, `TRIAGE_CONFIG.reply.hourlyCap: …`; an issue of two variables names both itself. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.map(String).join('.');
  if (!where) return issue.message;
  const inConfig = issue.code === 'custom' && issue.params?.[CONFIG_FIELD] === true;
  return inConfig ? `${where}.${issue.message}` : `${where}: ${issue.message}`;
}

/** Marks an issue of a configuration field, whose message already starts with the field's path. */
const CONFIG_FIELD = 'configField';

const NOT_SET = 'not set';

/** A variable that must be set and not empty: a resource name, a queue URL. */
export const requiredVariable = () => z.string({ error: NOT_SET }).min(1, NOT_SET);

/** An optional variable; set but empty counts as not set. */
export const optionalVariable = () =>
  z
    .string()
    .optional()
    .transform((value) => value || undefined);

/** A variable holding JSON, parsed; the schema after it checks the value. */
export const jsonVariable = () =>
  requiredVariable().transform((text, ctx): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
      return z.NEVER;
    }
  });

/** TRIAGE_CONFIG: overrides laid over the default configuration; unset or empty, the defaults. */
export const triageConfigVariable = /* @__PURE__ */ z
  .string()
  .optional()
  .transform((text, ctx): TriageConfig => {
    if (!text) return DEFAULT_CONFIG;
    let overrides: unknown;
    try {
      overrides = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
      return z.NEVER;
    }
    if (!isPlainObject(overrides)) {
      ctx.addIssue({ code: 'custom', message: 'expected a JSON object' });
      return z.NEVER;
    }
    try {
      return configWithOverrides(overrides, DEFAULT_CONFIG, ENV.config);
    } catch (error) {
      if (!(error instanceof ConfigInvalid)) throw error;
      for (const message of error.issues) {
        ctx.addIssue({ code: 'custom', message, params: { [CONFIG_FIELD]: true } });
      }
      return z.NEVER;
    }
  });

/** The configuration alone, as a function would read it (the local pipeline's own use of it). */
export function configFromEnvironment(env: Env): TriageConfig {
  return readEnvironment(env, z.object({ [ENV.config]: triageConfigVariable }))[ENV.config];
}

/** What every function fed by a queue reads: the configuration, and the idempotency table its job runner keeps. */
export const jobFunctionVariables = {
  [ENV.config]: triageConfigVariable,
  [ENV.idempotencyTable]: requiredVariable(),
};

/** RAW_PREFIX: where SES's S3 action writes in the raw-mail bucket; the mail store owns nothing else. */
export const rawPrefixVariable = /* @__PURE__ */ z
  .string()
  .regex(/^(?:[^/]+\/)+$/, 'a key prefix such as raw/')
  .default(RAW_PREFIX);

/** Where the reply log's salt comes from: a Secrets Manager secret (deployed) or the value itself. */
export type ReplySaltSource = { secretArn: string } | { value: string };

/** The reply salt's two variables; `requireReplySalt` checks that one of them gives a salt. */
export const replySaltVariables = {
  [ENV.replySaltSecretArn]: optionalVariable(),
  [ENV.replySalt]: optionalVariable(),
};

/** The salt's source, if the variables give one: a secret, or a salt of at least 16 characters. */
export function replySaltSource(env: Record<string, unknown>): ReplySaltSource | undefined {
  const secretArn = env[ENV.replySaltSecretArn];
  const value = env[ENV.replySalt];
  if (typeof secretArn === 'string' && secretArn) return { secretArn };
  if (typeof value === 'string' && value.length >= 16) return { value };
  return undefined;
}

/**
 * A refinement for a function that hashes addresses: one of the salt's variables must give
 * it. Run even when other variables failed (`when`), so every problem is named at once.
 */
export function requireReplySalt(env: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (replySaltSource(env)) return;
  ctx.addIssue({
    code: 'custom',
    message: `${ENV.replySaltSecretArn} or ${ENV.replySalt} (at least 16 characters): ${NOT_SET}`,
  });
}

/** For `superRefine`: check across variables even when one of them failed on its own. */
export const ALWAYS = { when: () => true } as const;

/** The salt's source after `requireReplySalt` passed. */
export function checkedReplySalt(env: Record<string, unknown>): ReplySaltSource {
  const source = replySaltSource(env);
  if (!source) throw new Error('reply salt read before it was checked');
  return source;
}
