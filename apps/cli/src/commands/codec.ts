/**
 * `fedzip codec encode|decode|inspect`: the update codec over files. `.f32` files are raw
 * little-endian float32; `.fz` files are self-describing encoded messages (docs/wire-format.md).
 * Success is silent except for `inspect`, which prints one JSON object on stdout.
 */
import { createCodec, decode, inspect } from '@fedzip/codec';
import { type Command, InvalidArgumentError } from 'commander';
import { readBytes, readF32, writeBytes, writeF32 } from '../support/files.js';

interface EncodeOptions {
  readonly codec: string;
  readonly in: string;
  readonly out: string;
  readonly seed: number;
}

interface FileOptions {
  readonly in: string;
  readonly out: string;
}

export function registerCodec(program: Command): void {
  const codec = program.command('codec').description('compress, decompress and inspect tensors (.f32 ⇄ .fz)');

  codec
    .command('encode')
    .description('encode raw float32 values into a self-describing .fz message')
    .requiredOption('--codec <spec>', 'pipeline spec, e.g. none, q8, topk:0.01+q8 (docs/wire-format.md)')
    .requiredOption('--in <file>', 'input: raw little-endian float32 (.f32)')
    .requiredOption('--out <file>', 'output: the encoded message (.fz)')
    .option('--seed <n>', 'seed of the randomised stages, an integer in [0, 2^32)', parseSeed, 0)
    .action(async (opts: EncodeOptions) => {
      const pipeline = createCodec(opts.codec); // a bad spec fails before any file is touched
      const x = await readF32(opts.in);
      await writeBytes(opts.out, pipeline.encode(x, opts.seed));
    });

  codec
    .command('decode')
    .description('decode any .fz message into raw float32 values')
    .requiredOption('--in <file>', 'input: an encoded message (.fz)')
    .requiredOption('--out <file>', 'output: raw little-endian float32 (.f32)')
    .action(async (opts: FileOptions) => {
      await writeF32(opts.out, decode(await readBytes(opts.in)));
    });

  codec
    .command('inspect')
    .description('print a summary of a .fz message as one JSON object on stdout')
    .requiredOption('--in <file>', 'input: an encoded message (.fz)')
    .action(async (opts: Pick<FileOptions, 'in'>) => {
      process.stdout.write(`${JSON.stringify(inspect(await readBytes(opts.in)))}\n`);
    });
}

function parseSeed(value: string): number {
  const seed = Number(value);
  if (!/^\d+$/.test(value) || seed > 0xffffffff) {
    throw new InvalidArgumentError('expected an integer in [0, 4294967295].');
  }
  return seed;
}
