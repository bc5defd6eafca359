// @ts-check
// Who a stay houses, by name and age: what the coordinator and the team call the family.
import { age } from '../lib/format.js';
import { html } from '../lib/html.js';

/** @typedef {import('../lib/types.js').Stay} Stay */

/**
 * The woman first, then her children and other dependants, each with her age.
 * @param {Stay} stay
 */
export function familyMembers(stay) {
  const family = [...(stay.family ?? [])];
  family.sort((a, b) => (a.role === b.role ? 0 : a.role === 'woman' ? -1 : 1));
  return family.map((p) => ({
    personId: p.personId,
    role: p.role,
    name: p.fullName ?? '—',
    age: age(p.birthDate),
  }));
}

/** A compact list of the family's names and ages, for a table cell. */
export function FamilyNames(/** @type {{ stay: Stay }} */ { stay }) {
  const members = familyMembers(stay);
  if (members.length === 0) {
    return null;
  }
  return html`<ul class="family-names">
    ${members.map(
      (m) =>
        html`<li key=${m.personId} class=${m.role === 'woman' ? 'woman' : ''}>
          ${m.name}${m.age === '—' ? '' : html`, <span class="age">${m.age}</span>`}
        </li>`,
    )}
  </ul>`;
}
