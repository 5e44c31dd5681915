/**
 * The operator page's script. It renders only with textContent (never innerHTML), keeps the token in the tab's
 * sessionStorage, and asks for it again when the API answers 401. Parked rows fetch their detail for the error.
 */
export const OPERATOR_SCRIPT = `
const rows = document.getElementById('rows');
const message = document.getElementById('message');
const statusFilter = document.getElementById('status');
const tokenForm = document.getElementById('token-form');
const MAX_DETAILS = 50;

function headers() {
  const token = sessionStorage.getItem('tandem-token');
  return token ? { authorization: 'Bearer ' + token } : {};
}

async function api(method, url) {
  const response = await fetch(url, { method, headers: headers(), cache: 'no-store' });
  if (response.status === 401) {
    tokenForm.hidden = false;
    throw new Error('The operator API wants a valid token (TANDEM_API_TOKEN).');
  }
  const body = await response.json();
  if (!response.ok) throw new Error(body.message || 'HTTP ' + response.status);
  return body;
}

function cell(tr, text, testid) {
  const td = tr.insertCell();
  td.textContent = text == null ? '' : String(text);
  if (testid) td.dataset.testid = testid;
  return td;
}

function lastError(detail) {
  if (!detail || !detail.parked) return '';
  const p = detail.parked;
  const error = [p.code + (p.field ? ' on ' + p.field : ''), p.message].filter(Boolean).join(': ');
  if (p.nextRetryAt == null) return error;
  return error + ' (tried again ' + (p.retries || 0) + ' times; next try ' + new Date(p.nextRetryAt).toISOString() + ')';
}

function row(project) {
  const tr = rows.insertRow();
  tr.dataset.testid = 'project-row';
  tr.dataset.id = project.salesforceId;
  cell(tr, project.salesforceId, 'salesforce-id').className = 'id';
  cell(tr, project.procoreProjectId, 'procore-id').className = 'id';
  const status = project.status || 'pending';
  const badge = document.createElement('span');
  badge.className = 'status status-' + status;
  badge.dataset.testid = 'sync-status';
  badge.textContent = status;
  tr.insertCell().append(badge);
  const error = cell(tr, '', 'last-error');
  const link = document.createElement('a');
  link.href = project.temporalUiUrl;
  link.target = '_blank';
  link.rel = 'noopener';
  link.textContent = 'ProjectSync ↗';
  link.dataset.testid = 'workflow-link';
  tr.insertCell().append(link);
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Re-sync';
  button.dataset.testid = 'resync';
  button.addEventListener('click', () => resync(project.salesforceId, button));
  tr.insertCell().append(button);
  return error;
}

async function refresh() {
  message.textContent = '';
  try {
    const query = statusFilter.value ? '?status=' + encodeURIComponent(statusFilter.value) : '';
    const { projects } = await api('GET', '/api/projects' + query);
    rows.replaceChildren();
    document.getElementById('count').textContent = projects.length + ' project' + (projects.length === 1 ? '' : 's');
    const parked = [];
    for (const project of projects) {
      const errorCell = row(project);
      if (project.status === 'error' && parked.length < MAX_DETAILS) parked.push([project.salesforceId, errorCell]);
    }
    await Promise.all(parked.map(async ([id, errorCell]) => {
      errorCell.textContent = lastError(await api('GET', '/api/projects/' + encodeURIComponent(id)));
    }));
  } catch (err) {
    message.textContent = String(err.message || err);
  }
}

async function resync(id, button) {
  button.disabled = true;
  message.textContent = 'Re-syncing ' + id + '…';
  let outcome;
  try {
    const state = await api('POST', '/api/projects/' + encodeURIComponent(id) + '/resync?wait=true');
    outcome = 'Re-synced ' + id + ': ' + state.status + (state.parked ? ' (' + lastError(state) + ')' : '');
  } catch (err) {
    outcome = 'Re-sync of ' + id + ' failed: ' + String(err.message || err);
  }
  await refresh();
  message.textContent = outcome;
}

tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem('tandem-token', document.getElementById('token').value);
  tokenForm.hidden = true;
  refresh();
});
statusFilter.addEventListener('change', refresh);
document.getElementById('refresh').addEventListener('click', refresh);
if (document.body.dataset.tokenRequired && !sessionStorage.getItem('tandem-token')) tokenForm.hidden = false;
else refresh();
`;
