/** One place that turns the config into a kafkajs client, with kafkajs' logs routed to pino. */
import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';

const LEVEL: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function createKafka(cfg: Config['kafka'], log: Logger, clientSuffix = ''): Kafka {
  const kc: KafkaConfig = {
    clientId: cfg.clientId + clientSuffix,
    brokers: cfg.brokers,
    logLevel: logLevel.WARN,
    logCreator: () => ({ namespace, level, log: entry }) => {
      const { message, ...rest } = entry;
      log[LEVEL[level] ?? 'info']({ kafka: namespace, ...rest }, message);
    },
    retry: { retries: 8, initialRetryTime: 300 },
  };
  if (cfg.ssl !== undefined) kc.ssl = cfg.ssl as KafkaConfig['ssl'];
  if (cfg.sasl !== undefined) kc.sasl = cfg.sasl as unknown as SASLOptions;
  return new Kafka(kc);
}
