/** Card templating: expanding JSON templates safely (user text made inert, leftover bindings refused). */
import { Template } from 'adaptivecards-templating';
import type { AdaptiveCardJson } from './types';

const WORD_JOINER = '\u2060';
/** `${` would trip the leftover-binding guard and `{{` is Adaptive Cards' DATE()/TIME() syntax. */
const ACTIVE_PAIR = /([$]|[{])(?=[{])/g;
const SHIELDED_PAIR = new RegExp(`([$]|[{])${WORD_JOINER}(?=[{])`, 'g');

/**
 * Makes text from users or Graph inert in a card: `${` and `{{` get an invisible word joiner
 * between their two characters, so they render as typed but are never read as bindings or formatters.
 */
export function escapeCardText(text: string): string {
  return text.replace(ACTIVE_PAIR, `$1${WORD_JOINER}`);
}

/** Reverses escapeCardText, for values that come back in card action data. */
export function unescapeCardText(text: string): string {
  return text.replace(SHIELDED_PAIR, '$1');
}

const templates = new Map<object, Template>();

/** Deep copy of `value` with every string passed through escapeCardText. */
function escapeStrings(value: unknown): unknown {
  if (typeof value === 'string') return escapeCardText(value);
  if (Array.isArray(value)) return value.map(escapeStrings);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escapeStrings(item)]));
  }
  return value;
}

/**
 * Expands `template` with `data` (its strings escaped first) and throws, naming the binding,
 * if any `${...}` is left: adaptivecards-templating leaves a missing field's binding in the output.
 */
export function expandTemplate(name: string, template: object, data: object): AdaptiveCardJson {
  let compiled = templates.get(template);
  if (compiled === undefined) {
    compiled = new Template(template);
    templates.set(template, compiled);
  }
  const expanded: unknown = compiled.expand({ $root: escapeStrings(data) });
  const text = JSON.stringify(expanded);
  const leftover = /\$\{[^}]*\}?/.exec(text);
  if (leftover !== null) {
    throw new Error(`Card "${name}": binding ${leftover[0]} was left unexpanded (missing data field?)`);
  }
  if (typeof expanded !== 'object' || expanded === null || Array.isArray(expanded)) {
    throw new Error(`Card "${name}": template did not expand to a card object`);
  }
  return expanded as AdaptiveCardJson;
}

/** Cuts text to `max` characters with an ellipsis, so one long value cannot push a card over 28 KB. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
