export default async function globalTeardown(): Promise<void> {
  await globalThis.__TANDEM_TEMPORAL__?.stop();
}
