// @ts-check
// Finding a woman by name, document or the referrer's reference. The API matches whole words
// through blind indexes (no plaintext index of names), so the page asks for 3 characters at least.
import { useState } from 'preact/hooks';
import { api, explain } from '../lib/api.js';
import { dateOf } from '../lib/format.js';
import { html } from '../lib/html.js';
import { claims } from '../lib/session.js';
import { REFERRAL_STATUS } from '../lib/texts.js';
import { familyLabel } from './bed-map.js';
import { FamilyNames } from './family.js';
import { T } from './search.texts.js';

/** @typedef {import('../lib/types.js').Referral} Referral @typedef {import('../lib/types.js').Stay} Stay */

/**
 * Officers and admins search referrals and stays; anyone else her house's stays (the API scopes
 * them).
 * @param {{ go: import('../views/app.js').Go }} props
 */
export function SearchBox({ go }) {
  const role = claims()?.role;
  const officer = role === 'admission_officer' || role === 'admin';
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState(
    /** @type {{ referrals: Referral[], stays: Stay[] } | null} */ (null),
  );

  /** @param {SubmitEvent} event */
  const submit = async (event) => {
    event.preventDefault();
    const q = String(
      new FormData(/** @type {HTMLFormElement} */ (event.currentTarget)).get('q') ?? '',
    ).trim();
    setError('');
    if (q.length < 3) {
      setFound(null);
      setError(T.tooShort);
      return;
    }
    setBusy(true);
    try {
      const query = encodeURIComponent(q);
      const [referrals, stays] = await Promise.all([
        officer
          ? /** @type {Promise<Referral[]>} */ (api(`/referrals?q=${query}`))
          : Promise.resolve([]),
        /** @type {Promise<Stay[]>} */ (api(`/stays?q=${query}`)),
      ]);
      setFound({ referrals, stays });
    } catch (e) {
      setFound(null);
      setError(explain(e, { q: T.label }));
    }
    setBusy(false);
  };

  return html`<section class="card" aria-labelledby="search-title">
    <h3 id="search-title">${T.title}</h3>
    <form class="search" role="search" novalidate onSubmit=${submit}>
      <label for="search-q">${T.label}</label>
      <div class="row">
        <input
          id="search-q"
          name="q"
          type="search"
          minlength="3"
          aria-describedby="search-hint"
          autocomplete="off"
        />
        <button type="submit" disabled=${busy}>${T.submit}</button>
      </div>
      <p id="search-hint" class="sub">${T.hint}</p>
      <p class="error" role="alert">${error}</p>
    </form>
    <div id="search-results" aria-live="polite">
      ${found && found.referrals.length + found.stays.length === 0 && html`<p>${T.none}</p>`}
      ${found && found.referrals.length > 0 && html`<${ReferralResults} referrals=${found.referrals} go=${go} />`}
      ${
        found &&
        found.stays.length > 0 &&
        html`<${StayResults} stays=${found.stays} go=${officer ? go : null} />`
      }
    </div>
  </section>`;
}

/** @param {{ referrals: Referral[], go: import('../views/app.js').Go }} props */
function ReferralResults({ referrals, go }) {
  return html`<div class="scroll">
    <h4>${T.referrals}</h4>
    <table id="search-referrals">
      <thead>
        <tr>
          <th scope="col">${T.woman}</th>
          <th scope="col">${T.reference}</th>
          <th scope="col">${T.status}</th>
          <th scope="col"><span class="sr">${T.open}</span></th>
        </tr>
      </thead>
      <tbody>
        ${referrals.map((r) => {
          const name = r.woman?.fullName ?? r.externalReference;
          return html`<tr key=${r.id} data-referral-id=${r.id}>
            <td>${name}</td>
            <td>${r.externalReference}</td>
            <td>${REFERRAL_STATUS[r.status] ?? r.status}</td>
            <td>
              <button
                type="button"
                class="secondary"
                aria-label=${T.openLabel(name)}
                onClick=${() => go('remision', r.id)}
              >
                ${T.open}
              </button>
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

/** @param {{ stays: Stay[], go: import('../views/app.js').Go | null }} props */
function StayResults({ stays, go }) {
  return html`<div class="scroll">
    <h4>${T.stays}</h4>
    <table id="search-stays">
      <thead>
        <tr>
          <th scope="col">${T.family}</th>
          <th scope="col">${T.admitted}</th>
          <th scope="col">${T.status}</th>
          ${go && html`<th scope="col"><span class="sr">${T.house}</span></th>`}
        </tr>
      </thead>
      <tbody>
        ${stays.map((stay, index) => {
          const label = familyLabel(stay, index);
          return html`<tr key=${stay.id} data-stay-id=${stay.id}>
            <td>${label}<${FamilyNames} stay=${stay} /></td>
            <td>${dateOf(stay.admittedAt)}</td>
            <td>${T.stayStatus[stay.status] ?? stay.status}</td>
            ${
              go &&
              html`<td>
                <button
                  type="button"
                  class="secondary"
                  aria-label=${T.houseLabel(label)}
                  onClick=${() => go('casa', stay.houseId)}
                >
                  ${T.house}
                </button>
              </td>`
            }
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}
