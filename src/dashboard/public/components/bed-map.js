// @ts-check
import { html } from '../lib/html.js';
import { T } from './bed-map.texts.js';

/** @typedef {import('../lib/types.js').Room} Room @typedef {import('../lib/types.js').Stay} Stay */

const FAMILY_COLOURS = [
  '#5b2a86',
  '#0b5c8a',
  '#8a4b0b',
  '#1e6b34',
  '#8a0b4f',
  '#3d3d99',
  '#6b5e1e',
];

/**
 * The name a family goes by on this page: the API's `familyLabel`, the same for the whole stay.
 * A position in the house's list only for an answer without one.
 * @param {Stay} stay
 * @param {number} index
 */
export function familyLabel(stay, index) {
  return stay.familyLabel ?? T.family(index + 1);
}

/**
 * Every room and bed of a house: free, occupied (and by which family) or out of service.
 * @param {{ rooms: Room[], stays: Stay[], chosen?: string[] }} props
 */
export function BedMap({ rooms, stays, chosen = [] }) {
  /** @type {Map<string, number>} */
  const familyByBed = new Map();
  stays.forEach((stay, index) => {
    for (const occupant of stay.occupants) {
      familyByBed.set(occupant.bedId, index);
    }
  });
  /** @param {import('../lib/types.js').Bed} bed */
  const bed = (bed) => {
    const index = familyByBed.get(bed.id);
    const state = !bed.inService ? 'out' : bed.occupantId ? 'occupied' : 'free';
    const family = index === undefined ? null : familyLabel(stays[index], index);
    const isChosen = chosen.includes(bed.id);
    return html`<li
      class=${`bed ${state}${isChosen ? ' chosen' : ''}`}
      data-bed-id=${bed.id}
      data-state=${state}
    >
      <span class="sr"
        >${T.bed(bed.label, T.state[state], family)}${isChosen ? `, ${T.chosen}` : ''}</span
      >
      <span aria-hidden="true">
        <span class="label">${T.symbol[state]} ${bed.label}</span>
        <span class="state">${T.state[state]}</span>
        ${
          index !== undefined &&
          html`<span
            class="family"
            style=${`background:${FAMILY_COLOURS[index % FAMILY_COLOURS.length]}`}
            >${family}</span
          >`
        }
      </span>
    </li>`;
  };
  return html`<div class="card" id="bed-map">
    <h3>${T.title}</h3>
    <p class="legend" aria-hidden="true">
      <span>${T.symbol.free} ${T.state.free}</span>
      <span>${T.symbol.occupied} ${T.state.occupied}</span>
      <span>${T.symbol.out} ${T.state.out}</span>
      <span>${T.sameFamily}</span>
    </p>
    <div class="rooms">
      ${rooms.map(
        (room) =>
          html`<section class="room" aria-label=${room.name} key=${room.id}>
            <h4>
              ${room.name}
              ${room.wheelchairAccessible && html` <span aria-hidden="true">♿</span><span class="sr">${T.accessible}</span>`}
            </h4>
            <ul class="beds">
              ${room.beds.map(bed)}
            </ul>
          </section>`,
      )}
    </div>
  </div>`;
}
