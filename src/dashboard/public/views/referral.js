// @ts-check
import { useState } from 'preact/hooks';
import { FormDialog } from '../components/dialog.js';
import { api, explain } from '../lib/api.js';
import { age, calendarDate, dateOf, dateTime } from '../lib/format.js';
import { html } from '../lib/html.js';
import { useLoad } from '../lib/load.js';
import { claims } from '../lib/session.js';
import { say } from '../lib/status.js';
import {
  AUTHORITY_TYPE,
  DOCUMENT_TYPE,
  LOADING,
  NO,
  REFERRAL_STATUS,
  RELATIONSHIP,
  RISK,
  YES,
} from '../lib/texts.js';
import { Placement } from './placement.js';
import { REJECTION_REASON, T } from './referral.texts.js';

/** @typedef {import('../lib/types.js').Referral} Referral @typedef {import('../lib/types.js').House} House */

/** @param {{ referral: Referral }} props */
function Family({ referral }) {
  const { woman } = referral;
  const document =
    woman.documentType === 'NONE'
      ? DOCUMENT_TYPE.NONE
      : `${woman.documentType} ${woman.documentNumber ?? ''}`;
  return html`<div class="card scroll">
    <h3>${T.family}</h3>
    <table id="family">
      <thead>
        <tr>
          <th scope="col">${T.name}</th>
          <th scope="col">${T.relationship}</th>
          <th scope="col">${T.birthDate}</th>
          <th scope="col">${T.age}</th>
          <th scope="col">${T.document}</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">${woman.fullName ?? T.erased}</th>
          <td>${T.woman}</td>
          <td>${woman.birthDate ? calendarDate(woman.birthDate) : '—'}</td>
          <td>${age(woman.birthDate)}</td>
          <td>
            ${
              woman.documentType === null
                ? T.erased
                : html`<abbr title=${DOCUMENT_TYPE[woman.documentType]}>${document}</abbr>`
            }
          </td>
        </tr>
        ${referral.dependants.map(
          (d) =>
            html`<tr key=${d.personId}>
              <th scope="row">${d.fullName ?? T.erased}</th>
              <td>${d.relationship ? (RELATIONSHIP[d.relationship] ?? d.relationship) : '—'}</td>
              <td>${d.birthDate ? calendarDate(d.birthDate) : '—'}</td>
              <td>${age(d.birthDate)}</td>
              <td></td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${woman.phone && html`<p>${T.phone}: ${woman.phone}</p>`}
  </div>`;
}

/** @param {{ referral: Referral, houses: House[] }} props */
function Prior({ referral, houses }) {
  const code = new Map(houses.map((h) => [h.id, h.code]));
  return html`<div class="card scroll">
    <h3>${T.prior}</h3>
    ${
      referral.priorReferrals.length === 0
        ? html`<p>${T.noPrior}</p>`
        : html`<table id="prior">
            <thead>
              <tr>
                <th scope="col">${T.received}</th>
                <th scope="col">${T.status}</th>
                <th scope="col">${T.house}</th>
                <th scope="col">${T.admitted}</th>
                <th scope="col">${T.exited}</th>
              </tr>
            </thead>
            <tbody>
              ${referral.priorReferrals.map(
                (p) =>
                  html`<tr key=${p.id}>
                    <td>${dateOf(p.createdAt)}</td>
                    <td>${REFERRAL_STATUS[p.status] ?? p.status}</td>
                    <td>${p.stays.map((s) => code.get(s.houseId) ?? '—').join(', ') || '—'}</td>
                    <td>${p.admittedAt ? dateOf(p.admittedAt) : '—'}</td>
                    <td>${p.exitedAt ? dateOf(p.exitedAt) : '—'}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </div>`;
}

/**
 * One referral as the officer decides on it: who the family is, the order, needs and notes,
 * earlier cases; then placement (with a confirmation) or rejection.
 * @param {{ id: string, go: import('./app.js').Go }} props
 */
export function ReferralView({ id, go }) {
  const [rejecting, setRejecting] = useState(false);
  const [erasing, setErasing] = useState(false);
  // Kept once admitted, so the confirmation stays on screen after the 30 s reload.
  const [admitted, setAdmitted] = useState(false);
  const { data, error, reload } = useLoad(
    () =>
      Promise.all([api(`/referrals/${id}`), api('/houses')]).then(([referral, houses]) => ({
        referral: /** @type {Referral} */ (referral),
        houses: /** @type {House[]} */ (houses),
      })),
    [id],
  );
  const back = html`<button type="button" class="secondary" onClick=${() => go('ingresos')}>
    ← ${T.back}
  </button>`;
  if (!data) {
    return html`${back}
      <p class=${error ? 'error' : ''} role=${error ? 'alert' : undefined}>
        ${error ? explain(error) : LOADING}
      </p>`;
  }
  const { referral, houses } = data;
  const order = referral.protectionOrder;
  const reject = async (/** @type {FormData} */ form) => {
    const reasonCode = String(form.get('reasonCode') ?? '');
    const typed = String(form.get('reason') ?? '').trim();
    // The API requires a reason; when the officer adds no detail, the label of her choice is it.
    await api(`/referrals/${referral.id}/reject`, {
      method: 'POST',
      body: { reasonCode, reason: typed || (REJECTION_REASON[reasonCode] ?? reasonCode) },
    });
    setRejecting(false);
    go('ingresos');
    say(T.rejected(referral.externalReference));
  };
  const erase = async (/** @type {FormData} */ form) => {
    await api(`/referrals/${referral.id}/erase`, {
      method: 'POST',
      body: { reason: String(form.get('reason') ?? '').trim() },
    });
    setErasing(false);
    reload();
    say(T.erasedDone(referral.externalReference));
  };
  return html`<div id="referral" data-referral-id=${referral.id}>
    ${back}
    <h2 tabindex="-1">${T.title(referral.externalReference)}</h2>
    ${
      referral.erased &&
      html`<p class="warning" id="referral-erased">
        <strong>${T.erased}.</strong> ${T.erasedNote}
      </p>`
    }
    <div class="card">
      <dl class="facts">
        <div>
          <dt>${T.risk}</dt>
          <dd class=${`risk-${referral.riskLevel}`}>${RISK[referral.riskLevel]}</dd>
        </div>
        <div>
          <dt>${T.status}</dt>
          <dd>${REFERRAL_STATUS[referral.status] ?? referral.status}</dd>
        </div>
        ${
          referral.statusReasonCode &&
          html`<div>
            <dt>${T.reasonCode}</dt>
            <dd id="referral-reason-code">
              ${REJECTION_REASON[referral.statusReasonCode] ?? referral.statusReasonCode}
            </dd>
          </div>`
        }
        ${
          referral.statusReason &&
          html`<div>
            <dt>${T.statusReason}</dt>
            <dd>${referral.statusReason}</dd>
          </div>`
        }
        <div>
          <dt>${T.received}</dt>
          <dd>${dateTime(referral.createdAt)}</dd>
        </div>
        <div>
          <dt>${T.people}</dt>
          <dd>${referral.familySize}</dd>
        </div>
      </dl>
    </div>
    <${Family} referral=${referral} />
    <div class="two">
      <div class="card" id="referral-order">
        <h3>${T.order}</h3>
        ${
          referral.provisional &&
          html`<p class=${order ? '' : 'warning'}>${order ? T.orderLate : T.provisional}</p>
            <dl class="facts">
              <div>
                <dt>${T.provisionalReason}</dt>
                <dd>${referral.provisional.reason}</dd>
              </div>
            </dl>`
        }
        ${
          order &&
          html`<dl class="facts">
            <div>
              <dt>${T.orderNumber}</dt>
              <dd>${order.number ?? T.erased}</dd>
            </div>
            <div>
              <dt>${T.authorityType}</dt>
              <dd>${AUTHORITY_TYPE[order.authorityType] ?? order.authorityType}</dd>
            </div>
            <div>
              <dt>${T.authorityName}</dt>
              <dd>${order.authorityName ?? T.erased}</dd>
            </div>
            <div>
              <dt>${T.issuedAt}</dt>
              <dd>${calendarDate(order.issuedAt)}</dd>
            </div>
          </dl>`
        }
      </div>
      <div class="card">
        <h3>${T.needs}</h3>
        <dl class="facts">
          <div>
            <dt>${T.wheelchair}</dt>
            <dd>${referral.needs.wheelchairAccessible ? YES : NO}</dd>
          </div>
        </dl>
        <h4>${T.notes}</h4>
        <p class="notes">${referral.erased ? T.erased : referral.notes || T.noNotes}</p>
      </div>
    </div>
    <${Prior} referral=${referral} houses=${houses} />
    ${
      // An erased case keeps its counts only: nobody places or rejects it any more.
      referral.erased
        ? null
        : referral.status === 'received' || admitted
          ? html`<${Placement}
                referral=${referral}
                onAdmitted=${() => {
                  setAdmitted(true);
                  reload();
                }}
              />
              ${
                !admitted &&
                html`<div class="card">
                  <button type="button" class="danger" onClick=${() => setRejecting(true)}>
                    ${T.reject}
                  </button>
                </div>`
              }`
          : html`<p class="warning">
              ${T.notReceived(REFERRAL_STATUS[referral.status] ?? referral.status)}
            </p>`
    }
    ${
      claims()?.role === 'admin' &&
      !referral.erased &&
      html`<div class="card">
        <button type="button" class="danger" id="erase-case" onClick=${() => setErasing(true)}>
          ${T.erase}
        </button>
      </div>`
    }
    ${
      erasing &&
      html`<${FormDialog}
        title=${T.eraseTitle}
        submitText=${T.eraseSubmit}
        danger=${true}
        labels=${{ reason: 'motivo' }}
        onSubmit=${erase}
        onClose=${() => setErasing(false)}
      >
        <p id="erase-intro">${T.eraseIntro}</p>
        <label for="erase-reason">${T.eraseReason}</label>
        <textarea id="erase-reason" name="reason" maxlength="1000" required></textarea>
      <//>`
    }
    ${
      rejecting &&
      html`<${FormDialog}
        title=${T.rejectTitle}
        submitText=${T.rejectSubmit}
        danger=${true}
        labels=${{ reasonCode: T.rejectCode.toLowerCase(), reason: 'detalle' }}
        onSubmit=${reject}
        onClose=${() => setRejecting(false)}
      >
        <p>${T.rejectIntro(referral.woman.fullName ?? T.erased)}</p>
        <label for="reject-code">${T.rejectCode}</label>
        <select id="reject-code" name="reasonCode" required>
          <option value="">${T.rejectCodeChoose}</option>
          ${Object.entries(REJECTION_REASON).map(
            ([code, label]) => html`<option value=${code} key=${code}>${label}</option>`,
          )}
        </select>
        <label for="reject-reason">${T.rejectReason}</label>
        <textarea id="reject-reason" name="reason" maxlength="1000"></textarea>
      <//>`
    }
  </div>`;
}
