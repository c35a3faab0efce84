import { afterEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { tempFiles } from './__tests__/paths.js';
import {
  ConfigError,
  defaultExperiment,
  loadExperiment,
  parseExperimentText,
  readConfigFile,
} from './index.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** Writes the files and returns the path of the first. */
function files(map: Record<string, string>): string {
  const t = tempFiles(map);
  cleanup = t.cleanup;
  return join(t.dir, Object.keys(map)[0]!);
}

function loadError(file: string): ConfigError {
  try {
    loadExperiment(file);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadExperiment', () => {
  it('reads YAML and JSON alike', () => {
    const yaml = files({ 'a.yaml': 'rounds: 5\nclients: { count: 4, perRound: 2 }\nstrategy: fedadam\n' });
    const fromYaml = loadExperiment(yaml);
    const json = files({
      'a.json': JSON.stringify({ rounds: 5, clients: { count: 4, perRound: 2 }, strategy: 'fedadam' }),
    });
    expect(loadExperiment(json)).toEqual(fromYaml);
    expect(fromYaml).toMatchObject({
      name: 'a',
      rounds: 5,
      clients: { count: 4, perRound: 2 },
      strategy: { name: 'fedadam' },
    });
  });

  it('sniffs the format of other file names', () => {
    expect(loadExperiment(files({ 'exp.conf': '{"rounds": 3}' })).rounds).toBe(3);
    expect(loadExperiment(files({ 'exp.conf': 'rounds: 4' })).rounds).toBe(4);
  });

  it('reads an empty or comment-only file as the default experiment', () => {
    const c = loadExperiment(files({ 'empty.yaml': '# nothing yet\n' }));
    expect(c).toEqual({ ...defaultExperiment(), name: 'empty' });
  });

  it('names the file and line of each problem', () => {
    const file = files({
      'bad.yaml': [
        'name: bad', //  1
        'data:', //  2
        '  partitoin: iid', //  3
        'clients:', //  4
        '  count: 20', //  5
        '  perRound: 30', //  6
        'compression:', //  7
        '  uplink: "topk:2"', //  8
        'model:', //  9
        '  student:', // 10
        '    kind: mlp', // 11
        '    hidden:', // 12
        '      - 128', // 13
        '      - -4', // 14
        '',
      ].join('\n'),
    });
    const e = loadError(file);
    expect(e.issues.map((i) => [i.line, i.path?.join('.')])).toEqual([
      [3, 'data.partitoin'],
      [6, 'clients.perRound'],
      [14, 'model.student.hidden.1'],
      [8, 'compression.uplink'],
    ]);
    expect(e.message.split('\n')).toEqual([
      `${file}:3: data.partitoin: unknown key, did you mean "partition"? (allowed: dataset, split, synthetic, partition)`,
      `${file}:6: clients.perRound: 30 is more than clients.count (20)`,
      `${file}:14: model.student.hidden[1]: -4 is out of range (allowed: an integer ≥ 1)`,
      `${file}:8: compression.uplink: bad codec spec "topk:2": topk needs a fraction in (0, 1], e.g. topk:0.01`,
    ]);
  });

  it('points a missing key at its parent', () => {
    const file = files({ 'p.yaml': 'rounds: 3\ndata:\n  partition:\n    alpha: 2\n' });
    expect(loadError(file).message).toBe(
      `${file}:3: data.partition.kind: is required (allowed: iid, dirichlet, shards, quantity)`,
    );
  });

  it('gives lines in JSON files too', () => {
    const file = files({
      'j.json': '{\n  "rounds": 3,\n  "training": {\n    "optimizer": "rmsprop"\n  }\n}\n',
    });
    expect(loadError(file).message).toBe(
      `${file}:4: training.optimizer: "rmsprop" is not allowed (allowed: sgd, momentum, adam)`,
    );
  });

  it('reports bad YAML with its line and column', () => {
    const file = files({ 'syntax.yaml': 'rounds: 3\nclients:\n  count: 20\n  perRound: 10: 3\n' });
    const e = loadError(file);
    expect(e.issues[0]).toMatchObject({ line: 4, column: 13 });
    expect(e.issues[0]!.path).toBeUndefined();
    expect(e.message).toBe(`${file}:4:13: bad YAML: Nested mappings are not allowed in compact mappings`);
    const tabs = files({ 'tabs.yaml': 'data:\n\tdataset: mnist\n' });
    expect(loadError(tabs).message).toBe(`${tabs}:2:1: bad YAML: Tabs are not allowed as indentation`);
  });

  it('reports duplicate keys', () => {
    const file = files({ 'dup.yaml': 'rounds: 3\nseed: 1\nrounds: 4\n' });
    expect(loadError(file).message).toMatch(new RegExp(`^${escape(file)}:3:1: bad YAML: .*unique`));
  });

  it('reports bad JSON with its line', () => {
    const file = files({ 'bad.json': '{\n  "rounds": 3,\n  "seed": ,\n}\n' });
    expect(loadError(file).issues[0]).toMatchObject({ line: 3, column: 11 });
    expect(loadError(file).message).toMatch(new RegExp(`^${escape(file)}:3:11: bad JSON: `));
    const trailing = files({ 'trailing.json': '{"rounds": 3,\n "seed": 1,\n}' });
    expect(loadError(trailing).issues[0]).toMatchObject({ line: 3, column: 1 });
    const bom = files({ 'bom.json': '\uFEFF{"rounds": 3}' });
    expect(loadExperiment(bom).rounds).toBe(3);
  });

  it('reports a missing file, naming it', () => {
    expect(loadError('/nonexistent/x.yaml').message).toBe(
      '/nonexistent/x.yaml: cannot read the experiment config: no such file',
    );
  });

  it('lays overrides over the file before validating', () => {
    const file = files({ 'o.yaml': 'rounds: 30\nclients: { count: 20, perRound: 10 }\n' });
    const c = loadExperiment(file, { overrides: { rounds: 2, clients: { perRound: 4 }, seed: undefined } });
    expect(c).toMatchObject({ rounds: 2, seed: 42, clients: { count: 20, perRound: 4 } });
    expect(() => loadExperiment(file, { overrides: { clients: { perRound: 40 } } })).toThrow(
      'clients.perRound: 40 is more than clients.count (20)',
    );
  });

  it('resolves a relative teacher path against the file', () => {
    const file = files({ 't.yaml': 'model: { teacher: { path: ../teacher/model.json } }\n' });
    const c = loadExperiment(file);
    expect(c.model.teacher.path).toBe(join(file, '..', '..', 'teacher', 'model.json'));
    const abs = files({ 'abs.yaml': 'model: { teacher: { path: /models/t/model.json } }\n' });
    expect(loadExperiment(abs).model.teacher.path).toBe('/models/t/model.json');
  });
});

describe('readConfigFile', () => {
  it('returns the raw value and a line finder', () => {
    const file = files({ 'r.yaml': 'a:\n  b:\n    - 1\n    - x: 2\n' });
    const { value, lineOf } = readConfigFile(file);
    expect(value).toEqual({ a: { b: [1, { x: 2 }] } });
    expect(lineOf(['a', 'b', 1, 'x'])).toEqual({ line: 4 });
    expect(lineOf(['a', 'nope'])).toEqual({ line: 1 });
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('parseExperimentText', () => {
  it('validates YAML and JSON text with the messages of files, lines included', () => {
    expect(parseExperimentText('name: from-text\nrounds: 4\n', 'the request body').rounds).toBe(4);
    expect(parseExperimentText('{"name": "j", "rounds": 2}', 'the request body').name).toBe('j');
    let err: unknown;
    try {
      parseExperimentText('name: x\nrounds: -1\n', 'the request body');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(/the request body/);
    expect((err as ConfigError).issues[0]).toMatchObject({ line: 2 });
    expect(() => parseExperimentText('a: [1,', 'the request body', 'yaml')).toThrow(/bad YAML/);
    expect(() => parseExperimentText('{"a": ', 'the request body', 'json')).toThrow(/bad JSON/);
  });
});
