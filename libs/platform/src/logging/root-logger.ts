import pino, { type Logger } from 'pino';
import type { LogLevel } from '../config/environment-variables';

/**
 * The process's one pino logger: JSON lines on stdout, ISO timestamps. Credentials in
 * request headers are masked before a line is written.
 */
export function createRootLogger(level: LogLevel, service: string): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
  });
}
