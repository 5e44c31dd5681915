/**
 * Change Data Capture over CometD at `/cometd/<version>`, built on faye's Bayeux server. Server extensions make
 * faye answer as Salesforce (which runs the CometD Java server) does:
 *
 * - Handshake: the reply Salesforce sends (`supportedConnectionTypes: ["long-polling"]` only, `ext.replay`,
 *   `minimumVersion`). A failed handshake lists only long-polling too (faye would list websocket, eventsource,
 *   in-process...: transports Salesforce does not offer), and a failure no retry can cure (an unserved API version,
 *   `400::API version XX.X is not supported`; no version, `400::API version in the URI is mandatory...`) advises
 *   `reconnect: none`, so a faye-based client stops instead of re-handshaking forever. Versions: see `versions.ts`.
 * - The first `/meta/connect` after a handshake is answered at once (the CometD server does so, so the client learns
 *   it is connected; clients such as aiosfstream do not send `advice: {timeout: 0}` and would otherwise block for
 *   the whole poll). Every later connect is held as the long poll, up to 110 s (Salesforce's socket timeout), and
 *   answered early when events arrive.
 * - OAuth checks: `401::Authentication invalid` with `reconnect: none`; on a handshake `403::Handshake denied` with
 *   `ext.sfdc.failureReason`. `403::Unknown client` with `reconnect: handshake` for forgotten clients.
 * - The replay extension (-1, -2, a stored replayId, and the `400::The replayId {N} ...` failure), and delivery of
 *   retained events to a new subscriber before any live event published after its subscribe.
 * Sources: Streaming API guide ("How the Client Connects", "Streaming API Error Codes", "Message Durability"),
 * /work/shared/api-facts/salesforce.md sections 2 and 8.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Sessions } from './auth';
import type { ChangeEventData, ChangeLog } from './change-events';
import { versionStatus } from './versions';
import {
  createNodeAdapter,
  type BayeuxMessage,
  type FayeEngine,
  type FayeNodeAdapter,
  type ServerExtension,
} from './faye';

export const ALL_CHANGE_EVENTS_CHANNEL = '/data/ChangeEvents';
/** Salesforce rejects CometD request bodies above this size. */
const MAX_BODY_BYTES = 32_768;
/** Seconds a /meta/connect is held open (Salesforce's socket timeout). */
const CONNECT_TIMEOUT_S = 110;

