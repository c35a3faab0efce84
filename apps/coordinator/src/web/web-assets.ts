/**
 * The browser side, served by the coordinator itself (nothing outside it is reachable, and pages
 * must not depend on a CDN): the bundles esbuild wrote to `dist/web` (`/client/`, `/dashboard/`,
 * `/sdk/`), and tfjs-backend-wasm's `.wasm` binaries under `/wasm/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** The repository (package) root: the nearest folder above this file with fedzip's package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'fedzip')
      return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('fedzip: cannot find the package root from ' + import.meta.url);
    dir = up;
  }
}

/** Where the browser bundles are (`npm run build` writes them). */
export function webRoot(): string {
  return join(packageRoot(), 'dist', 'web');
}

/** Where tfjs-backend-wasm keeps its `.wasm` files. */
export function wasmRoot(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
}

/** Serves the pages, the SDK bundles and the `.wasm` files. */
export function serveWebAssets(app: NestExpressApplication): void {
  const web = webRoot();
  if (!existsSync(join(web, 'client', 'index.html'))) {
    throw new Error(`fedzip: the browser bundles are missing from ${web}; run \`npm run build\` first`);
  }
  app.useStaticAssets(web, { index: 'index.html', redirect: true, fallthrough: true });
  app.useStaticAssets(wasmRoot(), { prefix: '/wasm/', index: false });
}
