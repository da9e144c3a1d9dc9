import { describe, expect, it } from 'vitest';
import { autoReplyEnvironment } from '../../functions/auto-reply/from-environment.js';
import { ConfigInvalid } from '../../functions/core/config.js';
import { deliverEnvironment } from '../../functions/deliver/from-environment.js';
import { digestEnvironment } from '../../functions/digest/from-environment.js';
import { intakeEnvironment } from '../../functions/intake/from-environment.js';
import { DEFAULT_MAX_FORWARD_BYTES, ENV, readEnvironment } from '../../functions/runtime/environment.js';

const TOPIC_QUEUES = JSON.stringify(
  Object.fromEntries(
    ['fraud-sms', 'data-subject-request', 'processing-notice', 'partner', 'general', 'quarantine'].map(
      (t) => [t, `https://sqs.eu-west-1.amazonaws.com/123456789012/${t}`],
    ),
  ),
);

const intakeEnv = {
  [ENV.rawBucket]: 'raw-mail',
  [ENV.topicQueues]: TOPIC_QUEUES,
  [ENV.repliesQueue]: 'https://sqs.eu-west-1.amazonaws.com/123456789012/replies',
  [ENV.forwardsQueue]: 'https://sqs.eu-west-1.amazonaws.com/123456789012/forwards',
  [ENV.idempotencyTable]: 'idempotency',
};
const autoReplyEnv = {
  [ENV.replyLogTable]: 'reply-log',
  [ENV.idempotencyTable]: 'idempotency',
  [ENV.repliesQueue]: 'https://sqs.eu-west-1.amazonaws.com/123456789012/replies',
  [ENV.replySaltSecretArn]: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:salt',
};
const deliverEnv = { [ENV.rawBucket]: 'raw-mail', [ENV.idempotencyTable]: 'idempotency' };

function failure(env: Record<string, string>, schema: Parameters<typeof readEnvironment>[1]): string {
  try {
    readEnvironment(env, schema);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigInvalid);
    return (error as Error).message;
  }
  throw new Error('expected the environment to be rejected');
}

