import { describe, expect, it } from 'vitest';
import { ConfigInvalid } from '../../functions/core/config.js';
import { ENV, loadRuntimeEnvironment } from '../../functions/runtime/environment.js';

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
const intakeNeeds = [
  'rawBucket',
  'topicQueues',
  'repliesQueueUrl',
  'forwardsQueueUrl',
  'idempotencyTable',
] as const;

function failure(env: Record<string, string>, needs: Parameters<typeof loadRuntimeEnvironment>[1]): string {
  try {
    loadRuntimeEnvironment(env, needs);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigInvalid);
    return (error as Error).message;
  }
  throw new Error('expected the environment to be rejected');
}

describe('the function environment, read at cold start', () => {
  it('reads a complete environment and lays TRIAGE_CONFIG over the defaults', () => {
    const env = loadRuntimeEnvironment(
      { ...intakeEnv, [ENV.config]: JSON.stringify({ forward: { 'fraud-sms': ['security@ssi.dk'] } }) },
      intakeNeeds,
    );
    expect(env.topicQueues['fraud-sms']).toContain('/fraud-sms');
    expect(env.config.forward['fraud-sms']).toEqual(['security@ssi.dk']);
    expect(env.config.reply.dedupWindowDays).toBe(7);
    expect(env.rawPrefix).toBe('raw/');
  });

  it('names every missing variable at once', () => {
    const message = failure({}, intakeNeeds);
    for (const name of [
      ENV.rawBucket,
      ENV.topicQueues,
      ENV.repliesQueue,
      ENV.forwardsQueue,
      ENV.idempotencyTable,
    ]) {
      expect(message).toContain(name);
    }
  });

  it('names the field of a bad TRIAGE_CONFIG and says when it is not JSON', () => {
    expect(failure({ ...intakeEnv, [ENV.config]: '{"reply":{"hourlyCap":0}}' }, intakeNeeds)).toContain(
      'TRIAGE_CONFIG.reply.hourlyCap',
    );
    expect(failure({ ...intakeEnv, [ENV.config]: '{not json' }, intakeNeeds)).toContain(
      'TRIAGE_CONFIG: not valid JSON',
    );
  });

  it('requires a queue URL for every topic', () => {
    const partial = JSON.stringify({ 'fraud-sms': 'https://sqs.eu-west-1.amazonaws.com/1/f' });
    expect(failure({ ...intakeEnv, [ENV.topicQueues]: partial }, intakeNeeds)).toContain(ENV.topicQueues);
  });

  it('requires a salt of at least 16 characters, or a secret to fetch it from', () => {
    const needs = ['replyLogTable', 'idempotencyTable', 'replySalt'] as const;
    const base = { [ENV.replyLogTable]: 'reply-log', [ENV.idempotencyTable]: 'idempotency' };
    expect(failure({ ...base, [ENV.replySalt]: 'short' }, needs)).toContain(ENV.replySalt);
    expect(
      loadRuntimeEnvironment({ ...base, [ENV.replySaltSecretArn]: 'arn:aws:secretsmanager:x' }, needs)
        .replySalt,
    ).toEqual({
      secretArn: 'arn:aws:secretsmanager:x',
    });
  });

  it('tags stored mail only when TAG_RAW_MAIL says true, and names any other value', () => {
    expect(loadRuntimeEnvironment(intakeEnv, intakeNeeds).tagRawMail).toBe(false);
    expect(loadRuntimeEnvironment({ ...intakeEnv, [ENV.tagRawMail]: 'true' }, intakeNeeds).tagRawMail).toBe(
      true,
    );
    expect(failure({ ...intakeEnv, [ENV.tagRawMail]: 'yes' }, intakeNeeds)).toContain(
      'TAG_RAW_MAIL: expected true or false',
    );
  });
});
