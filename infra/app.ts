import { buildApp } from './build-app.js';
import { ContextInvalid } from './context.js';

// The CDK app entry (`"app": "npx tsx infra/app.ts"` in cdk.json).
try {
  buildApp().app.synth();
} catch (error) {
  if (!(error instanceof ContextInvalid)) throw error;
  // A configuration mistake, not a bug: the message names the key; a stack trace adds nothing.
  console.error(error.message);
  process.exit(1);
}
