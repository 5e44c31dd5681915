/**
 * Pre-existing data for both sandboxes, generated from a seed: the same seed and size give the same world, so a
 * Salesforce sandbox and a Procore sandbox started apart hold two halves of one company's history. The world has
 * what a real adoption meets: pairs linked both ways or by one side only, the same project entered twice by hand
 * (same number, or a number differing in case, spacing or punctuation), one record with two candidates, conflicting
 * values, records on one side only, inactive Procore projects and deleted Salesforce records.
 */
import { makeId } from '../salesforce/ids';
import { emptyState } from '../procore/store';
import { SeededRandom } from './random';
import { BUILDINGS, CITIES, PHASES, PLACES, PROJECT_TYPES, STAGES, STREETS } from './vocabulary';

export interface SeedOptions {
  seed: number;
  /** About how many records each side gets (default 2,500). */
  size?: number;
}

/** One project's values, in neutral form (names for the type and stage, plain dates). */
export interface SeedProject {
  name: string;
  projectNumber: string | null;
  projectType: string;
  stage: string;
  street: string;
  city: string;
  stateCode: string;
  postalCode: string;
  countryCode: string;
  startDate: string;
  completionDate: string;
  estimatedValue: number;
  description: string | null;
  active: boolean;
  /** Last modification (ISO, whole seconds). */
  modifiedAt: string;
}

export interface SeedSalesforceRecord {
  id: string;
  project: SeedProject;
  procoreId: number | null;
  deleted: boolean;
}

export interface SeedProcoreProject {
  id: number;
  project: SeedProject;
  originId: string | null;
}

export type SeedCategory =
  | 'linked'
  | 'linkedBySalesforceOnly'
  | 'linkedByProcoreOnly'
  | 'sameNumber'
  | 'nearDuplicate'
  | 'ambiguous'
  | 'salesforceOnly'
  | 'procoreOnly'
  | 'deletedLinked'
  | 'deletedAlone';

export interface SeedWorld {
  salesforce: SeedSalesforceRecord[];
  procore: SeedProcoreProject[];
  /** How many of each situation the world holds (one unit is one record, or one group for `ambiguous`). */
  categories: Record<SeedCategory, number>;
}

/** Shares of the size; the rest of the picture follows from them. */
const SHARES: Record<SeedCategory, number> = {
  linked: 0.3,
  linkedBySalesforceOnly: 0.04,
  linkedByProcoreOnly: 0.04,
  sameNumber: 0.18,
  nearDuplicate: 0.08,
  ambiguous: 0.03,
  salesforceOnly: 0.13,
  procoreOnly: 0.12,
  deletedLinked: 0.02,
  deletedAlone: 0.02,
};

/** The records a unit of each share puts on the Salesforce side (the Procore side comes to the same). */
const SALESFORCE_PER_UNIT: Record<SeedCategory, number> = {
  linked: 1,
  linkedBySalesforceOnly: 1,
  linkedByProcoreOnly: 1,
  sameNumber: 1,
  nearDuplicate: 1,
  ambiguous: 1,
  salesforceOnly: 1,
  procoreOnly: 0,
  deletedLinked: 1,
  deletedAlone: 1,
};
const SIDE_SHARE = (Object.keys(SHARES) as SeedCategory[]).reduce(
  (sum, c) => sum + SHARES[c] * SALESFORCE_PER_UNIT[c],
  0,
);

/** The id the Salesforce sandbox gives its n-th record (1-based) and the Procore sandbox its n-th project. */
export const salesforceSeedId = (n: number): string => makeId('a0X', n);
export const procoreSeedId = (n: number): number => emptyState().counters.projectId + n;

const BASE_TIME = Date.parse('2025-06-01T00:00:00Z');
const DAY = 86_400_000;

class WorldBuilder {
  readonly salesforce: SeedSalesforceRecord[] = [];
  readonly procore: SeedProcoreProject[] = [];
  private numberSeq = 0;

  constructor(private readonly random: SeededRandom) {}

  project(): SeedProject {
    const r = this.random;
    const place = r.pick(CITIES);
    const start = BASE_TIME - r.int(30, 900) * DAY;
    this.numberSeq += 1;
    const year = new Date(start).getUTCFullYear();
    return {
      name: `${r.pick(PLACES)} ${r.pick(BUILDINGS)}${r.pick(PHASES)}`,
      projectNumber: `P-${year}-${String(this.numberSeq).padStart(5, '0')}`,
      projectType: r.pick(PROJECT_TYPES),
      stage: r.pick(STAGES),
      street: `${r.int(10, 9999)} ${r.pick(STREETS)}`,
      city: place.city,
      stateCode: place.state,
      postalCode: place.zip,
      countryCode: 'US',
      startDate: isoDate(start),
      completionDate: isoDate(start + r.int(120, 900) * DAY),
      estimatedValue: r.int(50, 9000) * 10_000,
      description: r.chance(0.3) ? null : `Built for ${r.pick(PLACES)} Holdings`,
      active: true,
      modifiedAt: this.modified(),
    };
  }

