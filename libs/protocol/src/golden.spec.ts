/**
 * Golden frames: the msgpack encoding pinned byte for byte, annotated against docs/protocol.md.
 * A change here is a wire change: bump PROTOCOL_VERSION and update the document.
 */
import { type EncodedTensor, createCodec, createRng } from '@fedzip/codec';
import { describe, expect, it } from '@jest/globals';
import { hex, unhex } from './__tests__/fixtures.js';
import { decodeMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import type { AssignMessage, UpdateMessage } from './messages.js';
import { packValue } from './wire/msgpack.js';

// Not a valid encoded tensor: the protocol carries the bytes and does not parse them, and pinning
// the envelope should not depend on the codec's format. (Only a test may forge the brand.)
const FAKE_TENSOR = new Uint8Array([0x46, 0x5a, 0x01, 0x00]) as EncodedTensor;

const ACK_FRAME = unhex(`
  81                          | fixmap, 1 entry
  a7 726f756e644964 07        | "roundId": 7 (positive fixint)
`);

const UPDATE: UpdateMessage = {
  roundId: 3,
  baseVersion: 2,
  sampleCount: 600,
  metrics: { loss: 0.5, accuracy: 0.875, trainMs: 1200, encodeMs: 3.25 },
  update: FAKE_TENSOR,
};
/** {@link UPDATE} as the receiver gets it: the same figures (all exact in float32), the bytes its own. */
const UPDATE_RECEIVED = {
  ...UPDATE,
  update: new Uint8Array(FAKE_TENSOR),
};
// Protocol version 2: a positional array, no keys. 26 B of envelope around the 4-byte tensor
// (version 1's map took 117 B for the same message).
const UPDATE_FRAME = unhex(`
  98                          | fixarray, 8 elements
  03                          | [0] roundId: 3 (positive fixint)
  02                          | [1] baseVersion: 2
  cd 0258                     | [2] sampleCount: 600 (uint16)
  ca 3f000000                 | [3] loss: 0.5 (float32: sign 0, exponent 0x7e = 2^-1, mantissa 0)
  ca 3f600000                 | [4] accuracy: 0.875 (float32: 1.75 × 2^-1, mantissa 0x600000 = .75)
  cd 04b0                     | [5] trainMs: 1200 (uint16)
  ca 40500000                 | [6] encodeMs: 3.25 (float32: 1.625 × 2^1, mantissa 0x500000 = .625)
  c4 04 465a0100              | [7] update: bin8, 4 bytes
`);

const ASSIGN: AssignMessage = {
  roundId: 3,
  modelVersion: 2,
  localEpochs: 2,
  batchSize: 32,
  lr: 0.05,
  optimizer: 'sgd',
  proxMu: 0,
  codec: 'topk:0.01+q8',
  errorFeedback: true,
  deadline: 1_767_225_600_000,
  seed: 0xdeadbeef,
};
const ASSIGN_FRAME = unhex(`
  8b                                    | fixmap, 11 entries
  a7 726f756e644964 03                  | "roundId": 3
  ac 6d6f64656c56657273696f6e 02        | "modelVersion": 2
  ab 6c6f63616c45706f636873 02          | "localEpochs": 2
  a9 626174636853697a65 20              | "batchSize": 32
  a2 6c72 cb3fa999999999999a            | "lr": 0.05 (float64)
  a9 6f7074696d697a6572 a3 736764       | "optimizer": "sgd"
  a6 70726f784d75 00                    | "proxMu": 0
  a5 636f646563 ac 746f706b3a302e30312b7138 | "codec": "topk:0.01+q8"
  ad 6572726f72466565646261636b c3      | "errorFeedback": true
  a8 646561646c696e65 cb4279b76daa800000 | "deadline": 1767225600000 (beyond 32 bits: float64)
  a4 73656564 ce deadbeef               | "seed": 0xdeadbeef (uint32)
`);

describe('golden frames', () => {
  it('pins ack', () => {
    expect(hex(encodeMessage('ack', { roundId: 7 }))).toBe(hex(ACK_FRAME));
    expect(decodeMessage('ack', ACK_FRAME)).toEqual({ ok: true, event: 'ack', msg: { roundId: 7 } });
  });

  it('pins update', () => {
    expect(hex(encodeMessage('update', UPDATE))).toBe(hex(UPDATE_FRAME));
    const r = decodeMessage('update', UPDATE_FRAME);
    expect(r).toEqual({ ok: true, event: 'update', msg: UPDATE_RECEIVED });
  });

  it('pins a typical update around a real topk:0.01+q8 tensor of the 54,314-parameter student', () => {
    const rng = createRng(17);
    const delta = new Float32Array(54_314);
    for (let i = 0; i < delta.length; i++) delta[i] = (rng.nextFloat() - 0.5) * 0.01;
    const tensor = createCodec('topk:0.01+q8').encode(delta, 17);
    expect(tensor.byteLength).toBeGreaterThan(255); // bin16, as every real sparse update is
    expect(tensor.byteLength).toBeLessThan(65_536);
    const msg: UpdateMessage = {
      roundId: 17,
      baseVersion: 17,
      sampleCount: 300,
      metrics: { loss: 0.2345, accuracy: 0.93, trainMs: 812.4, encodeMs: 1.3 },
      update: tensor,
    };
    const len = tensor.byteLength.toString(16).padStart(4, '0');
    const envelope = unhex(`
      98                      | fixarray, 8 elements
      11                      | [0] roundId: 17
      11                      | [1] baseVersion: 17
      cd 012c                 | [2] sampleCount: 300 (uint16)
      ca 3e7020c5             | [3] loss: 0.2345 as float32 (1.876 × 2^-3: exponent 0x7c, mantissa
                              |     round(0.876 × 2^23) = 0x7020c5), read back as 0.2345000058…
      ca 3f6e147b             | [4] accuracy: 0.93 as float32 (1.86 × 2^-1: exponent 0x7e,
                              |     mantissa round(0.86 × 2^23) = 0x6e147b), read back as 0.9300000071…
      ca 444b199a             | [5] trainMs: 812.4 as float32 (1.5867… × 2^9), read back as 812.4000244…
      ca 3fa66666             | [6] encodeMs: 1.3 as float32 (1.3 × 2^0), read back as 1.2999999523…
      c5 ${len}               | [7] update: bin16 and its length; the tensor's bytes follow
    `);
    const frame = encodeMessage('update', msg);
    expect(hex(frame)).toBe(hex(envelope) + hex(tensor));
    // 29 B of envelope (23 B with whole-millisecond timings). Version 1's map of the same message
    // (float64 metrics) took 124 B: 78 B of keys, 4 × 9 B of float64, headers and integers.
    expect(frame.byteLength - tensor.byteLength).toBe(29);
    const v1 = packValue({ ...msg, update: tensor });
    expect(v1.byteLength - tensor.byteLength).toBe(124);
    expect(decodeMessage('update', frame)).toEqual({
      ok: true,
      event: 'update',
      msg: {
        ...msg,
        metrics: {
          loss: Math.fround(0.2345),
          accuracy: Math.fround(0.93),
          trainMs: Math.fround(812.4),
          encodeMs: Math.fround(1.3),
        },
        update: new Uint8Array(tensor),
      },
    });
  });

  it('pins assign', () => {
    expect(hex(encodeMessage('assign', ASSIGN))).toBe(hex(ASSIGN_FRAME));
    expect(decodeMessage('assign', ASSIGN_FRAME)).toEqual({ ok: true, event: 'assign', msg: ASSIGN });
  });

  it('reads what another msgpack implementation may write for the same update', () => {
    // An array16 header; an int written as uint64, int16 or a whole float64; loss as float64;
    // the bytes as bin16: all plain msgpack, all accepted.
    const foreign = unhex(`
      dc 0008                     | array16, 8 elements
      cf 0000000000000003         | [0] roundId: 3 (uint64)
      d1 0002                     | [1] baseVersion: 2 (int16)
      cb 4082c00000000000         | [2] sampleCount: 600.0 (float64, integral)
      cb 3fe0000000000000         | [3] loss: 0.5 (float64)
      ca 3f600000                 | [4] accuracy: 0.875 (float32)
      ce 000004b0                 | [5] trainMs: 1200 (uint32)
      cb 400a000000000000         | [6] encodeMs: 3.25 (float64)
      c5 0004 465a0100            | [7] update: bin16, 4 bytes
    `);
    const r = decodeMessage('update', foreign);
    expect(r).toEqual({ ok: true, event: 'update', msg: UPDATE_RECEIVED });
  });

  it('reads a deadline sent as uint64', () => {
    const frame = unhex(hex(ASSIGN_FRAME).replace('cb4279b76daa800000', 'cf0000019b76daa800'));
    expect(decodeMessage('assign', frame)).toEqual({ ok: true, event: 'assign', msg: ASSIGN });
  });
});
