import type * as z from 'zod';
import { ExperimentSchema } from './schema/experiment.js';

interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly out?: z.ZodType;
  readonly options?: readonly z.ZodType[];
}

/**
 * Every key the schema accepts, as dotted paths in document order without duplicates:
 * `name`, …, `data.partition.kind`, `data.partition.alpha`, … The keys of every variant of a
 * discriminated union appear under the union's path. Lists are leaves. docs/config.md is checked
 * against this list.
 */
export function schemaKeyPaths(schema: z.ZodType = ExperimentSchema): string[] {
  const out = new Set<string>();
  walk(schema, '', out);
  return [...out];
}

function walk(schema: z.ZodType, prefix: string, out: Set<string>): void {
  const def = schema._zod.def as unknown as Def;
  switch (def.type) {
    case 'object':
      for (const [key, child] of Object.entries(def.shape ?? {})) {
        const path = prefix ? `${prefix}.${key}` : key;
        out.add(path);
        walk(child, path, out);
      }
      return;
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
    case 'readonly':
    case 'catch':
      if (def.innerType) walk(def.innerType, prefix, out);
      return;
    case 'pipe':
      if (def.in) walk(def.in, prefix, out);
      if (def.out) walk(def.out, prefix, out);
      return;
    case 'union':
      for (const option of def.options ?? []) walk(option, prefix, out);
      return;
    default:
      return;
  }
}
