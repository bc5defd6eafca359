// @ts-check
// Refugio's staff dashboard: ES modules served as they are, Preact + htm from their npm
// packages (see the import map in index.html), over the same HTTP API as every client.
import { render } from 'preact';
import { html } from './lib/html.js';
import { App } from './views/app.js';

const root = document.getElementById('app');
if (root) {
  render(html`<${App} />`, root);
}
