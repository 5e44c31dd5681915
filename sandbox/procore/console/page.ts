/**
 * The console page at `/`: every project in a table, and one form that creates a project or, after "Edit" on a
 * row, edits it, as a person in Procore would. Plain server-rendered HTML; the small inline script only turns the
 * form into a JSON call to the console endpoints and reloads.
 */
import type { Company } from '../company';
import type { ProjectRecord } from '../store';

function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

interface FieldSpec {
  name: string;
  label: string;
  type: 'text' | 'date' | 'number';
}

const TEXT_FIELDS: FieldSpec[] = [
  { name: 'name', label: 'Name', type: 'text' },
  { name: 'project_number', label: 'Project number', type: 'text' },
  { name: 'address', label: 'Address', type: 'text' },
  { name: 'city', label: 'City', type: 'text' },
  { name: 'state_code', label: 'State code', type: 'text' },
  { name: 'zip', label: 'ZIP', type: 'text' },
  { name: 'country_code', label: 'Country code', type: 'text' },
  { name: 'start_date', label: 'Start date', type: 'date' },
  { name: 'completion_date', label: 'Completion date', type: 'date' },
  { name: 'total_value', label: 'Total value', type: 'number' },
  { name: 'description', label: 'Description', type: 'text' },
];

function options(items: ReadonlyArray<{ id: number; name: string }>): string {
  return [
    '<option value="">(none)</option>',
    ...items.map((i) => `<option value="${i.id}">${escapeHtml(i.name)}</option>`),
  ].join('');
}

function row(project: ProjectRecord, company: Company): string {
  const a = project.attributes;
  const cells = [
    project.id,
    a.name,
    a.project_number,
    company.projectType(a.project_type_id)?.name,
    company.projectStage(a.project_stage_id)?.name,
    a.origin_id,
    (a.active ?? true) ? 'Active' : 'Inactive',
    project.updated_at,
  ];
  const tds = cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('');
  return `<tr data-id="${project.id}">${tds}<td><button type="button" class="edit" data-id="${project.id}">Edit</button></td></tr>`;
}

function form(company: Company): string {
  const inputs = TEXT_FIELDS.map(
    (f) =>
      `<label>${f.label} <input name="${f.name}" type="${f.type}"${f.type === 'number' ? ' step="any"' : ''}></label>`,
  ).join('\n');
  return `<form id="project-form">
<h2 id="form-title">New project</h2>
<input type="hidden" name="id">
${inputs}
<label>Project type <select name="project_type_id">${options(company.projectTypes)}</select></label>
<label>Stage <select name="project_stage_id">${options(company.projectStages)}</select></label>
<label><input name="active" type="checkbox" checked> Active</label>
<button type="submit" id="save">Save</button> <button type="button" id="new-project">New</button>
<p id="message" role="status"></p>
</form>`;
}

const SCRIPT = `
const projects = JSON.parse(document.getElementById('projects-data').textContent);
const form = document.getElementById('project-form');
const message = document.getElementById('message');
const NUMBER_FIELDS = ['total_value', 'project_type_id', 'project_stage_id'];
function fill(project) {
  form.reset();
  form.elements.id.value = project ? project.id : '';
  document.getElementById('form-title').textContent = project ? 'Edit project ' + project.id : 'New project';
  if (!project) return;
  for (const el of form.elements) {
    if (!el.name || el.name === 'id') continue;
    const value = project.attributes[el.name];
    if (el.type === 'checkbox') el.checked = value !== false;
    else el.value = value === null || value === undefined ? '' : value;
  }
}
function body(editing) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.name === 'id') continue;
    if (el.type === 'checkbox') { out[el.name] = el.checked; continue; }
    if (el.value === '') { if (editing) out[el.name] = null; continue; }
    out[el.name] = NUMBER_FIELDS.includes(el.name) ? Number(el.value) : el.value;
  }
  return out;
}
document.querySelectorAll('button.edit').forEach((b) =>
  b.addEventListener('click', () => fill(projects.find((p) => String(p.id) === b.dataset.id))));
document.getElementById('new-project').addEventListener('click', () => fill(null));
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const id = form.elements.id.value;
  const response = await fetch(id ? '/sandbox/ui/projects/' + id : '/sandbox/ui/projects', {
    method: id ? 'PATCH' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body(Boolean(id))),
  });
  if (response.ok) { location.reload(); return; }
  message.textContent = 'Error ' + response.status + ': ' + (await response.text());
});
`;

export function renderConsolePage(projects: readonly ProjectRecord[], company: Company): string {
  const rows = projects.map((p) => row(p, company)).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Procore sandbox: ${escapeHtml(company.name)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; }
table { border-collapse: collapse; margin-bottom: 2rem; }
td, th { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; }
form label { display: block; margin: .3rem 0; }
#message { color: #b00; }
</style>
</head>
<body>
<h1>Procore sandbox: ${escapeHtml(company.name)} (company ${company.id})</h1>
<p>Changes made here are console changes: their webhook events carry <code>source_application_id: null</code>.</p>
<table id="projects">
<thead><tr><th>Id</th><th>Name</th><th>Number</th><th>Type</th><th>Stage</th><th>Origin id</th><th>Status</th><th>Updated</th><th></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${form(company)}
<script type="application/json" id="projects-data">${scriptJson(projects.map((p) => ({ id: p.id, attributes: p.attributes })))}</script>
<script>${SCRIPT}</script>
</body>
</html>`;
}
