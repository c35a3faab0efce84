import {
  APPROX_DEFAULT_SAMPLE,
  type PipelineSpec,
  type ValueSpec,
  QSGD_DEFAULT_BUCKET,
} from './pipeline-spec.js';

/** The canonical spec string of a pipeline: `parseSpec(formatSpec(p))` equals `p` up to defaults. */
export function formatSpec(p: PipelineSpec): string {
  const value = formatValue(p.value);
  if (!p.sparsifier) return value === 'f32' ? 'none' : value;
  const s = p.sparsifier;
  const head =
    s.kind === 'thresh'
      ? `thresh:${s.threshold}`
      : s.kind === 'approx-topk' && s.sample !== undefined && s.sample !== APPROX_DEFAULT_SAMPLE
        ? `approx-topk:${s.fraction}(sample=${s.sample})`
        : `${s.kind}:${s.fraction}`;
  return value === 'f32' ? head : `${head}+${value}`;
}

function formatValue(v: ValueSpec): string {
  const opts: string[] = [];
  const chunk = 'chunk' in v ? v.chunk : undefined;
  const defaultChunk = v.kind === 'qsgd' ? QSGD_DEFAULT_BUCKET : 0;
  if (chunk !== undefined && chunk !== defaultChunk) opts.push(`chunk=${chunk}`);
  if (v.kind === 'kmeans' && v.iters !== undefined) opts.push(`iters=${v.iters}`);
  const suffix = opts.length ? `(${opts.join(',')})` : '';
  switch (v.kind) {
    case 'q':
    case 'sq':
    case 'aq':
      return `${v.kind}${v.bits}${suffix}`;
    case 'qsgd':
      return `qsgd:${v.levels}${suffix}`;
    case 'kmeans':
      return `kmeans:${v.centroids}${suffix}`;
    default:
      return `${v.kind}${suffix}`;
  }
}