  modified(): string {
    return new Date(BASE_TIME - this.random.int(0, 200 * 86_400) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** The same project as the other system holds it: sometimes edited apart, sometimes missing its number. */
  otherCopy(project: SeedProject, conflictChance: number): SeedProject {
    const r = this.random;
    const copy = { ...project, modifiedAt: this.modified() };
    if (!r.chance(conflictChance)) return copy;
    const edit = r.int(0, 4);
    if (edit === 0) copy.city = r.pick(CITIES).city;
    if (edit === 1) copy.estimatedValue = project.estimatedValue + r.int(1, 50) * 1000;
    if (edit === 2) copy.stage = r.pick(STAGES);
    if (edit === 3) copy.description = `${project.description ?? 'Scope'} (revised)`;
    if (edit === 4) copy.projectNumber = null;
    return copy;
  }

  addSalesforce(project: SeedProject, deleted = false): SeedSalesforceRecord {
    const record = { id: salesforceSeedId(this.salesforce.length + 1), project, procoreId: null, deleted };
    this.salesforce.push(record);
    return record;
  }

  addProcore(project: SeedProject): SeedProcoreProject {
    const inactive = this.random.chance(0.08);
    const stored = inactive ? { ...project, active: false } : project;
    const created = { id: procoreSeedId(this.procore.length + 1), project: stored, originId: null };
    this.procore.push(created);
    return created;
  }

  build(category: SeedCategory): void {
    const r = this.random;
    const project = this.project();
    switch (category) {
      case 'linked':
      case 'linkedBySalesforceOnly':
      case 'linkedByProcoreOnly': {
        const sf = this.addSalesforce(project);
        const pc = this.addProcore(this.otherCopy(project, 0.15));
        if (category !== 'linkedByProcoreOnly') sf.procoreId = pc.id;
        if (category !== 'linkedBySalesforceOnly') pc.originId = sf.id;
        return;
      }
      case 'sameNumber':
        this.addSalesforce(project);
        this.addProcore(this.otherCopy(project, 0.5));
        return;
      case 'nearDuplicate':
        this.addSalesforce(project);
        this.addProcore({ ...this.otherCopy(project, 0.3), projectNumber: variant(project.projectNumber, r) });
        return;
      case 'ambiguous':
        this.addSalesforce(project);
        this.addProcore(this.otherCopy(project, 0.3));
        this.addProcore({ ...this.otherCopy(project, 0.3), projectNumber: variant(project.projectNumber, r) });
        return;
      case 'salesforceOnly':
        this.addSalesforce(r.chance(0.05) ? { ...project, projectNumber: null } : project);
        return;
      case 'procoreOnly':
        this.addProcore(r.chance(0.1) ? { ...project, projectNumber: null } : project);
        return;
      case 'deletedLinked': {
        const sf = this.addSalesforce(project, true);
        const pc = this.addProcore(this.otherCopy(project, 0.2));
        sf.procoreId = pc.id;
        pc.originId = sf.id;
        return;
      }
      case 'deletedAlone':
        this.addSalesforce(project, true);
        return;
    }
  }
}

/** The same project number as a person would retype it: other case, spacing or punctuation. */
function variant(number: string | null, random: SeededRandom): string | null {
  if (!number) return number;
  const forms = [
    number.toLowerCase(),
    number.replace(/-/g, ' '),
    ` ${number}  `,
    number.replace(/-/g, ''),
    number.replace(/-/g, '.'),
    number.replace('-', '/ ').toLowerCase(),
  ];
  return random.pick(forms);
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Fisher-Yates with the seeded generator: categories interleave as records accumulate in a real org. */
function shuffled<T>(items: T[], random: SeededRandom): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

export function generateWorld(options: SeedOptions): SeedWorld {
  const random = new SeededRandom(options.seed);
  const size = options.size ?? 2500;
  const categories = Object.fromEntries(
    (Object.keys(SHARES) as SeedCategory[]).map((c) => [c, Math.max(1, Math.round((SHARES[c] * size) / SIDE_SHARE))]),
  ) as Record<SeedCategory, number>;
  const plan = (Object.keys(categories) as SeedCategory[]).flatMap((c) => Array<SeedCategory>(categories[c]).fill(c));
  const builder = new WorldBuilder(random);
  for (const category of shuffled(plan, random)) builder.build(category);
  return { salesforce: builder.salesforce, procore: builder.procore, categories };
}
