import fc from 'fast-check';
import type { AccessReviewScheduleDefinition } from '@microsoft/microsoft-graph-types';
import {
  candidateQuery, parseReviewArgument, parseReviewList, resolveReview, reviewNameKey,
  type ReviewArgument, type ReviewCandidate, type ReviewReference,
} from '../../reviews/resolveReview';

/** `<review>` → one review, a choice, or the closest names (product spec, Commands). */

interface Candidate { id: string; displayName: string; status?: string }

const id = (n: number): string => `${String(n).padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const review = (n: number, displayName: string, status?: string): Candidate => ({ id: id(n), displayName, ...(status ? { status } : {}) });

const salesGuests = review(1, 'Sales Team guests', 'InProgress');
const salesGuestsQ1 = review(2, 'Sales Team guests Q1', 'Completed');
const sales = review(3, 'Sales', 'NotStarted');
const finance = review(4, 'Finance Apps members', 'InProgress');
const quarterlyDone = review(5, 'Quarterly review', 'Completed');
const quarterlyActive = review(6, 'quarterly  Review', 'InProgress');
const bobs = review(7, 'Bob’s review', 'InProgress');
const allGroups = review(8, 'Guests in all Microsoft 365 groups', 'InProgress');
const CANDIDATES: readonly Candidate[] = [salesGuestsQ1, sales, finance, quarterlyDone, bobs, allGroups, quarterlyActive, salesGuests];

const DECISIONS = { trailingKeywords: ['pending', 'approved', 'denied', 'dontknow'] };
const SUBSCRIBE = { trailingKeywords: ['daily', 'weekly'], acceptAll: true };
const GUID = '0F4C6B1E-8D2A-4E3B-9C5D-7A1B2C3D4E5F';

const name = (text: string, quoted = false): ReviewArgument => ({ kind: 'name', name: text, quoted });
const resolveText = (text: string, candidates: readonly Candidate[] = CANDIDATES) => {
  const { argument } = parseReviewArgument(text, DECISIONS);
  if (argument.kind !== 'id' && argument.kind !== 'name') throw new Error(`not a reference: ${text}`);
  return resolveReview(argument, candidates);
};
const ids = (result: ReturnType<typeof resolveText>): string[] =>
  result.kind === 'one' ? [result.review.id] : result.kind === 'several' ? result.matches.map((match) => match.id) : [];

describe('parseReviewArgument', () => {
  test.each<[string, object, ReviewArgument, string]>([
    ['Sales', {}, name('Sales'), ''],
    ['  Sales    Team  ', {}, name('Sales Team'), ''],
    ['Sales\u200B Team', {}, name('Sales Team'), ''],
    ['"Sales Team"', {}, name('Sales Team', true), ''],
    ['“Sales Team”', {}, name('Sales Team', true), ''],
    ['„Sales Team“', {}, name('Sales Team', true), ''],
    ['‘Sales Team’', {}, name('Sales Team', true), ''],
    ["'Bob's review'", {}, name("Bob's review", true), ''],
    ['‘Bob’s review’', {}, name('Bob’s review', true), ''],
    ['"The "A" team"', {}, name('The "A" team', true), ''],
    ['"Sales Team', {}, name('Sales Team', true), ''],
    ['"Sales"pending', {}, name('Sales', true), 'pending'],
    ['"Sales Team" pending', DECISIONS, name('Sales Team', true), 'pending'],
    ['"Sales Team" pending', {}, name('Sales Team', true), 'pending'],
    ['"The "A" team" approved', DECISIONS, name('The "A" team', true), 'approved'],
    ['"Sales pending" denied', DECISIONS, name('Sales pending', true), 'denied'],
    ['Sales Team guests pending', DECISIONS, name('Sales Team guests'), 'pending'],
    ['Sales Team guests PENDING', DECISIONS, name('Sales Team guests'), 'PENDING'],
    ['Sales Team guests pending', {}, name('Sales Team guests pending'), ''],
    ['Pending approvals', DECISIONS, name('Pending approvals'), ''],
    ['Approved guests denied', DECISIONS, name('Approved guests'), 'denied'],
    ['Sales weekly review weekly on monday at 09:00', SUBSCRIBE, name('Sales weekly review'), 'weekly on monday at 09:00'],
    ['Sales dont know', { trailingKeywords: ['dont know'] }, name('Sales'), 'dont know'],
    [GUID, {}, { kind: 'id', id: GUID.toLowerCase() }, ''],
    [`${GUID} pending`, DECISIONS, { kind: 'id', id: GUID.toLowerCase() }, 'pending'],
    [`"${GUID}"`, {}, name(GUID, true), ''],
    ['all', SUBSCRIBE, { kind: 'all' }, ''],
    ['ALL weekly on friday', SUBSCRIBE, { kind: 'all' }, 'weekly on friday'],
    ['all', {}, name('all'), ''],
    ['"all"', SUBSCRIBE, name('all', true), ''],
    ['', {}, { kind: 'empty' }, ''],
    ['   ', DECISIONS, { kind: 'empty' }, ''],
    ['""', {}, { kind: 'empty' }, ''],
    ['pending', DECISIONS, name('pending'), ''],
  ])('%j %j', (text, options, argument, rest) => {
    expect(parseReviewArgument(text, options)).toEqual({ argument, rest });
  });
});

describe('parseReviewList', () => {
  test.each<[string, ReturnType<typeof parseReviewList>]>([
    ['Sales, Finance', { kind: 'list', references: [name('Sales') as ReviewReference, name('Finance') as ReviewReference] }],
    ['"Sales, EU", Finance', { kind: 'list', references: [name('Sales, EU', true) as ReviewReference, name('Finance') as ReviewReference] }],
    [`${GUID} , “Bob’s, review”`, { kind: 'list', references: [{ kind: 'id', id: GUID.toLowerCase() }, name('Bob’s, review', true) as ReviewReference] }],
    ['Sales,,Finance,', { kind: 'list', references: [name('Sales') as ReviewReference, name('Finance') as ReviewReference] }],
    ['"Sales, EU', { kind: 'list', references: [name('Sales') as ReviewReference, name('EU') as ReviewReference] }],
    ['all', { kind: 'all' }],
    ['Sales, all', { kind: 'list', references: [name('Sales') as ReviewReference, name('all') as ReviewReference] }],
    ['', { kind: 'empty' }],
    [' , ,', { kind: 'empty' }],
  ])('%j', (text, expected) => {
    expect(parseReviewList(text, { acceptAll: true })).toEqual(expected);
  });
});

describe('candidateQuery', () => {
  test.each<[ReviewArgument, ReturnType<typeof candidateQuery>]>([
    [{ kind: 'id', id: GUID.toLowerCase() }, { kind: 'id', id: GUID.toLowerCase() }],
    [name('Sales Team', true), { kind: 'startsWith', text: 'Sales Team' }],
    [{ kind: 'all' }, { kind: 'all' }],
    [{ kind: 'empty' }, { kind: 'all' }],
  ])('%j', (argument, query) => {
    expect(candidateQuery(argument)).toEqual(query);
  });
});

describe('resolveReview rules', () => {
  test.each<[string, string, 'one' | 'several' | 'none', string, Candidate[]]>([
    ['id, lower case', id(4), 'one', 'id', [finance]],
    ['id, upper case, with a filter after it', `${id(4).toUpperCase()} pending`, 'one', 'id', [finance]],
    ['exact name wins over prefixes', 'sales', 'one', 'exact', [sales]],
    ['exact name, case and spacing ignored', 'SALES   team Guests', 'one', 'exact', [salesGuests]],
    ['exact name, quoted, with a filter', '“sales team guests” approved', 'one', 'exact', [salesGuests]],
    ['exact name, straight apostrophe for a smart one', "Bob's review", 'one', 'exact', [bobs]],
    ['same name twice → several, active first', 'Quarterly review', 'several', 'exact', [quarterlyActive, quarterlyDone]],
    ['prefix, several, active first', 'Sales Team', 'several', 'prefix', [salesGuests, salesGuestsQ1]],
    ['prefix, one', 'fin', 'one', 'prefix', [finance]],
    ['prefix, unquoted name before a filter', 'Sales Team guests q pending', 'one', 'prefix', [salesGuestsQ1]],
    ['all words contained, any order', 'guests microsoft', 'one', 'words', [allGroups]],
    ['all words contained, several', 'team guests sales', 'several', 'words', [salesGuests, salesGuestsQ1]],
    ['nothing close', 'zzzz', 'none', '', []],
  ])('%s: %j', (_title, text, kind, rule, expected) => {
    const result = resolveText(text);
    expect(result.kind).toBe(kind);
    if (result.kind !== 'none') expect(result.rule).toBe(rule);
    expect(ids(result)).toEqual(expected.map((candidate) => candidate.id));
  });

  test('an unknown id is not found, with no suggestions', () => {
    expect(resolveText(GUID)).toEqual({ kind: 'none', closest: [] });
  });

  test('a quoted GUID is first a name, then an id', () => {
    const named = review(9, GUID.toLowerCase());
    const target = { ...review(10, 'Target'), id: GUID };
    expect(resolveText(`"${GUID}"`, [named, target])).toMatchObject({ kind: 'one', review: named, rule: 'exact' });
    expect(resolveText(`"${GUID}"`, [target])).toMatchObject({ kind: 'one', review: target, rule: 'id' });
  });

  test('an id no review has may still be a review name', () => {
    const named = review(9, GUID);
    expect(resolveText(GUID, [named])).toMatchObject({ kind: 'one', review: named, rule: 'exact' });
  });

  test.each<[string, string[]]>([
    ['Slaes Team', ['Sales Team guests', 'Sales Team guests Q1']],
    ['Finanse', ['Finance Apps members']],
    ['quartrly reveiw', ['quarterly  Review']],
    ['Sales Taem guests', ['Sales Team guests', 'Sales Team guests Q1']],
  ])('not found → closest names: %j', (text, closest) => {
    expect(resolveText(text)).toEqual({ kind: 'none', closest });
  });

  test('closest names are at most three (or maxClosest), one per name', () => {
    const many = [1, 2, 3, 4, 5].map((n) => review(n, `Team ${n}`));
    const result = resolveReview({ kind: 'name', name: 'Taem', quoted: false }, [...many, review(6, 'team 1')]);
    expect(result).toEqual({ kind: 'none', closest: ['Team 1', 'Team 2', 'Team 3'] });
    expect(resolveReview({ kind: 'name', name: 'Taem', quoted: false }, many, { maxClosest: 1 })).toEqual({ kind: 'none', closest: ['Team 1'] });
  });

  test('several are capped (10 by default) with the total', () => {
    const many = Array.from({ length: 15 }, (_, n) => review(n + 1, `Team ${String(n + 1).padStart(2, '0')}`, n === 14 ? 'InProgress' : 'Completed'));
    const result = resolveReview({ kind: 'name', name: 'team', quoted: false }, many);
    expect(result).toMatchObject({ kind: 'several', total: 15, rule: 'prefix' });
    expect(ids(result)).toEqual([many[14], ...many.slice(0, 9)].map((candidate) => candidate?.id));
    expect(resolveReview({ kind: 'name', name: 'team', quoted: false }, many, { maxMatches: 3 })).toMatchObject({ total: 15, matches: { length: 3 } });
  });

  test('candidates without an id are ignored; a repeated id counts once', () => {
    const noId: ReviewCandidate = { displayName: 'Sales', status: 'InProgress' };
    const twice = [sales, { ...sales }];
    expect(resolveReview({ kind: 'name', name: 'Sales', quoted: false }, [noId, ...twice])).toMatchObject({ kind: 'one', review: { id: sales.id } });
  });

  test('Graph definitions are candidates as they are', () => {
    const definition: AccessReviewScheduleDefinition = { id: id(1), displayName: null, status: 'InProgress' };
    const result = resolveReview({ kind: 'id', id: id(1) }, [definition]);
    expect(result).toEqual({ kind: 'one', review: definition, rule: 'id' });
  });

  test('a very long name answers quickly, with no suggestions', () => {
    const started = process.hrtime.bigint();
    const words = Array.from({ length: 3000 }, (_, n) => `sales${n}`).join(' ');
    const result = resolveReview({ kind: 'name', name: words, quoted: false }, CANDIDATES);
    expect(result).toEqual({ kind: 'none', closest: [] });
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
  });

  test('reviewNameKey: compatibility forms, quotes, invisible characters, case, spacing', () => {
    expect(reviewNameKey('  Ｓales\u200B  “Team”  Bob’s ')).toBe('sales "team" bob\'s');
  });
});

describe('resolveReview properties', () => {
  const word = fc.constantFrom('Sales', 'sales', 'Team', 'guests', 'Q1', 'pending', 'a', 'ab', 'Bob’s', "Bob's", '"', '“', '”', "'", '’', ',', 'Ä', 'A\u0308', '\u200B', '-');
  const displayName = fc.array(fc.oneof(word, fc.constantFrom(' ', '  ')), { maxLength: 8 }).map((parts) => parts.join(''));
  const status = fc.option(fc.constantFrom('InProgress', 'inprogress', 'Completed', 'NotStarted', 'Applied', 'Something new'), { nil: undefined });
  const mixedCase = (text: string) => fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) => [...text].map((char, i) => (upper[i] ? char.toUpperCase() : char)).join(''));
  const candidates = fc.uniqueArray(fc.record({ id: fc.uuid(), displayName, status }), { selector: (candidate) => candidate.id, maxLength: 14 })
    .map((list) => list.map(({ status: value, ...rest }) => (value === undefined ? rest : { ...rest, status: value })) as Candidate[]);
  const typed = fc.oneof(displayName, fc.string({ unit: 'binary', maxLength: 40 }), fc.array(word, { maxLength: 6 }).map((parts) => parts.join(' ')));
  const keywords = fc.option(fc.array(fc.constantFrom('pending', 'weekly', 'Team', 'dont know', '', ' '), { maxLength: 3 }), { nil: undefined });
  const referenceFor = (text: string, trailingKeywords?: readonly string[]): ReviewReference | undefined => {
    const { argument } = parseReviewArgument(text, { trailingKeywords, acceptAll: true });
    return argument.kind === 'id' || argument.kind === 'name' ? argument : undefined;
  };

  test('never throws, on any text and any candidates', () => {
    const loose = fc.array(fc.record({
      id: fc.option(fc.oneof(fc.uuid(), fc.string({ unit: 'binary', maxLength: 10 }))),
      displayName: fc.option(fc.string({ unit: 'binary', maxLength: 20 })),
      status: fc.option(fc.string({ maxLength: 10 })),
    }, { requiredKeys: [] }), { maxLength: 8 });
    fc.assert(fc.property(typed, keywords, loose, (text, trailingKeywords, list) => {
      parseReviewList(text);
      const reference = referenceFor(text, trailingKeywords);
      if (reference) resolveReview(reference, list);
      resolveReview({ kind: 'name', name: text, quoted: false }, list);
      resolveReview({ kind: 'id', id: text }, list);
    }), { numRuns: 500 });
  });

  test('a candidate\'s exact name, quoted, gives that candidate or several all of that name', () => {
    fc.assert(fc.property(candidates.filter((list) => list.length > 0), fc.nat(), (list, pick) => {
      const target = list[pick % list.length];
      fc.pre(reviewNameKey(target.displayName) !== '');
      const reference = referenceFor(`"${target.displayName}"`);
      expect(reference).toBeDefined();
      const result = resolveReview(reference as ReviewReference, list);
      if (result.kind === 'one') expect(result.review).toBe(target);
      else if (result.kind === 'several') {
        for (const match of result.matches) expect(reviewNameKey(match.displayName)).toBe(reviewNameKey(target.displayName));
        expect(result.total).toBe(list.filter((c) => reviewNameKey(c.displayName) === reviewNameKey(target.displayName)).length);
      } else throw new Error('not found');
    }), { numRuns: 500 });
  });

  test('a quoted name followed by a trailing keyword is still that name (names without quotes)', () => {
    const plain = displayName.filter((text) => !/["“”'’]/.test(text) && reviewNameKey(text) !== '');
    fc.assert(fc.property(plain, fc.constantFrom('pending', 'approved'), (text, keyword) => {
      const { argument, rest } = parseReviewArgument(`“${text}” ${keyword}`, DECISIONS);
      expect(argument.kind === 'name' && reviewNameKey(argument.name)).toBe(reviewNameKey(text));
      expect(rest).toBe(keyword);
    }));
  });

  test('a candidate\'s id, in any case, gives exactly that candidate', () => {
    fc.assert(fc.property(candidates.filter((list) => list.length > 0), fc.nat(), fc.constantFrom('', ' pending'), (list, pick, after) => {
      const target = list[pick % list.length];
      fc.assert(fc.property(mixedCase(target.id), (typedId) => {
        const reference = referenceFor(`${typedId}${after}`, DECISIONS.trailingKeywords);
        expect(resolveReview(reference as ReviewReference, list)).toEqual({ kind: 'one', review: target, rule: 'id' });
      }), { numRuns: 3 });
    }), { numRuns: 200 });
  });

  test('answers come from the candidates', () => {
    fc.assert(fc.property(typed, candidates, (text, list) => {
      const reference = referenceFor(text);
      fc.pre(reference !== undefined);
      const result = resolveReview(reference, list);
      if (result.kind === 'one') expect(list).toContain(result.review);
      if (result.kind === 'several') {
        expect(result.matches.length).toBeGreaterThan(1);
        expect(result.matches.length).toBeLessThanOrEqual(Math.min(10, result.total));
        expect(new Set(result.matches).size).toBe(result.matches.length);
        for (const match of result.matches) expect(list).toContain(match);
      }
      if (result.kind === 'none') {
        expect(result.closest.length).toBeLessThanOrEqual(3);
        for (const closest of result.closest) expect(list.map((c) => c.displayName)).toContain(closest);
      }
    }), { numRuns: 500 });
  });

  test('the answer does not depend on the candidates\' order', () => {
    const listAndShuffle = candidates.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })));
    fc.assert(fc.property(typed, listAndShuffle, (text, [list, shuffled]) => {
      const reference = referenceFor(text);
      fc.pre(reference !== undefined);
      expect(resolveReview(reference, shuffled)).toEqual(resolveReview(reference, list));
    }), { numRuns: 500 });
  });

  test('parsing never throws and the rest is always the tail of the text (spacing and invisible characters aside)', () => {
    const invisible = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
    fc.assert(fc.property(typed, keywords, (text, trailingKeywords) => {
      const { rest } = parseReviewArgument(text, { trailingKeywords });
      expect(text.replace(invisible, '').replace(/\s+/g, ' ').trim().endsWith(rest)).toBe(true);
    }), { numRuns: 500 });
  });
});
