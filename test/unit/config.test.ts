import { describe, expect, it } from 'vitest';
import { ConfigInvalid, configWithOverrides, parseConfig } from '../../functions/core/config.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';

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
