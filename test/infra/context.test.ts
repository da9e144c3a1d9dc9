import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../functions/cli/config-file.js';
import { ConfigInvalid, configWithOverrides } from '../../functions/core/config.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { ContextInvalid, DEFAULT_CONFIG_FILE, readContext, readSettings } from '../../infra/context.js';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};
const dir = mkdtempSync(join(tmpdir(), 'mail-triage-context-'));
let files = 0;
/** A configuration file as an operator would write it; its path for `-c configFile=`. */
function configFile(overrides: unknown): string {
  const path = join(dir, `triage-${++files}.json`);
  writeFileSync(path, JSON.stringify(overrides, null, 2));
  return path;
}
async function rejection<E extends Error>(kind: new (...args: never[]) => E, run: () => unknown): Promise<E> {
  try {
    await run();
  } catch (error) {
    if (error instanceof kind) return error;
    throw error;
  }
  throw new Error(`expected ${kind.name}`);
}
const contextFailure = (context: Record<string, unknown>) =>
  rejection(ContextInvalid, () => readContext(context));

describe('deployment settings', () => {
  it('read the configuration file cdk.json names exactly as the CLI reads it with --config', async () => {
    const settings = await readSettings(cdkJson.context);
    expect(settings).toMatchObject({
      configFile: DEFAULT_CONFIG_FILE,
      stackName: 'MailTriage',
      region: 'eu-west-1',
      activateRuleSet: false,
      maxQueueAgeMinutes: 60,
      sendConcurrency: 2,
      intakeConcurrency: 10,
    });
    expect(settings.alarmEmail).toBeUndefined();
    expect(settings.account).toBeUndefined();
    expect(settings.config).toEqual(await loadConfigFile(DEFAULT_CONFIG_FILE));
    // The committed file spells out SSI's deployment, which is also the default.
    expect(settings.config).toEqual(DEFAULT_CONFIG);
  });

  it('use the same defaults when cdk.json sets nothing', async () => {
    expect(await readSettings({})).toEqual(await readSettings(cdkJson.context));
  });

  it('pass the functions the file’s overrides, which rebuild the configuration the CLI sees', async () => {
    const path = configFile({
      recipients: ['dpo@ssi.dk'],
      forward: { 'fraud-sms': ['security@ssi.dk'] },
      retentionDays: { 'fraud-sms': 30 },
      reply: { hourlyCap: 50 },
    });
    const settings = await readSettings({ configFile: path });
    expect(settings.config).toEqual(await loadConfigFile(path));
    expect(configWithOverrides(settings.configOverrides, DEFAULT_CONFIG)).toEqual(settings.config);
    expect(settings.config.reply).toMatchObject({ hourlyCap: 50, from: 'ssidatabeskyttelse@ssi.dk' });
    expect(settings.config.forward).toEqual({ 'fraud-sms': ['security@ssi.dk'] });
    expect(settings.config.retentionDays).toEqual({ ...DEFAULT_CONFIG.retentionDays, 'fraud-sms': 30 });
  });

  it('fail on a wrong value in the configuration file, naming the file and every field', async () => {
    const path = configFile({
      recipients: ['not-an-address'],
      forward: { quarantine: ['security@ssi.dk'] },
      retentionDays: { 'data-subject-request': 90 },
    });
    const error = await rejection(ConfigInvalid, () => readSettings({ configFile: path }));
    expect(error.message).toContain(`invalid configuration in ${path}: `);
    expect(error.issues.map((issue) => issue.slice(0, issue.indexOf(':')))).toEqual(
      expect.arrayContaining(['recipients[0]', 'forward.quarantine', 'retentionDays.data-subject-request']),
    );
  });

  it('fail when the configuration file is missing, naming it', async () => {
    const error = await rejection(ConfigInvalid, () => readSettings({ configFile: join(dir, 'none.json') }));
    expect(error.message).toBe(
      `invalid configuration in ${join(dir, 'none.json')}: cannot read file (ENOENT)`,
    );
  });

  it('keep TRIAGE_CONFIG within the Lambda environment limit, naming the file', async () => {
    const companyDomains = Array.from({ length: 200 }, (_, i) => `company-${i}.dk`);
    const path = configFile({ senders: { companyDomains } });
    const error = await rejection(ConfigInvalid, () => readSettings({ configFile: path }));
    expect(error.message).toMatch(
      new RegExp(
        `^invalid configuration in ${path}: the functions receive the file as TRIAGE_CONFIG, \\d+ bytes`,
      ),
    );
  });
});

