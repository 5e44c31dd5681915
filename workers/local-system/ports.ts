/**
 * Checks every port `tandem start` will listen on before it starts anything: a taken port then fails fast with
 * the setting to change, instead of half a system. It also keeps the dev-server readiness probe from mistaking
 * another Temporal already on that port for ours.
 */
import net from 'node:net';
import { errors } from '../../common/errors';

export interface PortClaim {
  /** The setting that chooses this port, named in the error. */
  setting: string;
  port: number;
  host: string;
  /** What will listen there. */
  purpose: string;
}

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

export async function assertPortsFree(claims: PortClaim[]): Promise<void> {
  // Port 0 means "any free port": nothing to check.
  for (const claim of claims.filter((c) => c.port !== 0)) {
    if (!(await isFree(claim.port, claim.host)))
      throw errors.PORT_IN_USE(claim.port, claim.host, claim.purpose, claim.setting);
  }
}
