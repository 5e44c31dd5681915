/**
 * The one company the sandbox hosts, its people and its reference data (project types and stages, seeded from
 * data/), plus the company checks every REST call goes through.
 */
import type { FastifyRequest } from 'fastify';
import companyData from './data/company.json';
import reference from './data/reference.json';
import { procoreErrors } from './errors';
import type { NamedRef, ProjectStage, SandboxStore } from './store';

export type { NamedRef, ProjectStage } from './store';

export interface SandboxUser extends NamedRef {
  login: string;
}

/** Company reference data a project points at by id; seeded, read-only (data/reference.json). */
export type ReferenceKind = keyof typeof reference;

export class Company {
  readonly id: number;
  readonly name = companyData.name;
  /** The DMSA user behind the API client: `created_by` and `source_user_id` of API changes. */
  readonly serviceAccount: SandboxUser = companyData.serviceAccount;
  /** The human who edits through the console: `source_user_id` of console changes. */
  readonly consoleUser: SandboxUser = companyData.consoleUser;
  readonly defaultProjectStageId = companyData.defaultProjectStageId;

  constructor(
    id: number,
    private readonly store: SandboxStore,
  ) {
    this.id = id;
  }

  get projectTypes(): readonly NamedRef[] {
    return this.store.state.projectTypes;
  }

  get projectStages(): readonly ProjectStage[] {
    return this.store.state.projectStages;
  }

  reference(kind: ReferenceKind, id: number | null | undefined): NamedRef | null {
    return reference[kind].find((item) => item.id === id) ?? null;
  }

  ref(): NamedRef {
    return { id: this.id, name: this.name };
  }

  user(id: number): SandboxUser {
    return id === this.consoleUser.id ? this.consoleUser : this.serviceAccount;
  }

  projectType(id: number | null | undefined): NamedRef | null {
    return this.projectTypes.find((t) => t.id === id) ?? null;
  }

  projectStage(id: number | null | undefined): ProjectStage | null {
    return this.projectStages.find((s) => s.id === id) ?? null;
  }

  /** Every REST call names its company in `Procore-Company-Id`, even when the path or query does too. */
  checkHeader(request: FastifyRequest): void {
    const header = request.headers['procore-company-id'];
    const value = Array.isArray(header) ? header[0] : header;
    if (!value) throw procoreErrors.COMPANY_HEADER_MISSING();
    if (Number(value) !== this.id) throw procoreErrors.COMPANY_NOT_CONNECTED();
  }

  /** A `company_id` parameter (body, query or path) must be present and name this company. */
  checkParam(companyId: number | undefined): number {
    if (companyId === undefined) throw procoreErrors.PARAM_MISSING('company_id');
    if (companyId !== this.id) throw procoreErrors.COMPANY_NOT_CONNECTED();
    return companyId;
  }
}
