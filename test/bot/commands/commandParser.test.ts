import fc from 'fast-check';
import { normalise, parseCommand, type ParseResult } from '../../../bot/commands/commandParser';
import { COMMANDS, commandNamed } from '../../../bot/commands';

/** Text → command (product spec, "Commands"): case-insensitive, longest phrase first, mentions stripped. */

/** Every phrase of the product spec and the command it starts. */
const SPEC_PHRASES: [string, string][] = [
  ['help', 'help'], ['?', 'help'], ['create review', 'createReview'], ['new review', 'createReview'],
  ['review', 'quickCreate'], ['reviews', 'reviews'], ['list reviews', 'reviews'], ['show', 'show'],
  ['decisions', 'decisions'], ['stop', 'stop'], ['remind', 'remind'], ['apply', 'apply'], ['reset', 'reset'],
  ['delete', 'delete'], ['export', 'export'], ['edit', 'edit'], ['summary', 'summary'], ['subscribe', 'subscribe'],
  ['unsubscribe', 'unsubscribe'], ['subscriptions', 'subscriptions'], ['sign out', 'signOut'],
  ['signout', 'signOut'], ['log out', 'signOut'], ['logout', 'signOut'],
  // Issue 13: `my reviews` ("what do I need to review"), and `decide <review>`, the decision card its buttons open.
  ['my reviews', 'myReviews'], ['what do i need to review', 'myReviews'], ['what do i need to review?', 'myReviews'], ['decide', 'decide'],
];
const ALL_PHRASES = COMMANDS.flatMap((command) => command.phrases);
const command = (name: string, args = ''): ParseResult => ({ kind: 'command', name, args });
const unknown = (word: string, suggestion?: string): ParseResult => ({ kind: 'unknown', word, suggestion });

test('the catalogue has exactly the phrases of the spec', () => {
  expect([...ALL_PHRASES].sort()).toEqual(SPEC_PHRASES.map(([phrase]) => phrase).sort());
});

describe.each(SPEC_PHRASES)('"%s" → %s', (phrase, name) => {
  const upper = phrase.toUpperCase();
  const spaced = phrase.replace(/ /g, '   ');
  test.each<[string, string]>([
    [phrase, ''],
    [upper, ''],
    [`  ${spaced}  `, ''],
    [`${spaced}\tSales  Team `, 'Sales Team'],
    [`${upper} "Sales Team" Guests`, '"Sales Team" Guests'],
    [`<at>Access Reviews</at> ${phrase} active`, 'active'],
    [`${phrase} active <at>Access Reviews</at>`, 'active'],
    [`<AT>Access Reviews</AT>&nbsp;${phrase}&nbsp;x`, 'x'],
    [`<at>Access Reviews</at>\u00a0${phrase}\n`, ''],
  ])('%j', (text, args) => {
    expect(parseCommand(text)).toEqual(command(name, args));
  });
});

test.each<[string, ParseResult]>([
  ['reviews', command('reviews')],
  ['Reviews Active', command('reviews', 'Active')],
  ['<at>Access Reviews</at> reviews active', command('reviews', 'active')],
  ['review "Sales Team" guests', command('quickCreate', '"Sales Team" guests')],
  ['review "Sales Team" guests quarterly by owners for 14 days auto-apply if no response recommend',
    command('quickCreate', '"Sales Team" guests quarterly by owners for 14 days auto-apply if no response recommend')],
  ['REVIEW this team guests monthly', command('quickCreate', 'this team guests monthly')],
  ['review all groups guests quarterly by managers', command('quickCreate', 'all groups guests quarterly by managers')],
  ['create review', command('createReview')],
  ['new   Review', command('createReview')],
  ['list reviews completed', command('reviews', 'completed')],
  ['decisions "Sales Team" pending', command('decisions', '"Sales Team" pending')],
  ['export Q1, "Sales Team"', command('export', 'Q1, "Sales Team"')],
  ['subscribe all weekly at 09:00', command('subscribe', 'all weekly at 09:00')],
  ['Sign Out', command('signOut')],
])('%j', (text, expected) => {
  expect(parseCommand(text)).toEqual(expected);
});

