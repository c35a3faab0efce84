/**
 * The Python client of docs/protocol.md ("Writing a client in another language"), run as written
 * against a stub coordinator built on `@fedzip/protocol` (no Nest): the stub checks its `hello`,
 * sends `welcome`, a dense `model` and an `assign` with codec `none`, and checks that the update
 * it gets back is a version-2 `update` array that decodes to the expected delta. The sketch is
 * read from the document itself, so the two cannot drift apart.
 *
 * Needs `/usr/bin/python3` with Debian's `python3-socketio`, `python3-websocket` and
 * `python3-msgpack` (`.ci/run` installs them).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asEncoded, createCodec, decode } from '@fedzip/codec';
import {
  DEFAULT_LIMITS,
  PROTOCOL_VERSION,
  type ReceivedOf,
  decodeClientMessage,
  encodeMessage,
  frameBytes,
} from '@fedzip/protocol';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Server, type Socket } from 'socket.io';

const PYTHON = '/usr/bin/python3';
const DOC_URL = "'http://127.0.0.1:3000'";
const LAYOUT = [
  { name: 'dense/kernel', shape: [3, 2] },
  { name: 'dense/bias', shape: [2] },
];
const N = 8;

/** The first python block after the "Writing a client in another language" heading. */
function pythonSketch(): string {
  const doc = readFileSync('docs/protocol.md', 'utf8');
  const section = doc.slice(doc.indexOf('## Writing a client in another language'));
  const m = /```python\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('docs/protocol.md has no python sketch');
  return m[1]!;
}

/** What the stub saw of one client session. */
interface Seen {
  hello?: ReceivedOf<'hello'>;
  update?: ReceivedOf<'update'>;
  updateFrame?: Uint8Array;
  refused: string[];
}

let child: ChildProcess | null = null;
let io: Server | null = null;
afterEach(async () => {
  if (child?.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  child = null;
  await io?.close();
  io = null;
});

/** Starts the stub on a free loopback port; `done` resolves once an update was checked. */
async function startStub(weights: Float32Array): Promise<{ url: string; seen: Seen; done: Promise<void> }> {
  const seen: Seen = { refused: [] };
  const http = createServer();
  io = new Server(http, { maxHttpBufferSize: 1 << 20 });
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  io.on('connection', (socket: Socket) => {
    socket.on('hello', (frame: unknown) => {
      const r = decodeClientMessage('hello', frame);
      if (!r.ok || r.event !== 'hello') {
        seen.refused.push(r.ok ? r.event : `${r.code}: ${r.reason}`);
        if (!r.ok)
          socket.emit(
            'error',
            encodeMessage('error', { code: r.code, message: r.reason, event: 'hello', fatal: true }),
          );
        return void finish();
      }
      seen.hello = r.msg;
      socket.emit(
        'welcome',
        encodeMessage('welcome', {
          protocolVersion: PROTOCOL_VERSION,
          clientId: r.msg.clientId,
          experimentId: 'py-stub',
          architecture: '{"kind":"stub"}',
          limits: DEFAULT_LIMITS,
        }),
      );
      socket.emit(
        'model',
        encodeMessage('model', {
          version: 2,
          layout: LAYOUT,
          baseVersion: null,
          weights: createCodec('none').encode(weights, 0),
        }),
      );
      socket.emit(
        'assign',
        encodeMessage('assign', {
          roundId: 3,
          modelVersion: 2,
          localEpochs: 1,
          batchSize: 32,
          lr: 0.1,
          optimizer: 'sgd',
          proxMu: 0,
          codec: 'none',
          errorFeedback: false,
          deadline: Date.now() + 60_000,
          seed: 1,
        }),
      );
    });
    socket.on('update', (frame: unknown) => {
      const r = decodeClientMessage('update', frame);
      if (!r.ok || r.event !== 'update') {
        seen.refused.push(r.ok ? r.event : `${r.code}: ${r.reason}`);
        return void finish();
      }
      seen.update = r.msg;
      seen.updateFrame = new Uint8Array(frameBytes(frame)!);
      socket.emit('ack', encodeMessage('ack', { roundId: r.msg.roundId }));
      finish();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, seen, done };
}

/** Runs `script` with the document's URL replaced by `url`; resolves with its output so far once `until` holds. */
function runPython(script: string, url: string, until: (out: string) => boolean): Promise<string> {
  expect(script).toContain(DOC_URL);
  const proc = spawn(PYTHON, ['-u', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
  child = proc;
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`python timed out; output:\n${out}`)), 20_000);
    const check = (chunk: Buffer) => {
      out += chunk.toString();
      if (until(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    };
    proc.stdout.on('data', check);
    proc.stderr.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      if (until(out)) resolve(out);
      else reject(new Error(`python exited with ${code}; output:\n${out}`));
    });
    proc.stdin.end(script.replace(DOC_URL, `'${url}'`));
  });
}

function pythonHasModules(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import socketio, msgpack, websocket'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('the Python client of docs/protocol.md', () => {
  it('has python3 with python3-socketio, python3-websocket and python3-msgpack (.ci/run installs them)', () => {
    expect(pythonHasModules()).toBe(true);
  });

  it('joins, trains and sends a version-2 update array that decodes to the expected delta', async () => {
    const weights = Float32Array.from({ length: N }, (_, i) => (i - 3.5) / 4);
    const { url, seen, done } = await startStub(weights);
    const out = await runPython(pythonSketch(), url, (o) => o.includes('accepted round 3'));
    await done;
    expect(seen.refused).toEqual([]);
    expect(out).toContain('joined py-stub');
    expect(seen.hello).toMatchObject({ protocolVersion: PROTOCOL_VERSION, clientId: 'py-client-1' });

    const u = seen.update!;
    expect(u).toMatchObject({ roundId: 3, baseVersion: 2, sampleCount: 600 });
    expect(u.metrics).toMatchObject({ loss: 0.5, accuracy: Math.fround(0.9), encodeMs: 1 });
    expect(u.metrics.trainMs).toBeGreaterThanOrEqual(0);
    // The frame is the positional array, with float32 loss, accuracy and trainMs (use_single_float).
    const frame = seen.updateFrame!;
    expect(frame[0]).toBe(0x98);
    expect(frame.byteLength - u.update.byteLength).toBeLessThanOrEqual(29);
    // The stand-in training: local = 0.999 w, so Δ = local − w, rounded to float32 by the packer.
    const expected = Array.from(weights, (w) => Math.fround(w * 0.999 - w));
    expect(Array.from(decode(asEncoded(u.update, { expectedLength: N })))).toEqual(expected);
  });

  it('gets a BAD_VERSION error that says to upgrade when it still states version 1', async () => {
    const v1 = pythonSketch().replace("'protocolVersion': 2", "'protocolVersion': 1");
    expect(v1).toContain("'protocolVersion': 1");
    const { url, seen, done } = await startStub(new Float32Array(N));
    // Until the whole line: print() may write its pieces in separate chunks.
    const out = await runPython(v1, url, (o) => /error BAD_VERSION[^\n]*\n/.test(o));
    await done;
    expect(seen.refused).toHaveLength(1);
    expect(out).toContain('error BAD_VERSION protocol version 1 is not supported; this side speaks 2 only');
    expect(out).toContain('the version-1 side must be upgraded');
  });
});