const ERR = {
  versionMissing: "400::API version in the URI is mandatory. URI format: '/cometd/60.0'",
  versionUnsupported: (v: string) => `400::API version ${v} is not supported`,
  authRequired: '401::Request requires authentication',
  authInvalid: '401::Authentication invalid',
  handshakeDenied: '403::Handshake denied',
  unknownClient: '403::Unknown client',
  noChannel: '400::Channel name not specified',
  leadingSlash: "400::Channel subscriptions must start with a leading '/'",
  unknownChannel: (c: string) => `400::The channel you requested to subscribe to doesn't exist {${c}}`,
  publishDenied: (c: string) => `403:${c}:Publishing to this channel is not allowed`,
  badReplay: (id: unknown) =>
    `400::The replayId {${String(id)}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
} as const;

function isVersionError(error: string | undefined): boolean {
  return error === ERR.versionMissing || (error?.startsWith('400::API version ') ?? false);
}

export interface CometdOptions {
  sessions: Sessions;
  changes: ChangeLog;
  /** The entity channel, e.g. `/data/Project__ChangeEvent`. */
  entityChannel: string;
  logger: Logger;
}

export class CometdEndpoint {
  private readonly adapter: FayeNodeAdapter;
  private readonly engine: FayeEngine;
  private readonly clients = new Set<string>();
  /** Clients that handshook and have not sent a /meta/connect yet: theirs is answered at once. */
  private readonly awaitingFirstConnect = new Set<string>();
  /** Replayed events for clients that had no open /meta/connect when they subscribed. */
  private readonly pendingReplay = new Map<string, BayeuxMessage[]>();
  /** Events to replay, computed when a subscribe comes in, delivered once the subscribe succeeded. */
  private readonly replayOnSubscribe = new Map<string, ChangeEventData[]>();
  private readonly channels: ReadonlySet<string>;
  private readonly stopListening: () => void;

  constructor(private readonly options: CometdOptions) {
    this.channels = new Set([options.entityChannel, ALL_CHANGE_EVENTS_CHANNEL]);
    this.adapter = createNodeAdapter({ mount: '/cometd', timeout: CONNECT_TIMEOUT_S });
    this.engine = this.adapter._server._engine;
    this.adapter.addExtension(this.extension());
    this.engine.bind('handshake', (clientId) => {
      this.clients.add(clientId);
      this.awaitingFirstConnect.add(clientId);
    });
    this.engine.bind('disconnect', (clientId) => this.forget(clientId));
    // A client's /meta/connect just arrived: its replayed events go out first, before faye's queued live events.
    this.engine.bind('connection:open', (clientId) => this.flushReplay(clientId));
    this.stopListening = options.changes.onEvent((data) => this.publishLive(data));
  }

  static handles(url: string | undefined): boolean {
    const path = (url ?? '').split('?')[0] ?? '';
    return path === '/cometd' || path.startsWith('/cometd/');
  }

  handle(request: IncomingMessage, response: ServerResponse): void {
    if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      response.writeHead(413, { 'content-type': 'text/plain' }).end('Maximum Request Size Exceeded');
      return;
    }
    this.adapter.handle(request, response);
  }

  /** Clients that handshook and are not gone: what the org's concurrent-client allocation counts. */
  get clientCount(): number {
    return this.clients.size;
  }

  /** Forgets every client, as a server rebalance would: their next /meta/connect gets `403::Unknown client`. */
  dropClients(): number {
    const dropped = [...this.clients];
    for (const clientId of dropped) this.engine.destroyClient(clientId);
    this.options.logger.info({ clients: dropped.length }, 'dropped every CometD client');
    return dropped.length;
  }

  /** Answers every held /meta/connect now, so clients come back at once (and meet expired sessions). */
  endLongPolls(): void {
    for (const clientId of this.clients) this.engine.flushConnection(clientId);
  }

  close(): void {
    this.stopListening();
    this.adapter.close();
    this.clients.clear();
  }

  private forget(clientId: string): void {
    this.clients.delete(clientId);
    this.awaitingFirstConnect.delete(clientId);
    this.pendingReplay.delete(clientId);
  }

  private publishLive(data: ChangeEventData): void {
    this.engine.publish({ channel: this.options.entityChannel, data });
    this.engine.publish({ channel: ALL_CHANGE_EVENTS_CHANNEL, data });
  }

  private flushReplay(clientId: string): void {
    const messages = this.pendingReplay.get(clientId);
    if (!messages) return;
    this.pendingReplay.delete(clientId);
    this.engine.deliver(clientId, messages);
  }

  private startReplay(clientId: string, channel: string, events: ChangeEventData[]): void {
    if (events.length === 0) return;
    const messages: BayeuxMessage[] = events.map((data) => ({ channel, data }));
    if (this.engine.hasConnection(clientId)) {
      this.engine.deliver(clientId, messages);
      return;
    }
    this.pendingReplay.set(clientId, [...(this.pendingReplay.get(clientId) ?? []), ...messages]);
  }

  private extension(): ServerExtension {
    return {
      incoming: (message, request, callback) => {
        // faye's own in-process client is trusted; everything else must look like a Salesforce client.
        if (request) message.error ??= this.incomingError(message, request);
        if (message.error === undefined) delete message.error;
        if (request && !message.error) this.answerFirstConnectAtOnce(message);
        callback(message);
      },
      outgoing: (message, request, callback) => {
        if (request) this.shapeReply(message);
        callback(message);
      },
    };
  }

  /** faye holds a connect for `advice.timeout` ms when the client gives one: 0 makes it answer at once. */
  private answerFirstConnectAtOnce(message: BayeuxMessage): void {
    if (message.channel !== '/meta/connect' || !message.clientId) return;
    if (!this.awaitingFirstConnect.delete(message.clientId)) return;
    message.advice = { ...message.advice, timeout: 0 };
  }

  private incomingError(message: BayeuxMessage, request: IncomingMessage): string | undefined {
    const versionError = this.versionError(request.url ?? '');
    if (versionError) return versionError;
    if (message.channel === '/meta/disconnect') return undefined;
    const authError = this.authError(request);
    if (authError) return authError;
    if (message.channel === '/meta/subscribe') return this.subscribeError(message);
    if (!message.channel.startsWith('/meta/')) return ERR.publishDenied(message.channel);
    return undefined;
  }

  private versionError(url: string): string | undefined {
    const match = /^\/cometd\/([^/?]+)\/?(?:\?|$)/.exec(url);
    if (!match) return ERR.versionMissing;
    const version = match[1]!;
    return versionStatus(version) === 'served' ? undefined : ERR.versionUnsupported(version);
  }

  private authError(request: IncomingMessage): string | undefined {
    const header = request.headers.authorization;
    if (!header) return ERR.authRequired;
    return this.options.sessions.fromHeader(header) ? undefined : ERR.authInvalid;
  }

  private subscribeError(message: BayeuxMessage): string | undefined {
    const channels = message.subscription === undefined ? [] : ([] as string[]).concat(message.subscription);
    if (channels.length === 0) return ERR.noChannel;
    const replay = (message.ext?.replay ?? {}) as Record<string, unknown>;
    for (const channel of channels) {
      if (!channel.startsWith('/')) return ERR.leadingSlash;
      if (!this.channels.has(channel)) return ERR.unknownChannel(channel);
      const from = replay[channel] ?? -1;
      const events = Number.isInteger(from) ? this.options.changes.eventsAfter(Number(from)) : undefined;
      if (!events) return ERR.badReplay(from);
      this.replayOnSubscribe.set(`${message.clientId}\n${channel}`, events);
    }
    return undefined;
  }

  /** Rewrites faye's replies into Salesforce's: handshake fields, error texts and advice. */
  private shapeReply(message: BayeuxMessage): void {
    if (message.channel === '/meta/handshake') return this.shapeHandshake(message);
    if (message.channel === '/meta/subscribe') this.afterSubscribe(message);
    if (!message.error) return;
    if (/^401:[^:]*:Unknown client$/.test(message.error)) {
      message.error = ERR.unknownClient;
      if (message.channel === '/meta/connect') message.advice = { interval: 0, reconnect: 'handshake' };
      return;
    }
    if (message.channel === '/meta/connect' && message.error.startsWith('401::')) {
      // The session is gone: faye stops for good, and jsforce's AuthFailure extension fires.
      message.advice = { interval: 0, reconnect: 'none' };
    }
    if (message.channel === '/meta/connect' && isVersionError(message.error)) {
      message.advice = { interval: 0, reconnect: 'none' };
    }
  }

  private shapeHandshake(message: BayeuxMessage): void {
    const ext = { replay: true, 'payload.format': true };
    // Only long-polling, failed handshakes included: a Node faye client picks its transport from this list.
    message.supportedConnectionTypes = ['long-polling'];
    if (message.error?.startsWith('401::')) {
      message.ext = { sfdc: { failureReason: message.error }, ...ext };
      message.error = ERR.handshakeDenied;
      message.advice = { reconnect: 'none' };
      return;
    }
    if (!message.successful) {
      // Retrying the same URL cannot cure a version error; faye would otherwise re-handshake every second forever.
      if (isVersionError(message.error)) message.advice = { interval: 0, reconnect: 'none' };
      return;
    }
    message.ext = ext;
    message.minimumVersion = '1.0';
    message.reestablish = false;
  }

  private afterSubscribe(message: BayeuxMessage): void {
    const channels = message.subscription === undefined ? [] : ([] as string[]).concat(message.subscription);
    for (const channel of channels) {
      const key = `${message.clientId}\n${channel}`;
      const events = this.replayOnSubscribe.get(key);
      this.replayOnSubscribe.delete(key);
      if (message.successful && message.clientId && events) this.startReplay(message.clientId, channel, events);
    }
  }
}
