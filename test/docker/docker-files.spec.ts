// docker/: no Docker engine runs where fedzip is developed and tested, so the images are never
// built here. This test checks what can be checked without one: that docker/compose.yaml parses
// and that every command, option, path, port and environment variable it and docker/Dockerfile
// name exists in the project. The fedzip command lines are parsed by the real CLI (dist/, built by
// the global setup) with every action replaced by one that prints the parsed options, so an
// unknown option, a missing required one or a bad value fails here as it would in a container.
import { execFile } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, posix, relative } from 'node:path';
import { Script } from 'node:vm';
import { describe, expect, test } from '@jest/globals';
import { artifactKeys, loadExperiment } from '@fedzip/config';
import { parseDocument } from 'yaml';

const ROOT = process.cwd();
const DOCKER = join(ROOT, 'docker');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

// ---------------------------------------------------------------------------------------------
// The Dockerfile, read instruction by instruction.

interface Instruction {
  readonly name: string; // upper case
  readonly args: string;
}

interface Stage {
  readonly from: string;
  readonly alias: string | undefined;
  readonly instructions: readonly Instruction[];
}

function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    if (/^\s*#/.test(raw)) continue; // comments (and parser directives), also inside continuations
    const line = raw.replace(/\s+$/, '');
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    const whole = (pending + line).trim();
    pending = '';
    if (whole) logical.push(whole);
  }
  expect(pending).toBe(''); // no dangling continuation
  const stages: { from: string; alias: string | undefined; instructions: Instruction[] }[] = [];
  for (const line of logical) {
    const m = /^(\S+)\s*(.*)$/.exec(line)!;
    const name = m[1]!.toUpperCase();
    const args = m[2]!;
    if (name === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      expect(from).not.toBeNull();
      stages.push({ from: from![1]!, alias: from![2], instructions: [] });
    } else if (name === 'ARG' && stages.length === 0) {
      stages.push({ from: '', alias: '(global args)', instructions: [{ name, args }] });
    } else {
      expect(stages.length).toBeGreaterThan(0); // nothing but ARG before the first FROM
      stages[stages.length - 1]!.instructions.push({ name, args });
    }
  }
  return stages.filter((s) => s.from !== '');
}

/** The JSON (exec) form of an instruction's arguments, e.g. ENTRYPOINT ["node", "main.js"]. */
function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  expect(Array.isArray(parsed) && parsed.every((a) => typeof a === 'string')).toBe(true);
  return parsed as string[];
}

/** `KEY=value …` pairs of ENV and LABEL (the legacy `ENV KEY value` form too). */
function keyValues(args: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!args.includes('=')) {
    const [k, ...v] = args.split(/\s+/);
    out.set(k!, v.join(' '));
    return out;
  }
  for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    out.set(m[1]!, m[2]!.replace(/^"(.*)"$/, '$1'));
  }
  return out;
}

/** `COPY [--from=x] [--chown=…] src… dest` */
function parseCopy(args: string): { from: string | undefined; sources: string[]; dest: string } {
  const words = args.trim().startsWith('[') ? execForm(args) : args.trim().split(/\s+/);
  const flags = words.filter((w) => w.startsWith('--'));
  const rest = words.filter((w) => !w.startsWith('--'));
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: rest.slice(0, -1), dest: rest[rest.length - 1]! };
}

// ---------------------------------------------------------------------------------------------
// The .dockerignore (BuildKit: <Dockerfile>.dockerignore beside the Dockerfile wins over the
// context's .dockerignore), with the pattern syntax Docker documents: Go's filepath.Match plus
// `**`, anchored at the context root, `!` exceptions, the last matching line deciding.

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = posix.normalize((negate ? l.slice(1) : l).trim()).replace(/^\/+/, '');
      return { negate, re: globToRegExp(pattern) };
    });
  return (path: string) => {
    // A path is left out when it or any folder above it matches.
    const parts = path.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let ignored = false;
    for (const { negate, re } of rules) if (prefixes.some((p) => re.test(p))) ignored = !negate;
    return ignored;
  };
}

