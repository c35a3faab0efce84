/**
 * Golden frames: the msgpack encoding pinned byte for byte, annotated against docs/protocol.md.
 * A change here is a wire change: bump PROTOCOL_VERSION and update the document.
 */
import type { EncodedTensor } from '@fedzip/codec';
import { describe, expect, it } from '@jest/globals';
import { hex, unhex } from './__tests__/fixtures.js';
import { decodeMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import type { AssignMessage, UpdateMessage } from './messages.js';

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
const UPDATE_FRAME = unhex(`
  85                                    | fixmap, 5 entries
  a7 726f756e644964 03                  | "roundId": 3
  ab 6261736556657273696f6e 02          | "baseVersion": 2
  ab 73616d706c65436f756e74 cd0258      | "sampleCount": 600 (uint16)
  a7 6d657472696373 84                  | "metrics": fixmap, 4 entries
    a4 6c6f7373 cb3fe0000000000000      |   "loss": 0.5 (float64)
    a8 6163637572616379 cb3fec000000000000 | "accuracy": 0.875 (float64)
    a7 747261696e4d73 cd04b0            |   "trainMs": 1200 (an integral number is written as an int)
    a8 656e636f64654d73 cb400a000000000000 | "encodeMs": 3.25 (float64)
  a6 757064617465 c404 465a0100         | "update": bin8, 4 bytes
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
    expect(r).toEqual({ ok: true, event: 'update', msg: { ...UPDATE, update: new Uint8Array(FAKE_TENSOR) } });
  });

  it('pins assign', () => {
    expect(hex(encodeMessage('assign', ASSIGN))).toBe(hex(ASSIGN_FRAME));
    expect(decodeMessage('assign', ASSIGN_FRAME)).toEqual({ ok: true, event: 'assign', msg: ASSIGN });
  });

  it('reads what another msgpack implementation may write for the same update', () => {
    // Key order differs; str8 keys; map16 headers; an int written as uint64, a float as float32,
    // the bytes as bin16: all plain msgpack, all accepted.
    const foreign = unhex(`
      de 0005                                     | map16, 5 entries
      a6 757064617465 c50004 465a0100             | "update": bin16, 4 bytes
      d9 07 726f756e644964 cf0000000000000003     | "roundId" (str8): 3 (uint64)
      ab 6261736556657273696f6e d10002           | "baseVersion": 2 (int16)
      ab 73616d706c65436f756e74 cb4082c00000000000 | "sampleCount": 600.0 (float64, integral)
      a7 6d657472696373 de0004                    | "metrics": map16, 4 entries
        a4 6c6f7373 ca3f000000                    |   "loss": 0.5 (float32)
        a8 6163637572616379 ca3f600000            |   "accuracy": 0.875 (float32)
        a7 747261696e4d73 cd04b0                  |   "trainMs": 1200
        a8 656e636f64654d73 cb400a000000000000    |   "encodeMs": 3.25
    `);
    const r = decodeMessage('update', foreign);
    expect(r).toEqual({ ok: true, event: 'update', msg: { ...UPDATE, update: new Uint8Array(FAKE_TENSOR) } });
  });

  it('reads a deadline sent as uint64', () => {
    const frame = unhex(hex(ASSIGN_FRAME).replace('cb4279b76daa800000', 'cf0000019b76daa800'));
    expect(decodeMessage('assign', frame)).toEqual({ ok: true, event: 'assign', msg: ASSIGN });
  });
});
