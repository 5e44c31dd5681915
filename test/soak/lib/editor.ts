/**
 * The edits of a soak run: at random moments (a Poisson process at the edit rate) a person edits one to three
 * fields of a linked project on one side, or two people edit the same field on both sides within a second (a
 * deliberate conflict). Projects created late join once linked. Edits run concurrently, as people's do.
 */
import type { CanonicalFields } from '../../../mappings';
import type { Ledger } from './ledger';
import type { Links } from './links';
import { CHANNELS, type Channel, type People } from './people';
import { sleep, type Random } from './random';
import { editableFields, type ValueMaker } from './values';

export interface EditorParts {
  people: People;
  ledger: Ledger;
  links: Links;
  values: ValueMaker;
  random: Random;
  /** Salesforce ids of every project, including those created during the run. */
  projects: string[];
}

const MAX_IN_FLIGHT = 32;
/** A conflict's second edit follows its first within this many ms. */
const CONFLICT_SPREAD_MS = 900;

export class Editor {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly parts: EditorParts) {}

  /** Edits until `deadline`; creates the `lateCreates` projects at random moments on the way. */
  async run(deadline: number, rate: number, conflictShare: number, lateCreates: number): Promise<void> {
    const { random } = this.parts;
    const start = Date.now();
    const createAt = Array.from({ length: lateCreates }, () => start + random.next() * (deadline - start) * 0.7).sort(
      (a, b) => a - b,
    );
    // A conflict is two edits, so moments come a little less often than edits.
    const momentsPerSecond = rate / (1 + conflictShare);
    for (
      let next = Date.now() + random.gapMs(momentsPerSecond);
      next < deadline;
      next += random.gapMs(momentsPerSecond)
    ) {
      await sleep(next - Date.now());
      while (createAt.length > 0 && createAt[0]! <= Date.now()) {
        createAt.shift();
        this.track(this.create());
      }
      const linked = this.parts.links.linked(this.parts.projects);
      if (linked.length === 0) continue;
      const salesforceId = random.pick(linked);
      this.track(random.chance(conflictShare) ? this.conflict(salesforceId) : this.single(salesforceId));
      if (this.inFlight.size >= MAX_IN_FLIGHT) await Promise.race(this.inFlight);
    }
    await Promise.all(this.inFlight);
  }

  private track(work: Promise<void>): void {
    const tracked = work.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async create(): Promise<void> {
    const values = this.parts.values.full();
    try {
      const id = await this.parts.people.createInSalesforce(values);
      this.parts.projects.push(id);
      this.parts.ledger.record(id, 'salesforceCreate', values, Date.now());
    } catch {
      this.parts.ledger.failed += 1;
    }
  }

  private async single(salesforceId: string): Promise<void> {
    const { random, values } = this.parts;
    const fields = random.shuffle(editableFields).slice(0, 1 + random.int(3));
    const change: CanonicalFields = Object.fromEntries(fields.map((field) => [field.name, values.make(field)]));
    await this.edit(random.pick(CHANNELS), salesforceId, change);
  }

  /** The same field edited on both sides, the second edit within a second of the first, in a random order. */
  private async conflict(salesforceId: string): Promise<void> {
    const { random, values, ledger } = this.parts;
    const field = random.pick(editableFields);
    const salesforceChannel: Channel = random.chance(0.5) ? 'salesforceConsole' : 'salesforceApi';
    const order = random.shuffle<Channel>([salesforceChannel, 'procoreConsole']);
    const [first, second] = order.map((channel) => ({ channel, change: { [field.name]: values.make(field) } }));
    const spread = random.int(CONFLICT_SPREAD_MS);
    ledger.conflicts += 1;
    await Promise.all([
      this.edit(first!.channel, salesforceId, first!.change),
      sleep(spread).then(() => this.edit(second!.channel, salesforceId, second!.change)),
    ]);
  }

  private async edit(channel: Channel, salesforceId: string, change: CanonicalFields): Promise<void> {
    const procoreId = this.parts.links.procoreId(salesforceId);
    const sentAt = Date.now();
    try {
      await this.parts.people.edit(channel, { salesforceId, procoreId }, change);
      this.parts.ledger.record(salesforceId, channel, change, Date.now(), sentAt);
    } catch {
      this.parts.ledger.failed += 1;
    }
  }
}
