/** Prometheus metric names as a scrape shows them, and what makes one wrong here. */

/** Prometheus's metric name syntax. */
const METRIC_NAME = /^[a-z_:][a-z0-9_:]*$/;
/** A word twice in a row (`tandem_process_process_cpu…`): a prefix doubled onto a name that already had it. */
const REPEATED_WORD = /(?:^|_)([a-z0-9]+)_\1(?:_|$)/;
/** Tandem's own metrics, and the process and Node.js ones every Prometheus client library names alike. */
const KNOWN_PREFIX = /^(tandem|process|nodejs)_/;

/** Every metric family a Prometheus text scrape declares (its `# TYPE` lines). */
export function metricNames(scrape: string): string[] {
  return [...scrape.matchAll(/^# TYPE (\S+) /gm)].map(([, name]) => name);
}

/** The names that break the syntax, repeat a word or have none of the known prefixes, each with why. */
export function badMetricNames(scrape: string): string[] {
  return metricNames(scrape).flatMap((name) => [
    ...(METRIC_NAME.test(name) ? [] : [`${name}: not a Prometheus metric name`]),
    ...(REPEATED_WORD.test(name) ? [`${name}: a word twice in a row`] : []),
    ...(KNOWN_PREFIX.test(name) ? [] : [`${name}: neither tandem_ nor the standard process_ or nodejs_`]),
  ]);
}
