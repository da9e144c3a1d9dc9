import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigInvalid, configWithOverrides } from '../../functions/core/config.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { readSettings } from '../../infra/context.js';

function rejection<E extends Error>(kind: new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (error) {
    if (error instanceof kind) return error;
    throw error;
  }
  throw new Error(`expected ${kind.name}`);
}

describe('forwarding quarantined mail', () => {
  it('is refused by the configuration schema, naming forward.quarantine', () => {
    const error = rejection(ConfigInvalid, () =>
      configWithOverrides({ forward: { quarantine: ['security@ssi.dk'] } }, DEFAULT_CONFIG, 'my.json'),
    );
    expect(error.issues).toEqual([
      expect.stringMatching(/^forward\.quarantine: quarantined mail .* never forwarded/),
    ]);
  });

  it('is refused beside other wrong values, each named', () => {
    const error = rejection(ConfigInvalid, () =>
      configWithOverrides(
        { reply: { hourlyCap: 0 }, forward: { quarantine: ['security@ssi.dk'] } },
        DEFAULT_CONFIG,
      ),
    );
    expect(error.issues.map((issue) => issue.slice(0, issue.indexOf(':')))).toEqual(
      expect.arrayContaining(['reply.hourlyCap', 'forward.quarantine']),
    );
  });

  it('fails cdk synth naming forward.quarantine in the configuration file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mail-triage-quarantine-')), 'triage.json');
    writeFileSync(
      path,
      JSON.stringify({ forward: { 'fraud-sms': ['security@ssi.dk'], quarantine: ['security@ssi.dk'] } }),
    );
    await expect(readSettings({ configFile: path })).rejects.toThrow(
      new RegExp(`^invalid configuration in ${path}: forward\\.quarantine: quarantined mail`),
    );
  });

  it('still lets every other topic be forwarded', () => {
    const config = configWithOverrides({ forward: { 'fraud-sms': ['security@ssi.dk'] } }, DEFAULT_CONFIG);
    expect(config.forward).toEqual({ 'fraud-sms': ['security@ssi.dk'] });
  });
});
