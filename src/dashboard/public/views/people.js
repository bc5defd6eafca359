// @ts-check
// People administration (admins): accounts, their role, house and discipline, disabling one
// (her sessions end), and a one-time password shown once.
import { useState } from 'preact/hooks';
import { Dialog, FormDialog } from '../components/dialog.js';
import { api, ApiError, explain } from '../lib/api.js';
import { html } from '../lib/html.js';
import { useLoad } from '../lib/load.js';
import { say } from '../lib/status.js';
import { LOADING, ROLE } from '../lib/texts.js';
import { DISCIPLINE, T } from './people.texts.js';

/** @typedef {import('../lib/types.js').House} House */
/**
 * @typedef {{ id: string, username: string, role: string, houseId: string | null,
 *   discipline: string | null, active: boolean, passwordChangeRequired: boolean }} Account
 */

const ROLES = ['admission_officer', 'house_coordinator', 'team_member', 'admin'];
const HOUSE_BOUND = ['house_coordinator', 'team_member'];

/** Role, house and discipline; house and discipline only where the role takes them. */
function RoleFields(/** @type {{ houses: House[], account?: Account }} */ { houses, account }) {
  const [role, setRole] = useState(account?.role ?? 'admission_officer');
  return html`<label for="role">${T.role}</label>
    <select
      id="role"
      name="role"
      value=${role}
      onChange=${(/** @type {Event} */ e) => setRole(/** @type {HTMLSelectElement} */ (e.currentTarget).value)}
    >
      ${ROLES.map((r) => html`<option value=${r} key=${r}>${ROLE[r]}</option>`)}
    </select>
    ${
      HOUSE_BOUND.includes(role) &&
      html`<label for="house">${T.house}</label>
        <select id="house" name="houseId" value=${account?.houseId ?? houses[0]?.id}>
          ${houses.map((h) => html`<option value=${h.id} key=${h.id}>${h.code} · ${h.name}</option>`)}
        </select>`
    }
    ${
      role === 'team_member' &&
      html`<label for="discipline">${T.discipline}</label>
        <select id="discipline" name="discipline" value=${account?.discipline ?? 'psychology'}>
          ${Object.entries(DISCIPLINE).map(([k, v]) => html`<option value=${k} key=${k}>${v}</option>`)}
        </select>`
    }`;
}

/** @param {FormData} form */
function roleBody(form) {
  const role = String(form.get('role') ?? '');
  return {
    role,
    ...(HOUSE_BOUND.includes(role) ? { houseId: String(form.get('houseId') ?? '') } : {}),
    ...(role === 'team_member' ? { discipline: String(form.get('discipline') ?? '') } : {}),
  };
}

