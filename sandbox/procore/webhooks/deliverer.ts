/**
 * Delivers webhook events the way Procore describes it: at least once, POST with JSON, the hook's Authorization
 * header verbatim, a timeout per attempt. A failing delivery pauses its destination (later events wait behind it)
 * and is retried with exponential back-off from `initialDelayMs` up to an hour; after 12 hours, or `maxAttempts`
 * when set, the destination's queue is flushed and its events marked discarded. Every attempt is recorded.
 *
 * Procore says a subscription "has been deactivated after repeated delivery failures" without saying when. The
 * sandbox takes the less forgiving reading: the hook is disabled at its first discard, later events for it are
 * recorded as discarded without being sent, and only an update of the hook (PATCH) turns delivery back on.
 *
 * Work happens on timers and promises, never inside the API request that caused the event. The queue lives in the
 * store, so undelivered events survive a restart.
 */
import http from 'node:http';
import https from 'node:https';
import got, { type CancelableRequest, type Response } from 'got';
import type { FastifyBaseLogger } from 'fastify';
import type { Faults } from '../faults';
import type { Stats } from '../stats';
import type { DeliveryOutcome, HookRecord, QueuedDelivery, SandboxStore, WebhookEvent } from '../store';
import { renderPayload } from './payload';

export interface DelivererOptions {
  initialDelayMs: number;
  maxAttempts?: number;
  timeoutMs: number;
}

const MAX_DELAY_MS = 3_600_000;
const DISCARD_AFTER_MS = 12 * 3_600_000;
/** How long the reorder fault holds an event back waiting for a successor to swap with. */
const REORDER_HOLD_MS = 1000;
const MAX_RECORDED_BODY = 2000;
const DISABLED: AttemptResult = {
  ok: false,
  status: null,
  headers: null,
  body: null,
  error: 'hook disabled after repeated failures',
};

interface AttemptResult {
  ok: boolean;
  status: number | null;
  headers: Record<string, string> | null;
  body: string | null;
  error: string | null;
}

interface Held {
  items: QueuedDelivery[];
  timer: NodeJS.Timeout;
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

function queued(event: WebhookEvent, hookId: number): QueuedDelivery {
  return { hook_id: hookId, event, attempts: 0, first_failure_at: null };
}

export class WebhookDeliverer {
  private readonly retryTimers = new Map<number, NodeJS.Timeout>();
  private readonly inFlight = new Map<number, CancelableRequest<Response<string>>>();
  private readonly held = new Map<number, Held>();
  // A fresh connection per delivery: nothing lingers after close, and it matches a remote sender.
  private readonly agent = { http: new http.Agent({ keepAlive: false }), https: new https.Agent({ keepAlive: false }) };
  private closed = false;

  constructor(
    private readonly store: SandboxStore,
    private readonly stats: Stats,
    private readonly faults: Faults,
    private readonly logger: FastifyBaseLogger | undefined,
    private readonly options: DelivererOptions,
  ) {}

  /** Resumes every destination that still has queued events (after a restart). */
  start(): void {
    for (const hookId of new Set(this.store.state.queue.map((item) => item.hook_id))) this.pump(hookId);
  }

  enqueue(hook: HookRecord, event: WebhookEvent): void {
    if (this.closed) return;
    if (hook.disabled) {
      return this.record(hook, queued(event, hook.id), 'discarded', new Date().toISOString(), DISABLED);
    }
    const copies = this.faults.duplicateWebhooks ? 2 : 1;
    const items = Array.from({ length: copies }, () => queued(event, hook.id));
    if (this.faults.reorderWebhooks) return this.holdOrSwap(hook.id, items);
    this.append(hook.id, items);
  }

  pending(): number {
    let count = this.store.state.queue.length;
    for (const held of this.held.values()) count += held.items.length;
    return count;
  }

  /** A deleted hook's queue goes with it. */
  forgetHook(hookId: number): void {
    this.clearTimer(hookId);
    this.inFlight.get(hookId)?.cancel();
    const held = this.held.get(hookId);
    if (held) clearTimeout(held.timer);
    this.held.delete(hookId);
    this.store.state.queue = this.store.state.queue.filter((item) => item.hook_id !== hookId);
    this.store.changed();
  }

  /** Stops timers and in-flight requests; what was not delivered stays queued for the next start. */
  close(): void {
    this.closed = true;
    for (const hookId of [...this.retryTimers.keys()]) this.clearTimer(hookId);
    for (const held of this.held.values()) {
      clearTimeout(held.timer);
      this.store.state.queue.push(...held.items);
    }
    this.held.clear();
    for (const request of this.inFlight.values()) request.cancel();
    this.agent.http.destroy();
    this.agent.https.destroy();
    this.store.changed();
  }

  // ---- queueing ----------------------------------------------------------------------------------------------

  private append(hookId: number, items: QueuedDelivery[]): void {
    this.store.state.queue.push(...items);
    this.store.changed();
    // Never send from inside the API request that caused the event: start after the current I/O turn.
    setImmediate(() => this.pump(hookId));
  }

