/** Test files log only the Temporal SDK's warnings and errors: the worker lifecycle chatter hides real failures. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed for this module registry: keep it.
}
