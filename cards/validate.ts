import { createRequire } from 'node:module';
import type * as AdaptiveCards from 'adaptivecards';
import { isCardVerb } from './verbs';

/** Teams' limit for bot-sent cards (the conservative figure; see teams-platform.md section 4). */
export const MAX_CARD_BYTES = 28 * 1024;
/** Highest Adaptive Card version Teams renders for bots. */
export const MAX_CARD_VERSION = { major: 1, minor: 5 } as const;

let library: typeof AdaptiveCards | undefined;

/**
 * The adaptivecards package's `lib/` is ESM without `"type": "module"`, so Node cannot require it;
 * its UMD bundle has the same API. Loaded on first use: only tests and dev tools need it.
 */
function adaptiveCards(): typeof AdaptiveCards {
  library ??= createRequire(__filename)('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCards;
  return library;
}

/** Problems with the card's `version`: missing, malformed, or above 1.5. */
function versionProblems(version: unknown): string[] {
  if (typeof version !== 'string') return ['card has no version'];
  const match = /^(\d+)\.(\d+)$/.exec(version);
  if (match === null) return [`card version "${version}" is not major.minor`];
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const tooNew = major > MAX_CARD_VERSION.major || (major === MAX_CARD_VERSION.major && minor > MAX_CARD_VERSION.minor);
  return tooNew ? [`card version ${version} is above ${MAX_CARD_VERSION.major}.${MAX_CARD_VERSION.minor}`] : [];
}

/** Problems with verbs anywhere in the card: Action.Execute verbs and Action.Submit `data.verb`. */
function verbProblems(node: unknown, path: string): string[] {
  if (Array.isArray(node)) return node.flatMap((item, index) => verbProblems(item, `${path}[${index}]`));
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const problems: string[] = [];
  if (record.type === 'Action.Execute' && !isCardVerb(record.verb)) {
    problems.push(`${path}: Action.Execute verb ${JSON.stringify(record.verb)} is not in ALL_VERBS`);
  }
  const data = record.data;
  if (record.type === 'Action.Submit' && typeof data === 'object' && data !== null && 'verb' in data) {
    const verb: unknown = data.verb;
    if (!isCardVerb(verb)) problems.push(`${path}: Action.Submit data.verb ${JSON.stringify(verb)} is not in ALL_VERBS`);
  }
  for (const [key, value] of Object.entries(record)) {
    if (key !== 'data') problems.push(...verbProblems(value, `${path}.${key}`));
  }
  return problems;
}

/** Problems the adaptivecards parser and validator report for the card. */
function parserProblems(card: object): string[] {
  const { AdaptiveCard, SerializationContext } = adaptiveCards();
  const parsed = new AdaptiveCard();
  const context = new SerializationContext();
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let index = 0; index < context.eventCount; index++) {
    problems.push(`parse: ${context.getEventAt(index).message}`);
  }
  for (const event of parsed.validateProperties().validationEvents) {
    problems.push(`validation: ${event.message}`);
  }
  return problems;
}

/**
 * Everything wrong with an expanded card for Teams: parser events and validation failures from the
 * adaptivecards library, version above 1.5, JSON over 28 KB, a leftover `${`, or a verb not in ALL_VERBS.
 */
export function validateCard(card: object): string[] {
  const json = JSON.stringify(card);
  const problems: string[] = [];
  const record = card as Record<string, unknown>;
  if (record.type !== 'AdaptiveCard') problems.push(`card type is ${JSON.stringify(record.type)}, not "AdaptiveCard"`);
  problems.push(...versionProblems(record.version));
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_CARD_BYTES) problems.push(`card is ${bytes} bytes of JSON, over ${MAX_CARD_BYTES}`);
  const leftover = /\$\{[^}]*\}?/.exec(json);
  if (leftover !== null) problems.push(`unexpanded binding ${leftover[0]}`);
  problems.push(...verbProblems(card, '$'));
  problems.push(...parserProblems(card));
  return problems;
}
