import fc from 'fast-check';
import { parseEdit } from '../../../bot/commands/editGrammar';
import type { EditChange } from '../../../reviews/editDefinition';
import { applyEdit, editLines, editRefusal } from '../../../reviews/editDefinition';
import type { ReviewDefinition } from '../../../bot/graph/apis';

/** `edit` grammar: examples, and properties over free text (it is untrusted input). */

test.each<[string, EditChange[]]>([
  ['duration 21 days', [{ field: 'duration', days: 21 }]],
  ['for 7 days', [{ field: 'duration', days: 7 }]],
  ['name "New name" auto-apply off', [{ field: 'name', text: 'New name' }, { field: 'autoApply', on: false }]],
  ["description “Bob's guests” admin description 'For audit'", [{ field: 'description', text: "Bob's guests" }, { field: 'adminDescription', text: 'For audit' }]],
  ['ending 2026-12-31', [{ field: 'end', end: { kind: 'date', date: '2026-12-31' } }]],
  ['ending never', [{ field: 'end', end: { kind: 'never' } }]],
  ['after 4 runs', [{ field: 'end', end: { kind: 'runs', count: 4 } }]],
  ['REMINDERS OFF mail on justification off recommendations on', [{ field: 'reminders', on: false }, { field: 'mail', on: true }, { field: 'justification', on: false }, { field: 'recommendations', on: true }]],
  ['if no response no change', [{ field: 'defaultDecision', decision: 'none' }]],
  ['if no response recommend', [{ field: 'defaultDecision', decision: 'recommendation' }]],
  // As people write lists: commas, semicolons, "and"; a quoted value keeps its own.
  ['duration 21 days, reminders off and mail on', [{ field: 'duration', days: 21 }, { field: 'reminders', on: false }, { field: 'mail', on: true }]],
  ['name "Guests, and partners"; auto-apply on', [{ field: 'name', text: 'Guests, and partners' }, { field: 'autoApply', on: true }]],
])('%s', (text, changes) => {
  expect(parseEdit(text)).toEqual({ kind: 'changes', changes });
});

test.each([
  ['duration 0 days', 'whole number of days from 1 to 365'],
  ['duration 21 days duration 7 days', 'given twice'],
  ['ending 2026-02-30', 'YYYY-MM-DD'],
  ['name "open', 'never closed'],
  ['name ""', 'cannot be empty'],
  [`name "${'x'.repeat(300)}"`, 'at most 256 characters'],
  ['guests', 'scope'],
  ['by owners', 'who reviews'],
  ['weekly', 'how often'],
  ['starting 2026-01-01', 'start'],
  ['**bold** [x](http://evil)', 'I did not understand `**bold**`'],
])('refuses %s', (text, reason) => {
  const parsed = parseEdit(text);
  expect(parsed.kind).toBe('error');
  expect(parsed.kind === 'error' ? parsed.message : '').toContain(reason);
});

const WORDS = ['name', 'description', 'admin', 'duration', 'for', 'days', 'ending', 'never', 'after', 'runs', 'reminders', 'mail', 'on', 'off',
  'auto-apply', 'if', 'no', 'response', 'deny', 'approve', 'recommend', 'change', '21', '0', '2026-01-31', '"', '“', "'", '`', '\u202E', '\n', '[x](y)'];

test('the list of what can change is code spans only: Teams strips <YYYY-MM-DD> from plain text', () => {
  const answer = parseEdit('colour blue');
  expect(answer.kind).toBe('error');
  const message = answer.kind === 'error' ? answer.message : '';
  expect(message.split('`').filter((_, i) => i % 2 === 0).join('')).not.toMatch(/[<>]/);
  expect(message).toContain('`ending <YYYY-MM-DD>`');
});

test('never throws on any text; an error never echoes a backtick-breaking or line-breaking span, nor bidi controls', () => {
  const soup = fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 14 }).map((w) => w.join(' '));
  fc.assert(fc.property(fc.oneof(soup, fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
    const parsed = parseEdit(text);
    if (parsed.kind === 'error') {
      expect(parsed.message).not.toMatch(/[\n\r\u202A-\u202E\u2066-\u2069]/);
      expect(parsed.message.length).toBeLessThan(700);
    } else {
      expect(parsed.changes.length).toBeGreaterThan(0);
      expect(new Set(parsed.changes.map((c) => c.field)).size).toBe(parsed.changes.length);
    }
  }), { numRuns: 2000 });
});

const DEFINITION = {
  id: 'd1', displayName: 'Old', descriptionForAdmins: 'a', descriptionForReviewers: 'r', status: 'InProgress',
  scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: '/groups/g/transitiveMembers', queryType: 'MicrosoftGraph' },
  reviewers: [], createdBy: { id: 'u' }, createdDateTime: '2025-01-01T00:00:00Z',
  settings: { instanceDurationInDays: 7, autoApplyDecisionsEnabled: false, recurrence: { pattern: { type: 'weekly', interval: 1 }, range: { type: 'noEnd', startDate: '2025-05-26' } } },
} as unknown as ReviewDefinition;

const change = fc.oneof(
  fc.record({ field: fc.constant('name' as const), text: fc.string({ minLength: 1, maxLength: 20 }) }),
  fc.record({ field: fc.constant('duration' as const), days: fc.integer({ min: 1, max: 7 }) }),
  fc.record({ field: fc.constantFrom('reminders' as const, 'mail' as const, 'autoApply' as const, 'justification' as const), on: fc.boolean() }),
  fc.record({ field: fc.constant('defaultDecision' as const), decision: fc.constantFrom('none' as const, 'approve' as const, 'deny' as const, 'recommendation' as const) }),
);

test('the PUT body keeps every writable property not asked for, drops read-only ones, and changes only what was asked', () => {
  fc.assert(fc.property(fc.uniqueArray(change, { selector: (c) => c.field, maxLength: 4 }), (changes) => {
    const body = applyEdit(DEFINITION, changes);
    expect(body).not.toHaveProperty('status');
    expect(body).not.toHaveProperty('createdBy');
    expect(body.scope).toEqual(DEFINITION.scope);
    expect(body.reviewers).toEqual([]);
    const settings = body.settings as Record<string, unknown>;
    expect(settings.recurrence).toEqual(DEFINITION.settings?.recurrence);
    if (!changes.some((c) => c.field === 'duration')) expect(settings.instanceDurationInDays).toBe(7);
    if (!changes.some((c) => c.field === 'name')) expect(body.displayName).toBe('Old');
    expect(editRefusal(DEFINITION, changes, '2025-06-02')).toBeUndefined();
    const { changed, same } = editLines(DEFINITION, body, changes);
    expect(changed.length + same.length).toBe(changes.length);
  }));
});

test('a weekly review cannot last more than 7 days', () => {
  expect(editRefusal(DEFINITION, [{ field: 'duration', days: 8 }], '2025-06-02')).toContain('at most 7 days');
});

test('multi-stage reviews are not edited', () => {
  expect(editRefusal({ ...DEFINITION, stageSettings: [{ stageId: '1' }] }, [{ field: 'mail', on: true }], '2025-06-02')).toContain('multi-stage');
});
