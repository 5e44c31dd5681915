/** What the `tandem start` tests share: the ready banner they wait for, and the port settings they move. */

/** The banner's dev-server pid, then the ready line. */
export const READY = /dev server pid (\d+)[\s\S]*^Tandem is ready$/m;

/** Every port `tandem start` listens on, by the setting that moves it. */
export const PORT_SETTINGS = [
  'TEMPORAL_PORT',
  'TEMPORAL_UI_PORT',
  'SALESFORCE_SANDBOX_PORT',
  'PROCORE_SANDBOX_PORT',
  'CONSOLE_PORT',
  'INGRESS_PORT',
] as const;
