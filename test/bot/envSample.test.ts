import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_KEYS, loadConfig } from '../../bot/config';
import { BOT_NODE_FLAGS } from '../../dev/botRuntime';

/** .env.sample documents every key the bot reads, and as it stands it is a working local configuration. */
const sample = readFileSync(join(__dirname, '..', '..', '.env.sample'), 'utf8');
const entries = sample.split('\n').filter((line) => /^[A-Za-z_]+=/.test(line)).map((line) => {
  const [key = '', ...rest] = line.split('=');
  return [key, rest.join('=')] as const;
});

test('every configuration key of bot/config.ts is in .env.sample, with a comment above it', () => {
  const lines = sample.split('\n');
  for (const key of CONFIG_KEYS) {
    const index = lines.findIndex((line) => line.startsWith(`${key}=`));
    expect({ key, documented: index >= 0 }).toEqual({ key, documented: true });
    const above = lines.slice(Math.max(0, index - 3), index);
    expect({ key, commented: above.some((line) => line.startsWith('#')) }).toEqual({ key, commented: true });
  }
});

test('the sample, copied to .env unchanged, is a valid local-mode configuration', () => {
  const config = loadConfig(Object.fromEntries(entries));
  expect(config.localMode).toBe(true);
  expect(config.sso.mode).toBe('local');
});

test('the sample holds no secret values', () => {
  for (const [key, value] of entries) {
    if (/PASSWORD|SECRET|CONNECTION_STRING/.test(key)) expect({ key, value }).toEqual({ key, value: '' });
  }
});

test('`npm run serve` (production) runs the bot with the same Node flags as npm start and the tests', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  for (const flag of BOT_NODE_FLAGS) expect(pkg.scripts.serve).toContain(flag);
  expect(pkg.scripts.serve).toContain('dist/bot/index.js');
});
