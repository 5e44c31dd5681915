/** Waits for a condition by polling it, with a deadline: never a fixed sleep standing in for the condition. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 20_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Resolves once `probe` returns the same value on consecutive polls spread over `quietMs`, i.e. it stopped changing.
 * Used to show that API call counts stop growing once a sync has settled.
 */
export async function settles<T>(
  probe: () => Promise<T>,
  what: string,
  quietMs = 2500,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = JSON.stringify(await probe());
  let stableSince = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const now = JSON.stringify(await probe());
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= quietMs) {
      return JSON.parse(now) as T;
    }
    if (Date.now() > deadline) throw new Error(`${what} kept changing for ${timeoutMs} ms (last: ${now})`);
  }
}
