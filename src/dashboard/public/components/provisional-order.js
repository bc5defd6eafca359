// @ts-check
// A stay admitted before its protection order (Ley 2215 de 2022, art. 6 par. 1): when the order
// is due, whether it is overdue, and the form that records it once it arrives.
import { useState } from 'preact/hooks';
import { api, explain } from '../lib/api.js';
import { calendarDate, dateTime, today } from '../lib/format.js';
import { html } from '../lib/html.js';
import { claims } from '../lib/session.js';
import { say } from '../lib/status.js';
import { AUTHORITY_TYPE } from '../lib/texts.js';
import { T } from './provisional-order.texts.js';

/** @typedef {import('../lib/types.js').Stay} Stay */

/** Who may record the order (the API's roles for POST /referrals/:id/protection-order). */
const ATTACHERS = ['admin', 'admission_officer', 'house_coordinator'];

/**
 * Nothing for a stay admitted with its order; otherwise the due date (or the overdue warning)
 * and, while it is awaited, the form to record it.
 * @param {{ stay: Stay, onDone: () => void }} props
 */
export function ProvisionalOrder({ stay, onDone }) {
  if (!stay.orderDueBy) {
    return null;
  }
  const due = dateTime(stay.orderDueBy);
  const order = stay.protectionOrder;
  const mayAttach = ATTACHERS.includes(claims()?.role ?? '');
  return html`<section class="card" id="provisional-order" aria-labelledby="po-title">
    <h3 id="po-title">${T.title}</h3>
    ${
      stay.provisional
        ? html`<p class=${stay.orderOverdue ? 'warning' : ''} id="order-due">
            ${stay.orderOverdue ? T.overdue(due) : T.dueBy(due)}
          </p>`
        : order &&
          html`<p id="order-attached">
            ${T.attached(order.number ?? '—', order.authorityName ?? '—')}
            <span class="sub">${calendarDate(order.issuedAt)}</span>
          </p>`
    }
    ${
      stay.provisional &&
      stay.status === 'active' &&
      mayAttach &&
      html`<${OrderForm} stay=${stay} onDone=${onDone} />`
    }
  </section>`;
}

/** @param {{ stay: Stay, onDone: () => void }} props */
function OrderForm({ stay, onDone }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  /** @param {SubmitEvent} event */
  const submit = async (event) => {
    event.preventDefault();
    const form = new FormData(/** @type {HTMLFormElement} */ (event.currentTarget));
    const number = String(form.get('number') ?? '').trim();
    setError('');
    setBusy(true);
    try {
      await api(`/referrals/${stay.referralId}/protection-order`, {
        method: 'POST',
        body: {
          number,
          authorityType: String(form.get('authorityType') ?? ''),
          authorityName: String(form.get('authorityName') ?? '').trim(),
          issuedAt: String(form.get('issuedAt') ?? ''),
        },
      });
      say(T.saved(number));
      onDone();
    } catch (e) {
      setError(
        explain(e, {
          number: T.number.toLowerCase(),
          authorityName: T.authorityName.toLowerCase(),
          issuedAt: T.issuedAt.toLowerCase(),
        }),
      );
    }
    setBusy(false);
  };
  return html`<form id="order-form" class="inline-form" onSubmit=${submit} aria-label=${T.attach}>
    <div>
      <label for="po-number">${T.number}</label>
      <input id="po-number" name="number" required maxlength="100" autocomplete="off" />
    </div>
    <div>
      <label for="po-type">${T.authorityType}</label>
      <select id="po-type" name="authorityType">
        ${Object.entries(AUTHORITY_TYPE).map(
          ([k, v]) => html`<option value=${k} key=${k}>${v}</option>`,
        )}
      </select>
    </div>
    <div class="grow">
      <label for="po-authority">${T.authorityName}</label>
      <input id="po-authority" name="authorityName" required maxlength="200" />
    </div>
    <div>
      <label for="po-issued">${T.issuedAt}</label>
      <input id="po-issued" name="issuedAt" type="date" required max=${today()} />
    </div>
    <button type="submit" disabled=${busy}>${T.save}</button>
    <p class="error" role="alert">${error}</p>
  </form>`;
}
