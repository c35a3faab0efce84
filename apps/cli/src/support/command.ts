import { Command, type HelpContext } from 'commander';
import { usageError } from './errors.js';

/**
 * A commander `Command` whose "group called without a subcommand" case (`fedzip codec`) is a
 * one-line usage error like every other, instead of the full help on stderr. Subcommands created
 * with `.command()` are FedzipCommands too and inherit the root's output and exit settings.
 */
export class FedzipCommand extends Command {
  override createCommand(name?: string): FedzipCommand {
    return new FedzipCommand(name);
  }

  override help(context?: HelpContext | ((str: string) => string)): never {
    if (typeof context === 'function') return super.help(context);
    if (context?.error) {
      const path = commandPath(this);
      const names = this.commands.map((c) => c.name()).join(', ');
      const what = this.args.length === 0 ? 'missing command' : 'unknown command';
      throw usageError(`${what}: '${path}' expects one of ${names} (see '${path} --help')`);
    }
    return super.help(context);
  }
}

function commandPath(cmd: Command): string {
  return cmd.parent ? `${commandPath(cmd.parent)} ${cmd.name()}` : cmd.name();
}