// ---------------------------------------------------------------------------------------------
// docker/compose.yaml with Compose's variable interpolation (${VAR}, ${VAR:-default},
// ${VAR-default}, ${VAR:?error}, ${VAR?error}, $VAR, $$ for a literal $), evaluated with no
// variable set: the defaults are what a plain `docker compose up` uses.

const interpolated = new Set<string>();
const unguarded = new Set<string>();

function interpolate(value: string): string {
  return value.replace(
    /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (whole, braced: string | undefined, op: string | undefined, arg: string | undefined, bare?: string) => {
      if (whole === '$$') return '$';
      const name = (braced ?? bare)!;
      interpolated.add(name);
      if (op === undefined) {
        unguarded.add(name);
        return '';
      }
      if (op.endsWith('?')) throw new Error(`compose needs ${name} set: ${arg}`);
      return arg ?? '';
    },
  );
}

function deepInterpolate(value: unknown): unknown {
  if (typeof value === 'string') return interpolate(value);
  if (Array.isArray(value)) return value.map(deepInterpolate);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepInterpolate(v)]));
  return value;
}

interface Service {
  readonly build?: { context: string; dockerfile?: string } | string;
  readonly image?: string;
  readonly command?: string[] | string;
  readonly entrypoint?: string[] | string;
  readonly environment?: Record<string, string | number | boolean | null> | string[];
  readonly ports?: (string | number | { target: number; published?: string | number })[];
  readonly volumes?: (string | { type?: string; source?: string; target: string })[];
  readonly depends_on?: string[] | Record<string, { condition?: string }>;
  readonly healthcheck?: { disable?: boolean; test?: string[] | string };
  readonly [key: string]: unknown;
}

