// @ts-check
// A family's file (expediente) for those who house her: the family, the care plan, the team's
// attentions (one recorded in two clicks: the usual kind of her discipline comes chosen), the
// notes the reader may read, the legal processes, her consents (autorizaciones) and the
// follow-ups after egress (the file stays open for exited stays: following her up is the team's
// work after she leaves).
import { useState } from 'preact/hooks';
import { familyLabel } from '../components/bed-map.js';
import { FamilyNames, familyMembers } from '../components/family.js';
import { ProvisionalOrder } from '../components/provisional-order.js';
import { api, explain } from '../lib/api.js';
import { dateOf, shortDateTime } from '../lib/format.js';
import { html } from '../lib/html.js';
import { useLoad } from '../lib/load.js';
import { claims } from '../lib/session.js';
import { say } from '../lib/status.js';
import { LOADING } from '../lib/texts.js';
import { CasefileConsents } from './casefile-consents.js';
import { CasefileFollowUps } from './casefile-follow-ups.js';
import { T, USUAL_KIND } from './casefile.texts.js';
import { DISCIPLINE } from './people.texts.js';

/** @typedef {import('../lib/types.js').Stay} Stay */
/**
 * @typedef {{ id: string, area: string, description: string, status: string,
 *   targetDate: string | null }} Goal
 * @typedef {{ id: string, personId: string, discipline: string, kind: string,
 *   occurredAt: string, note: string | null }} Attention
 * @typedef {{ id: string, personId: string | null, discipline: string, visibility: string,
 *   createdAt: string, body: string }} Note
 * @typedef {{ id: string, kind: string, authority: string, caseNumber: string, status: string,
 *   nextHearingAt: string | null }} LegalProcess
 */

/** @param {Note} n */
const noteMeta = (n) =>
  [
    shortDateTime(n.createdAt),
    DISCIPLINE[n.discipline] ?? n.discipline,
    n.visibility === 'discipline' ? T.visDiscipline : T.visTeam,
  ].join(' · ');

/** @template T @param {Promise<T>} p @returns {Promise<T | null>} */
const orNull = (p) => p.catch(() => null);

