/**
 * The sandbox console: a server-rendered page listing the projects, with a form to create or edit one as a
 * logged-in user would. A small inline script sends the form as JSON to the `/sandbox/ui/` endpoints, so console
 * edits publish UI-origin change events exactly like scripted ones.
 */
import type { FieldSpec, ObjectSchema } from '../schema';
import type { FieldValue, RecordData } from '../values';

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function input(field: FieldSpec, value: FieldValue | undefined): string {
  const name = escapeHtml(field.name);
  const required = field.required ? ' required' : '';
  switch (field.type) {
    case 'boolean': {
      const checked = (value ?? field.defaultValue) === true ? ' checked' : '';
      return `<input type="checkbox" name="${name}" data-type="boolean"${checked}>`;
    }
    case 'picklist': {
      const options = ['', ...(field.picklistValues ?? [])]
        .map(
          (v) =>
            `<option value="${escapeHtml(v)}"${v === (value ?? '') ? ' selected' : ''}>${escapeHtml(v || '--None--')}</option>`,
        )
        .join('');
      return `<select name="${name}">${options}</select>`;
    }
    case 'textarea':
      return `<textarea name="${name}" rows="3">${escapeHtml(value)}</textarea>`;
    case 'date':
      return `<input type="date" name="${name}" value="${escapeHtml(value)}">`;
    case 'currency':
      return `<input type="number" step="0.01" name="${name}" data-type="number" value="${escapeHtml(value)}">`;
    default:
      return `<input type="text" name="${name}" maxlength="${field.length ?? 255}" value="${escapeHtml(value)}"${required}>`;
  }
}

function form(schema: ObjectSchema, editing: RecordData | undefined): string {
  const rows = schema.fields
    .filter((f) => !f.system)
    .map(
      (f) =>
        `<label><span>${escapeHtml(f.label)}${f.required ? ' *' : ''}</span>${input(f, editing?.[f.name])}</label>`,
    )
    .join('\n');
  const id = editing ? escapeHtml(editing.Id) : '';
  return `<form id="record-form" data-id="${id}" data-base="/sandbox/ui/${escapeHtml(schema.name)}">
<h2>${editing ? `Edit ${escapeHtml(editing.Name)}` : `New ${escapeHtml(schema.label)}`}</h2>
${rows}
<p><button type="submit">Save</button> ${editing ? '<a href="/">Cancel</a>' : ''}</p>
<p id="form-error" role="alert"></p>
</form>`;
}

function table(schema: ObjectSchema, records: RecordData[]): string {
  const columns = [
    'Name',
    'Project_Number__c',
    'Project_Type__c',
    'Stage__c',
    'City__c',
    'Procore_ID__c',
    'LastModifiedDate',
  ]
    .map((name) => schema.field(name))
    .filter((f): f is FieldSpec => f !== undefined);
  const head = columns.map((f) => `<th>${escapeHtml(f.label)}</th>`).join('');
  const body = records
    .map((r) => {
      const cells = columns.map((f) => `<td>${escapeHtml(r[f.name])}</td>`).join('');
      const id = escapeHtml(r.Id);
      return `<tr data-id="${id}">${cells}<td><a href="/?edit=${id}">Edit</a> <button type="button" class="delete" data-id="${id}">Delete</button></td></tr>`;
    })
    .join('\n');
  return `<table><thead><tr>${head}<th></th></tr></thead><tbody>${body || '<tr><td colspan="99">No records yet.</td></tr>'}</tbody></table>`;
}

/** Posts the form as JSON: empty fields are sent as null so that clearing a field clears it. */
const SCRIPT = `
const form = document.getElementById('record-form');
const base = form.dataset.base;
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = {};
  for (const el of form.querySelectorAll('[name]')) {
    if (el.dataset.type === 'boolean') body[el.name] = el.checked;
    else if (el.value === '') body[el.name] = null;
    else body[el.name] = el.dataset.type === 'number' ? Number(el.value) : el.value;
  }
  const id = form.dataset.id;
  const res = await fetch(id ? base + '/' + id : base, { method: id ? 'PATCH' : 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.ok) { location.href = '/'; return; }
  const errors = await res.json().catch(() => [{ message: res.statusText }]);
  document.getElementById('form-error').textContent = errors.map((e) => e.message).join('; ');
});
for (const button of document.querySelectorAll('button.delete')) {
  button.addEventListener('click', async () => {
    const res = await fetch(base + '/' + button.dataset.id, { method: 'DELETE' });
    if (res.ok) location.reload();
  });
}`;

export function renderConsole(schema: ObjectSchema, records: RecordData[], editing: RecordData | undefined): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Salesforce sandbox: ${escapeHtml(schema.labelPlural)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#181818}table{border-collapse:collapse;margin-bottom:2rem}
th,td{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left}label{display:grid;grid-template-columns:12rem 24rem;margin:.3rem 0}
#form-error{color:#b00}
</style></head>
<body>
<h1>${escapeHtml(schema.labelPlural)}</h1>
<p>Signed in as Sandbox Admin. Edits here are made as that user, through the Salesforce UI.</p>
${table(schema, records)}
${form(schema, editing)}
<script>${SCRIPT}</script>
</body></html>`;
}
