/**
 * The window Procore's API leaves (docs/sync-semantics.md, Clock skew): its webhooks say when a project changed, not
 * which field, so Tandem dates every field a read shows changed by the first webhook since its previous read of the
 * project. A Procore edit read together with an earlier Procore edit of the same
 * project, of any field, takes that earlier edit's time, and a Salesforce edit of its field that `latest` prefers to
 * that time may lawfully win, although the Procore edit was made later.
 *
 * Whether two edits were read together is not guessed from how far apart they were: the Procore sandbox logs every
 * answered read of each project (`GET /sandbox/project-reads`), and two edits were read together when no read of the
 * project can have fallen between them. A slow or restarting worker widens the window; a prompt read closes it.
 */
import type { CanonicalValue } from '../../../mappings';
import type { ReadSpan } from '../../../sandbox/procore/project-reads';
import { CONFLICT_WINDOW_MS, type Edit } from './ledger';
import { sameValue } from './values';

export type ProjectReadLog = Record<string, ReadSpan[]>;

/**
 * Why the field's last Procore edit may lawfully have lost to the Salesforce edit that set `value`, if it was read
 * together with an earlier Procore edit of the project; otherwise undefined.
 */
export function procoreEditReadTogether(
  fieldEdits: Edit[],
  value: CanonicalValue,
  procoreMoments: Array<Pick<Edit, 'at' | 'sentAt'>>,
  reads: ReadSpan[],
): string | undefined {
  const winner = fieldEdits.filter((e) => sameValue(e.value, value)).at(-1);
  if (!winner || winner.side !== 'salesforce') return undefined;
  const lost = fieldEdits.filter((e) => e.side === 'procore' && e.at > winner.at).at(-1);
  if (!lost) return undefined;
  // The earliest Procore edit that dated by its own time does not certainly come after the Salesforce edit, with no
  // read of the project that can have seen it without the lost edit.
  const first = procoreMoments.find(
    (m) =>
      m.sentAt < lost.sentAt &&
      m.sentAt - winner.at <= CONFLICT_WINDOW_MS &&
      !reads.some((r) => r.to > m.sentAt && r.from < lost.at),
  );
  if (!first) return undefined;
  return `Procore edits ${lost.at - first.at} ms apart read together (no read of the project between), around salesforce's edit`;
}
