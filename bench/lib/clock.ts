/** Wall-clock time with sub-millisecond resolution, comparable with the sandboxes' timestamps (same machine). */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
