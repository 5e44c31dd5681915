/**
 * The page's only script: sends each form as JSON through the console server, opens a row in its side's form,
 * and swaps in freshly rendered table bodies every REFRESH_MS, so a person watches the other side follow.
 * Forms are never re-rendered, so a refresh does not disturb what someone is typing.
 */
export const REFRESH_MS = 1000;

export const CONSOLE_SCRIPT = `
const REFRESH_MS = ${REFRESH_MS};
const forms = Object.fromEntries([...document.querySelectorAll('form[data-side]')].map((f) => [f.dataset.side, f]));

function openForm(form, id, values) {
  form.reset();
  form.dataset.id = id || '';
  form.querySelector('[data-role="title"]').textContent = id ? 'Edit ' + (values.Name || values.name || id) : 'New project';
  form.querySelector('[data-role="message"]').textContent = '';
  for (const el of form.querySelectorAll('[name]')) el.value = values && values[el.name] != null ? values[el.name] : '';
}

function body(form) {
  const editing = Boolean(form.dataset.id);
  const out = {};
  for (const el of form.querySelectorAll('[name]')) {
    // Editing sends a cleared field as null, so clearing it clears it; creating leaves it out.
    if (el.value === '') { if (editing) out[el.name] = null; continue; }
    out[el.name] = el.dataset.numeric ? Number(el.value) : el.value;
  }
  return out;
}

async function save(form) {
  const id = form.dataset.id;
  const message = form.querySelector('[data-role="message"]');
  message.textContent = 'Saving…';
  const response = await fetch(form.dataset.endpoint + (id ? '/' + encodeURIComponent(id) : ''), {
    method: id ? 'PATCH' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body(form)),
  });
  if (!response.ok) { message.textContent = 'Error ' + response.status + ': ' + (await response.text()); return; }
  openForm(form, '', null);
  message.textContent = 'Saved.';
  refresh();
}

for (const form of Object.values(forms)) {
  form.addEventListener('submit', (event) => { event.preventDefault(); save(form); });
  form.querySelector('[data-role="new"]').addEventListener('click', () => openForm(form, '', null));
}

document.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-edit]');
  if (button) openForm(forms[button.dataset.edit], button.dataset.id, JSON.parse(button.dataset.record));
});

let timer;
async function refresh() {
  clearTimeout(timer);
  try {
    const board = await (await fetch('/console/board', { cache: 'no-store' })).json();
    document.getElementById('salesforce-rows').innerHTML = board.salesforce;
    document.getElementById('procore-rows').innerHTML = board.procore;
    document.getElementById('problems').innerHTML = board.problems;
    document.getElementById('refreshed').textContent = new Date(board.refreshedAt).toLocaleTimeString();
  } catch (err) {
    document.getElementById('problems').innerHTML = '<li>The console server did not answer: ' + String(err) + '</li>';
  }
  timer = setTimeout(refresh, REFRESH_MS);
}
timer = setTimeout(refresh, REFRESH_MS);
`;
