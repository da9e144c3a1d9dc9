import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOPICS } from '../functions/core/types.js';
import { ENV, RAW_PREFIX } from '../functions/runtime/environment.js';
import { SERVICE_NAMES } from '../functions/runtime/observability.js';
import { QUEUE_NAMES, RAW_BUCKET_NAME, TABLE_NAMES } from '../functions/runtime/resource-names.js';
import { PROJECT_ROOT } from '../infra/bundling.js';
import { RUNTIME, RUNTIME_ENVIRONMENT } from '../infra/constructs/functions.js';
import { readSettings } from '../infra/context.js';

// The environment a deployed function starts with: what Lambda sets, plus what the stack
// sets (infra/constructs/functions.ts) for a deployment with cdk.json's context: the
// configuration file it names, as TRIAGE_CONFIG, which every function validates at init, and
// source maps switched on. Resource names and ARNs are AWS-shaped but unreachable: the
// cold-start probe fails on any network call anyway.

const REGION = 'eu-central-1';
const ACCOUNT = '123456789012';
const queueUrl = (name: string) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/mail-triage-${name}`;

const cdkContext = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context: object })
  .context as Record<string, unknown>;
const settings = await readSettings(cdkContext);

const FUNCTION_ENV: Record<string, string> = {
  ...RUNTIME_ENVIRONMENT,
  [ENV.config]: JSON.stringify(settings.configOverrides),
  [ENV.rawBucket]: `mail-triage-${RAW_BUCKET_NAME}`,
  [ENV.rawPrefix]: RAW_PREFIX,
  [ENV.topicQueues]: JSON.stringify(
    Object.fromEntries(TOPICS.map((t) => [t, queueUrl(QUEUE_NAMES.topic(t))])),
  ),
  [ENV.repliesQueue]: queueUrl(QUEUE_NAMES.replies),
  [ENV.forwardsQueue]: queueUrl(QUEUE_NAMES.forwards),
  [ENV.idempotencyTable]: `mail-triage-${TABLE_NAMES.idempotency}`,
  [ENV.replyLogTable]: `mail-triage-${TABLE_NAMES.replyLog}`,
  [ENV.casesTable]: `mail-triage-${TABLE_NAMES.cases}`,
  [ENV.maxForwardBytes]: String(settings.maxForwardBytes),
  // Deployed, the salt is a secret: the function must not fetch it at init.
  [ENV.replySaltSecretArn]: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:mail-triage-reply-salt-AbCdEf`,
};

const SERVICE_BY_FUNCTION: Record<string, string> = {
  intake: SERVICE_NAMES.intake,
  'auto-reply': SERVICE_NAMES.autoReply,
  deliver: SERVICE_NAMES.deliver,
  digest: SERVICE_NAMES.digest,
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
    AWS_EXECUTION_ENV: `AWS_Lambda_${RUNTIME.name}`,
    AWS_LAMBDA_FUNCTION_NAME: `mail-triage-${functionName}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    ...FUNCTION_ENV,
    POWERTOOLS_SERVICE_NAME: SERVICE_BY_FUNCTION[functionName] ?? functionName,
  };
}
