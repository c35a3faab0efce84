/**
 * The coordinator fuzzer (issue 7): hostile and mutated messages against a live coordinator,
 * beside honest clients that must complete their rounds. Used by test/fuzz/coordinator-fuzz.e2e.ts
 * (about 10,000 messages) and `npm run fuzz` (bench/fuzz/main.ts, as many as asked).
 *
 * The coordinator runs as a child process (bench/fuzz/target.ts). Each round, the fuzzer sends a
 * batch of messages across categories ({@link Category}) and waits until the coordinator has
 * answered; then the honest clients submit their updates. The experiment selects every connected
 * client (`fraction: 1`) and needs every honest one (`minResults`), so joined fuzzers take part in
 * every round: on each assignment they send an update that the round admits and then refuses
 * (sample count, codec, length, lying header, truncation, norm), and many that it refuses before
 * admission. None of their updates is valid, so the final model must be bit-identical to that of
 * a run without fuzz ({@link runCampaign} with `messages: 0`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { crc32 } from 'node:zlib';
import { createCodec, decode } from '@fedzip/codec';
import {
  type MessageOf,
  PROTOCOL_VERSION,
  type ReceivedOf,
  type ServerEventName,
  SERVER_EVENTS,
  UPDATE_FIELDS,
  type UpdateField,
  decodeServerMessage,
  encodeMessage,
  toUpdateTuple,
} from '@fedzip/protocol';
import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { type Socket, io } from 'socket.io-client';
import { RawWebSocket } from './raw-ws.js';
import type { TargetOptions, TargetResult } from './target.js';

/** The kinds of hostile traffic, as counted in the figures. */
export const CATEGORIES = [
  'wrong-arguments',
  'unknown-event',
  'not-joined',
  'hello-mutation',
  'update-random',
  'update-field-mutation',
  'update-tensor-mutation',
  'update-round-rules',
  'update-admitted-invalid',
  'eval-result',
  'oversized',
  'flood',
  'raw-engineio',
  'raw-socketio',
  'raw-websocket',
] as const;

/** One kind of hostile traffic. */
export type Category = (typeof CATEGORIES)[number];

/** Options of {@link runCampaign}. */
export interface CampaignOptions {
  /** Hostile messages to send in all (0: the reference run, honest clients only). */
  readonly messages: number;
  /** Rounds of the experiment (default 6). */
  readonly rounds?: number;
  /** Joined fuzz clients (default 12). */
  readonly joined?: number;
  /** Seed of the generators (default 7). */
  readonly seed?: number;
  /** The compiled target script (default dist/bench/fuzz/target.js). */
  readonly target?: string;
  /** Options passed to the target. */
  readonly targetOptions?: TargetOptions;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/** What a campaign measured. */
export interface CampaignResult {
  readonly target: TargetResult;
  /** Messages sent, by category. */
  readonly sent: Record<Category, number>;
  readonly totalSent: number;
  /** Answers the fuzz clients received: `error` and `reject` codes, and acks (must stay 0). */
  readonly answers: {
    readonly errors: Record<string, number>;
    readonly rejects: Record<string, number>;
    readonly acks: number;
  };
  /** Rounds the honest clients completed (acks received per client). */
  readonly honestAcks: readonly number[];
  /** Fuzz connections the coordinator closed. */
  readonly closedByServer: number;
  readonly exitCode: number | null;
  readonly wallMs: number;
}

const packr = new Packr({
  useRecords: false,
  structuredClone: false,
  moreTypes: false,
  bundleStrings: false,
  mapsAsObjects: true,
});
/** msgpackr with its extensions on: records, typed arrays as ext, structured clones. */
const extPackr = new Packr({ useRecords: true, moreTypes: true, structuredClone: true });

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A protocol client over socket.io-client that records what it receives. */
class WireClient {
  readonly socket: Socket;
  readonly inbox: { [E in ServerEventName]: ReceivedOf<E>[] } = {
    welcome: [],
    model: [],
    assign: [],
    ack: [],
    reject: [],
    'eval-request': [],
    error: [],
  };
  weights: Float32Array | null = null;
  version: number | null = null;
  lastHeard = Date.now();
  closedByServer = false;
  connected: Promise<boolean>;