describe('deployment context', () => {
  it('refuses the triage keys it once had, saying which field of the configuration file takes the value', async () => {
    const { issues } = await contextFailure({
      owners: '{"fraud-sms":["security@ssi.dk"]}',
      recipients: 'dpo@ssi.dk',
      mailDomain: 'ssi.dk',
      replyFrom: 'dpo@ssi.dk',
      forwardFrom: 'triage@ssi.dk',
      retentionDays: { default: 60 },
      triageOverrides: {},
    });
    const advice = (key: string, field: string) =>
      `${key}: a triage setting, not a context key: set ${field} in the configuration file ${DEFAULT_CONFIG_FILE} (context key configFile), which the CLI and npm start read with --config`;
    expect(issues).toEqual([
      advice('owners', 'forward'),
      advice('recipients', 'recipients'),
      advice('mailDomain', 'ownDomains'),
      advice('replyFrom', 'reply.from'),
      advice('forwardFrom', 'forwardFrom'),
      advice('retentionDays', 'retentionDays'),
      advice('triageOverrides', 'its fields, at the top level,'),
    ]);
  });

  it('points a configuration field given as context at the file the context names', async () => {
    const { issues } = await contextFailure({ configFile: 'prod/triage.json', forward: {}, reply: {} });
    expect(issues).toEqual([
      expect.stringMatching(
        /^forward: a triage setting, .*set forward in the configuration file prod\/triage\.json/,
      ),
      expect.stringMatching(
        /^reply: a triage setting, .*set reply in the configuration file prod\/triage\.json/,
      ),
    ]);
  });

  it('names a key it does not know instead of ignoring a typo, and leaves CDK’s own keys alone', async () => {
    const { issues } = await contextFailure({
      ...cdkJson.context,
      'aws:cdk:enable-asset-metadata': true,
      alarmEmial: 'dpo-alarms@ssi.dk',
      toString: 'x',
    });
    expect(issues).toEqual([
      expect.stringMatching(
        /^alarmEmial: not a context key of this app \(configFile, stackName, region, account, alarmEmail, .*\); triage settings belong in the configuration file config\/triage\.json$/,
      ),
      expect.stringMatching(/^toString: not a context key of this app/),
    ]);
  });

  it('accepts `-c key=value` strings: numbers and booleans parsed, an account id kept as text', () => {
    const context = readContext({
      activateRuleSet: 'true',
      maxQueueAgeMinutes: '15',
      intakeConcurrency: '25',
      account: '123456789012',
      configFile: 'prod/triage.json',
    });
    expect(context).toMatchObject({
      activateRuleSet: true,
      maxQueueAgeMinutes: 15,
      intakeConcurrency: 25,
      account: '123456789012',
      configFile: 'prod/triage.json',
    });
  });

  it('runs the digest at 07:30 on weekdays unless digestSchedule says otherwise, and names a bad one', async () => {
    expect(readContext({}).digestSchedule).toBe('cron(30 7 ? * MON-FRI *)');
    expect(readContext({ digestSchedule: 'cron(0 8 ? * MON,WED,FRI *)' }).digestSchedule).toBe(
      'cron(0 8 ? * MON,WED,FRI *)',
    );
    expect((await contextFailure({ digestSchedule: 'rate(1 day)' })).message).toMatch(
      /digestSchedule: expected an EventBridge Scheduler cron expression/,
    );
  });

  it('names every bad key at once, before reading the configuration file', async () => {
    const { issues } = await contextFailure({
      configFile: join(dir, 'never-read.json'),
      region: 'mars',
      alarmEmail: 'alarms',
      activateRuleSet: 'maybe',
      sendConcurrency: 1,
      intakeConcurrency: '1',
      owners: {},
    });
    const keys = issues.map((issue) => issue.slice(0, issue.indexOf(':')));
    expect(keys.sort()).toEqual(
      ['owners', 'region', 'alarmEmail', 'activateRuleSet', 'sendConcurrency', 'intakeConcurrency'].sort(),
    );
    await expect(readSettings({ configFile: join(dir, 'never-read.json'), region: 'mars' })).rejects.toThrow(
      ContextInvalid,
    );
  });
});
