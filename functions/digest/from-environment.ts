import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SESClient } from '@aws-sdk/client-ses';
import * as z from 'zod';
import { createDynamoDbClient, createSesClient } from '../adapters/aws-clients.js';
import { DynamoDbCaseRegister } from '../adapters/dynamodb-case-register.js';
import { SesRawMailSender } from '../adapters/ses-sender.js';
import { ENV, readEnvironment, requiredVariable, triageConfigVariable } from '../runtime/environment.js';
import { createObservability, SERVICE_NAMES, safeError } from '../runtime/observability.js';
import { type DigestOutcome, runDigest } from './digest.js';

/** The digest's environment: the case register it reads. */
export const digestEnvironment = z
  .object({
    [ENV.config]: triageConfigVariable,
    [ENV.casesTable]: requiredVariable(),
  })
  .transform((env) => ({ config: env[ENV.config], casesTable: env[ENV.casesTable] }));

export interface DigestClients {
  ses: SESClient;
  dynamodb: DynamoDBClient;
}

/**
 * The digest handler assembled from its environment and real AWS clients. EventBridge
 * Scheduler invokes it with no useful payload; `force` in the payload (the local
 * pipeline's `--digest-now`) sends on a closing day too.
 */
export function digestHandlerFrom(
  env: Record<string, string | undefined>,
  clients: DigestClients = { ses: createSesClient(), dynamodb: createDynamoDbClient() },
  now: () => Date = () => new Date(),
) {
  const settings = readEnvironment(env, digestEnvironment);
  const { logger, metrics } = createObservability(SERVICE_NAMES.digest);
  const deps = {
    config: settings.config,
    cases: new DynamoDbCaseRegister(clients.dynamodb, settings.casesTable),
    sender: new SesRawMailSender(clients.ses),
    logger,
    metrics,
    now,
  };
  return async (event?: { force?: unknown }): Promise<DigestOutcome> => {
    try {
      return await runDigest(deps, { force: event?.force === true });
    } catch (error) {
      // The runtime would log the error's message, and SES's can quote an address.
      const safe = safeError(error);
      logger.error('digest failed; the schedule tries again', safe);
      throw new DigestFailed(`digest failed (${safe.errorName})`);
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

/** The run failed; its cause is logged by class and code only. */
export class DigestFailed extends Error {
  override readonly name = 'DigestFailed';
}
