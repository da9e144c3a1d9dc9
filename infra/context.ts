import { z } from 'zod';
import {
  ConfigInvalid,
  configWithOverrides,
  describeIssues,
  domain,
  isPlainObject,
  type TriageConfig,
} from '../functions/core/config.js';
import { DEFAULT_CONFIG } from '../functions/core/default-config.js';
import { DEFAULT_MAX_FORWARD_BYTES } from '../functions/runtime/environment.js';

// The deployment's settings come from `cdk.json` context (or `cdk deploy -c key=value`).
// The keys that describe the mail itself are laid over the triage configuration and
// validated by its own schema, so a wrong address fails `cdk synth` exactly as it would
// fail a function's cold start; the infrastructure-only keys have a schema of their own.
// Every problem is reported at once, each naming the context key to fix.

/** Keys a `-c key=value` can set; each value arrives as a string and is coerced here. */
const CONTEXT_KEYS = [
  'stackName',
  'region',
  'account',
  'recipients',
  'mailDomain',
  'replyFrom',
  'forwardFrom',
  'owners',
  'retentionDays',
  'alarmEmail',
  'activateRuleSet',
  'maxQueueAgeMinutes',
  'maxForwardBytes',
  'sendConcurrency',
  'intakeConcurrency',
  'digestSchedule',
  'triageOverrides',
] as const;
type ContextKey = (typeof CONTEXT_KEYS)[number];

/** The mail domain when the context sets none: the default configuration's first own domain. */
const DEFAULT_MAIL_DOMAIN = DEFAULT_CONFIG.ownDomains[0] ?? 'ssi.dk';

/** Lambda allows 4 KB of environment in total; the queue URLs and table names need the rest. */
export const MAX_TRIAGE_CONFIG_BYTES = 2048;

const fromCli = <T extends z.ZodType>(schema: T) => z.preprocess(coerceCliValue, schema);

const infraSchema = z.object({
  stackName: fromCli(
    z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,31}$/, 'expected a stack name: a letter, then letters, digits or -')
      .default('MailTriage'),
  ),
  region: fromCli(
    z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'expected an AWS region such as eu-west-1')
      .default('eu-west-1'),
  ),
  account: fromCli(
    z
      .string()
      .regex(/^\d{12}$/, 'expected a 12-digit AWS account id')
      .optional(),
  ),
  mailDomain: fromCli(domain.default(DEFAULT_MAIL_DOMAIN)),
  alarmEmail: fromCli(z.email().optional()),
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

const triageKeysSchema = z.object({
  recipients: z.preprocess(listFromCli, z.unknown().default(DEFAULT_CONFIG.recipients)),
  replyFrom: fromCli(z.unknown().default(DEFAULT_CONFIG.reply.from)),
  forwardFrom: fromCli(z.unknown().default(DEFAULT_CONFIG.forwardFrom)),
  owners: fromCli(z.unknown().default(DEFAULT_CONFIG.forward)),
  retentionDays: fromCli(z.unknown().default(DEFAULT_CONFIG.retentionDays)),
  triageOverrides: fromCli(z.record(z.string(), z.unknown()).default({})),
});

/** Triage settings that have a context key of their own, and that key. */
const MAPPED_CONFIG_PATHS: ReadonlyArray<[configPath: string, contextKey: ContextKey]> = [
  ['reply.from', 'replyFrom'],
  ['forwardFrom', 'forwardFrom'],
  ['forward', 'owners'],
  ['ownDomains', 'mailDomain'],
  ['recipients', 'recipients'],
  ['retentionDays', 'retentionDays'],
];

export interface MailTriageSettings {
  stackName: string;
  region: string;
  account?: string;
  mailDomain: string;
  alarmEmail?: string;
  activateRuleSet: boolean;
  maxQueueAgeMinutes: number;
  maxForwardBytes: number;
  sendConcurrency: number;
  intakeConcurrency: number;
  digestSchedule: string;
  /** The validated configuration the functions will run with. */
  config: TriageConfig;
  /** What the functions receive as TRIAGE_CONFIG: only the overrides, laid over DEFAULT_CONFIG. */
  configOverrides: Record<string, unknown>;
}

/** The context failed validation; the message names every offending key. */
export class ContextInvalid extends Error {
  override readonly name = 'ContextInvalid';
  constructor(readonly issues: string[]) {
    super(`invalid cdk.json context (set in cdk.json or with -c key=value): ${issues.join('; ')}`);
  }
}

