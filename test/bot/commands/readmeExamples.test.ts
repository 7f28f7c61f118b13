import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommand } from '../../../bot/commands/commandParser';
import { parseQuickCreate } from '../../../bot/commands/quickCreate';

/** Every quick-create example the README shows is understood as written. */
const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
const examples = [...readme.matchAll(/^review (?!<target>).+$/gm)].map((match) => match[0]);

test('the README shows quick-create examples', () => {
  expect(examples.length).toBeGreaterThanOrEqual(5);
});

test.each(examples)('%s', (example) => {
  const command = parseCommand(example);
  expect(command).toMatchObject({ kind: 'command', name: 'quickCreate' });
  const parsed = parseQuickCreate(command.kind === 'command' ? command.args : '');
  expect(parsed).toMatchObject({ ok: true });
});
