/**
 * People editing both systems the ways people do: in Salesforce's UI (the console endpoints) or through another
 * Salesforce integration (REST, as its own API client), and in Procore's UI. The REST user meets the same faults as
 * Tandem (5xx, request limit, expired session); an edit that fails is not made, and is counted as failed.
 */
import got, { type Got } from 'got';
import { projectMapping, toProcore, toSalesforce, type CanonicalFields } from '../../../mappings';
import { SANDBOX_DEFAULT_CREDENTIALS } from '../../../common/config';

export type Channel = 'salesforceConsole' | 'salesforceApi' | 'procoreConsole';
export const CHANNELS: readonly Channel[] = ['salesforceConsole', 'salesforceApi', 'procoreConsole'];

const SALESFORCE_APP = {
  client_id: SANDBOX_DEFAULT_CREDENTIALS.salesforce.clientId,
  client_secret: SANDBOX_DEFAULT_CREDENTIALS.salesforce.clientSecret,
};
const API_VERSION = 'v60.0';
/** What this user's writes carry in their change events' changeOrigin, so Tandem sees them as someone else's. */
const PERSON_CLIENT = 'soak-person';

export class People {
  private readonly salesforce: Got;
  private readonly procore: Got;
  private token: string | undefined;
  /** Every Salesforce API request this user sent, so the report can leave them out of Tandem's count. */
  salesforceApiCalls = 0;

  constructor(salesforceUrl: string, procoreUrl: string) {
    this.salesforce = got.extend({ prefixUrl: salesforceUrl, retry: { limit: 0 }, timeout: { request: 15_000 } });
    this.procore = got.extend({ prefixUrl: procoreUrl, retry: { limit: 0 }, timeout: { request: 15_000 } });
  }

  async createInSalesforce(values: CanonicalFields): Promise<string> {
    const body = toSalesforce(projectMapping, values);
    const created = await this.salesforce.post('sandbox/ui/Project__c', { json: body }).json<{ Id: string }>();
    return created.Id;
  }

  async edit(
    channel: Channel,
    target: { salesforceId: string; procoreId?: number },
    values: CanonicalFields,
  ): Promise<void> {
    if (channel === 'procoreConsole') {
      if (target.procoreId === undefined) throw new Error('no Procore project to edit yet');
      await this.procore.patch(`sandbox/ui/projects/${target.procoreId}`, { json: toProcore(projectMapping, values) });
      return;
    }
    const body = toSalesforce(projectMapping, values);
    if (channel === 'salesforceConsole') {
      await this.salesforce.patch(`sandbox/ui/Project__c/${target.salesforceId}`, { json: body });
      return;
    }
    await this.editThroughApi(target.salesforceId, body);
  }

  private async editThroughApi(salesforceId: string, body: Record<string, unknown>): Promise<void> {
    const send = async () => {
      this.salesforceApiCalls += 1;
      return this.salesforce.patch(`services/data/${API_VERSION}/sobjects/Project__c/${salesforceId}`, {
        json: body,
        headers: { authorization: `Bearer ${await this.session()}`, 'sforce-call-options': `client=${PERSON_CLIENT}` },
        throwHttpErrors: false,
      });
    };
    let answer = await send();
    if (answer.statusCode === 401) {
      // An expired session: log in again once, as an integration does.
      this.token = undefined;
      answer = await send();
    }
    if (answer.statusCode !== 204)
      throw new Error(`Salesforce answered ${answer.statusCode}: ${answer.body.slice(0, 200)}`);
  }

  private async session(): Promise<string> {
    if (this.token) return this.token;
    this.salesforceApiCalls += 1;
    const granted = await this.salesforce
      .post('services/oauth2/token', { form: { grant_type: 'client_credentials', ...SALESFORCE_APP } })
      .json<{ access_token: string }>();
    this.token = granted.access_token;
    return this.token;
  }
}
