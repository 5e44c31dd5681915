/** Reading both systems whole and turning the match into the plan and the workflow's actions. */
import type { TandemConfig } from '../../common/config';
import { readAllProcoreProjects } from '../../activities/procore/backfill';
import { readAllSalesforceProjects } from '../../activities/salesforce/backfill';
import { matchRecords } from '../../mappings/matching/match';
import type { BackfillPlan, FieldDifference, PairToLink } from '../../mappings/matching/types';
import { salesforceFieldNames, toProcore, toSalesforce } from '../../mappings/project-mapping';
import type { CanonicalFields, ProjectMapping, Side } from '../../mappings/types';
import type { BackfillAction } from '../../workflows/backfill/messages';
import { procoreClient, salesforceSession } from '../../workers/systems';

export async function readAndMatch(config: TandemConfig, mapping: ProjectMapping, matchKey: string) {
  const [salesforce, procore] = await Promise.all([
    readAllSalesforceProjects(salesforceSession(config), salesforceFieldNames(mapping)),
    readAllProcoreProjects(procoreClient(config)),
  ]);
  return matchRecords({ mapping, matchKey, salesforce, procore });
}

/** The winning values bound for one side, field by field: a value the mapping cannot write is left to the sync. */
function valuesFor(mapping: ProjectMapping, differences: FieldDifference[], target: Side): Record<string, unknown> {
  const convert = target === 'salesforce' ? toSalesforce : toProcore;
  const out: Record<string, unknown> = {};
  for (const d of differences) {
    if (d.winner === target) continue;
    const values: CanonicalFields = { [d.field]: d.winner === 'salesforce' ? d.salesforce : d.procore };
    try {
      Object.assign(out, convert(mapping, values));
    } catch {
      // An unreadable or unknown value: the ProjectSync reports it when it syncs the pair.
    }
  }
  return out;
}

function linkAction(mapping: ProjectMapping, pair: PairToLink): BackfillAction {
  const forProcore = valuesFor(mapping, pair.differences, 'procore');
  const forSalesforce = valuesFor(mapping, pair.differences, 'salesforce');
  const { salesforceId, procoreId } = pair;
  return {
    kind: 'link',
    salesforceId,
    procore:
      pair.writeProcoreLink || Object.keys(forProcore).length > 0
        ? { procoreId, salesforceId, expectedModifiedAt: pair.procoreModifiedAt, values: forProcore }
        : undefined,
    salesforce:
      pair.writeSalesforceLink || Object.keys(forSalesforce).length > 0
        ? { salesforceId, procoreId, expectedModifiedAt: pair.salesforceModifiedAt, values: forSalesforce }
        : undefined,
  };
}

/** What the backfill creates besides linking: Procore projects unless TANDEM_CREATE_IN_PROCORE is off. */
export interface BackfillCreation {
  /** `--create-in-salesforce`: Procore-only projects get Salesforce records. */
  inSalesforce?: boolean;
  /** TANDEM_CREATE_IN_PROCORE: Salesforce-only records get Procore projects (the sync creates them). */
  inProcore?: boolean;
}

export function actionsOf(
  mapping: ProjectMapping,
  plan: BackfillPlan,
  creation: BackfillCreation = {},
): BackfillAction[] {
  const { inSalesforce = false, inProcore = true } = creation;
  return [
    ...plan.toLink.map((pair) => linkAction(mapping, pair)),
    ...(inProcore
      ? plan.toCreateInProcore.map(({ salesforceId }) => ({ kind: 'create-in-procore' as const, salesforceId }))
      : []),
    ...(inSalesforce
      ? plan.toCreateInSalesforce.map(({ procoreId }) => ({ kind: 'create-in-salesforce' as const, procoreId }))
      : []),
  ];
}