  constructor(
    url: string,
    readonly clientId: string,
    readonly token: string,
    private readonly onMessage: (c: WireClient, event: ServerEventName) => void = () => {},
  ) {
    this.socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 5000 });
    this.connected = new Promise((resolve) => {
      this.socket.once('connect', () => resolve(true));
      this.socket.once('connect_error', () => resolve(false));
    });
    this.socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect' || reason === 'transport close') this.closedByServer = true;
    });
    for (const event of SERVER_EVENTS) {
      this.socket.on(event, (frame: unknown) => {
        this.lastHeard = Date.now();
        const d = decodeServerMessage(event, frame);
        if (!d.ok) throw new Error(`the coordinator sent a bad ${event} frame: ${d.reason}`);
        (this.inbox[event] as unknown[]).push(d.msg);
        if (d.event === 'model') this.applyModel(d.msg);
        this.onMessage(this, event);
      });
    }
  }

  hello(modelVersion: number | null = this.version): void {
    this.emit('hello', {
      protocolVersion: PROTOCOL_VERSION,
      token: this.token,
      clientId: this.clientId,
      modelVersion,
      capabilities: { runtime: 'node', backends: [], codecs: [], codecFormat: 1, maxMessageBytes: 1 << 26 },
    });
  }

  emit<E extends 'hello' | 'update' | 'eval-result'>(event: E, msg: MessageOf<E>): void {
    this.socket.emit(event, encodeMessage(event, msg));
  }

  raw(event: string, ...args: unknown[]): void {
    this.socket.emit(event, ...args);
  }

  private applyModel(m: ReceivedOf<'model'>): void {
    const w = decode(m.weights);
    if (m.baseVersion === null) this.weights = w;
    else {
      if (!this.weights || this.version !== m.baseVersion)
        throw new Error(`delta from ${m.baseVersion}, hold ${this.version}`);
      for (let i = 0; i < w.length; i++) this.weights[i]! += w[i]!;
    }
    this.version = m.version;
  }

  close(): void {
    this.socket.close();
  }
}

/** An honest update: half-way from the held weights to the target, encoded as assigned. */
function honestDelta(c: WireClient, target: Float32Array): Float32Array {
  const w = c.weights!;
  const d = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) d[i] = 0.5 * (target[i]! - w[i]!);
  return d;
}

function updateMessage(a: ReceivedOf<'assign'>, update: Uint8Array, sampleCount = 100): MessageOf<'update'> {
  return {
    roundId: a.roundId,
    baseVersion: a.modelVersion,
    sampleCount,
    metrics: { loss: 1, accuracy: 0.5, trainMs: 1, encodeMs: 1 },
    update: update as MessageOf<'update'>['update'],
  };
}

/** Rewrites the trailing CRC-32 of an encoded tensor, so that only the mutated field is wrong. */
function fixCrc(b: Uint8Array): Uint8Array {
  if (b.length >= 4)
    new DataView(b.buffer, b.byteOffset).setUint32(b.length - 4, crc32(b.subarray(0, b.length - 4)), true);
  return b;
}

