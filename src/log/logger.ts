/** Structured JSON logs (pino) on stderr, so stdout stays free for command output. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = process.env.TOPICSTREAM_LOG_LEVEL ?? 'info', name = 'topicstream'): Logger {
  return pino({ name, level, base: { name } }, pino.destination({ fd: 2, sync: true }));
}
