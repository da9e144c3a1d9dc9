import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readSettings } from './context.js';
import { MailTriageStack } from './stack.js';

export interface BuildOptions {
  /** Context for the app; the CLI passes cdk.json's and `-c` values through the environment instead. */
  context?: Record<string, unknown>;
  outdir?: string;
}

export interface BuiltApp {
  app: App;
  stack: MailTriageStack;
}

/**
 * The app with its one stack and the cdk-nag AWS Solutions checks plugged into CDK's
 * validation: any unacknowledged finding fails synthesis. Throws ContextInvalid naming
 * the key, or ConfigInvalid naming the configuration file and field, before any
 * construct (or bundling) when a setting is wrong.
 */
export async function buildApp(options: BuildOptions = {}): Promise<BuiltApp> {
  const app = new App({
    ...(options.context ? { context: options.context } : {}),
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const settings = await readSettings(app.node.getAllContext());
  const stack = new MailTriageStack(app, settings.stackName, {
    stackName: settings.stackName,
    description:
      "Mail triage for Statens Serum Institut's data-protection mailbox (SES inbound, S3, SQS, Lambda)",
    // An explicit region and no account lookups: `cdk synth` runs offline.
    env: { region: settings.region, ...(settings.account ? { account: settings.account } : {}) },
    settings,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
