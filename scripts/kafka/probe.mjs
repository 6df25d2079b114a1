// Is something listening on a port, and is it a Kafka broker that answers an admin client?
import { connect } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';

/** True when a TCP connection to host:port succeeds within `timeoutMs`. */
export function isListening(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (ok) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/**
 * Connects a kafkajs admin client and lists topics: the check that the broker serves requests
 * (an open port is not enough; the listener opens before the broker has its metadata).
 * Returns the topic names, throws on any failure. One attempt, short timeouts: callers loop.
 */
export async function listTopics(bootstrap, timeoutMs = 3000) {
  const kafka = new Kafka({
    clientId: 'topicstream-kafka-probe',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(timeoutMs, 1000),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await admin.listTopics();
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