describe('unknown input', () => {
  test.each<[string, ParseResult]>([
    ['create', unknown('create', 'create review')],
    ['create a review', unknown('create', 'create review')],
    ['new', unknown('new', 'new review')],
    ['reviewsactive', unknown('reviewsactive')],
    ['revews', unknown('revews', 'reviews')],
    ['Revews active', unknown('Revews', 'reviews')],
    ['subscribtions', unknown('subscribtions', 'subscriptions')],
    ['hlep', unknown('hlep', 'help')],
    ['sing out', unknown('sing', 'sign out')],
    ['reveiw "Sales Team" guests', unknown('reveiw', 'review')],
    ['qwertyuiop', unknown('qwertyuiop')],
    ['xyzzy plugh', unknown('xyzzy')],
    ['<at>Access Reviews</at> zzzzzzzz', unknown('zzzzzzzz')],
  ])('%j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  test.each(['', '   ', '\n\t ', '&nbsp;', '<at>Access Reviews</at>', '<at>Access Reviews</at>&nbsp; \u00a0'])('%j is empty', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'empty' });
  });
});

describe('properties', () => {
  const anyText = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
  );
  const phrase = fc.constantFrom(...ALL_PHRASES);
  /** A command phrase in mixed case, maybe after a mention, then something random. */
  const commandLike = fc.tuple(fc.boolean(), fc.mixedCase(phrase), fc.constantFrom('', ' ', '  ', '&nbsp;', '\t'), anyText)
    .map(([mention, words, gap, rest]) => `${mention ? '<at>Access Reviews</at> ' : ''}${words}${gap}${rest}`);
  const text = fc.oneof(anyText, commandLike);
  const runs = { numRuns: 10_000 };

  /** The checks every result must pass, whatever the input. */
  function checkResult(input: string): void {
    const clean = normalise(input);
    const result = parseCommand(input);
    expect(['command', 'empty', 'unknown']).toContain(result.kind);
    expect(result.kind === 'empty').toBe(clean === '');
    if (result.kind === 'unknown') {
      expect(result.word).not.toBe('');
      expect(result.word).not.toMatch(/\s/);
      expect(clean === result.word || clean.startsWith(`${result.word} `)).toBe(true);
      if (result.suggestion !== undefined) expect(ALL_PHRASES).toContain(result.suggestion);
    }
    if (result.kind === 'command') {
      expect(clean.endsWith(result.args)).toBe(true);
      expect(result.args).toBe(result.args.trim());
      const prefix = clean.slice(0, clean.length - result.args.length).trim().toLowerCase();
      expect(commandNamed(result.name).phrases).toContain(prefix);
      // Longest phrase wins: no longer phrase also starts the input.
      const lower = clean.toLowerCase();
      const longer = ALL_PHRASES.filter((p) => p.length > prefix.length && (lower === p || lower.startsWith(`${p} `)));
      expect(longer).toEqual([]);
    }
  }

  test('never throws; always one of the three kinds with consistent fields', () => {
    fc.assert(fc.property(text, (input) => { checkResult(input); }), runs);
  });

  test('a phrase followed by a separator is that phrase\'s command, with the rest as args', () => {
    const separated = fc.tuple(fc.constantFrom(...SPEC_PHRASES), fc.constantFrom(' ', '\t', '&nbsp;', '\n'), anyText);
    fc.assert(fc.property(separated, ([[words, name], gap, rest]) => {
      expect(parseCommand(`${words.toUpperCase()}${gap}${rest}`)).toEqual(command(name, normalise(rest)));
    }), runs);
  });

  test('a leading mention changes nothing', () => {
    const mentionName = fc.string({ maxLength: 20 }).filter((name) => !name.includes('<'));
    fc.assert(fc.property(mentionName, text, (name, input) => {
      expect(parseCommand(`<at>${name}</at> ${input}`)).toEqual(parseCommand(input));
    }), runs);
  });
});

describe('a sentence that is no command but names one (issue 10, item 14)', () => {
  test.each([
    ['please make me a review of finance every two weeks', 'quickCreate'],
    ['can you show me the reviews?', 'show'],
    ['I would like to create a review', 'createReview'],
  ])('%s → names %s', (text, name) => {
    expect(parseCommand(text)).toMatchObject({ kind: 'unknown', suggestion: undefined, mentioned: name });
  });

  test('a typo of the first word is suggested first, and nothing is "mentioned" then', () => {
    expect(parseCommand('reveiws of finance')).toEqual({ kind: 'unknown', word: 'reveiws', suggestion: 'reviews' });
  });

  test('property: whatever the sentence, a mentioned command is one of the catalogue', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('please', 'me', 'the', 'reviews', 'review,', 'help!', 'xyz', 'delete', '42'), { maxLength: 8 }), (words) => {
      const parsed = parseCommand(['hey', ...words].join(' '));
      if (parsed.kind !== 'unknown' || parsed.mentioned === undefined) return;
      expect(COMMANDS.map((command) => command.name)).toContain(parsed.mentioned);
    }));
  });
});
