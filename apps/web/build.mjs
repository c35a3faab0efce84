// Bundles the browser side with esbuild: the client SDK (ESM + IIFE, for people embedding it in
// their own pages) and the coordinator's pages (/client, /dashboard, and the report page that
// `fedzip run` inlines into report.html). Output: dist/web/, served by the coordinator as it is.
// `--metafile` sizes are kept in dist/web/meta.json for docs/BENCHMARKS.md.
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'dist', 'web');
const src = (p) => join(root, p);

// Browser builds swap Node-only entries for their browser twins (the `browser` field pattern of
// socket.io's packages): the tsconfig paths point at the Node entries. `@tensorflow/tfjs` becomes
// libs/model's lean twin (core + layers + cpu, without WebGL, converter and tf.data).
const browserAliases = {
  name: 'fedzip-browser-entries',
  setup(build) {
    const swap = {
      '@fedzip/model': src('libs/model/src/index.browser.ts'),
      '@fedzip/data': src('libs/data/src/index.browser.ts'),
      '@tensorflow/tfjs': src('libs/model/src/tf.browser.ts'),
    };
    build.onResolve({ filter: /^(@fedzip\/(model|data)|@tensorflow\/tfjs)$/ }, (args) => ({
      path: swap[args.path],
    }));
  },
};

const common = {
  bundle: true,
  platform: 'browser',
  target: ['es2022'],
  sourcemap: true,
  minify: true,
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
  absWorkingDir: root,
  tsconfig: src('tsconfig.json'),
  plugins: [browserAliases],
  define: { 'process.env.NODE_ENV': '"production"' },
  // backend.ts imports node:module only on its Node path; never reached in a browser.
  external: ['node:*'],
};

const builds = [
  // The SDK alone, for embedding: ESM and a global `fedzip` for <script> tags.
  {
    entryPoints: { 'sdk/fedzip-client': src('libs/client-sdk/src/index.browser.ts') },
    format: 'esm',
    outExtension: { '.js': '.mjs' },
  },
  {
    entryPoints: { 'sdk/fedzip-client.iife': src('libs/client-sdk/src/index.browser.ts') },
    format: 'iife',
    globalName: 'fedzip',
  },
  // The pages.
  { entryPoints: { 'client/client': src('apps/web/src/client/main.ts') }, format: 'esm' },
  { entryPoints: { 'dashboard/dashboard': src('apps/web/src/dashboard/main.ts') }, format: 'esm' },
  { entryPoints: { 'report/report': src('apps/web/src/report/main.ts') }, format: 'iife' },
];

await mkdir(out, { recursive: true });
const results = await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b, outdir: out })));
// Static files next to the bundles: each page's HTML and CSS, and uPlot's stylesheet.
for (const page of ['client', 'dashboard', 'report']) {
  await cp(src(`apps/web/src/${page}/static`), join(out, page), { recursive: true });
}
await cp(src('node_modules/uplot/dist/uPlot.min.css'), join(out, 'uPlot.min.css'));

const sizes = {};
for (const r of results) {
  for (const [file, meta] of Object.entries(r.metafile.outputs)) {
    if (!file.endsWith('.js') && !file.endsWith('.mjs')) continue;
    const tfjs = Object.entries(meta.inputs)
      .filter(([input]) => input.includes('node_modules/@tensorflow/'))
      .reduce((sum, [, i]) => sum + i.bytesInOutput, 0);
    sizes[relative(out, resolve(root, file))] = { bytes: meta.bytes, tfjsBytes: tfjs };
  }
}
await writeFile(join(out, 'meta.json'), JSON.stringify(sizes, null, 2) + '\n');