describe('the function environment, read at cold start', () => {
  it('reads a complete environment and lays TRIAGE_CONFIG over the defaults', () => {
    const intake = readEnvironment(
      { ...intakeEnv, [ENV.config]: JSON.stringify({ forward: { 'fraud-sms': ['security@ssi.dk'] } }) },
      intakeEnvironment,
    );
    expect(intake.topicQueues['fraud-sms']).toContain('/fraud-sms');
    expect(intake.config.forward['fraud-sms']).toEqual(['security@ssi.dk']);
    expect(intake.config.reply.dedupWindowDays).toBe(7);
    expect(intake.rawMail).toEqual({ bucket: 'raw-mail', prefix: 'raw/' });
    expect(intake.cases).toBeUndefined();
  });

  it('names every missing variable at once', () => {
    const message = failure({ [ENV.casesTable]: 'cases' }, intakeEnvironment);
    for (const name of [
      ENV.rawBucket,
      ENV.topicQueues,
      ENV.repliesQueue,
      ENV.forwardsQueue,
      ENV.idempotencyTable,
      // With a case table, intake hashes senders with the reply salt.
      `${ENV.replySaltSecretArn} or ${ENV.replySalt}`,
    ]) {
      expect(message).toContain(`${name}`);
    }
    expect(message).toContain(`${ENV.rawBucket}: not set`);
  });

  it('names the field of a bad TRIAGE_CONFIG and says when it is not JSON or not an object', () => {
    expect(failure({ ...intakeEnv, [ENV.config]: '{"reply":{"hourlyCap":0}}' }, intakeEnvironment)).toContain(
      'TRIAGE_CONFIG.reply.hourlyCap',
    );
    expect(failure({ ...deliverEnv, [ENV.config]: '{not json' }, deliverEnvironment)).toContain(
      'TRIAGE_CONFIG: not valid JSON',
    );
    expect(failure({ [ENV.casesTable]: 'cases', [ENV.config]: '[]' }, digestEnvironment)).toContain(
      'TRIAGE_CONFIG: expected a JSON object',
    );
  });

  it('requires a queue URL for every topic, naming the topic without one', () => {
    const partial = JSON.stringify({ 'fraud-sms': 'https://sqs.eu-west-1.amazonaws.com/1/f' });
    const message = failure({ ...intakeEnv, [ENV.topicQueues]: partial }, intakeEnvironment);
    expect(message).toContain(`${ENV.topicQueues}.partner: no queue URL`);
    expect(failure({ ...intakeEnv, [ENV.topicQueues]: '{' }, intakeEnvironment)).toContain(
      `${ENV.topicQueues}: not valid JSON`,
    );
  });

  it('requires a salt of at least 16 characters, or a secret to fetch it from', () => {
    const { [ENV.replySaltSecretArn]: _arn, ...withoutSalt } = autoReplyEnv;
    expect(failure({ ...withoutSalt, [ENV.replySalt]: 'short' }, autoReplyEnvironment)).toContain(
      ENV.replySalt,
    );
    expect(readEnvironment(autoReplyEnv, autoReplyEnvironment).replySalt).toEqual({
      secretArn: autoReplyEnv[ENV.replySaltSecretArn],
    });
    expect(
      readEnvironment({ ...withoutSalt, [ENV.replySalt]: 'sixteen-chars-ok' }, autoReplyEnvironment)
        .replySalt,
    ).toEqual({ value: 'sixteen-chars-ok' });
  });

  it('keeps cases in intake only with a case table, and then with the salt', () => {
    const intake = readEnvironment(
      { ...intakeEnv, [ENV.casesTable]: 'cases', [ENV.replySalt]: 'sixteen-chars-ok' },
      intakeEnvironment,
    );
    expect(intake.cases).toEqual({ table: 'cases', salt: { value: 'sixteen-chars-ok' } });
  });

  it('tags stored mail only when TAG_RAW_MAIL says true, and names any other value', () => {
    expect(readEnvironment(intakeEnv, intakeEnvironment).tagRawMail).toBe(false);
    expect(readEnvironment({ ...intakeEnv, [ENV.tagRawMail]: 'true' }, intakeEnvironment).tagRawMail).toBe(
      true,
    );
    expect(failure({ ...intakeEnv, [ENV.tagRawMail]: 'yes' }, intakeEnvironment)).toContain(
      'TAG_RAW_MAIL: expected true or false',
    );
  });

  it('reads the largest forwarded original in whole bytes, by default the most SES allows', () => {
    expect(readEnvironment(deliverEnv, deliverEnvironment).maxForwardBytes).toBe(DEFAULT_MAX_FORWARD_BYTES);
    expect(
      readEnvironment({ ...deliverEnv, [ENV.maxForwardBytes]: '1048576' }, deliverEnvironment)
        .maxForwardBytes,
    ).toBe(1_048_576);
    for (const value of ['1.5', '-1', 'lots', '']) {
      expect(failure({ ...deliverEnv, [ENV.maxForwardBytes]: value }, deliverEnvironment)).toContain(
        'MAX_FORWARD_BYTES: not a whole number of bytes',
      );
    }
  });

  it('takes a raw-mail prefix only as one key prefix ending in a slash', () => {
    expect(readEnvironment({ ...deliverEnv, [ENV.rawPrefix]: 'mail/' }, deliverEnvironment).rawMail).toEqual({
      bucket: 'raw-mail',
      prefix: 'mail/',
    });
    // An empty prefix would give the mail store the whole bucket.
    for (const prefix of ['', 'raw', '/']) {
      expect(failure({ ...deliverEnv, [ENV.rawPrefix]: prefix }, deliverEnvironment)).toContain(
        `${ENV.rawPrefix}: a key prefix such as raw/`,
      );
    }
  });

  it('asks each function for its own variables only', () => {
    // Each of these is complete for its function and lacks what the others need.
    expect(() => readEnvironment(autoReplyEnv, autoReplyEnvironment)).not.toThrow();
    expect(() => readEnvironment(deliverEnv, deliverEnvironment)).not.toThrow();
    expect(() => readEnvironment({ [ENV.casesTable]: 'cases' }, digestEnvironment)).not.toThrow();
    expect(failure({}, digestEnvironment)).toBe(
      `invalid configuration in the function environment: ${ENV.casesTable}: not set`,
    );
    expect(failure({}, deliverEnvironment)).toBe(
      `invalid configuration in the function environment: ${ENV.idempotencyTable}: not set; ${ENV.rawBucket}: not set`,
    );
  });
});
