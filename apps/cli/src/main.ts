#!/usr/bin/env node
/**
 * `fedzip`: the command line. One file per command group under ./commands, each exporting a
 * `register(program)` function listed in COMMANDS; it must add subcommands with `program.command()`
 * (not `addCommand`) so they inherit the error handling set up here. Conventions (docs/cli.md): results go to stdout
 * (or to --out files), stderr carries nothing but one `fedzip: …` line on failure; exit codes are
 * 0 ok, 1 bad data or file error, 2 bad command line.
 */
import type { Command } from 'commander';
import { registerAdmin } from './commands/admin.js';
import { registerCodec } from './commands/codec.js';
import { registerClient } from './commands/client.js';
import { registerRun } from './commands/run.js';
import { registerServe } from './commands/serve.js';
import { registerDistill } from './commands/distill.js';
import { FedzipCommand } from './support/command.js';
import { report } from './support/errors.js';
import { packageVersion } from './support/version.js';

const COMMANDS: readonly ((program: Command) => void)[] = [
  registerCodec,
  registerDistill,
  registerRun,
  registerServe,
  registerClient,
  registerAdmin,
];

function createProgram(): FedzipCommand {
  const program = new FedzipCommand('fedzip')
    .description('Federated learning whose model updates travel small.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .showSuggestionAfterError(true)
    // Commander errors throw instead of exiting, and are printed by report() as one line.
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  for (const register of COMMANDS) register(program);
  return program;
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    const { line, exitCode } = report(err);
    if (line) process.stderr.write(`${line}\n`);
    if (process.env['FEDZIP_DEBUG'] && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return exitCode;
  }
}

process.exitCode = await main(process.argv);
