/**
 * Types for the parts of faye 1.4's server that the CometD endpoint uses; faye ships no type definitions.
 * `engine` is faye's internal engine proxy (`adapter._server._engine`): per-client delivery, connection and
 * client bookkeeping are not public API, so the faye version is pinned and tests cover what is used here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface BayeuxAdvice {
  reconnect?: 'retry' | 'handshake' | 'none';
  interval?: number;
  timeout?: number;
}

export interface BayeuxMessage {
  channel: string;
  id?: string;
  clientId?: string;
  subscription?: string | string[];
  successful?: boolean;
  error?: string;
  advice?: BayeuxAdvice;
  ext?: Record<string, unknown>;
  data?: unknown;
  version?: string;
  minimumVersion?: string;
  supportedConnectionTypes?: string[];
  connectionType?: string;
  reestablish?: boolean;
}

type Pipe = (message: BayeuxMessage) => void;

/** A server extension; `request` is null for faye's in-process client. */
export interface ServerExtension {
  incoming(message: BayeuxMessage, request: IncomingMessage | null, callback: Pipe): void;
  outgoing(message: BayeuxMessage, request: IncomingMessage | null, callback: Pipe): void;
}

export type EngineEvent =
  'handshake' | 'disconnect' | 'connection:open' | 'connection:close' | 'subscribe' | 'unsubscribe';

export interface FayeEngine {
  publish(message: BayeuxMessage): void;
  /** Hands messages to one client's open connection; false when it has none (then they are dropped). */
  deliver(clientId: string, messages: BayeuxMessage[]): boolean;
  hasConnection(clientId: string): boolean;
  destroyClient(clientId: string): void;
  /** Ends a held /meta/connect now, answering it with whatever is queued. */
  flushConnection(clientId: string, close?: boolean): void;
  bind(event: EngineEvent, listener: (clientId: string, channel?: string) => void): void;
}

export interface FayeNodeAdapter {
  addExtension(extension: ServerExtension): void;
  handle(request: IncomingMessage, response: ServerResponse): void;
  close(): void;
  _server: { _engine: FayeEngine };
}

interface FayeModule {
  NodeAdapter: new (options: { mount: string; timeout: number }) => FayeNodeAdapter;
}

export function createNodeAdapter(options: { mount: string; timeout: number }): FayeNodeAdapter {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const faye = require('faye') as FayeModule;
  return new faye.NodeAdapter(options);
}
