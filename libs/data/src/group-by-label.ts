import type { LabeledData } from './dataset.js';

/** Sample indices grouped by class: class c occupies `order[offsets[c]] … order[offsets[c + 1] − 1]`. */
export interface LabelGroups {
  /** Every sample index once, classes in ascending order, indices ascending within a class. */
  readonly order: Uint32Array;
  /** `numClasses + 1` boundaries into `order`. */
  readonly offsets: Uint32Array;
}

/** Groups sample indices by label with one counting sort: O(n + classes), stable. */
export function groupByLabel(data: LabeledData): LabelGroups {
  const offsets = new Uint32Array(data.numClasses + 1);
  for (let i = 0; i < data.n; i++) offsets[data.y[i]! + 1]!++;
  for (let c = 0; c < data.numClasses; c++) offsets[c + 1]! += offsets[c]!;
  const cursor = offsets.slice(0, data.numClasses);
  const order = new Uint32Array(data.n);
  for (let i = 0; i < data.n; i++) order[cursor[data.y[i]!]!++] = i;
  return { order, offsets };
}