  /** The reorder fault: hold an event until the next one for the same hook arrives, then send the newer first. */
  private holdOrSwap(hookId: number, items: QueuedDelivery[]): void {
    const held = this.held.get(hookId);
    if (!held) {
      const timer = setTimeout(() => this.release(hookId), REORDER_HOLD_MS);
      this.held.set(hookId, { items, timer });
      return;
    }
    clearTimeout(held.timer);
    this.held.delete(hookId);
    this.append(hookId, [...items, ...held.items]);
  }

  private release(hookId: number): void {
    const held = this.held.get(hookId);
    this.held.delete(hookId);
    if (held) this.append(hookId, held.items);
  }

  private clearTimer(hookId: number): void {
    const timer = this.retryTimers.get(hookId);
    if (timer) clearTimeout(timer);
    this.retryTimers.delete(hookId);
  }

  // ---- delivery ----------------------------------------------------------------------------------------------

  /** Sends the head of a hook's queue unless that hook is busy or waiting out a back-off. */
  private pump(hookId: number): void {
    if (this.closed || this.inFlight.has(hookId) || this.retryTimers.has(hookId)) return;
    const item = this.store.state.queue.find((q) => q.hook_id === hookId);
    if (!item) return;
    const hook = this.store.state.hooks.find((h) => h.id === hookId);
    if (!hook) return this.forgetHook(hookId);
    void this.attempt(hook, item);
  }

  private async attempt(hook: HookRecord, item: QueuedDelivery): Promise<void> {
    const startedAt = new Date().toISOString();
    const result = await this.send(hook, item);
    // Closed, or the hook was deleted while the request was out: the event is no longer this attempt's concern.
    if (this.closed || !this.store.state.queue.includes(item)) return;
    if (result.ok) {
      this.record(hook, item, 'ok', startedAt, result);
      this.remove([item]);
      return this.pump(hook.id);
    }
    item.attempts += 1;
    item.first_failure_at ??= Date.now();
    if (this.exhausted(item)) return this.discardQueue(hook, item, startedAt, result);
    this.record(hook, item, 'retried', startedAt, result);
    this.scheduleRetry(hook.id, item.attempts);
  }

  private async send(hook: HookRecord, item: QueuedDelivery): Promise<AttemptResult> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Procore-Webhooks/sandbox',
    };
    if (hook.destination_headers.Authorization) headers.authorization = hook.destination_headers.Authorization;
    const request = got.post(hook.destination_url, {
      body: renderPayload(item.event, hook),
      headers,
      agent: this.agent,
      timeout: { request: this.options.timeoutMs },
      retry: 0,
      throwHttpErrors: false,
      followRedirect: false,
    });
    this.inFlight.set(hook.id, request);
    try {
      const response = await request;
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      const body = response.body.slice(0, MAX_RECORDED_BODY);
      return { ok, status: response.statusCode, headers: flattenHeaders(response.headers), body, error: null };
    } catch (err) {
      return {
        ok: false,
        status: null,
        headers: null,
        body: null,
        error: err instanceof Error ? err.message : String(err),
      };
    } finally {
      this.inFlight.delete(hook.id);
    }
  }

  private exhausted(item: QueuedDelivery): boolean {
    if (this.options.maxAttempts !== undefined && item.attempts >= this.options.maxAttempts) return true;
    return item.first_failure_at !== null && Date.now() - item.first_failure_at >= DISCARD_AFTER_MS;
  }

  private scheduleRetry(hookId: number, attempts: number): void {
    const delay = Math.min(this.options.initialDelayMs * 2 ** (attempts - 1), MAX_DELAY_MS);
    this.logger?.info({ hookId, attempts, delay }, 'webhook delivery failed; retrying');
    this.retryTimers.set(
      hookId,
      setTimeout(() => {
        this.retryTimers.delete(hookId);
        this.pump(hookId);
      }, delay),
    );
  }

  /** Gives up on a destination: this event failed, everything queued behind it is discarded. */
  private discardQueue(hook: HookRecord, item: QueuedDelivery, startedAt: string, result: AttemptResult): void {
    this.record(hook, item, 'failed', startedAt, result);
    const rest = this.store.state.queue.filter((q) => q.hook_id === hook.id && q !== item);
    const now = new Date().toISOString();
    const none: AttemptResult = {
      ok: false,
      status: null,
      headers: null,
      body: null,
      error: 'discarded after repeated failures',
    };
    for (const discarded of rest) this.record(hook, discarded, 'discarded', now, none);
    this.remove([item, ...rest]);
    hook.disabled = true;
    const discarded = rest.length + 1;
    this.logger?.warn(
      { hookId: hook.id, discarded },
      'webhook destination kept failing; queue discarded, hook disabled',
    );
  }

  private remove(items: QueuedDelivery[]): void {
    const gone = new Set(items);
    this.store.state.queue = this.store.state.queue.filter((q) => !gone.has(q));
    this.store.changed();
  }

  private record(
    hook: HookRecord,
    item: QueuedDelivery,
    outcome: DeliveryOutcome,
    startedAt: string,
    result: AttemptResult,
  ): void {
    if (outcome !== 'discarded') this.stats.countDelivery(outcome === 'ok');
    this.store.addDelivery({
      id: this.store.nextId('deliveryId'),
      hook_id: hook.id,
      event: item.event,
      outcome,
      started_at: startedAt,
      completed_at: new Date().toISOString(),
      response_status: result.status,
      response_headers: result.headers,
      response_body: result.body,
      response_error: result.error,
    });
  }
}
