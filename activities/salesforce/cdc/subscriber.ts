/**
 * Follows `/data/Project__ChangeEvent` through jsforce's streaming client and hands each event, in order, to a
 * handler; the cursor advances only after the handler returns (that is, after Temporal accepted the event).
 *
 * faye recovers from some failures by itself and silently dies on others, so this class watches for them:
 * - `401::Authentication invalid` (advice reconnect none): log in again and rebuild the client from the cursor;
 * - a failed subscribe (including one faye retried by itself after `403::Unknown client`): rebuild; an invalid
 *   replayId falls back to new events only and asks for a reconciliation from the cursor's commit time;
 * - no `/meta/connect` answer for longer than Salesforce ever holds one: rebuild.
 */
import type { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/api/streaming';
import type { Logger } from '../../../common/logger';
import type { ChangeStreamCursor } from './types';
import { changeEventSchema, PROJECT_CHANNEL, type ChangeEvent } from './change-event';

interface BayeuxMessage {
  channel?: string;
  successful?: boolean;
  error?: string;
  subscription?: string;
}

/** The parts of faye's client used here (jsforce's bundled typings omit `disconnect`). */
interface FayeClient {
  subscribe(
    channel: string,
    listener: (data: unknown) => void,
  ): { callback(fn: () => void): void; errback(fn: (err: { message?: string }) => void): void };
  disconnect(): void;
}

export interface SubscriberHooks {
  /** A fresh, logged-in connection (called again after the session was reported invalid). */
  connect(fresh: boolean): Promise<Connection>;
  /** Hands one event to Temporal; throwing stops the subscriber without advancing the cursor. */
  onEvent(event: ChangeEvent): Promise<void>;
  /** Changes since this commit time may have been missed: re-read them. */
  onGap(sinceCommitTimestamp: number | null, reason: string): Promise<void>;
  onCursor(cursor: ChangeStreamCursor): void;
  logger: Logger;
}

/** Salesforce holds a /meta/connect at most 110 s; silence well past that means the client is dead. */
const SILENCE_LIMIT_MS = 150_000;
const INVALID_REPLAY = /replayId .* was invalid|The replayId/i;

export class ChangeEventSubscriber {
  private client: FayeClient | undefined;
  private chain: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private lastConnectReply = Date.now();
  private rebuilding = false;
  private stopped = false;
  private eventsHandled = 0;

  constructor(
    private cursor: ChangeStreamCursor | null,
    private readonly startReplayId: -1 | -2,
    private readonly hooks: SubscriberHooks,
  ) {}

  get handled(): number {
    return this.eventsHandled;
  }

  get position(): ChangeStreamCursor | null {
    return this.cursor;
  }

  async start(): Promise<void> {
    await this.build(this.cursor?.replayId ?? this.startReplayId, false);
  }

  /** Rejects as soon as handing an event to Temporal failed. */
  check(): void {
    if (this.failure) throw this.failure;
    if (!this.rebuilding && Date.now() - this.lastConnectReply > SILENCE_LIMIT_MS)
      void this.rebuild('no /meta/connect reply', false);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.client?.disconnect();
    this.client = undefined;
    await this.chain.catch(() => undefined);
  }

  private async build(replayFrom: number, freshSession: boolean): Promise<void> {
    const conn = await this.hooks.connect(freshSession);
    const watcher = {
      incoming: (message: BayeuxMessage, callback: (m: BayeuxMessage) => void) => this.watch(message, callback),
    };
    const client = conn.streaming.createClient([
      new StreamingExtension.AuthFailure(() => void this.rebuild('authentication invalid', true)),
      new StreamingExtension.Replay(PROJECT_CHANNEL, replayFrom),
      watcher,
    ]) as unknown as FayeClient;
    this.client = client;
    this.lastConnectReply = Date.now();
    const subscription = client.subscribe(PROJECT_CHANNEL, (data) => this.enqueue(data));
    await new Promise<void>((resolve) => {
      subscription.callback(() => resolve());
      subscription.errback((err) => {
        resolve();
        void this.onSubscribeFailed(err.message ?? 'subscribe failed');
      });
    });
    this.hooks.logger.info({ replayFrom, channel: PROJECT_CHANNEL }, 'subscribed to Salesforce change events');
  }

  private watch(message: BayeuxMessage, callback: (m: BayeuxMessage) => void): void {
    if (message.channel === '/meta/connect') this.lastConnectReply = Date.now();
    // faye re-subscribes by itself after a re-handshake and drops the failure on the floor: catch it here.
    if (message.channel === '/meta/subscribe' && message.successful === false)
      void this.onSubscribeFailed(message.error ?? 'subscribe failed');
    callback(message);
  }

  private async onSubscribeFailed(error: string): Promise<void> {
    if (this.rebuilding || this.stopped) return;
    if (!INVALID_REPLAY.test(error)) return this.rebuild(`subscribe failed: ${error}`, false);
    this.hooks.logger.warn(
      { error, cursor: this.cursor },
      'stored replayId is no longer valid; following new events and reconciling',
    );
    const since = this.cursor?.commitTimestamp ?? null;
    this.cursor = null;
    await this.rebuild('invalid replayId', false, -1);
    this.chain = this.chain.then(() => this.hooks.onGap(since, 'replayId expired'));
    this.chain.catch((err: Error) => (this.failure = err));
  }

  private async rebuild(reason: string, freshSession: boolean, replayFrom?: number): Promise<void> {
    if (this.rebuilding || this.stopped) return;
    this.rebuilding = true;
    this.hooks.logger.warn({ reason, cursor: this.cursor }, 'rebuilding the Salesforce streaming client');
    try {
      this.client?.disconnect();
      // Events already queued are handled first; the new client starts after the last one handed over.
      await this.chain.catch(() => undefined);
      await this.build(replayFrom ?? this.cursor?.replayId ?? this.startReplayId, freshSession);
    } catch (err) {
      this.failure = err as Error;
    } finally {
      this.rebuilding = false;
    }
  }

  private enqueue(data: unknown): void {
    this.chain = this.chain.then(() => this.handle(data));
    this.chain.catch((err: Error) => (this.failure = err));
  }

  private async handle(data: unknown): Promise<void> {
    if (this.failure || this.stopped) return;
    const parsed = changeEventSchema.safeParse(data);
    if (!parsed.success) {
      this.hooks.logger.error(
        { issues: parsed.error.issues, data },
        'change event does not have the CDC shape; skipped',
      );
      return;
    }
    const event = parsed.data;
    // A rebuilt client may replay what was already handed over.
    if (this.cursor && event.event.replayId <= this.cursor.replayId) return;
    const header = event.payload.ChangeEventHeader;
    if (header.changeType === 'GAP_OVERFLOW') await this.hooks.onGap(header.commitTimestamp, 'GAP_OVERFLOW');
    else await this.hooks.onEvent(event);
    this.cursor = { replayId: event.event.replayId, commitTimestamp: header.commitTimestamp };
    this.eventsHandled++;
    this.hooks.onCursor(this.cursor);
  }
}
