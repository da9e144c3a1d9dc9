import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configWithOverrides } from '../../functions/core/config.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { ContextInvalid, readSettings } from '../../infra/context.js';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};
const settingsFrom = (context: Record<string, unknown>) => readSettings((key) => context[key]);
const failureOf = (context: Record<string, unknown>): ContextInvalid => {
  try {
    settingsFrom(context);
  } catch (error) {
    if (error instanceof ContextInvalid) return error;
    throw error;
  }
  throw new Error('expected the context to be rejected');
};

describe('deployment context', () => {
  it('reads the defaults in cdk.json as the default triage configuration', () => {
    const settings = settingsFrom(cdkJson.context);
    expect(settings).toMatchObject({
      stackName: 'MailTriage',
      region: 'eu-west-1',
      mailDomain: 'ssi.dk',
      activateRuleSet: false,
      maxQueueAgeMinutes: 60,
      sendConcurrency: 2,
      intakeConcurrency: 10,
    });
    expect(settings.alarmEmail).toBeUndefined();
    expect(settings.account).toBeUndefined();
    expect(settings.config).toEqual(DEFAULT_CONFIG);
  });

  it('uses the same defaults when cdk.json sets nothing', () => {
    const fromNothing = settingsFrom({});
    const fromCdkJson = settingsFrom(cdkJson.context);
    expect(fromNothing).toEqual(fromCdkJson);
  });

  it('passes the functions only overrides, which rebuild the validated configuration', () => {
    const settings = settingsFrom({
      recipients: ['dpo@ssi.dk'],
      owners: { 'fraud-sms': ['security@ssi.dk'] },
      retentionDays: { 'fraud-sms': 30 },
      triageOverrides: { reply: { hourlyCap: 50 } },
    });
    expect(configWithOverrides(settings.configOverrides, DEFAULT_CONFIG)).toEqual(settings.config);
    expect(settings.config.reply).toMatchObject({ hourlyCap: 50, from: 'ssidatabeskyttelse@ssi.dk' });
    expect(settings.config.forward).toEqual({ 'fraud-sms': ['security@ssi.dk'] });
    expect(settings.config.retentionDays).toEqual({ ...DEFAULT_CONFIG.retentionDays, 'fraud-sms': 30 });
  });

  it('counts every domain it sends or receives as among its own (no reply loops)', () => {
    const settings = settingsFrom({
      recipients: ['dpo@ssi.dk', 'privacy@serum.dk'],
      forwardFrom: 'triage@mail.ssi.dk',
    });
    expect(settings.config.ownDomains).toEqual(['ssi.dk', 'serum.dk', 'mail.ssi.dk']);
  });

  it('accepts `-c key=value` strings: lists, JSON maps, numbers and booleans', () => {
    const settings = settingsFrom({
      recipients: 'dpo@ssi.dk, privacy@ssi.dk',
      owners: '{"data-subject-request":["dpo-team@ssi.dk"]}',
      retentionDays: '{"default":60,"quarantine":21}',
      activateRuleSet: 'true',
      maxQueueAgeMinutes: '15',
      intakeConcurrency: '25',
    });
    expect(settings.config.recipients).toEqual(['dpo@ssi.dk', 'privacy@ssi.dk']);
    expect(settings.config.forward).toEqual({ 'data-subject-request': ['dpo-team@ssi.dk'] });
    expect(settings.config.retentionDays).toEqual({
      default: 60,
      quarantine: 21,
      'data-subject-request': 120,
    });
    expect(settings.activateRuleSet).toBe(true);
    expect(settings.maxQueueAgeMinutes).toBe(15);
    expect(settings.intakeConcurrency).toBe(25);
    expect(settingsFrom({ recipients: 'dpo@ssi.dk' }).config.recipients).toEqual(['dpo@ssi.dk']);
  });

  it('runs the digest at 07:30 on weekdays unless digestSchedule says otherwise, and names a bad one', () => {
    expect(settingsFrom({}).digestSchedule).toBe('cron(30 7 ? * MON-FRI *)');
    // Commas in a cron field stay one expression, not a list.
    expect(settingsFrom({ digestSchedule: 'cron(0 8 ? * MON,WED,FRI *)' }).digestSchedule).toBe(
      'cron(0 8 ? * MON,WED,FRI *)',
    );
    expect(failureOf({ digestSchedule: 'rate(1 day)' }).message).toMatch(
      /digestSchedule: expected an EventBridge Scheduler cron expression/,
    );
  });

  it('sets the digest window and how long closed cases are kept with triageOverrides.cases', () => {
    const { config } = settingsFrom({ triageOverrides: { cases: { dueSoonWorkingDays: 3 } } });
    expect(config.cases).toEqual({ dueSoonWorkingDays: 3, keepClosedDays: 1095 });
    expect(failureOf({ triageOverrides: { cases: { dueSoonWorkingDays: 0 } } }).message).toMatch(
      /triageOverrides\.cases\.dueSoonWorkingDays/,
    );
  });

  it('names the key of a bad recipient address', () => {
    expect(failureOf({ recipients: ['not-an-address'] }).message).toMatch(/recipients\[0\]: Invalid email/);
  });

  it('names every bad key at once, in the names of cdk.json', () => {
    const { issues } = failureOf({
      replyFrom: 'nobody',
      owners: { 'fraud-sms': ['x'], 'no-such-topic': ['dpo@ssi.dk'] },
      mailDomain: 'not a domain',
      region: 'mars',
      alarmEmail: 'alarms',
      activateRuleSet: 'maybe',
      retentionDays: { quarantine: 0 },
      sendConcurrency: 1,
      intakeConcurrency: 1,
      triageOverrides: { reply: { hourlyCap: 0 } },
    });
    const keys = issues.map((issue) => issue.slice(0, issue.indexOf(':')));
    expect(keys).toEqual(
      expect.arrayContaining([
        'replyFrom',
        'owners.fraud-sms[0]',
        'owners',
        'mailDomain',
        'region',
        'alarmEmail',
        'activateRuleSet',
        'retentionDays.quarantine',
        'sendConcurrency',
        'intakeConcurrency',
        'triageOverrides.reply.hourlyCap',
      ]),
    );
  });

  it('refuses a data-subject-request retention shorter than the extended deadline, naming the key', () => {
    expect(failureOf({ retentionDays: { 'data-subject-request': 90 } }).issues).toEqual([
      expect.stringMatching(/^retentionDays\.data-subject-request: must be at least 100 days/),
    ]);
  });

  it('explains that retention is per topic when given one number, as cdk.json once had it', () => {
    expect(failureOf({ retentionDays: '90' }).issues).toEqual([
      expect.stringMatching(/^retentionDays: expected days per topic and a default/),
    ]);
  });

  it('refuses a triage override that has a context key of its own', () => {
    expect(failureOf({ triageOverrides: { recipients: ['a@ssi.dk'] } }).message).toMatch(
      /triageOverrides\.recipients: set it with the context key recipients/,
    );
    expect(failureOf({ triageOverrides: { reply: { from: 'a@ssi.dk' } } }).message).toMatch(/replyFrom/);
    expect(failureOf({ triageOverrides: { retentionDays: { default: 30 } } }).message).toMatch(
      /triageOverrides\.retentionDays: set it with the context key retentionDays/,
    );
  });

  it('keeps the functions configuration within the Lambda environment limit', () => {
    const companyDomains = Array.from({ length: 200 }, (_, i) => `company-${i}.dk`);
    expect(failureOf({ triageOverrides: { senders: { companyDomains } } }).message).toMatch(
      /triageOverrides: the functions' configuration would be \d+ bytes/,
    );
  });
});
