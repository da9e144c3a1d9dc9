import { autoReplyHandlerFrom } from '../functions/auto-reply/from-environment.js';
import { deliverHandlerFrom } from '../functions/deliver/from-environment.js';
import { digestHandlerFrom } from '../functions/digest/from-environment.js';
import { intakeHandlerFrom } from '../functions/intake/from-environment.js';
import type { EmulatorClients } from './provision.js';

/**
 * The real handlers, built from the environment the stack would set and bound to
 * the emulators, as the local pipeline and the integration tests run them. Locally the
 * reply salt is in the environment, so no Secrets Manager client is needed.
 */
export function localHandlers(env: Record<string, string>, clients: EmulatorClients) {
  return {
    intake: intakeHandlerFrom(env, clients),
    autoReply: autoReplyHandlerFrom(env, clients),
    deliver: deliverHandlerFrom(env, clients),
    /** Not fed by a queue: EventBridge Scheduler calls it deployed, `--digest-now` locally. */
    digest: digestHandlerFrom(env, clients),
  };
}
