/** The combined console page: Salesforce on the left, Procore on the right, each with its table and its form. */
import { PROCORE_FIELDS, SALESFORCE_FIELDS, type FormField } from './fields';
import { escapeHtml } from './html';
import { CONSOLE_SCRIPT } from './script';
import {
  PROCORE_COLUMNS,
  SALESFORCE_COLUMNS,
  problemsHtml,
  procoreRows,
  salesforceRows,
  type TemporalUi,
} from './tables';
import type { Board } from './sources';

export interface PageLinks {
  salesforceUrl: string;
  procoreUrl: string;
  operatorApiUrl: string;
}

function input(field: FormField): string {
  const name = escapeHtml(field.name);
  const required = field.required ? ' required' : '';
  if (field.kind === 'select') {
    const options = [{ value: '', label: '(none)' }, ...(field.options ?? [])].map(
      (o) => `<option value="${escapeHtml(o.value)}">${escapeHtml(o.label)}</option>`,
    );
    return `<select name="${name}"${field.numeric ? ' data-numeric="1"' : ''}>${options.join('')}</select>`;
  }
  const numeric = field.kind === 'number' ? ' step="any" data-numeric="1"' : '';
  return `<input name="${name}" type="${field.kind}"${numeric}${required}>`;
}

function form(side: 'salesforce' | 'procore', endpoint: string, fields: readonly FormField[]): string {
  const labels = fields
    .map((f) => `<label><span>${escapeHtml(f.label)}${f.required ? ' *' : ''}</span>${input(f)}</label>`)
    .join('\n');
  return `<form data-testid="${side}-form" data-side="${side}" data-endpoint="${endpoint}" data-id="">
<h3 data-role="title">New project</h3>
${labels}
<p><button type="submit" data-testid="${side}-save">Save</button> <button type="button" data-role="new">New</button></p>
<p data-role="message" data-testid="${side}-message" role="status"></p>
</form>`;
}

function table(side: 'salesforce' | 'procore', columns: readonly string[], rows: string): string {
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  return `<table data-testid="${side}-table"><thead><tr>${head}</tr></thead><tbody id="${side}-rows">${rows}</tbody></table>`;
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1b1f24; }
header p { margin: .2rem 0 1rem; color: #555; }
header a { margin-right: 1rem; }
main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 2rem; }
h2 { margin: 0 0 .5rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
td, th { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
td.id { font-family: ui-monospace, monospace; font-size: .8rem; overflow-wrap: anywhere; min-width: 9ch; }
td button, td a { white-space: nowrap; }
th { background: #f6f8fa; }
tr.inactive td { color: #999; }
.status { padding: .1rem .45rem; border-radius: .8rem; font-size: .8rem; background: #eee; white-space: nowrap; }
.status-synced { background: #dafbe1; color: #116329; }
.status-pending { background: #fff8c5; color: #7d4e00; }
.status-error { background: #ffebe9; color: #a40e26; }
.status-deleted { background: #eaeef2; color: #57606a; }
form { margin-top: 1rem; padding: .8rem 1rem; border: 1px solid #d0d7de; border-radius: .4rem; max-width: 32rem; }
form h3 { margin: 0 0 .5rem; }
form label { display: grid; grid-template-columns: 9rem 1fr; margin: .25rem 0; align-items: center; }
#problems { color: #a40e26; }
`;

export function renderPage(board: Board, ui: TemporalUi, links: PageLinks): string {
  const workflows = `${ui.url}/namespaces/${encodeURIComponent(ui.namespace)}/workflows`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tandem demo console</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Tandem demo console</h1>
<p>Create or edit a project on either side as a user would, and watch Tandem bring the other side along.
Refreshed <span id="refreshed" data-testid="refreshed">${escapeHtml(new Date().toLocaleTimeString())}</span>.</p>
<nav><a href="${escapeHtml(workflows)}" target="_blank" rel="noopener">Temporal UI</a>
<a href="${escapeHtml(links.salesforceUrl)}/" target="_blank" rel="noopener">Salesforce sandbox</a>
<a href="${escapeHtml(links.procoreUrl)}/" target="_blank" rel="noopener">Procore sandbox</a>
<a href="${escapeHtml(links.operatorApiUrl)}/api/projects" target="_blank" rel="noopener">Operator API</a></nav>
<ul id="problems" data-testid="problems">${problemsHtml(board)}</ul>
</header>
<main>
<section data-testid="salesforce">
<h2>Salesforce: Project__c</h2>
${table('salesforce', SALESFORCE_COLUMNS, salesforceRows(board, ui))}
${form('salesforce', '/console/salesforce/projects', SALESFORCE_FIELDS)}
</section>
<section data-testid="procore">
<h2>Procore: projects</h2>
${table('procore', PROCORE_COLUMNS, procoreRows(board, ui))}
${form('procore', '/console/procore/projects', PROCORE_FIELDS)}
</section>
</main>
<script>${CONSOLE_SCRIPT}</script>
</body>
</html>`;
}