export function PeopleView() {
  const [dialog, setDialog] = useState(
    /** @type {{ kind: 'create' | 'edit' | 'reset' | 'shown' | 'disable', account?: Account, password?: string } | null} */ (
      null
    ),
  );
  const { data, error, reload } = useLoad(async () => {
    const [accounts, houses] = await Promise.all([
      /** @type {Promise<Account[]>} */ (api('/users')),
      /** @type {Promise<House[]>} */ (api('/houses')),
    ]);
    accounts.sort((a, b) => a.username.localeCompare(b.username));
    return { accounts, houses };
  }, []);
  if (!data) {
    return html`<h2 tabindex="-1">${T.title}</h2>
      <p class=${error ? 'error' : ''} role=${error ? 'alert' : undefined}>
        ${error ? explain(error) : LOADING}
      </p>`;
  }
  const { accounts, houses } = data;
  const houseName = (/** @type {string | null} */ id) =>
    houses.find((h) => h.id === id)?.code ?? T.none;
  const close = () => setDialog(null);

  /** @param {Account} a */
  const toggle = async (a) => {
    try {
      await api(`/users/${a.id}`, { method: 'PATCH', body: { active: !a.active } });
      say(a.active ? T.disabledNow(a.username) : T.enabledNow(a.username));
      reload();
    } catch (e) {
      say(e instanceof ApiError && e.status === 409 ? T.lastAdmin : explain(e), true);
    }
    close();
  };

  return html`<div>
    <h2 tabindex="-1">${T.title}</h2>
    <div class="card scroll">
      <h3>${T.list}</h3>
      <button type="button" id="create-user" onClick=${() => setDialog({ kind: 'create' })}>
        ${T.create}
      </button>
      <table id="people">
        <thead>
          <tr>
            <th scope="col">${T.username}</th>
            <th scope="col">${T.role}</th>
            <th scope="col">${T.house}</th>
            <th scope="col">${T.discipline}</th>
            <th scope="col">${T.state}</th>
            <th scope="col"><span class="sr">${T.actions}</span></th>
          </tr>
        </thead>
        <tbody>
          ${accounts.map(
            (a) =>
              html`<tr key=${a.id} data-user=${a.username} class=${a.active ? '' : 'muted'}>
                <th scope="row">${a.username}</th>
                <td>${ROLE[a.role] ?? a.role}</td>
                <td>${houseName(a.houseId)}</td>
                <td>${a.discipline ? (DISCIPLINE[a.discipline] ?? a.discipline) : T.none}</td>
                <td>
                  ${a.active ? T.active : T.disabled}
                  ${a.passwordChangeRequired && html`<span class="sub">${T.mustChange}</span>`}
                </td>
                <td class="actions">
                  <button
                    type="button"
                    class="secondary"
                    aria-label=${T.editLabel(a.username)}
                    onClick=${() => setDialog({ kind: 'edit', account: a })}
                  >
                    ${T.edit}
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    aria-label=${T.resetLabel(a.username)}
                    onClick=${() => setDialog({ kind: 'reset', account: a })}
                  >
                    ${T.reset}
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    aria-label=${a.active ? T.disableLabel(a.username) : T.enableLabel(a.username)}
                    onClick=${() => (a.active ? setDialog({ kind: 'disable', account: a }) : toggle(a))}
                  >
                    ${a.active ? T.disable : T.enable}
                  </button>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${
      dialog?.kind === 'create' &&
      html`<${FormDialog}
        title=${T.createTitle}
        submitText=${T.createSubmit}
        onClose=${close}
        onSubmit=${async (/** @type {FormData} */ form) => {
          const username = String(form.get('username') ?? '').trim();
          await api('/users', {
            method: 'POST',
            body: { username, password: String(form.get('password') ?? ''), ...roleBody(form) },
          });
          say(T.created(username));
          close();
          reload();
        }}
      >
        <label for="new-username">${T.username}</label>
        <input id="new-username" name="username" autocomplete="off" required />
        <label for="new-user-password">${T.password}</label>
        <input
          id="new-user-password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
        />
        <${RoleFields} houses=${houses} />
      <//>`
    }
    ${
      dialog?.kind === 'edit' &&
      dialog.account &&
      html`<${FormDialog}
        title=${`${T.editTitle}: ${dialog.account.username}`}
        submitText=${T.editSubmit}
        onClose=${close}
        onSubmit=${async (/** @type {FormData} */ form) => {
          const account = /** @type {Account} */ (dialog.account);
          await api(`/users/${account.id}`, { method: 'PATCH', body: roleBody(form) });
          say(T.updated(account.username));
          close();
          reload();
        }}
      >
        <${RoleFields} houses=${houses} account=${dialog.account} />
      <//>`
    }
    ${
      dialog?.kind === 'reset' &&
      dialog.account &&
      html`<${FormDialog}
        title=${T.resetTitle}
        submitText=${T.resetSubmit}
        danger=${true}
        onClose=${close}
        onSubmit=${async () => {
          const account = /** @type {Account} */ (dialog.account);
          /** @type {{ temporaryPassword: string }} */
          const answer = await api(`/users/${account.id}/reset-password`, { method: 'POST' });
          setDialog({ kind: 'shown', account, password: answer.temporaryPassword });
          reload();
        }}
      >
        <p>${T.resetIntro(dialog.account.username)}</p>
      <//>`
    }
    ${
      dialog?.kind === 'disable' &&
      dialog.account &&
      html`<${FormDialog}
        title=${T.disableTitle}
        submitText=${T.disable}
        danger=${true}
        onClose=${close}
        onSubmit=${() => toggle(/** @type {Account} */ (dialog.account))}
      >
        <p>${T.disableIntro(dialog.account.username)}</p>
      <//>`
    }
    ${
      dialog?.kind === 'shown' &&
      dialog.account &&
      html`<${Dialog} title=${T.oneTimeTitle} onClose=${close}>
        <p>${T.oneTimeIntro(dialog.account.username)}</p>
        <p class="one-time" id="one-time-password">${dialog.password}</p>
        <div class="row">
          <button type="button" onClick=${close}>${T.close}</button>
        </div>
      <//>`
    }
  </div>`;
}
