import { ConfigInvalid } from '../functions/core/config.js';
import { buildApp } from './build-app.js';
import { ContextInvalid } from './context.js';

// The CDK app entry (`"app": "npx tsx infra/app.ts"` in cdk.json).
try {
  (await buildApp()).app.synth();
} catch (error) {
  if (!(error instanceof ContextInvalid || error instanceof ConfigInvalid)) throw error;
  // A configuration mistake, not a bug: the message names the key or the file and field;
  // a stack trace adds nothing.
  console.error(error.message);
  process.exit(1);
}
