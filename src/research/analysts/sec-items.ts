/**
 * SEC Form 8-K item codes and what they mean (the item titles of Form 8-K), with a weight for items that usually
 * signal trouble. Writers name events from this table, never from an event's untrusted free text.
 */

/** Item code → the item's short title. */
export const ITEM_NAMES: Readonly<Record<string, string>> = {
  '1.01': 'entry into a material definitive agreement',
  '1.02': 'termination of a material definitive agreement',
  '1.03': 'bankruptcy or receivership',
  '1.05': 'material cybersecurity incident',
  '2.01': 'completion of an acquisition or disposition of assets',
  '2.02': 'results of operations and financial condition',
  '2.03': 'creation of a direct financial obligation',
  '2.04': 'triggering events that accelerate a financial obligation',
  '2.05': 'costs of exit or disposal activities',
  '2.06': 'material impairments',
  '3.01': 'notice of delisting or failure to meet a listing rule',
  '3.02': 'unregistered sales of equity securities',
  '3.03': 'material modification of the rights of security holders',
  '4.01': 'change of the certifying accountant',
  '4.02': 'non-reliance on previously issued financial statements',
  '5.01': 'change in control',
  '5.02': 'departure or appointment of directors or officers',
  '5.03': 'amendments to the articles or bylaws',
  '5.07': 'submission of matters to a vote of security holders',
  '7.01': 'Regulation FD disclosure',
  '8.01': 'other events',
  '9.01': 'financial statements and exhibits',
};

/** Items worth naming in a report (everything except exhibits-only 9.01), in display order. */
export const NOTABLE_ITEMS: readonly string[] = [
  '2.02',
  '5.02',
  '1.01',
  '1.02',
  '2.01',
  '2.03',
  '2.05',
  '2.06',
  '1.05',
  '3.01',
  '4.01',
  '4.02',
  '1.03',
  '5.07',
  '7.01',
  '8.01',
];

/** Items that usually signal trouble, with a bearish weight (subtracted from the news score per filing). */
export const RED_FLAG_ITEMS: Readonly<Record<string, number>> = {
  '1.03': 2,
  '4.02': 1,
  '3.01': 1,
  '1.05': 0.5,
  '2.06': 0.5,
  '4.01': 0.5,
  '2.04': 0.5,
};

/** The machine name of an item's count figure: `2.02` → `item_2_02_365d`. */
export function itemFigureName(code: string): string {
  return `item_${code.replace('.', '_')}_365d`;
}
