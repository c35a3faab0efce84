/** Parsers of numeric command-line options (commander), shared by the commands. */
import { InvalidArgumentError } from 'commander';

/** A TCP port, 0 (a free one) to 65535. */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new InvalidArgumentError('expected a port number in [0, 65535].');
  return n;
}

/** An integer ≥ 1. */
export function parsePositive(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}
