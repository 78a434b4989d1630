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

/**
 * Requests that get no access-log line: `/health`, which load balancers poll every few
 * seconds, and `/metrics`, which Prometheus scrapes as often. A line per poll buries the rest.
 */
export function isPolledEndpoint(request: { url?: string }): boolean {
  return request.url === '/health' || request.url === '/metrics';
}
