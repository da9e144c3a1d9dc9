import { z } from 'zod';
import { readConfigFile } from '../functions/cli/config-file.js';
import { ConfigInvalid, configSchema, describeIssues, type TriageConfig } from '../functions/core/config.js';
import { DEFAULT_MAX_FORWARD_BYTES } from '../functions/runtime/environment.js';

// Two vocabularies would drift, so there is one: the triage configuration is a JSON file
// (`configFile`), read by the reader the CLI and `npm start` use for `--config`, and the
// stack derives from it what the infrastructure needs (receipt recipients, owners allowed
// as SES recipients, retention rules). `cdk.json` context holds only what the functions
// never see: where and how the stack is deployed. Every context problem is reported at
// once, each naming its key; a configuration problem names the file and the field.

/** The configuration file when the context names none: the committed deployment's. */
export const DEFAULT_CONFIG_FILE = 'config/triage.json';

/** Lambda allows 4 KB of environment in total; the queue URLs and table names need the rest. */
export const MAX_TRIAGE_CONFIG_BYTES = 2048;

/** `-c key=value` always yields a string: the number and boolean keys parse it. */
const fromCli = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' ? parseScalar(value) : value), schema);

const contextSchema = z.object({
  configFile: z.string().min(1).default(DEFAULT_CONFIG_FILE),
  stackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,31}$/, 'expected a stack name: a letter, then letters, digits or -')
    .default('MailTriage'),
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'expected an AWS region such as eu-west-1')
    .default('eu-west-1'),
  account: z
    .string()
    .regex(/^\d{12}$/, 'expected a 12-digit AWS account id')
    .optional(),
  alarmEmail: z.email().optional(),
  activateRuleSet: fromCli(z.boolean().default(false)),
  maxQueueAgeMinutes: fromCli(
    z
      .number()
      .int()
      .min(1)
      .max(14 * 24 * 60)
      .default(60),
  ),
  maxForwardBytes: fromCli(
    z.number().int().min(0).max(DEFAULT_MAX_FORWARD_BYTES).default(DEFAULT_MAX_FORWARD_BYTES),
  ),
  /** Concurrent auto-reply and deliver invocations each: SES's send rate is an account quota. */
  sendConcurrency: fromCli(z.number().int().min(2).max(50).default(2)),
  /**
   * Concurrent intake invocations: the most its SQS event source runs at once (2 to 1,000
   * is what Lambda accepts). A flood waits in the intake queue instead of taking the account.
   */
  intakeConcurrency: fromCli(z.number().int().min(2).max(1000).default(10)),
  /**
   * When the GDPR digest runs: an EventBridge Scheduler cron expression, read in the
   * calendar's time zone (Europe/Copenhagen). Weekdays; the function skips holidays.
   */
  digestSchedule: z
    .string()
    .regex(
      /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/,
      'expected an EventBridge Scheduler cron expression: cron(minutes hours day-of-month month day-of-week year)',
    )
    .default('cron(30 7 ? * MON-FRI *)'),
});

export type DeploymentContext = z.infer<typeof contextSchema>;

/** The context keys of this app; anything else unqualified is a mistake. */
export const CONTEXT_KEYS = Object.keys(contextSchema.shape) as ReadonlyArray<keyof DeploymentContext>;

/**
 * Context keys that once set triage settings, and the configuration field that does now,
 * so a deployment command from before the change says where its value belongs.
 */
const MOVED_TO_CONFIG_FILE: Readonly<Record<string, string>> = {
  recipients: 'recipients',
  mailDomain: 'ownDomains',
  replyFrom: 'reply.from',
  forwardFrom: 'forwardFrom',
  owners: 'forward',
  retentionDays: 'retentionDays',
  triageOverrides: 'its fields, at the top level,',
};

/** Context the CDK toolkit itself keeps in cdk.json without a namespace. */
const TOOLKIT_KEYS = new Set(['cli-telemetry', 'acknowledged-issue-numbers']);

export interface MailTriageSettings extends Omit<DeploymentContext, 'account' | 'alarmEmail'> {
  account?: string;
  alarmEmail?: string;
  /** The validated configuration the functions will run with, as the CLI reads the same file. */
  config: TriageConfig;
  /** What the functions receive as TRIAGE_CONFIG: the file's overrides, laid over DEFAULT_CONFIG. */
  configOverrides: Record<string, unknown>;
}

/** The context failed validation; the message names every offending key. */
export class ContextInvalid extends Error {
  override readonly name = 'ContextInvalid';
  constructor(readonly issues: string[]) {
    super(`invalid cdk.json context (set in cdk.json or with -c key=value): ${issues.join('; ')}`);
  }
}

/**
 * The deployment settings: the context (usually `app.node.getAllContext()`), then the
 * configuration file it names. Throws ContextInvalid, or ConfigInvalid naming the file.
 */
export async function readSettings(context: Record<string, unknown>): Promise<MailTriageSettings> {
  const { account, alarmEmail, ...deployment } = readContext(context);
  const { overrides, config } = await readConfigFile(deployment.configFile);
  const configOverrides = overrides as Record<string, unknown>;
  const size = Buffer.byteLength(JSON.stringify(configOverrides));
  if (size > MAX_TRIAGE_CONFIG_BYTES) {
    throw new ConfigInvalid(deployment.configFile, [
      `the functions receive the file as TRIAGE_CONFIG, ${size} bytes compacted, more than ${MAX_TRIAGE_CONFIG_BYTES} (a Lambda's environment variables share 4 KB): keep to the settings that differ from the defaults`,
    ]);
  }
  return {
    ...deployment,
    ...(account ? { account } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    config,
    configOverrides,
  };
}

/** Validates the context alone: the infrastructure keys, and no key this app does not read. */
export function readContext(context: Record<string, unknown>): DeploymentContext {
  const given = Object.fromEntries(
    Object.entries(context).filter(([key, value]) => value !== '' && value !== null && !isForeign(key)),
  );
  const issues: string[] = [];
  const configFile = typeof given.configFile === 'string' ? given.configFile : DEFAULT_CONFIG_FILE;
  for (const key of Object.keys(given)) {
    if ((CONTEXT_KEYS as readonly string[]).includes(key)) continue;
    issues.push(`${key}: ${unknownKeyAdvice(key, configFile)}`);
  }
  const parsed = contextSchema.safeParse(given);
  if (!parsed.success) issues.push(...describeIssues(parsed.error.issues, '(context)'));
  if (!parsed.success || issues.length > 0) throw new ContextInvalid(issues);
  return parsed.data;
}

function unknownKeyAdvice(key: string, configFile: string): string {
  const field = Object.hasOwn(MOVED_TO_CONFIG_FILE, key)
    ? MOVED_TO_CONFIG_FILE[key]
    : Object.hasOwn(configSchema.shape, key)
      ? key
      : undefined;
  if (field) {
    return `a triage setting, not a context key: set ${field} in the configuration file ${configFile} (context key configFile), which the CLI and npm start read with --config`;
  }
  return `not a context key of this app (${CONTEXT_KEYS.join(', ')}); triage settings belong in the configuration file ${configFile}`;
}

/** Feature flags (`@aws-cdk/…:…`), the toolkit's own (`aws:cdk:…`) and cached lookups are not ours. */
function isForeign(key: string): boolean {
  return key.includes(':') || key.startsWith('@') || TOOLKIT_KEYS.has(key);
}

function parseScalar(text: string): unknown {
  const trimmed = text.trim();
  return /^(true|false|-?\d+(\.\d+)?)$/.test(trimmed) ? JSON.parse(trimmed) : text;
}