/** Runs the target and a campaign against it. */
export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const started = performance.now();
  const log = o.log ?? (() => {});
  const rounds = o.rounds ?? 6;
  const targetOptions: TargetOptions = { rounds, ...o.targetOptions };
  const n = targetOptions.params ?? 2000;
  const goal = new Float32Array(n).map((_, i) => Math.sin(i));
  const child = spawn(
    process.execPath,
    [o.target ?? 'dist/bench/fuzz/target.js', JSON.stringify(targetOptions)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const out = collect(child);
  const url = await out.ready;
  const token = 'fuzz-join-token';
  const sent = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const answers = { errors: {} as Record<string, number>, rejects: {} as Record<string, number>, acks: 0 };
  const count = (c: Category, k = 1) => (sent[c] += k);
  let seed = o.seed ?? 7;
  const sample = <T>(arb: fc.Arbitrary<T>, k: number): T[] => fc.sample(arb, { seed: seed++, numRuns: k });

  // Honest clients first: round 1 starts when they are both there.
  const honest = [0, 1].map((i) => new WireClient(url, `honest-${i}`, token));
  for (const h of honest) {
    await h.connected;
    h.hello();
  }
  const fuzzers: WireClient[] = [];
  const fuzzAnswer = (c: WireClient, event: ServerEventName) => {
    if (event === 'ack') answers.acks++;
    if (event === 'reject') {
      const r = c.inbox.reject.at(-1)!;
      answers.rejects[r.code] = (answers.rejects[r.code] ?? 0) + 1;
    }
    if (event === 'error') {
      const e = c.inbox.error.at(-1)!;
      const key = e.event === 'update' ? `update:${e.code}` : e.code;
      answers.errors[key] = (answers.errors[key] ?? 0) + 1;
    }
    if (event === 'assign') onFuzzAssign(c, c.inbox.assign.at(-1)!);
  };
  // On each assignment a joined fuzzer sends one update the round admits and then refuses.
  let admittedKind = 0;
  const onFuzzAssign = (c: WireClient, a: ReceivedOf<'assign'>) => {
    if (!o.messages) return;
    const codec = createCodec(a.codec);
    const delta = new Float32Array(n).fill(0.01);
    const kinds = ['samples', 'codec', 'length', 'lying-n', 'truncated', 'norm'] as const;
    let kind = kinds[admittedKind++ % kinds.length]!;
    if (kind === 'norm' && a.modelVersion < 1) kind = 'samples'; // no reference median before round 2
    let msg: MessageOf<'update'>;
    if (kind === 'samples') msg = updateMessage(a, codec.encode(delta, a.seed), 1_000_000);
    else if (kind === 'codec') msg = updateMessage(a, createCodec('none').encode(delta, 0));
    else if (kind === 'length')
      msg = updateMessage(a, codec.encode(new Float32Array(n - 1).fill(0.01), a.seed));
    else if (kind === 'lying-n') {
      const b = Uint8Array.from(codec.encode(delta, a.seed));
      new DataView(b.buffer).setUint32(8, n + 1 + (admittedKind % 1000), true);
      msg = updateMessage(a, fixCrc(b));
    } else if (kind === 'truncated') msg = updateMessage(a, codec.encode(delta, a.seed).subarray(0, 40));
    else {
      const big = honest[0]!.weights
        ? honestDelta(honest[0]!, goal).map((x) => x * 1e4)
        : delta.map(() => 1e3);
      msg = updateMessage(a, codec.encode(big, a.seed));
    }
    c.emit('update', msg);
    count('update-admitted-invalid');
  };

  const target = goal;
  await Promise.all(honest.map((h) => until(() => h.inbox.welcome.length > 0 || h.closedByServer, 10_000)));

  const perRound = Math.ceil(o.messages / rounds);
  const joinedCount = o.messages ? (o.joined ?? 12) : 0;
  for (let i = 0; i < joinedCount; i++) {
    const c = new WireClient(url, `fz-${i}`, token, fuzzAnswer);
    await c.connected;
    c.hello();
    fuzzers.push(c);
  }
  let closedByServer = 0;
  const total = () => Object.values(sent).reduce((a, b) => a + b, 0);

  for (let r = 1; r <= rounds; r++) {
    // Wait for both honest clients' assignment of round r.
    await Promise.all(honest.map((h) => until(() => h.inbox.assign.length >= r || h.closedByServer, 40_000)));
    if (honest.some((h) => h.closedByServer)) break;
    const assign = honest[0]!.inbox.assign[r - 1]!;
    if (o.messages) {
      const budget = Math.max(0, Math.min(perRound, o.messages - (total() - sent.flood)));
      closedByServer += await fuzzBatch({
        url,
        token,
        budget,
        assign,
        fuzzers,
        n,
        sample,
        count,
        round: r,
        log,
      });
      // Quiet: the coordinator has answered everything (no answer for 250 ms).
      await until(() => fuzzers.every((f) => Date.now() - f.lastHeard > 250), 15_000).catch(() => undefined);
      log(`round ${r}: ${total()} hostile messages sent`);
    }
    for (const h of honest) {
      const a = h.inbox.assign[r - 1]!;
      h.emit('update', updateMessage(a, createCodec(a.codec).encode(honestDelta(h, target), a.seed)));
    }
    await Promise.all(
      honest.map((h) => until(() => h.inbox.ack.length + h.inbox.reject.length >= r, 20_000)),
    );
  }
  const result = await out.result;
  for (const c of [...honest, ...fuzzers]) c.close();
  const exitCode = await out.exit;
  return {
    target: result,
    sent,
    totalSent: total(),
    answers,
    honestAcks: honest.map((h) => h.inbox.ack.length),
    closedByServer,
    exitCode,
    wallMs: performance.now() - started,
  };
}

interface BatchContext {
  readonly url: string;
  readonly token: string;
  readonly budget: number;
  readonly assign: ReceivedOf<'assign'>;
  readonly fuzzers: readonly WireClient[];
  readonly n: number;
  readonly round: number;
  readonly sample: <T>(arb: fc.Arbitrary<T>, k: number) => T[];
  readonly count: (c: Category, k?: number) => void;
  readonly log: (line: string) => void;
}

/**
 * Shares of a round's budget per group of categories. The flood comes on top, in odd rounds: it
 * lasts until the coordinator closes its connection.
 */
const SHARES = { unjoined: 0.2, hello: 0.08, joined: 0.6, raw: 0.12 } as const;

/** One round's hostile traffic; resolves with the number of fuzz connections the server closed. */
async function fuzzBatch(x: BatchContext): Promise<number> {
  const { sample, count } = x;
  let closed = 0;
  const b = (share: number) => Math.max(1, Math.floor(x.budget * share));

  // Unjoined connections: wrong arguments, unknown events, messages before hello.
  {
    const c = new WireClient(x.url, 'anon', x.token);
    await c.connected;
    const k = b(SHARES.unjoined);
    const junk = sample(fc.anything({ withTypedArray: true, maxDepth: 3 }), k);
    const names = sample(
      fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('model', 'welcome', 'ack', 'error', 'assign')),
      k,
    );
    for (let i = 0; i < k; i++) {
      const v = junk[i];
      switch (i % 5) {
        case 0:
          c.raw('update', v, v); // two arguments
          count('wrong-arguments');
          break;
        case 1:
          c.raw(typeof v === 'string' ? 'hello' : 'update', typeof v === 'function' ? null : v);
          count('wrong-arguments');
          break;
        case 2:
          c.raw(names[i]! || 'x', new Uint8Array(4));
          count('unknown-event');
          break;
        case 3:
          c.raw('update', packr.pack(v ?? null));
          count('not-joined');
          break;
        default:
          c.raw(
            'eval-result',
            packr.pack({ requestId: i, modelVersion: 0, sampleCount: 1, loss: 0, accuracy: 0, evalMs: 1 }),
          );
          count('eval-result');
      }
      if (i % 50 === 49) await sleep(5);
    }
    await sleep(50);
    if (c.closedByServer) closed++;
    c.close();
  }

  // Hello mutations: each bad hello is fatal, so a few per connection.
  {
    const k = b(SHARES.hello);
    const base = {
      protocolVersion: PROTOCOL_VERSION,
      token: x.token,
      clientId: 'fz-hello',
      modelVersion: null,
      capabilities: { runtime: 'node', backends: [], codecs: [], codecFormat: 1, maxMessageBytes: 1 << 20 },
    };
    const mutations = sample(
      fc.oneof(
        fc.record({ key: fc.constantFrom(...Object.keys(base)), value: fc.anything({ maxDepth: 2 }) }),
        fc.record({ key: fc.string({ maxLength: 10 }), value: fc.anything({ maxDepth: 1 }) }),
      ),
      k,
    );
    for (let i = 0; i < k; i += 4) {
      const c = new WireClient(x.url, 'fz-hello', x.token);
      if (!(await c.connected)) continue;
      for (let j = i; j < Math.min(k, i + 4); j++) {
        const m = mutations[j]!;
        // Never a valid hello (its client would take part in rounds): the token is always wrong,
        // unless the mutation is of the token itself.
        const msg: Record<string, unknown> = { ...base, token: 'wrong-token', [m.key]: m.value };
        if (j % 7 === 5) msg['protocolVersion'] = PROTOCOL_VERSION - 1; // an older client
        let frame: Uint8Array = packr.pack(msg);
        if (j % 11 === 1) frame = frame.subarray(0, Math.max(1, frame.length >> 1));
        if (j % 11 === 2) frame = extPackr.pack({ ...msg, capabilities: new Float64Array(3) });
        if (j % 11 === 4) frame = new Uint8Array(70_000 + (j % 3));
        c.raw('hello', frame);
        count('hello-mutation');
      }
      await sleep(20);
      if (c.closedByServer) closed++;
      c.close();
    }
  }

  // Joined fuzzers: updates refused before admission (random, field and tensor mutations, round rules).
  {
    const k = b(SHARES.joined);
    const a = x.assign;
    const codec = createCodec(a.codec);
    const valid = codec.encode(new Float32Array(x.n).fill(0.02), a.seed);
    const good = updateMessage(a, valid);
    const randomBytes = sample(fc.uint8Array({ maxLength: 512 }), k);
    const values = sample(fc.anything({ withTypedArray: true, maxDepth: 2 }), k);
    const keys = sample(fc.constantFrom(...UPDATE_FIELDS, 'extra', 'bad-loss', 'v1-map'), k);
    for (let i = 0; i < k; i++) {
      const c = x.fuzzers[i % x.fuzzers.length]!;
      const kind = i % 4;
      if (kind === 0) {
        c.raw('update', i % 8 === 0 ? randomBytes[i]! : packr.pack(values[i] ?? 0));
        count('update-random');
      } else if (kind === 1) {
        // One element of the update array wrong: a wrong type or value, one missing or extra,
        // version 1's map, trailing bytes, ext types.
        const key = keys[i]!;
        const tuple: unknown[] = [...toUpdateTuple(good)];
        let wire: unknown = tuple;
        if (key === 'bad-loss') tuple[3] = [NaN, Infinity, -1, 'x'][i % 4];
        else if (key === 'extra') tuple.push(values[i]);
        else if (key === 'v1-map') wire = good;
        else {
          const at = UPDATE_FIELDS.indexOf(key as UpdateField);
          if (i % 3 === 0) tuple.splice(at, 1);
          else tuple[at] = typeof values[i] === typeof tuple[at] ? 'wrong' : values[i];
        }
        let frame: Uint8Array = packr.pack(wire);
        if (i % 13 === 5) frame = Buffer.concat([frame, Buffer.from([0xc0])]);
        if (i % 13 === 7) frame = extPackr.pack([...toUpdateTuple(good).slice(0, 7), new Float32Array(8)]);
        if (i % 13 === 9) frame = frame.subarray(0, frame.length - 3);
        c.raw('update', frame);
        count('update-field-mutation');
      } else if (kind === 2) {
        // The tensor: truncated, a bit flipped, lengths that lie, oversized, trailing junk; refused
        // before admission because the round id is wrong, or after it as a duplicate.
        const t = Uint8Array.from(valid);
        const m = i % 6;
        let bytes: Uint8Array = t;
        if (m === 0) bytes = t.subarray(0, (i * 7) % t.length);
        else if (m === 1) t[(i * 13) % t.length]! ^= 1 << (i % 8);
        else if (m === 2) new DataView(t.buffer).setUint32(4, (i * 7919) >>> 0, true);
        else if (m === 3) bytes = fixCrc(withU32(t, 8, [0, 1, x.n * 2, 0xffffffff][i % 4]!));
        else if (m === 4)
          bytes = new Uint8Array(4 * x.n + 4096); // over maxUpdateBytes
        else bytes = Buffer.concat([t, Buffer.from([1, 2, 3])]);
        c.emit('update', {
          ...good,
          roundId: a.roundId + 1 + (i % 3),
          update: bytes as MessageOf<'update'>['update'],
        });
        count('update-tensor-mutation');
      } else {
        // Round rules: late, future, wrong version, duplicates (the fuzzer already reported).
        const r = i % 4;
        const msg =
          r === 0
            ? { ...good, roundId: Math.max(0, a.roundId - 1) }
            : r === 1
              ? { ...good, roundId: a.roundId + 5 }
              : r === 2
                ? { ...good, baseVersion: a.modelVersion + 1 + (i % 5) }
                : { ...good, sampleCount: 1_000_000 };
        c.emit('update', msg as MessageOf<'update'>);
        count('update-round-rules');
      }
      if (i % 100 === 99) await sleep(5);
    }
    // Unsolicited evaluation results and second hellos.
    for (const c of x.fuzzers) {
      c.raw(
        'eval-result',
        packr.pack({ requestId: 1, modelVersion: 0, sampleCount: 1, loss: 0, accuracy: 0, evalMs: 1 }),
      );
      count('eval-result');
      c.hello();
      count('hello-mutation');
    }
  }

  // Raw transport junk: Engine.IO, Socket.IO and WebSocket level.
  {
    const k = b(SHARES.raw);
    const texts = sample(fc.string({ maxLength: 80 }), k);
    const bins = sample(fc.uint8Array({ maxLength: 200 }), k);
    for (let i = 0; i < k;) {
      let ws: RawWebSocket;
      try {
        ws = await RawWebSocket.open(x.url);
      } catch {
        i++;
        continue;
      }
      const per = 6;
      for (let j = 0; j < per && i < k; j++, i++) {
        const m = i % 12;
        if (m === 0) {
          ws.text(`9${texts[i]}`); // unknown Engine.IO packet type
          count('raw-engineio');
        } else if (m === 1) {
          ws.text(texts[i]!); // anything
          count('raw-engineio');
        } else if (m === 2) {
          ws.binary(bins[i]!); // binary with no placeholder pending
          count('raw-engineio');
        } else if (m === 3) {
          ws.text('40');
          ws.text(`42${texts[i]}`); // a Socket.IO event of bad JSON
          count('raw-socketio', 2);
        } else if (m === 4) {
          ws.text('40');
          ws.text('4599999-["update",{"_placeholder":true,"num":0}]'); // attachment count that lies
          count('raw-socketio', 2);
        } else if (m === 5) {
          ws.text('40');
          ws.text(`451-["update",{"_placeholder":true,"num":${1 + (i % 1000)}}]`); // placeholder out of range
          ws.binary(bins[i]!);
          count('raw-socketio', 3);
        } else if (m === 6) {
          ws.text('40');
          ws.text(`42["hello",${JSON.stringify('x'.repeat(1000 + (i % 5000)))}]`);
          ws.text('42["__proto__",{"constructor":{"prototype":{"polluted":1}}}]');
          count('raw-socketio', 3);
        } else if (m === 7) {
          ws.text(`4/nope,42["hello"]`); // unknown namespace
          ws.text(`43${i}["ack"]`); // an ack of nothing
          count('raw-socketio', 2);
        } else if (m === 8) {
          ws.text('40');
          ws.text(`452-["update",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]`);
          ws.binary(bins[i]!);
          count('raw-socketio', 3); // one attachment short: the packet waits, then the socket closes
        } else if (m === 9) {
          ws.frame(2, new Uint8Array(16), { claimLength: 2 ** 40 }); // a length that lies (1 TiB)
          count('raw-websocket');
        } else if (m === 10) {
          ws.frame(3 + (i % 5), bins[i]!); // reserved opcodes
          ws.frame(1, Buffer.from('42'), { mask: false }); // an unmasked client frame
          count('raw-websocket', 2);
        } else {
          ws.junk(bins[i]!); // bytes outside any frame
          count('raw-websocket');
        }
      }
      await sleep(10);
      ws.close();
    }
  }

  // Oversized: one frame over Socket.IO's buffer (the connection is dropped), one over the update limit.
  {
    const c = new WireClient(x.url, 'fz-big', x.token);
    if (await c.connected) {
      c.raw('update', new Uint8Array(4 * x.n + 256 * 1024));
      count('oversized');
      await sleep(50);
      if (c.closedByServer) closed++;
    }
    c.close();
  }

  // A flood from one connection: dropped as RATE_LIMITED, then the connection is closed.
  {
    // In odd rounds, until the coordinator closes the connection (≈ 620 messages with the
    // default limits), at most 4000.
    const c = x.round % 2 === 1 ? new WireClient(x.url, 'fz-flood', x.token) : null;
    if (c && (await c.connected)) {
      const frame = new Uint8Array([0x80]);
      for (let i = 0; i < 4000; i++) {
        if (c.closedByServer || c.socket.disconnected) break;
        c.raw(i % 2 ? 'update' : 'flood', frame);
        count('flood');
        if (i % 200 === 199) await sleep(2);
      }
      await until(() => c.closedByServer, 2000).catch(() => undefined);
      if (c.closedByServer) closed++;
    }
    c?.close();
  }
  return closed;
}

function withU32(b: Uint8Array, at: number, v: number): Uint8Array {
  new DataView(b.buffer, b.byteOffset).setUint32(at, v >>> 0, true);
  return b;
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
}

/** The target's stdout: its URL, then its result; and its exit code. */
function collect(child: ChildProcess): {
  ready: Promise<string>;
  result: Promise<TargetResult>;
  exit: Promise<number | null>;
} {
  let buf = '';
  let stderr = '';
  let onReady!: (url: string) => void;
  let onResult!: (r: TargetResult) => void;
  let fail!: (e: Error) => void;
  const ready = new Promise<string>((r, j) => ((onReady = r), (fail = j)));
  const result = new Promise<TargetResult>((r, j) => {
    onResult = r;
    const prev = fail;
    fail = (e) => (prev(e), j(e));
  });
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.startsWith('READY ')) onReady(line.slice(6));
      if (line.startsWith('RESULT ')) onResult(JSON.parse(line.slice(7)) as TargetResult);
    }
  });
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      fail(new Error(`the coordinator exited (${code}) without a result:\n${stderr}`));
      resolve(code);
    }),
  );
  return { ready, result, exit };
}
