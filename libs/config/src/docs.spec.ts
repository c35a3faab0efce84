import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './__tests__/paths.js';
import { schemaKeyPaths } from './index.js';

const docs = readFileSync(join(ROOT, 'docs/config.md'), 'utf8');
const paths = schemaKeyPaths();

describe('docs/config.md', () => {
  it('walks the whole schema, variants included', () => {
    expect(paths).toEqual(
      expect.arrayContaining([
        'name',
        'data.partition.alpha',
        'data.partition.sizes.sigma',
        'model.teacher.model.filters',
        'model.compress.prune.l1',
        'strategy.tau',
        'server.adminToken',
      ]),
    );
    expect(paths.length).toBeGreaterThan(90);
  });

  // Table rows that start with a key in backticks: `| \`data.split.test\` | integer | …`.
  const rows = [...docs.matchAll(/^\| `([A-Za-z0-9.]+)` /gm)].map((m) => m[1]!);

  it('has a table row for every key the schema accepts', () => {
    expect(paths.filter((p) => !rows.includes(p))).toEqual([]);
  });

  it('has no row for a key the schema does not accept, and no key twice', () => {
    expect(rows.filter((r) => !paths.includes(r))).toEqual([]);
    expect(rows.filter((r, i) => rows.indexOf(r) !== i)).toEqual([]);
  });
});
