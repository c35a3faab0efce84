/**
 * The core must run in browsers (issue 5): only `*.node.ts` files may use Node's modules or
 * globals. A source scan keeps that true as the library grows.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const root = fileURLToPath(new URL('.', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === '__tests__' ? [] : sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') && !e.name.endsWith('.node.ts')
      ? [path]
      : [];
  });
}

const NODE_ONLY = [
  /from ['"]node:/,
  /from ['"](fs|fs\/promises|path|os|events|net|http|child_process|worker_threads)['"]/,
  /\bBuffer\b/,
  /\bprocess\./,
  /\brequire\(/,
];

describe('the portable core', () => {
  it('uses no Node-only module or global outside *.node.ts files', () => {
    const files = sources(root);
    expect(files.length).toBeGreaterThan(10);
    const offences = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return NODE_ONLY.filter((re) => re.test(text)).map((re) => `${relative(root, file)}: ${String(re)}`);
    });
    expect(offences).toEqual([]);
  });

  it('keeps the Node entry out of index.ts', () => {
    expect(readFileSync(join(root, 'index.ts'), 'utf8')).not.toMatch(/\.node\.js/);
  });
});
