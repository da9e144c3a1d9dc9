import { TOPICS } from '../functions/core/types.js';
import { ENV, RAW_PREFIX } from '../functions/runtime/environment.js';
import { QUEUE_NAMES, RAW_BUCKET_NAME, TABLE_NAMES } from '../functions/runtime/resource-names.js';

// The environment a deployed function starts with: what Lambda sets, plus the variables
// the stack sets (the same names local/provision.ts fills in), with AWS-shaped values.
// Nothing here is reachable: the cold-start probe fails on any network call anyway.

const REGION = 'eu-central-1';
const ACCOUNT = '123456789012';
const queueUrl = (name: string) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/mail-triage-${name}`;

const FUNCTION_ENV: Record<string, string> = {
  [ENV.rawBucket]: `mail-triage-${RAW_BUCKET_NAME}`,
  [ENV.rawPrefix]: RAW_PREFIX,
  [ENV.topicQueues]: JSON.stringify(
    Object.fromEntries(TOPICS.map((t) => [t, queueUrl(QUEUE_NAMES.topic(t))])),
  ),
  [ENV.repliesQueue]: queueUrl(QUEUE_NAMES.replies),
  [ENV.forwardsQueue]: queueUrl(QUEUE_NAMES.forwards),
  [ENV.idempotencyTable]: `mail-triage-${TABLE_NAMES.idempotency}`,
  [ENV.replyLogTable]: `mail-triage-${TABLE_NAMES.replyLog}`,
  // Deployed, the salt is a secret: the function must not fetch it at init.
  [ENV.replySaltSecretArn]: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:mail-triage-reply-salt-AbCdEf`,
};

export function lambdaEnvironment(functionName: string, home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    // No ~/.aws files to find: configuration comes from the environment, as on Lambda.
    HOME: home,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'ASIABENCHMARKNOTREAL',
    AWS_SECRET_ACCESS_KEY: 'benchmark-not-a-real-secret',
    AWS_SESSION_TOKEN: 'benchmark-not-a-real-token',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: `mail-triage-${functionName}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    ...FUNCTION_ENV,
  };
}