/** @param {{ stayId: string | null, go: import('./app.js').Go }} props */
export function CasefileView({ stayId, go }) {
  const me = claims();
  // A consent recorded may cancel follow-ups: their list is read again after each one.
  const [consentsRecorded, setConsentsRecorded] = useState(0);
  const { data, error, reload } = useLoad(async () => {
    const id = String(stayId);
    /** @type {Stay} */
    const stay = await api(`/stays/${id}`);
    const [plan, attentions, notes, legal] = await Promise.all([
      orNull(/** @type {Promise<{ goals: Goal[] }>} */ (api(`/stays/${id}/plan`))),
      orNull(/** @type {Promise<Attention[]>} */ (api(`/stays/${id}/attentions`))),
      orNull(/** @type {Promise<Note[]>} */ (api(`/stays/${id}/notes`))),
      orNull(/** @type {Promise<LegalProcess[]>} */ (api(`/stays/${id}/legal-processes`))),
    ]);
    return { stay, goals: plan?.goals ?? [], attentions, notes, legal };
  }, [stayId]);
  const back = html`<button
    type="button"
    class="secondary"
    onClick=${() => go(me?.role === 'team_member' ? 'dia' : 'casa')}
  >
    ${T.back}
  </button>`;
  if (!data) {
    return html`<h2 tabindex="-1">${T.title('')}</h2>
      <p class=${error ? 'error' : ''} role=${error ? 'alert' : undefined}>
        ${error ? explain(error) : LOADING}
      </p>
      ${back}`;
  }
  const { stay, goals, attentions, notes, legal } = data;
  const members = familyMembers(stay);
  const nameOf = (/** @type {string | null} */ id) =>
    members.find((m) => m.personId === id)?.name ?? '—';
  return html`<div id="casefile" data-stay-id=${stay.id}>
    <h2 tabindex="-1">${T.title(familyLabel(stay, 0))}</h2>
    <p>${back}</p>
    <section class="card" aria-labelledby="cf-family">
      <h3 id="cf-family">${T.family}</h3>
      <${FamilyNames} stay=${stay} />
      ${stay.exitedAt && html`<p><strong>${T.exitedOn(dateOf(stay.exitedAt))}</strong></p>`}
    </section>
    <${ProvisionalOrder} stay=${stay} onDone=${reload} />
    <${CasefileConsents} stayId=${stay.id} onChange=${() => setConsentsRecorded((n) => n + 1)} />
    <${CasefileFollowUps} key=${`follow-ups-${consentsRecorded}`} stay=${stay} />
    <section class="card scroll" aria-labelledby="cf-plan">
      <h3 id="cf-plan">${T.plan}</h3>
      ${
        goals.length === 0
          ? html`<p>${T.noGoals}</p>`
          : html`<table id="goals">
              <thead>
                <tr>
                  <th scope="col">${T.area}</th>
                  <th scope="col">${T.goal}</th>
                  <th scope="col">${T.target}</th>
                  <th scope="col">${T.status}</th>
                </tr>
              </thead>
              <tbody>
                ${goals.map(
                  (g) =>
                    html`<tr key=${g.id}>
                      <td>${T.areas[g.area] ?? g.area}</td>
                      <td>${g.description}</td>
                      <td>${g.targetDate ? dateOf(g.targetDate) : '—'}</td>
                      <td>${T.goalStatus[g.status] ?? g.status}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>
    <section class="card scroll" aria-labelledby="cf-attentions">
      <h3 id="cf-attentions">${T.attentions}</h3>
      ${stay.status === 'active' && html`<${AttentionForm} stay=${stay} onDone=${reload} />`}
      ${
        !attentions || attentions.length === 0
          ? html`<p>${T.noAttentions}</p>`
          : html`<table id="attentions">
              <thead>
                <tr>
                  <th scope="col">${T.when}</th>
                  <th scope="col">${T.who}</th>
                  <th scope="col">${T.kind}</th>
                  <th scope="col">${T.discipline}</th>
                </tr>
              </thead>
              <tbody>
                ${attentions.map(
                  (a) =>
                    html`<tr key=${a.id} data-attention-id=${a.id}>
                      <td>${shortDateTime(a.occurredAt)}</td>
                      <td>${nameOf(a.personId)}</td>
                      <td>
                        ${T.kinds[a.kind] ?? a.kind}${a.note && html`<span class="sub">${a.note}</span>`}
                      </td>
                      <td>${DISCIPLINE[a.discipline] ?? a.discipline}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>
    <section class="card" aria-labelledby="cf-notes">
      <h3 id="cf-notes">${T.notes}</h3>
      ${stay.status === 'active' && html`<${NoteForm} stay=${stay} onDone=${reload} />`}
      ${
        !notes || notes.length === 0
          ? html`<p>${T.noNotes}</p>`
          : html`<ul id="notes" class="notes">
              ${notes.map(
                (n) =>
                  html`<li key=${n.id} data-note-id=${n.id}>
                    <span class="sub">${noteMeta(n)}</span>
                    <p>${n.body}</p>
                  </li>`,
              )}
            </ul>`
      }
    </section>
    <section class="card scroll" aria-labelledby="cf-legal">
      <h3 id="cf-legal">${T.legal}</h3>
      ${
        !legal || legal.length === 0
          ? html`<p>${T.noLegal}</p>`
          : html`<table id="legal">
              <thead>
                <tr>
                  <th scope="col">${T.kind}</th>
                  <th scope="col">${T.authority}</th>
                  <th scope="col">${T.caseNumber}</th>
                  <th scope="col">${T.status}</th>
                  <th scope="col">${T.hearing}</th>
                </tr>
              </thead>
              <tbody>
                ${legal.map(
                  (p) =>
                    html`<tr key=${p.id}>
                      <td>${T.legalKinds[p.kind] ?? p.kind}</td>
                      <td>${p.authority}</td>
                      <td>${p.caseNumber}</td>
                      <td>${T.legalStatus[p.status] ?? p.status}</td>
                      <td>${p.nextHearingAt ? shortDateTime(p.nextHearingAt) : '—'}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>
  </div>`;
}

/** @param {{ stay: Stay, onDone: () => void }} props */
function AttentionForm({ stay, onDone }) {
  const me = claims();
  const own = me?.discipline ?? null;
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const members = familyMembers(stay);
  /** @param {SubmitEvent} event */
  const submit = async (event) => {
    event.preventDefault();
    const target = /** @type {HTMLFormElement} */ (event.currentTarget);
    const form = new FormData(target);
    const note = String(form.get('note') ?? '').trim();
    const kind = String(form.get('kind') ?? '');
    const personId = String(form.get('personId') ?? '');
    setError('');
    setBusy(true);
    try {
      await api(`/stays/${stay.id}/attentions`, {
        method: 'POST',
        body: {
          personId,
          kind,
          ...(own ? {} : { discipline: String(form.get('discipline') ?? '') }),
          ...(note ? { note } : {}),
        },
      });
      say(
        T.recorded(T.kinds[kind] ?? kind, members.find((m) => m.personId === personId)?.name ?? ''),
      );
      target.reset();
      onDone();
    } catch (e) {
      setError(explain(e));
    }
    setBusy(false);
  };
  return html`<form
    id="attention-form"
    class="inline-form"
    onSubmit=${submit}
    aria-label=${T.addAttention}
  >
    <div>
      <label for="att-person">${T.person}</label>
      <select id="att-person" name="personId">
        ${members.map((m) => html`<option value=${m.personId} key=${m.personId}>${m.name}</option>`)}
      </select>
    </div>
    <div>
      <label for="att-kind">${T.kind}</label>
      <select id="att-kind" name="kind" value=${(own && USUAL_KIND[own]) ?? 'psychosocial_care'}>
        ${Object.entries(T.kinds).map(([k, v]) => html`<option value=${k} key=${k}>${v}</option>`)}
      </select>
    </div>
    ${
      !own &&
      html`<div>
        <label for="att-discipline">${T.discipline}</label>
        <select id="att-discipline" name="discipline">
          ${Object.entries(DISCIPLINE).map(([k, v]) => html`<option value=${k} key=${k}>${v}</option>`)}
        </select>
      </div>`
    }
    <div class="grow">
      <label for="att-note">${T.note}</label>
      <input id="att-note" name="note" autocomplete="off" />
    </div>
    <button type="submit" disabled=${busy}>${T.record}</button>
    <p class="error" role="alert">${error}</p>
  </form>`;
}

/**
 * A team member's note is for her discipline unless she chooses the whole team: what a woman
 * tells her psychologist is not shared by default.
 * @param {{ stay: Stay, onDone: () => void }} props
 */
function NoteForm({ stay, onDone }) {
  const teamMember = claims()?.role === 'team_member';
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  /** @param {SubmitEvent} event */
  const submit = async (event) => {
    event.preventDefault();
    const target = /** @type {HTMLFormElement} */ (event.currentTarget);
    const form = new FormData(target);
    setError('');
    setBusy(true);
    try {
      await api(`/stays/${stay.id}/notes`, {
        method: 'POST',
        body: {
          body: String(form.get('body') ?? ''),
          visibility: String(form.get('visibility') ?? 'team'),
        },
      });
      say(T.noteSaved);
      target.reset();
      onDone();
    } catch (e) {
      setError(explain(e, { body: T.body.toLowerCase() }));
    }
    setBusy(false);
  };
  return html`<form id="note-form" onSubmit=${submit} aria-label=${T.addNote}>
    <label for="note-body">${T.body}</label>
    <textarea id="note-body" name="body" rows="3" required></textarea>
    <label for="note-visibility">${T.visibility}</label>
    <select id="note-visibility" name="visibility">
      ${teamMember && html`<option value="discipline">${T.visDiscipline}</option>`}
      <option value="team">${T.visTeam}</option>
    </select>
    <p class="error" role="alert">${error}</p>
    <button type="submit" disabled=${busy}>${T.saveNote}</button>
  </form>`;
}
