import { readFile } from 'node:fs/promises';
import { runCli } from './cli';

runCli(process.argv.slice(2), (path) => readFile(path, 'utf8')).then(
  ({ exitCode, stdout, stderr }) => {
    process.stdout.write(stdout);
    process.stderr.write(stderr);
    // Not process.exit(): it can cut off output still on its way down a pipe.
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
