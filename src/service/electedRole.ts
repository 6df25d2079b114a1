/**
 * Role elected (docs/scaling.md): the parts around the processor that make a group of instances
 * one topic model over the whole stream. Every instance follows the published models, fills its
 * window from every instance's post-embeddings, and takes part in the election of the refit owner;
 * the elected one first raises its model version and topic ids above everything already published
 * (compacted topics), then refits; one that loses the election goes back to following.
 */
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { startEmbeddingsFeed } from '../kafka/embeddingsFeed.js';
import { ModelFollower } from '../kafka/modelFollower.js';
import { OwnerElection } from '../kafka/ownerElection.js';
import { recoverCountersFromKafka } from '../kafka/recoverCounters.js';
import type { Service } from './service.js';

/** Starts following, the shared window and the election; stops them with the service. Call after `service.start()`. */
export async function startElectedRole(service: Service, kafka: Kafka, config: Config, log: Logger): Promise<void> {
  const p = service.processor;
  const { topics, groupId } = config.kafka;
  // stopped first: the others take over at once instead of after a session timeout
  let election: OwnerElection | undefined;
  service.onStop(async () => election?.stop());
  const models = new ModelFollower(kafka, topics.models, groupId, log);
  await models.start((m) => p.adoptModel(m));
  service.onStop(() => models.stop());
  const feed = await startEmbeddingsFeed(kafka, { topic: topics.embeddings, groupPrefix: groupId, windowDocs: config.stream.window.maxDocs, batchSize: 256 }, log, (values) => p.addShared(values));
  service.onStop(() => feed.stop());
  // each change of role is a term: a promotion still recovering counters when the next change comes is dropped
  let term = 0;
  const onChange = async (owner: boolean, mine = ++term): Promise<void> => {
    if (!owner) return p.setOwner(false);
    // never refit without knowing every version and topic id already published: retry while still elected
    const published = await recoverCountersFromKafka(kafka, { models: topics.models, updates: topics.updates, groupPrefix: groupId }, log).catch((e: unknown) => {
      log.warn({ err: e, retryInSeconds: 5 }, 'elected, but could not read what was already published; not refitting until it can');
      return null;
    });
    if (mine !== term) return;
    if (published === null) {
      setTimeout(() => void (mine === term ? onChange(true, mine) : undefined), 5000).unref();
      return;
    }
    if (published) p.raiseCounters(published.modelVersion, published.nextTopicId);
    p.setOwner(true);
  };
  election = new OwnerElection(kafka, { topic: topics.coordination, groupId: `${groupId}-owner`, sessionTimeoutMs: config.stream.scaleOut.sessionTimeoutSeconds * 1000 }, log, (owner) => void onChange(owner));
  await election.start();
}
