import { describe, expect, it } from 'vitest';
import { ConfigInvalid, configWithOverrides, parseConfig } from '../../functions/core/config.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { longestRetentionDays, retentionDaysOf } from '../../functions/core/retention.js';
import { TOPICS } from '../../functions/core/types.js';

function errorOf(fn: () => unknown): ConfigInvalid {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigInvalid) return error;
    throw error;
  }
  throw new Error('expected ConfigInvalid');
}

describe('configuration', () => {
  it('accepts the default configuration as it is', () => {
    expect(parseConfig(DEFAULT_CONFIG)).toEqual(DEFAULT_CONFIG);
  });

  it('merges one section over the defaults and keeps its other settings', () => {
    const config = configWithOverrides({ reply: { hourlyCap: 50 } }, DEFAULT_CONFIG);
    expect(config.reply.hourlyCap).toBe(50);
    expect(config.reply.dedupWindowDays).toBe(7);
    expect(config.recipients).toEqual(['ssidatabeskyttelse@ssi.dk']);
  });

  it('names the field of a wrong value', () => {
    const error = errorOf(() =>
      configWithOverrides({ reply: { dedupWindowDays: 0 } }, DEFAULT_CONFIG, 'my.json'),
    );
    expect(error.message).toContain('my.json');
    expect(error.message).toContain('reply.dedupWindowDays');
  });

  it('names an unknown key instead of ignoring a typo', () => {
    const error = errorOf(() => configWithOverrides({ retentionDay: 30 }, DEFAULT_CONFIG));
    expect(error.message).toMatch(/retentionDay/);
  });

  it('rejects an invalid recipient address, a bad domain and an unknown time zone', () => {
    expect(
      errorOf(() => configWithOverrides({ recipients: ['not-an-address'] }, DEFAULT_CONFIG)).message,
    ).toContain('recipients[0]');
    expect(
      errorOf(() => configWithOverrides({ senders: { consumerDomains: ['gmail .com'] } }, DEFAULT_CONFIG))
        .message,
    ).toContain('senders.consumerDomains[0]');
    expect(
      errorOf(() => configWithOverrides({ calendar: { timeZone: 'Europe/Atlantis' } }, DEFAULT_CONFIG))
        .message,
    ).toContain('calendar.timeZone');
  });

  it('rejects a rule with an invalid regular expression or an unknown topic, naming it', () => {
    const bad = [{ id: 'broken', topic: 'general', when: { subject: ['(unclosed'] } }];
    expect(errorOf(() => configWithOverrides({ rules: bad }, DEFAULT_CONFIG)).message).toContain(
      'rules[0].when.subject[0]',
    );
    const unknownTopic = [{ id: 'x', topic: 'spam', when: {} }];
    expect(errorOf(() => configWithOverrides({ rules: unknownTopic }, DEFAULT_CONFIG)).message).toContain(
      'rules[0].topic',
    );
  });

  it('rejects duplicate rule ids and forward lists for unknown topics', () => {
    const rules = [
      { id: 'same', topic: 'general', when: {} },
      { id: 'same', topic: 'general', when: {} },
    ];
    expect(errorOf(() => configWithOverrides({ rules }, DEFAULT_CONFIG)).message).toContain('rules[1].id');
    expect(
      errorOf(() => configWithOverrides({ forward: { unknown: ['a@example.com'] } }, DEFAULT_CONFIG)).message,
    ).toContain('forward');
  });

  it('rejects something that is not an object', () => {
    expect(errorOf(() => configWithOverrides([], DEFAULT_CONFIG)).message).toContain(
      'expected a JSON object',
    );
  });
});

describe('retention', () => {
  it('keeps quarantine two weeks, data-subject requests 120 days and every other topic 90 by default', () => {
    const days = Object.fromEntries(
      TOPICS.map((topic) => [topic, retentionDaysOf(DEFAULT_CONFIG.retentionDays, topic)]),
    );
    expect(days).toEqual({
      'fraud-sms': 90,
      'data-subject-request': 120,
      'processing-notice': 90,
      partner: 90,
      general: 90,
      quarantine: 14,
    });
    expect(longestRetentionDays(DEFAULT_CONFIG.retentionDays)).toBe(120);
  });

  it('lays one topic over the defaults and keeps the others', () => {
    const { retentionDays } = configWithOverrides({ retentionDays: { 'fraud-sms': 30 } }, DEFAULT_CONFIG);
    expect(retentionDaysOf(retentionDays, 'fraud-sms')).toBe(30);
    expect(retentionDaysOf(retentionDays, 'quarantine')).toBe(14);
    expect(retentionDaysOf(retentionDays, 'general')).toBe(90);
  });

  it('keeps mail with no recorded topic as long as the longest-kept topic', () => {
    const { retentionDays } = configWithOverrides(
      { retentionDays: { default: 30, general: 200 } },
      DEFAULT_CONFIG,
    );
    expect(longestRetentionDays(retentionDays)).toBe(200);
  });

  it('refuses to keep a data-subject request shorter than its extended due date plus a margin', () => {
    const own = errorOf(() =>
      configWithOverrides({ retentionDays: { 'data-subject-request': 99 } }, DEFAULT_CONFIG, 'my.json'),
    );
    expect(own.message).toContain('my.json: retentionDays.data-subject-request: must be at least 100 days');
    expect(own.message).toContain('GDPR Art. 12(3)');
    expect(() =>
      configWithOverrides({ retentionDays: { 'data-subject-request': 100 } }, DEFAULT_CONFIG),
    ).not.toThrow();
    // With no setting of its own, the default is what a request's mail gets.
    const byDefault = errorOf(() => parseConfig({ ...DEFAULT_CONFIG, retentionDays: { default: 60 } }));
    expect(byDefault.issues).toEqual([
      expect.stringMatching(
        /^retentionDays\.data-subject-request: must be at least 100 days \(the default applies when unset\)/,
      ),
    ]);
  });

  it('refuses a retention shorter than a queue can hold the message that names the mail', () => {
    const error = errorOf(() => configWithOverrides({ retentionDays: { quarantine: 13 } }, DEFAULT_CONFIG));
    expect(error.issues).toEqual([
      expect.stringMatching(/^retentionDays\.quarantine: must be at least 14 days/),
    ]);
  });

  it('explains the per-topic shape when given one number, and names an unknown topic', () => {
    expect(errorOf(() => configWithOverrides({ retentionDays: 90 }, DEFAULT_CONFIG)).issues).toEqual([
      expect.stringMatching(/^retentionDays: expected days per topic and a default, e\.g\. \{"default": 90/),
    ]);
    expect(
      errorOf(() => configWithOverrides({ retentionDays: { spam: 30 } }, DEFAULT_CONFIG)).message,
    ).toMatch(/retentionDays: Unrecognized key: "spam"/);
  });
});
