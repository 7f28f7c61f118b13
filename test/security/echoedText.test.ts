import fc from 'fast-check';
import { parseQuickCreate } from '../../bot/commands/quickCreate';
import { missingUsersText } from '../../bot/graph/directory';
import { cleanText, ECHO_MAX, plainText, quoted } from '../../bot/userText';
import { useLocalStack } from '../support/localStack';
import { SALES_TEAM, USERS, type Scope } from '../support/teamsClient';

/**
 * Issue 7, item 8: user text the bot echoes is clipped, shown as one inline code span (markdown and links inert)
 * and stripped of bidi controls, so a channel message cannot make the bot post a formatted link or a huge reply.
 */

const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const ATTACK = '**URGENT** [Sign in again](https://evil.example)';

/** The parts of a markdown text outside code spans (even pieces between backticks), and the spans (odd pieces). */
function splitCode(text: string): { outside: string[]; spans: string[] } {
  const pieces = text.split('`');
  return { outside: pieces.filter((_, i) => i % 2 === 0), spans: pieces.filter((_, i) => i % 2 === 1) };
}

/** A reply whose user text is all inside code spans: balanced backticks, no link or bold markup outside. */
function expectInert(text: string, echoed: string): void {
  expect(text.split('`').length % 2).toBe(1);
  const { outside, spans } = splitCode(text);
  for (const part of outside) {
    expect(part).not.toContain('](');
    expect(part).not.toContain('**');
  }
  expect(spans.filter((span) => span.includes(echoed))).toHaveLength(1);
}

describe('quoted(): one safe code span', () => {
  /** Any text, with markdown, backticks, controls and bidi characters much more often than chance. */
  const hostile = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.array(fc.constantFrom('`', '``', '**', '[', '](', 'https://x', '\n', '\r\n', '\u202E', '\u2066', '\u200F', '\u061C', '\u0000', '\u0085',
      '\u2028', '<b>', '\\', ' ', 'a', '😀', '\uD800', '\u00A0', '_'), { maxLength: 60 }).map((parts) => parts.join('')),
  );

  test('property: always exactly one code span, no backtick, line break, control or bidi character inside, length bounded', () => {
    fc.assert(fc.property(hostile, fc.integer({ min: 1, max: 300 }), (text, max) => {
      const out = quoted(text, max);
      expect(out.startsWith('`') && out.endsWith('`')).toBe(true);
      const inner = out.slice(1, -1);
      expect(inner).not.toContain('`');
      expect(inner).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
      expect(inner).not.toMatch(BIDI);
      expect(inner.length).toBeGreaterThan(0);
      expect([...inner].length).toBeLessThanOrEqual(max);
      expect(inner).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }), { numRuns: 1000 });
  });

  test('property: quoting an echo again is still one safe span (what was a span is now text inside it)', () => {
    fc.assert(fc.property(hostile, (text) => {
      const twice = quoted(quoted(text));
      expect(twice.split('`')).toHaveLength(3);
      expect([...twice].length).toBeLessThanOrEqual(ECHO_MAX + 2);
    }));
  });

  test('property: text that needs nothing is shown as typed', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9@.,'"*[\]()_<>é😀-]{1,10}$/u);
    fc.assert(fc.property(fc.array(word, { minLength: 1, maxLength: 5 }).map((words) => words.join(' ')), (text) => {
      expect(quoted(text)).toBe(`\`${text}\``);
    }));
  });

  test('examples: clipping with an ellipsis, whitespace collapsed, backticks replaced, bidi removed', () => {
    expect(quoted('x'.repeat(400_000))).toBe(`\`${'x'.repeat(ECHO_MAX - 1)}…\``);
    expect(quoted('  two\n\nlines\tand  spaces ')).toBe('`two lines and spaces`');
    expect(quoted('a`b``c')).toBe('`aˋbˋˋc`');
    expect(quoted('\u202Egnp.exe\u202C')).toBe('`gnp.exe`');
    expect(quoted('')).toBe('` `');
    expect(cleanText('😀'.repeat(10), 5)).toBe('😀😀😀😀…');
  });
});

