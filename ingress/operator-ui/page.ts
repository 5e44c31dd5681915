/** The operator page's HTML and style; its behaviour is in script.ts. */
import { OPERATOR_SCRIPT } from './script';

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1b1f24; }
header p { margin: .2rem 0 1rem; color: #555; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
td, th { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.id { font-family: ui-monospace, monospace; font-size: .8rem; }
.status { padding: .1rem .45rem; border-radius: .8rem; font-size: .8rem; background: #eee; white-space: nowrap; }
.status-synced { background: #dafbe1; color: #116329; }
.status-pending { background: #fff8c5; color: #7d4e00; }
.status-error { background: #ffebe9; color: #a40e26; }
.status-deleted { background: #eaeef2; color: #57606a; }
#message { color: #a40e26; min-height: 1.2rem; }
form { margin: .5rem 0 1rem; }
[hidden] { display: none !important; }
`;

export function renderOperatorPage(options: { tokenRequired: boolean }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tandem operator</title>
<style>${STYLE}</style>
</head>
<body data-token-required="${options.tokenRequired ? '1' : ''}">
<header>
<h1>Tandem: project syncs</h1>
<p>Every ProjectSync workflow, its link and status. Parked records (status error) show why; re-sync reads both
systems again and syncs them.</p>
</header>
<form id="token-form" data-testid="token-form" hidden>
<label>API token <input id="token" name="token" type="password" autocomplete="off" data-testid="token"></label>
<button type="submit" data-testid="token-save">Use token</button>
</form>
<form id="filter-form">
<label>Status <select id="status" data-testid="status-filter">
<option value="">all</option><option value="synced">synced</option><option value="pending">pending</option>
<option value="error">error (parked)</option><option value="deleted">deleted</option>
</select></label>
<button type="button" id="refresh" data-testid="refresh">Refresh</button>
<span data-testid="count" id="count"></span>
</form>
<p id="message" data-testid="message" role="status"></p>
<table data-testid="projects">
<thead><tr><th>Salesforce id</th><th>Procore id</th><th>Status</th><th>Last error</th><th>Workflow</th><th></th></tr></thead>
<tbody id="rows"></tbody>
</table>
<script>${OPERATOR_SCRIPT}</script>
</body>
</html>`;
}
