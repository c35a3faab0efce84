import { ByteWriter } from '../bits/byte-writer.js';
import { check } from '../errors.js';
import {
  PositionCoding,
  type PositionPlan,
  planPositions,
  writePositions,
} from '../positions/position-coding.js';
import type { Rng } from '../rng.js';
import { approxTopkSelect } from '../sparsify/approx-topk.js';
import { randkSelect } from '../sparsify/randk.js';
import { type Selection, keptCount } from '../sparsify/selection.js';
import { thresholdSelect } from '../sparsify/threshold.js';
import { topkSelect } from '../sparsify/topk.js';
import { APPROX_DEFAULT_SAMPLE, type PipelineSpec, valueChunk, valueParam } from '../spec/pipeline-spec.js';
import { valueCodecByName } from '../values/registry.js';
import type { ValueParams } from '../values/value-codec.js';
import { crc32 } from './checksum.js';
import { type EncodedTensor, brand } from './encoded-tensor.js';
import {
  CHECKSUM_BYTES,
  FIXED_HEADER_BYTES,
  FLAG_CODED,
  FORMAT_VERSION,
  MAGIC_0,
  MAGIC_1,
  SPARSE_HEADER_BYTES,
  SPARSIFIER_IDS,
  VALUE_HEADER_BYTES,
} from './layout.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function select(x: Float32Array, spec: PipelineSpec, rng: Rng): { sel: Selection; seed: number } | null {
  const s = spec.sparsifier;
  if (!s) return null;
  const n = x.length;
  switch (s.kind) {
    case 'topk':
      return { sel: topkSelect(x, keptCount(n, s.fraction)), seed: 0 };
    case 'approx-topk':
      return {
        sel: approxTopkSelect(x, keptCount(n, s.fraction), rng, {
          sample: s.sample ?? APPROX_DEFAULT_SAMPLE,
        }),
        seed: 0,
      };
    case 'randk': {
      const seed = rng.nextUint32();
      return { sel: randkSelect(x, keptCount(n, s.fraction), seed), seed };
    }
    case 'thresh':
      return { sel: thresholdSelect(x, s.threshold), seed: 0 };
  }
}

/**
 * Encodes `x` with a pipeline into one self-describing message (layout in `layout.ts`). Sizes are
 * computed first and the output allocated once. Rejects NaN/Inf (`NON_FINITE`) and bad parameters
 * (`BAD_PARAM`). Randomness (stochastic rounding, sampling, random-k seeds) comes only from `rng`.
 * After a sparsifier, a value stage with an entropy coding (q, sq) sends its codes coded (flags
 * bit 0) when that is strictly shorter; the message is then rebuilt once at its final size.
 */
export function encodeTensor(x: Float32Array, spec: PipelineSpec, rng: Rng): EncodedTensor {
  check(LITTLE_ENDIAN, 'BAD_PARAM', 'fedzip codecs need a little-endian host');
  check(x instanceof Float32Array, 'BAD_PARAM', 'input must be a Float32Array');
  check(x.length <= 0xffffffff, 'TOO_MANY_ELEMENTS', 'input exceeds 2^32 − 1 elements');
  const value = valueCodecByName(spec.value.kind);
  const params: ValueParams = {
    param: valueParam(spec.value),
    chunk: valueChunk(spec.value),
    ...(spec.value.kind === 'kmeans' && spec.value.iters !== undefined ? { iters: spec.value.iters } : {}),
  };
  value.checkParams(params);

  const picked = select(x, spec, rng);
  const values = picked ? picked.sel.values : x;
  const m = values.length;
  let plan: PositionPlan | null = null;
  if (picked) {
    plan =
      spec.sparsifier!.kind === 'randk'
        ? { coding: PositionCoding.Seeded, riceBits: 0, bytes: 0 }
        : planPositions(picked.sel.positions, picked.sel.k, x.length);
  }
  const payload = value.payloadBytes(m, params);
  const total =
    FIXED_HEADER_BYTES +
    (plan ? SPARSE_HEADER_BYTES + plan.bytes : 0) +
    VALUE_HEADER_BYTES +
    payload +
    CHECKSUM_BYTES;

  const w = new ByteWriter(total);
  w.u8(MAGIC_0);
  w.u8(MAGIC_1);
  w.u8(FORMAT_VERSION);
  w.u8(0);
  w.u32(total);
  w.u32(x.length);
  w.u8(spec.sparsifier ? SPARSIFIER_IDS[spec.sparsifier.kind] : 0);
  w.u8(value.id);
  w.u16(0);
  if (picked && plan) {
    const s = spec.sparsifier!;
    w.f64(s.kind === 'thresh' ? s.threshold : s.fraction);
    w.u32(picked.sel.k);
    w.u8(plan.coding);
    w.u8(plan.riceBits);
    w.u16(0);
    w.u32(plan.coding === PositionCoding.Seeded ? picked.seed : plan.bytes);
    if (plan.bytes > 0)
      writePositions(picked.sel.positions, picked.sel.k, x.length, plan, w.take(plan.bytes));
  }
  w.u16(params.param);
  w.u16(0);
  w.u32(params.chunk);
  const head = w.offset;
  const raw = w.take(payload);
  value.encode(values, params, rng, raw);
  // Only sparse payloads are coded: there the per-value bits dominate a small message and the
  // coder's cost is negligible (k values). Dense q/sq keep the raw path, which is 5–9× faster
  // (issue 2's throughput targets); a decoder still accepts coded dense payloads.
  const coded = picked ? (value.entropy?.code(raw, m, params) ?? null) : null;
  if (coded === null) {
    w.u32(crc32(w.bytes.subarray(0, total - CHECKSUM_BYTES)));
    return brand(w.bytes);
  }
  const size = head + coded.bytes + CHECKSUM_BYTES;
  const out = new Uint8Array(size);
  out.set(w.bytes.subarray(0, head));
  coded.write(out.subarray(head, head + coded.bytes));
  const view = new DataView(out.buffer);
  out[3] = FLAG_CODED;
  view.setUint32(4, size, true);
  view.setUint32(size - CHECKSUM_BYTES, crc32(out.subarray(0, size - CHECKSUM_BYTES)), true);
  return brand(out);
}