describe('plainText(): the same reply where Teams shows text as typed (a card, the answer to a button)', () => {
  test('property: an echo becomes one "…" quote holding exactly the clean text, and no backtick is left', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 40 }).map((s) => s.replace(/[`*]/g, '')), (echoed, around) => {
      const plain = plainText(`${around} ${quoted(echoed)} **${around || 'x'}**`);
      expect(plain).not.toContain('`');
      expect(plain).toContain(`"${cleanText(echoed) || ' '}"`);
      expect(plain.endsWith(`${around || 'x'}`)).toBe(true);
    }));
  });

  test('examples', () => {
    expect(plainText('Type `reviews` to start again.')).toBe('Type "reviews" to start again.');
    expect(plainText('Results are applied (**apply**) by hand.')).toBe('Results are applied (apply) by hand.');
    expect(plainText(`Saved ${quoted('**Q4** review')}: **done**`)).toBe('Saved "**Q4** review": done');
  });
});

describe('every echo site renders through quoted()', () => {
  test('quick create: the word not understood', () => {
    const result = parseQuickCreate(`"Sales Team" ${ATTACK}`);
    expect(result.ok).toBe(false);
    if (!result.ok) expectInert(result.message, '**URGENT**');
    const long = parseQuickCreate(`"Sales Team" ${'z'.repeat(400_000)}`);
    expect(!long.ok && Buffer.byteLength(long.message) < 1024).toBe(true);
  });

  test('missing reviewer addresses', () => {
    const text = missingUsersText(['a`b@x.example', '**x**@evil.example', ...Array.from({ length: 13 }, (_, i) => `u${i}@${'y'.repeat(300)}.example`)]);
    expectInert(text, '**x**@evil.example');
    expect(text.length).toBeLessThan(600);
  });
});

describe('e2e: a channel message cannot make the bot post markup or a huge reply', () => {
  const stack = useLocalStack({ env: { SSO_MODE: 'local' } });
  const CHANNEL: Scope = { kind: 'channel', teamId: SALES_TEAM.id, channelId: SALES_TEAM.channels[0]?.id };

  /** The bot's text answer to an @mention in the channel. */
  const replyTo = async (text: string): Promise<string> => {
    expect((await stack.teams.message(USERS.adele, text, CHANNEL)).status).toBe(200);
    return stack.teams.textOf(await stack.teams.waitFor(() => stack.teams.sent.find((s) => stack.teams.textOf(s) !== ''), 10_000));
  };

  test('`reviews **URGENT** [Sign in again](…)`: the echo is one code span, no link or bold outside it', async () => {
    const reply = await replyTo(`reviews ${ATTACK}`);
    expect(reply).toContain("didn't understand");
    expectInert(reply, ATTACK);
  });

  test('an unknown command word with markup is echoed inert', async () => {
    const reply = await replyTo(ATTACK);
    expect(reply).toContain("didn't understand");
    expectInert(reply, '**URGENT**');
  });

  test('a 400 KB word gets a reply under 1 KB', async () => {
    for (const text of [`reviews ${'A'.repeat(400_000)}`, 'B'.repeat(400_000), `review "Sales Team" ${'C'.repeat(400_000)}`]) {
      stack.teams.clear();
      const reply = await replyTo(text);
      expect(Buffer.byteLength(JSON.stringify(stack.teams.sent.map((s) => s.activity)))).toBeLessThan(2048);
      expect(Buffer.byteLength(reply)).toBeLessThan(1024);
    }
  });

  test('bidi controls typed by the user are not in the reply', async () => {
    const reply = await replyTo('reviews \u202Eexe.\u2066pdf\u2069 \u200Fx\u061C');
    expect(reply).toContain("didn't understand");
    expect(reply).not.toMatch(BIDI);
    expect(JSON.stringify(stack.teams.sent.map((s) => s.activity))).not.toMatch(/\\u202[a-e]|\\u206[6-9]|\\u200[ef]|\\u061c|[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/i);
  });
});