/** Reads and validates the deployment settings; `read` is usually `app.node.tryGetContext`. */
export function readSettings(read: (key: string) => unknown): MailTriageSettings {
  const raw = Object.fromEntries(CONTEXT_KEYS.map((key) => [key, emptyAsUnset(read(key))]));
  const issues: string[] = [];

  const infra = infraSchema.safeParse(raw);
  if (!infra.success) issues.push(...describeIssues(infra.error.issues, '(context)'));
  const triageKeys = triageKeysSchema.safeParse(raw);
  if (!triageKeys.success) issues.push(...describeIssues(triageKeys.error.issues, '(context)'));
  if (!triageKeys.success) throw new ContextInvalid(issues);
  const mailDomain = infra.success ? infra.data.mailDomain : DEFAULT_MAIL_DOMAIN;

  const { recipients, replyFrom, forwardFrom, owners, retentionDays, triageOverrides } = triageKeys.data;
  for (const [path, key] of MAPPED_CONFIG_PATHS) {
    if (hasPath(triageOverrides, path))
      issues.push(`triageOverrides.${path}: set it with the context key ${key}`);
  }

  const replyOverrides = isPlainObject(triageOverrides.reply) ? triageOverrides.reply : {};
  const configOverrides: Record<string, unknown> = {
    ...triageOverrides,
    recipients,
    ownDomains: ownDomains(mailDomain, [recipients, replyFrom, forwardFrom]),
    reply: { ...replyOverrides, from: replyFrom },
    forwardFrom,
    forward: owners,
    retentionDays,
  };

  let config = DEFAULT_CONFIG;
  try {
    config = configWithOverrides(configOverrides, DEFAULT_CONFIG, 'cdk.json context');
  } catch (error) {
    if (!(error instanceof ConfigInvalid)) throw error;
    issues.push(...error.issues.map(toContextIssue));
  }

  const size = Buffer.byteLength(JSON.stringify(configOverrides));
  if (size > MAX_TRIAGE_CONFIG_BYTES) {
    issues.push(
      `triageOverrides: the functions' configuration would be ${size} bytes, more than ${MAX_TRIAGE_CONFIG_BYTES} (Lambda environment variables share 4 KB)`,
    );
  }
  if (!infra.success || issues.length > 0) throw new ContextInvalid(issues);

  const { alarmEmail, account, ...rest } = infra.data;
  return {
    ...rest,
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(account ? { account } : {}),
    config,
    configOverrides,
  };
}

/** The mail domain first, then every other domain we send or receive as (loop prevention). */
function ownDomains(mailDomain: string, addresses: unknown[]): unknown[] {
  const domains = [mailDomain];
  for (const value of addresses.flat()) {
    if (typeof value !== 'string') continue;
    const domain = value.slice(value.lastIndexOf('@') + 1).toLowerCase();
    if (value.includes('@') && domain && !domains.includes(domain)) domains.push(domain);
  }
  return domains;
}

/** `recipients[0]: Invalid email address` from the triage schema → the context key that set it. */
function toContextIssue(issue: string): string {
  for (const [path, key] of MAPPED_CONFIG_PATHS) {
    if (
      issue === path ||
      issue.startsWith(`${path}:`) ||
      issue.startsWith(`${path}[`) ||
      issue.startsWith(`${path}.`)
    ) {
      return `${key}${issue.slice(path.length)}`;
    }
  }
  return `triageOverrides.${issue}`;
}

/**
 * `-c key=value` always yields a string: JSON for lists, maps, numbers and booleans is
 * parsed, and a plain string with commas is a list (`-c recipients=a@x.dk,b@x.dk`).
 */
function coerceCliValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (/^[[{]/.test(text) || /^(true|false|-?\d+(\.\d+)?)$/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return value;
    }
  }
  return text.includes(',') ? text.split(',').map((part) => part.trim()) : value;
}

/** A list key given one address on the command line is a list of one. */
function listFromCli(value: unknown): unknown {
  const coerced = coerceCliValue(value);
  return typeof coerced === 'string' ? [coerced] : coerced;
}

function emptyAsUnset(value: unknown): unknown {
  return value === '' || value === null ? undefined : value;
}

function hasPath(object: Record<string, unknown>, path: string): boolean {
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (!isPlainObject(current) || !(part in current)) return false;
    current = current[part];
  }
  return true;
}
