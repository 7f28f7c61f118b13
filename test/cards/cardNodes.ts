/** The parts of card JSON the card tests look at. */
export interface Node {
  readonly type?: string;
  readonly id?: string;
  readonly text?: string;
  readonly title?: string;
  readonly value?: string;
  readonly verb?: string;
  readonly url?: string;
  readonly color?: string;
  readonly fontType?: string;
  readonly data?: Readonly<Record<string, string>>;
  readonly fallback?: Node;
  readonly items?: readonly Node[];
  readonly inlines?: readonly Node[];
  readonly actions?: readonly Node[];
  readonly [key: string]: unknown;
}

/** Every object in the card, depth first. */
export function nodes(value: unknown): Node[] {
  if (Array.isArray(value)) return value.flatMap(nodes);
  if (typeof value !== 'object' || value === null) return [];
  return [value as Node, ...Object.values(value).flatMap(nodes)];
}

export const ofType = (card: unknown, type: string): Node[] => nodes(card).filter((node) => node.type === type);

/** The card's texts in order: each TextBlock, and each RichTextBlock with its runs joined. */
export const blockTexts = (card: unknown): string[] => nodes(card).flatMap((node) => {
  if (node.type === 'TextBlock') return [String(node.text)];
  if (node.type === 'RichTextBlock') return [(node.inlines ?? []).map((run) => String(run.text)).join('')];
  return [];
});
