import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { autoReplyHandlerFrom } from '../functions/auto-reply/from-environment.js';
import { deliverHandlerFrom } from '../functions/deliver/from-environment.js';
import { intakeHandlerFrom } from '../functions/intake/from-environment.js';
import type { emulatorClients } from './provision.js';

/**
 * The three real handlers, built from the environment the stack would set and bound to
 * the emulators, as the local pipeline and the integration tests run them.
 */
export function localHandlers(
  env: Record<string, string>,
  clients: ReturnType<typeof emulatorClients>,
  region: string,
) {
  // Locally the salt is in the environment, so the secrets client is never called.
  const secrets = new SecretsManagerClient({ region });
  return {
    intake: intakeHandlerFrom(env, clients),
    autoReply: autoReplyHandlerFrom(env, { ...clients, secrets }),
    deliver: deliverHandlerFrom(env, clients),
  };
}