interface Compose {
  readonly services: Record<string, Service>;
  readonly volumes?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

// The compose-spec keys this file may use; a misspelt key (depend_on) is silently ignored by
// nothing here but would be rejected by `docker compose`, so reject it too.
const TOP_LEVEL_KEYS = new Set(['name', 'services', 'volumes', 'networks', 'configs', 'secrets', 'include']);
const SERVICE_KEYS = new Set([
  'build',
  'image',
  'init',
  'command',
  'entrypoint',
  'environment',
  'env_file',
  'ports',
  'expose',
  'volumes',
  'depends_on',
  'healthcheck',
  'restart',
  'networks',
  'stop_signal',
  'stop_grace_period',
  'user',
  'working_dir',
  'labels',
  'deploy',
  'pull_policy',
]);

// ---------------------------------------------------------------------------------------------
// The fedzip command lines, parsed by the real CLI.

interface Parsed {
  readonly command: string;
  readonly options: Record<string, unknown>;
  readonly operands: string[];
}

// Commander's Command#action is swapped for one that prints what was parsed, then dist's main.js
// runs as the container would run it (process.argv set to the image's command line).
const PARSE_ONLY = `
import { Command } from 'commander';
import { pathToFileURL } from 'node:url';
const action = Command.prototype.action;
Command.prototype.action = function () {
  return action.call(this, (...args) => {
    const cmd = args[args.length - 1];
    process.stdout.write(JSON.stringify({ command: cmd.name(), options: cmd.opts(), operands: cmd.args }) + '\\n');
  });
};
const [script, ...args] = JSON.parse(process.env.FEDZIP_DOCKER_ARGV);
process.argv = [process.argv[0], script, ...args];
await import(pathToFileURL(script).href);
`;

function parseCli(script: string, args: readonly string[]): Promise<Parsed> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', PARSE_ONLY],
      { cwd: ROOT, env: { ...process.env, FEDZIP_DOCKER_ARGV: JSON.stringify([script, ...args]) } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`fedzip ${args.join(' ')}: ${stderr.trim() || error.message}`));
        else if (stderr.trim()) reject(new Error(`fedzip ${args.join(' ')}: ${stderr.trim()}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as Parsed);
      },
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Environment variables the project reads (process.env.X, process.env['X']), and those a
// dependency reads, each with the file of the dependency that proves it.

function sourceFiles(dir: string): string[] {
  return (readdirSync(join(ROOT, dir), { recursive: true }) as string[])
    .map((f) => join(dir, f))
    .filter(
      (f) => /\.(?:ts|mts|js|mjs)$/.test(f) && !/\.(?:spec|e2e)\.ts$/.test(f) && !f.includes('node_modules'),
    );
}

const readEnv = new Set(
  ['apps', 'libs'].flatMap(sourceFiles).flatMap((f) =>
    [
      ...read(f).matchAll(
        // process.env.X, process.env['X'], and env['X'] in functions taking `env = process.env`
        /\benv(?:\.([A-Z_][A-Z0-9_]*)\b|\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\])/g,
      ),
    ].map((m) => (m[1] ?? m[2])!),
  ),
);

const DEPENDENCY_ENV: Record<string, string> = {
  NODE_ENV: 'node_modules/express/lib/application.js', // production: no stack traces in error pages
};

function envIsRead(name: string): boolean {
  if (readEnv.has(name)) return true;
  const proof = DEPENDENCY_ENV[name];
  return proof !== undefined && existsSync(join(ROOT, proof)) && read(proof).includes(name);
}

// ---------------------------------------------------------------------------------------------

const stages = parseDockerfile(read('docker/Dockerfile'));
const final = stages[stages.length - 1]!;
const last = (stage: Stage, name: string): Instruction | undefined =>
  stage.instructions.filter((i) => i.name === name).pop();
const all = (stage: Stage, name: string): Instruction[] => stage.instructions.filter((i) => i.name === name);

const composeDoc = parseDocument(read('docker/compose.yaml'), { merge: true });
const rawCompose = composeDoc.toJS({ maxAliasCount: 100 }) as Compose;
const compose = deepInterpolate(rawCompose) as Compose;
const services = Object.entries(compose.services ?? {});

const ignoreFile = 'docker/Dockerfile.dockerignore';
const isIgnored = dockerignore(existsSync(join(ROOT, ignoreFile)) ? read(ignoreFile) : '');

const entrypoint = execForm(last(final, 'ENTRYPOINT')!.args);
const defaultCmd = execForm(last(final, 'CMD')!.args);
const commandOf = (s: Service): string[] => {
  expect(s.entrypoint).toBeUndefined(); // every service runs the image's entry point, the CLI
  if (s.command === undefined) return defaultCmd;
  expect(Array.isArray(s.command)).toBe(true); // the exec form: no shell to word-split
  return s.command as string[];
};
const roleOf = (s: Service): string => commandOf(s)[0]!;
const coordinators = services.filter(([, s]) => roleOf(s) === 'serve');
const clients = services.filter(([, s]) => roleOf(s) === 'client');

const volumePaths = all(final, 'VOLUME').flatMap((v) =>
  v.args.trim().startsWith('[') ? execForm(v.args) : v.args.trim().split(/\s+/),
);
const exposed = all(final, 'EXPOSE').flatMap((e) =>
  e.args.split(/\s+/).map((p) => Number(p.replace(/\/tcp$/, ''))),
);
const workdir = last(final, 'WORKDIR')!.args.trim();
const under = (path: string, dir: string): boolean =>
  path === dir || path.startsWith(dir.replace(/\/$/, '') + '/');

/**
 * Where a path of the final image comes from: the repository file a final-stage COPY takes it
 * from (from the build context, or from the build stage, whose /app is the context plus dist/).
 */
function imageSource(path: string): { repoPath: string; fromContext: boolean } | undefined {
  for (const copy of all(final, 'COPY')
    .map((c) => parseCopy(c.args))
    .reverse()) {
    if (copy.sources.length !== 1 || !under(path, copy.dest)) continue;
    const rest = path.slice(copy.dest.replace(/\/$/, '').length);
    if (copy.from === undefined) return { repoPath: posix.join(copy.sources[0]!, rest), fromContext: true };
    const stage = stages.find((s) => s.alias === copy.from);
    expect(stage).toBeDefined();
    const stageWorkdir = last(stage!, 'WORKDIR')!.args.trim();
    expect(under(copy.sources[0]!, stageWorkdir)).toBe(true);
    return { repoPath: posix.join(relative(stageWorkdir, copy.sources[0]!), rest), fromContext: false };
  }
  return undefined;
}

/** An absolute path a command names inside the image: shipped by a COPY and present here. */
function expectShipped(path: string): string {
  const source = imageSource(path);
  if (source === undefined) throw new Error(`${path}: no COPY of the final stage puts it in the image`);
  expect({ path, exists: existsSync(join(ROOT, source.repoPath)) }).toEqual({ path, exists: true });
  if (source.fromContext)
    expect({ path, ignored: isIgnored(source.repoPath) }).toEqual({ path, ignored: false });
  return source.repoPath;
}

describe('docker/Dockerfile', () => {
  test('is multi-stage, every base image pinned by a tag, every --from an earlier stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) {
      const known = stages.slice(0, stages.indexOf(s)).map((x) => x.alias);
      if (known.includes(s.from)) continue;
      expect(s.from).toMatch(/^[a-z0-9./-]+:[A-Za-z0-9._-]+$/);
      expect(s.from.endsWith(':latest')).toBe(false);
      for (const c of all(s, 'COPY').map((i) => parseCopy(i.args))) {
        if (c.from !== undefined) expect(known).toContain(c.from);
      }
    }
    expect(stages.map((s) => s.from)).toContain('node:20-bookworm-slim');
  });

  test('the final stage installs production dependencies only with `npm ci --omit=dev`', () => {
    const runs = all(final, 'RUN').map((r) => r.args);
    const install = runs.find((r) => /\bnpm ci\b[^&;]*--omit=dev/.test(r));
    expect(install).toBeDefined();
    // package.json and the lock file are copied in before it.
    const at = final.instructions.findIndex((i) => i.name === 'RUN' && i.args === install);
    const copied = final.instructions
      .slice(0, at)
      .filter((i) => i.name === 'COPY')
      .flatMap((i) => parseCopy(i.args).sources);
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json']));
    // No stage copies a node_modules holding dev dependencies into the final one.
    for (const c of all(final, 'COPY').map((i) => parseCopy(i.args))) {
      expect(c.sources.some((src) => src.includes('node_modules'))).toBe(false);
    }
    // `prepare` (package.json) runs the build, which needs the dev dependencies: skip it.
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    if (pkg.scripts['prepare']) expect(install).toMatch(/--ignore-scripts/);
  });

  test('some stage builds dist/ with `npm run build`, from a context that holds its inputs', () => {
    const builder = stages.find((s) => all(s, 'RUN').some((r) => /\bnpm run (?:-s )?build\b/.test(r.args)));
    expect(builder).toBeDefined();
    expect(all(builder!, 'COPY').some((c) => parseCopy(c.args).sources.includes('.'))).toBe(true);
    const build = JSON.parse(read('tsconfig.build.json')) as { extends?: string; include: string[] };
    const inputs = [
      'package.json',
      'package-lock.json',
      'tsconfig.build.json',
      build.extends ?? 'tsconfig.json',
    ];
    // The sources a clean checkout has (git-ignored local state, e.g. bench/results/, is not an input).
    for (const dir of [...build.include, 'apps/web']) {
      const tracked = execFileSync('git', ['ls-files', '-z', '--', dir], { cwd: ROOT, encoding: 'utf8' });
      inputs.push(...tracked.split('\0').filter((f) => f !== ''));
    }
    expect(inputs.filter(isIgnored)).toEqual([]);
  });

  test('the build context leaves out local state and build output', () => {
    for (const path of ['node_modules', 'dist', '.cache', 'runs', 'data', 'test/artifacts', '.git'])
      expect({ path, ignored: isIgnored(path) }).toEqual({ path, ignored: true });
    // Anchored at the root: libs/data is a source folder, not the `data` folder.
    expect(isIgnored('libs/data/src/index.ts')).toBe(false);
  });

  test('runs as a non-root user, in a working directory on the data volume', () => {
    const user = last(final, 'USER')?.args.trim();
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(?:root|0)(?::|$)/);
    expect(volumePaths).toContain('/data');
    // fedzip writes .cache/ (teacher, student) and runs/ relative to the working directory.
    expect(volumePaths.some((v) => under(workdir, v))).toBe(true);
    // The volume's folder is made and given to that user before VOLUME (a new named volume
    // takes the ownership of the image's folder).
    const volumeAt = final.instructions.findIndex((i) => i.name === 'VOLUME');
    const prep = final.instructions.slice(0, volumeAt).filter((i) => i.name === 'RUN');
    expect(prep.some((r) => r.args.includes(`chown ${user}`) && r.args.includes('/data'))).toBe(true);
  });

  test('ENTRYPOINT is the CLI of dist/, which the image ships', () => {
    expect(entrypoint[0]).toBe('node');
    expect(expectShipped(entrypoint[1]!)).toBe('dist/apps/cli/src/main.js');
    expect(JSON.parse(read('package.json')).bin.fedzip).toBe('dist/apps/cli/src/main.js');
  });

  test('every context path a COPY names exists and is not left out of the context', () => {
    for (const s of stages) {
      for (const c of all(s, 'COPY').map((i) => parseCopy(i.args))) {
        if (c.from !== undefined) continue;
        for (const src of c.sources) {
          expect({ src, exists: existsSync(join(ROOT, src)) }).toEqual({ src, exists: true });
          if (src !== '.') expect({ src, ignored: isIgnored(src) }).toEqual({ src, ignored: false });
        }
      }
    }
  });

  test('the default command is a coordinator on the exposed port, and parses', async () => {
    const parsed = await parseCli(expectShipped(entrypoint[1]!), defaultCmd);
    expect(parsed.command).toBe('serve');
    expect(parsed.options['host']).toBe('0.0.0.0');
    expect(exposed).toContain(parsed.options['port']);
    expectShipped(parsed.options['config'] as string);
    loadExperiment(imageSource(parsed.options['config'] as string)!.repoPath);
  });

  test('every ENV is read by fedzip or a dependency; every ARG is used', () => {
    const env = all(final, 'ENV').flatMap((e) => [...keyValues(e.args).keys()]);
    expect(env.filter((name) => !envIsRead(name))).toEqual([]);
    const text = read('docker/Dockerfile');
    for (const s of stages) {
      for (const a of all(s, 'ARG')) {
        const name = a.args.split('=')[0]!.trim();
        expect(text).toMatch(new RegExp(`\\$\\{?${name}\\b`));
      }
    }
  });

  describe('HEALTHCHECK', () => {
    const health = last(final, 'HEALTHCHECK')!;
    const cmd = execForm(health.args.replace(/^(?:--\S+\s+)*CMD\s+/, ''));
    const url = /https?:\/\/[^'"`\s]+/.exec(cmd.join(' '))![0];

    test('asks the exposed port for /health with node (the slim image has no curl)', () => {
      expect(cmd.slice(0, 2)).toEqual(['node', '-e']);
      expect(() => new Script(cmd[2]!)).not.toThrow();
      const u = new URL(url);
      expect(u.pathname).toBe('/health');
      expect(['127.0.0.1', 'localhost']).toContain(u.hostname);
      expect(exposed).toContain(Number(u.port));
    });

    test('the coordinator serves /health', () => {
      const coordinatorSources = sourceFiles('apps/coordinator/src').map(read).join('\n');
      expect(coordinatorSources).toMatch(/@Controller\(\s*['"]\/?health['"]|['"]\/health['"]/);
    });

    // The check's own code, run against a stand-in server on a free port.
    async function healthcheck(status: number | null): Promise<number> {
      let server: Server | undefined;
      let port = 1; // nothing listens there
      if (status !== null) {
        server = createServer((req, res) => {
          res.statusCode = req.url === '/health' ? status : 404;
          res.end();
        });
        await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
        port = (server.address() as AddressInfo).port;
      }
      const code = cmd[2]!.replace(url, url.replace(/:\d+\//, `:${port}/`));
      try {
        return await new Promise((resolve) =>
          execFile(process.execPath, ['-e', code], (error) =>
            resolve(error ? ((error as { code?: number }).code ?? -1) : 0),
          ),
        );
      } finally {
        server?.close();
      }
    }

    test('exits 0 when /health answers 200, 1 when it answers 503 or nothing listens', async () => {
      expect(await healthcheck(200)).toBe(0);
      expect(await healthcheck(503)).toBe(1);
      expect(await healthcheck(null)).toBe(1);
    });
  });
});

describe('docker/compose.yaml', () => {
  test('parses, with only compose-spec keys', () => {
    expect(composeDoc.errors).toEqual([]);
    expect(composeDoc.warnings).toEqual([]);
    expect(Object.keys(rawCompose).filter((k) => !k.startsWith('x-') && !TOP_LEVEL_KEYS.has(k))).toEqual([]);
    for (const [name, s] of services) {
      expect({ name, unknown: Object.keys(s).filter((k) => !SERVICE_KEYS.has(k)) }).toEqual({
        name,
        unknown: [],
      });
    }
  });

  test('a coordinator and three Node clients, each built from docker/Dockerfile', () => {
    expect(coordinators.map(([name]) => name)).toEqual(['coordinator']);
    expect(clients).toHaveLength(3);
    expect(services).toHaveLength(4);
    for (const [, s] of services) {
      expect(typeof s.build).toBe('object');
      const build = s.build as { context: string; dockerfile?: string };
      const context = join(DOCKER, build.context);
      expect(context).toBe(ROOT);
      expect(join(context, build.dockerfile ?? 'Dockerfile')).toBe(join(DOCKER, 'Dockerfile'));
      expect(s.image).toBe(services[0]![1].image);
    }
  });

  test('every variable it interpolates has a default and is documented in docker/README.md', () => {
    expect([...unguarded]).toEqual([]);
    const readme = read('docker/README.md');
    expect([...interpolated].filter((v) => !readme.includes(v))).toEqual([]);
  });

  test('every environment variable it sets is read by fedzip or a dependency', () => {
    for (const [, s] of services) {
      const env = s.environment ?? {};
      const names = Array.isArray(env) ? env.map((e) => e.split('=')[0]!) : Object.keys(env);
      expect(names.filter((name) => !envIsRead(name))).toEqual([]);
    }
  });

  test('named volumes are declared; every path a command writes under /data is on a volume', () => {
    for (const [name, s] of services) {
      const mounts = (s.volumes ?? []).map((v) =>
        typeof v === 'string'
          ? { source: v.split(':')[0]!, target: v.split(':')[1]! }
          : { source: v.source ?? '', target: v.target },
      );
      for (const m of mounts) {
        if (!m.source.startsWith('.') && !m.source.startsWith('/'))
          expect(Object.keys(compose.volumes ?? {})).toContain(m.source);
        expect(volumePaths.some((v) => under(m.target, v))).toBe(true);
      }
      const targets = [...mounts.map((m) => m.target), ...volumePaths];
      for (const arg of commandOf(s).filter((a) => a.startsWith('/data'))) {
        expect({ name, arg, onVolume: targets.some((t) => under(arg, t)) }).toEqual({
          name,
          arg,
          onVolume: true,
        });
      }
    }
  });

  describe('the command lines, parsed by the CLI', () => {
    // Each command line parsed once (a child process each, in parallel), for all the tests below.
    let parsing: Promise<Map<string, Parsed>> | undefined;
    const parseAll = (): Promise<Map<string, Parsed>> =>
      (parsing ??= Promise.all(
        services.map(
          async ([name, s]) => [name, await parseCli(expectShipped(entrypoint[1]!), commandOf(s))] as const,
        ),
      ).then((entries) => new Map(entries)));

    test('each parses: a real command, real options, required ones present, valid values', async () => {
      const parsed = await parseAll();
      expect(parsed.get('coordinator')!.command).toBe('serve');
      for (const [name] of clients) expect(parsed.get(name)!.command).toBe('client');
    }, 120_000);

    test('the coordinator listens on all interfaces on the port compose publishes and the image exposes', async () => {
      const parsed = await parseAll();
      const [, coordinator] = coordinators[0]!;
      const options = parsed.get('coordinator')!.options;
      expect(options['host']).toBe('0.0.0.0');
      const port = options['port'] as number;
      expect(exposed).toContain(port);
      const published = (coordinator.ports ?? []).map((p) =>
        typeof p === 'object'
          ? p.target
          : Number(
              String(p)
                .split(':')
                .pop()!
                .replace(/\/tcp$/, ''),
            ),
      );
      expect(published).toContain(port);
      // The image's /health check is the coordinator's (or compose's own, on the same port).
      const test = coordinator.healthcheck?.test;
      if (test !== undefined)
        expect((Array.isArray(test) ? test : [test]).join(' ')).toContain(`:${port}/health`);
      expect(coordinator.healthcheck?.disable).not.toBe(true);
    });

    test('the clients reach the coordinator by its service name and port, with its token, once healthy', async () => {
      const parsed = await parseAll();
      const coordinator = parsed.get('coordinator')!.options;
      for (const [name, s] of clients) {
        const options = parsed.get(name)!.options;
        const url = new URL(options['url'] as string);
        expect(url.hostname).toBe('coordinator');
        expect(Number(url.port)).toBe(coordinator['port']);
        expect(options['token']).toBe(coordinator['token']);
        expect(options['token']).toBeTruthy();
        const depends = s.depends_on as Record<string, { condition?: string }>;
        expect(depends['coordinator']?.condition).toBe('service_healthy');
        expect(s.healthcheck?.disable).toBe(true); // no coordinator inside a client container
      }
    });

    test('each client trains on its own partition of the experiment the coordinator serves', async () => {
      const parsed = await parseAll();
      const config = parsed.get('coordinator')!.options['config'] as string;
      const experiment = loadExperiment(expectShipped(config));
      const specs = clients.map(([name]) =>
        /^(.+):(\d+)$/.exec(parsed.get(name)!.options['data'] as string)!,
      );
      expect(specs.map((m) => m[1])).toEqual(clients.map(() => config));
      for (const m of specs) expectShipped(m[1]!);
      const indices = specs.map((m) => Number(m[2])).sort();
      expect(indices).toEqual([...Array(experiment.clients.count).keys()]); // one client per partition
      expect(experiment.clients.minAvailable).toBeLessThanOrEqual(clients.length); // rounds can start
      const ids = clients.map(([name]) => parsed.get(name)!.options['id'] ?? name);
      expect(new Set(ids).size).toBe(ids.length);
    });

    test('the compose experiment reuses the default experiment’s cached teacher and student', async () => {
      const parsed = await parseAll();
      const config = parsed.get('coordinator')!.options['config'] as string;
      const compose = loadExperiment(expectShipped(config));
      const standard = loadExperiment('experiments/mnist-default.yaml');
      expect(artifactKeys(compose)).toEqual(artifactKeys(standard));
    });
  });
});
