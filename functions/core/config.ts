import * as z from 'zod';
import { retentionSchema } from './retention.js';
import { SIGNALS } from './signals.js';
import { SENDER_KINDS, TOPICS } from './types.js';

// One typed configuration for the whole system. The CLI, the handlers and the CDK app all
// validate it with this schema, so a wrong value fails before anything runs or deploys.

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const email = z.email();
export const domain = z
  .string()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'expected a domain name');

/**
 * A routing rule: every condition given must hold; a rule with no conditions always
 * matches. Patterns are case-insensitive regular expressions matched against the subject
 * with reply/forward prefixes stripped, or against the body text.
 */
export const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case rule id'),
    topic: z.enum(TOPICS),
    when: z
      .object({
        verdictFail: z
          .array(z.enum(['spam', 'virus']))
          .min(1)
          .optional(),
        subject: z.array(z.string().min(1)).min(1).optional(),
        subjectOrText: z.array(z.string().min(1)).min(1).optional(),
        encrypted: z.boolean().optional(),
        /** A data subject asks for a GDPR right (request-evidence.ts), with high or low confidence. */
        gdprRight: z.boolean().optional(),
        /** The body or a screenshot reports a fraud SMS (fraud-evidence.ts). */
        fraudReport: z.boolean().optional(),
        /** At least one of these signals (signals.ts) is present. */
        signals: z.array(z.enum(SIGNALS)).min(1).optional(),
        /** None of these signals is present. */
        withoutSignals: z.array(z.enum(SIGNALS)).min(1).optional(),
        senderKind: z.array(z.enum(SENDER_KINDS)).min(1).optional(),
        /** Auto-replies, lists, bulk mail and delivery reports (see machine-mail.ts). */
        automated: z.boolean().optional(),
      })
      .strict(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    for (const key of ['subject', 'subjectOrText'] as const) {
      for (const [i, source] of (rule.when[key] ?? []).entries()) {
        try {
          new RegExp(source, 'iu');
        } catch {
          ctx.addIssue({ code: 'custom', path: ['when', key, i], message: 'not a valid regular expression' });
        }
      }
    }
  });
export type RoutingRule = z.infer<typeof ruleSchema>;

export const configSchema = z
  .object({
    /** Addresses SES receives for; also our own addresses, never auto-replied to. */
    recipients: z.array(email).min(1),
    /** Our own mail domains: mail from them is never auto-replied to (loop prevention). */
    ownDomains: z.array(domain).min(1),
    /** The authserv-id of the receiving host whose Authentication-Results header is trusted. */
    receivingHost: domain,
    reply: z
      .object({
        enabled: z.boolean(),
        from: email,
        fromName: z.string().min(1).max(100),
        /** RFC 5230 (Sieve vacation) `:days` default is 7. */
        dedupWindowDays: z.number().int().min(1).max(365),
        /** Circuit breaker against floods: replies per clock hour, all senders together. */
        hourlyCap: z.number().int().min(1).max(100_000),
        /** Replies per clock hour to one (organisational) domain, so one domain cannot use up `hourlyCap`. */
        domainHourlyCap: z.number().int().min(1).max(100_000),
        /**
         * Further addresses of ours besides `recipients` (aliases and lists that deliver to the
         * mailbox): a reply is sent only to mail that names one of ours in To, Cc, Bcc or
         * Resent-To/-Cc/-Bcc (RFC 5230 §4.5, Sieve vacation's `:addresses`).
         */
        aliases: z.array(email),
      })
      .strict(),
    limits: z
      .object({
        /** SES accepts at most 40 MB; anything larger is cut off and recorded as a parse error. */
        maxMailBytes: z
          .number()
          .int()
          .min(1024)
          .max(64 * 1024 * 1024),
        maxTextChars: z.number().int().min(1_000).max(5_000_000),
        previewChars: z.number().int().min(0).max(10_000),
      })
      .strict(),
    senders: z
      .object({
        consumerDomains: z.array(domain),
        authorityDomains: z.array(domain),
        companyDomains: z.array(domain),
      })
      .strict(),
    rules: z.array(ruleSchema).min(1),
    /** Mailbox owners per topic: mail of that topic is forwarded to them. */
    forward: z
      .partialRecord(z.enum(TOPICS), z.array(email).min(1))
      .refine((forward) => forward.quarantine === undefined, {
        // Quarantined mail failed virus or spam scanning, and a forward attaches the
        // original: it would deliver the virus to the owners. They read the queue instead.
        path: ['quarantine'],
        message:
          'quarantined mail (virus or spam verdict FAIL) is never forwarded, the original would go along; read the quarantine queue instead',
      }),
    /** The sender of forwards to owners. */
    forwardFrom: email,
    /**
     * Whether a forward's Reply-To is the original sender, per sender kind. Citizens are
     * answered through Digital Post (their e-mail address is itself personal data), so
     * pressing Reply on a forward must not answer them by e-mail; authorities and companies
     * may be answered by encrypted e-mail.
     */
    forwardReplyTo: z
      .object({ citizen: z.boolean(), unknown: z.boolean(), authority: z.boolean(), company: z.boolean() })
      .strict(),
    calendar: z
      .object({
        timeZone: z.string().refine(isTimeZone, 'not an IANA time zone'),
        /** Closing days beyond the public holidays (grundlovsdag, juleaftensdag, …). */
        extraClosingDays: z.array(isoDate),
      })
      .strict(),
    /** Days raw mail is kept, per topic (see retention.ts). */
    retentionDays: retentionSchema,
    /** The GDPR case register and the owners' morning digest (cases.ts, digest.ts). */
    cases: z
      .object({
        /** The digest lists cases due within this many working days (today counts as 0). */
        dueSoonWorkingDays: z.number().int().min(1).max(30),
        /**
         * Days a closed case is kept before DynamoDB's TTL deletes it: the record that a
         * request was answered on time (GDPR Art. 5(2), accountability).
         */
        keepClosedDays: z.number().int().min(30).max(3650),
      })
      .strict(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const ids = new Set<string>();
    for (const [i, rule] of config.rules.entries()) {
      if (ids.has(rule.id))
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: 'duplicate rule id' });
      ids.add(rule.id);
    }
  });

export type TriageConfig = z.infer<typeof configSchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A configuration that failed validation; the message names every offending field. */
export class ConfigInvalid extends Error {
  override readonly name = 'ConfigInvalid';
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`invalid configuration in ${source}: ${issues.join('; ')}`);
  }
}

/** Validates a full configuration. */
export function parseConfig(input: unknown, source = 'configuration'): TriageConfig {
  const result = configSchema.safeParse(input);
  if (!result.success) throw new ConfigInvalid(source, describeIssues(result.error.issues));
  return result.data;
}

/**
 * Validates a partial configuration laid over the defaults: top-level sections given
 * replace the default's same section wholesale, except objects, which are merged one
 * level deep (so `{"reply": {"hourlyCap": 50}}` keeps the other reply settings).
 */
export function configWithOverrides(
  overrides: unknown,
  defaults: TriageConfig,
  source = 'configuration',
): TriageConfig {
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new ConfigInvalid(source, ['expected a JSON object']);
  }
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    const base = merged[key];
    merged[key] =
      isPlainObject(base) && isPlainObject(value) && key !== 'forward' ? { ...base, ...value } : value;
  }
  return parseConfig(merged, source);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** One `reply.from: Invalid email address` per issue; an issue of the input as a whole is labelled `root`. */
export function describeIssues(issues: z.core.$ZodIssue[], root = '(root)'): string[] {
  return issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    return `${path.replace(/^\./, '') || root}: ${issue.message}`;
  });
}
