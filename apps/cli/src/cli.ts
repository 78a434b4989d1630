import { attributionCommand, type CommandResult, type ReadText } from './attribution-command';

export const CLI_USAGE = `Usage: npm run -s revops -- <command> [flags]

Commands:
  attribution   attribute a data team's paths file (--help for its flags)`;

/** The revops CLI from its arguments (after the script name) to what it prints and its exit code. */
export async function runCli(argv: readonly string[], readText: ReadText): Promise<CommandResult> {
  const [command, ...args] = argv;
  switch (command) {
    case 'attribution':
      return attributionCommand(args, readText);
    case undefined:
      return { exitCode: 2, stdout: '', stderr: `a command is required\n\n${CLI_USAGE}\n` };
    case '--help':
    case '-h':
    case 'help':
      return { exitCode: 0, stdout: `${CLI_USAGE}\n`, stderr: '' };
    default:
      return { exitCode: 2, stdout: '', stderr: `"${command}" is not a command\n\n${CLI_USAGE}\n` };
  }
}
