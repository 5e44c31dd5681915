/**
 * The event ids a workflow applied lately, bounded. Temporal's own signal dedup does not cross continue-as-new, and
 * sources redeliver (CDC replay, Procore webhook retries), so each entity workflow carries this list in its state.
 */
export function rememberEvent(recent: string[], eventId: string, limit: number): void {
  recent.push(eventId);
  if (recent.length > limit) recent.splice(0, recent.length - limit);
}
