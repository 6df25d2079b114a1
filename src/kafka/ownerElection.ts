/**
 * Role elected (docs/scaling.md): the refit owner is chosen through Kafka itself. Every instance
 * joins one consumer group on a one-partition coordination topic; the group coordinator gives that
 * partition to exactly one member, which is the owner. When it stops heartbeating (killed, hung,
 * cut off) for stream.scaleOut.sessionTimeoutSeconds, the group rebalances and another member gets
 * the partition. A member gives up ownership as soon as a rebalance starts and takes it again only
 * if the new assignment names it, so two owners overlap at most by one session timeout of a member
 * that is cut off from the broker.
 */
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from 'pino';

const RELAUNCH_MS = 2000;

export class OwnerElection {
  private consumer: Consumer | null = null;
  private owner = false;
  private stopping = false;
  private relaunchTimer?: NodeJS.Timeout;

  constructor(
    private readonly kafka: Kafka,
    private readonly opts: { topic: string; groupId: string; sessionTimeoutMs: number },
    private readonly log: Logger,
    private readonly onChange: (owner: boolean) => void,
  ) {}

  async start(): Promise<void> {
    if (this.stopping) return;
    const c = this.kafka.consumer({
      groupId: this.opts.groupId,
      sessionTimeout: this.opts.sessionTimeoutMs,
      rebalanceTimeout: this.opts.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(this.opts.sessionTimeoutMs / 10)),
      maxWaitTimeInMs: 1000,
      retry: { retries: 5, restartOnFailure: async () => !this.stopping },
    });
    this.consumer = c;
    const ev = c.events;
    c.on(ev.GROUP_JOIN, (e) => this.set((e.payload.memberAssignment[this.opts.topic] ?? []).includes(0)));
    c.on(ev.REBALANCING, () => this.set(false));
    c.on(ev.STOP, () => this.set(false));
    c.on(ev.DISCONNECT, () => this.set(false));
    c.on(ev.CRASH, (e) => {
      this.set(false);
      if ((e.payload as { restart?: boolean }).restart !== true) this.relaunch(c);
    });
    try {
      await c.connect();
      await c.subscribe({ topic: this.opts.topic, fromBeginning: false });
      // nothing is read: holding the partition is the point; running keeps the heartbeats going
      await c.run({ autoCommit: false, eachMessage: async () => undefined });
    } catch (e) {
      this.log.warn({ err: e }, 'the owner election could not start; retrying');
      this.relaunch(c);
    }
  }

  private set(owner: boolean): void {
    if (owner === this.owner) return;
    this.owner = owner;
    this.onChange(owner);
  }

  private relaunch(old: Consumer): void {
    if (this.stopping || this.relaunchTimer) return;
    this.relaunchTimer = setTimeout(() => {
      this.relaunchTimer = undefined;
      void old.disconnect().catch(() => undefined).then(() => this.start());
    }, RELAUNCH_MS);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.relaunchTimer) clearTimeout(this.relaunchTimer);
    await this.consumer?.disconnect();
    this.set(false);
  }
}
