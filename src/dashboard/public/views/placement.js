// @ts-check
import { useEffect, useState } from 'preact/hooks';
import { BedMap } from '../components/bed-map.js';
import { FormDialog } from '../components/dialog.js';
import { api, explain } from '../lib/api.js';
import { html } from '../lib/html.js';
import { useLoad } from '../lib/load.js';
import { say } from '../lib/status.js';
import { T } from './placement.texts.js';
import { HoldDialog, LiveHolds } from './holds.js';
import { T as HOLDS } from './holds.texts.js';

/** @typedef {import('../lib/types.js').Referral} Referral @typedef {import('../lib/types.js').Room} Room */
/** @typedef {import('../lib/types.js').PlacementOption} PlacementOption @typedef {import('../lib/types.js').Stay} Stay */
/** @typedef {{ option: PlacementOption, beds: { room: string, label: string }[] }} Option */
/** @typedef {import('../lib/types.js').Hold} Hold @typedef {import('../lib/types.js').House} House */

/** Options shown with their rooms and beds: the best few are what an officer chooses from. */
const SHOWN_OPTIONS = 5;

/**
 * Each bed of an option with its room's name and its label, in the option's order (the
 * woman's first, then her dependants in the referral's order).
 * @param {PlacementOption} option @param {Room[]} rooms
 */
function describeBeds(option, rooms) {
  /** @type {Map<string, { room: string, label: string }>} */
  const where = new Map();
  for (const room of rooms) {
    for (const bed of room.beds) {
      where.set(bed.id, { room: room.name, label: bed.label });
    }
  }
  return option.beds.map((id) => where.get(id) ?? { room: '—', label: '—' });
}

/** @param {{ room: string, label: string }[]} beds */
function byRoom(beds) {
  /** @type {Map<string, string[]>} */
  const rooms = new Map();
  for (const bed of beds) {
    rooms.set(bed.room, [...(rooms.get(bed.room) ?? []), bed.label]);
  }
  return [...rooms].map(([room, labels]) => T.roomBeds(room, labels));
}

/** @param {{ referral: Referral, onAdmitted: () => void }} props */
export function Placement({ referral, onAdmitted }) {
  const [confirming, setConfirming] = useState(/** @type {Option | null} */ (null));
  const [holding, setHolding] = useState(/** @type {Option | null} */ (null));
  const [admitted, setAdmitted] = useState(
    /** @type {{ stay: Stay, code: string, rooms: Room[], stays: Stay[] } | null} */ (null),
  );
  const { data, error, reload } = useLoad(async () => {
    if (admitted) {
      return null;
    }
    /** @type {[PlacementOption[], Hold[], House[]]} */
    const [all, live, houses] = await Promise.all([
      api(`/referrals/${referral.id}/placement-options`),
      api('/holds?status=held'),
      api('/houses'),
    ]);
    const shown = all.slice(0, SHOWN_OPTIONS);
    const rooms = await Promise.all(
      shown.map((o) => /** @type {Promise<Room[]>} */ (api(`/houses/${o.houseId}/rooms`))),
    );
    return {
      total: all.length,
      options: shown.map((option, i) => ({ option, beds: describeBeds(option, rooms[i]) })),
      // Her live hold, if any: confirmed or cancelled from here.
      holds: live.filter((h) => h.referralId === referral.id),
      codes: new Map(houses.map((h) => [h.id, h.code])),
    };
  }, [referral.id, admitted]);

  useEffect(() => {
    // The confirmation is below the referral: bring it into view and to screen readers.
    document.getElementById('admitted-title')?.focus();
  }, [admitted]);

  const people = [referral.woman.fullName, ...referral.dependants.map((d) => d.fullName)];
  const admit = async () => {
    if (!confirming) {
      return;
    }
    const { option } = confirming;
    /** @type {Stay} */
    const stay = await api('/stays', {
      method: 'POST',
      body: { referralId: referral.id, houseId: option.houseId, bedIds: option.beds },
    });
    setConfirming(null);
    say(T.admitted(option.houseCode, stay.occupants.length));
    await showAdmitted(stay, option.houseCode);
  };
  /** @param {Stay} stay @param {string} code */
  const showAdmitted = async (stay, code) => {
    const [rooms, stays] = await Promise.all([
      /** @type {Promise<Room[]>} */ (api(`/houses/${stay.houseId}/rooms`)),
      /** @type {Promise<Stay[]>} */ (api(`/stays?houseId=${stay.houseId}&status=active`)),
    ]);
    setAdmitted({ stay, code, rooms, stays });
    onAdmitted();
  };

  if (admitted) {
    return html`<div class="card success" id="admitted" data-stay-id=${admitted.stay.id}>
        <h3 id="admitted-title" tabindex="-1">${T.admittedTitle(admitted.code)}</h3>
        <p>${T.admitted(admitted.code, admitted.stay.occupants.length)}</p>
      </div>
      <${BedMap}
        rooms=${admitted.rooms}
        stays=${admitted.stays}
        chosen=${admitted.stay.occupants.map((o) => o.bedId)}
      />`;
  }
  const name = referral.woman.fullName;
  return html`${
      data &&
      data.holds.length > 0 &&
      html`<${LiveHolds}
        holds=${data.holds}
        names=${new Map([[referral.id, name]])}
        codes=${data.codes}
        onConfirmed=${(/** @type {Stay} */ stay) =>
          void showAdmitted(stay, data.codes.get(stay.houseId) ?? '')}
        onCancelled=${reload}
      />`
    }
    <div class="card" id="placement">
      <h3>${T.title}</h3>
      ${
        !data
          ? html`<p class=${error ? 'error' : ''} role=${error ? 'alert' : undefined}>
              ${error ? explain(error) : T.searching}
            </p>`
          : data.options.length === 0
            ? html`<p>${T.none}</p>`
            : html`<ul class="options">
                  ${data.options.map(
                    (o) =>
                      html`<li key=${o.option.houseId} data-house-id=${o.option.houseId}>
                        <div>
                          <strong>${o.option.houseCode}</strong> · ${T.free(o.option.freePlaces)}
                          <ul class="beds-text">
                            ${byRoom(o.beds).map((line) => html`<li>${line}</li>`)}
                          </ul>
                        </div>
                        <div class="row">
                          <button type="button" onClick=${() => setConfirming(o)}>
                            ${T.choose(o.option.houseCode)}
                          </button>
                          ${
                            data.holds.length === 0 &&
                            html`<button
                              type="button"
                              class="secondary"
                              onClick=${() => setHolding(o)}
                            >
                              ${HOLDS.hold(o.option.houseCode)}
                            </button>`
                          }
                        </div>
                      </li>`,
                  )}
                </ul>
                ${
                  data.total > data.options.length &&
                  html`<p>${T.moreOptions(data.options.length, data.total)}</p>`
                }`
      }
      ${
        confirming &&
        html`<${FormDialog}
          title=${T.confirmTitle}
          submitText=${T.admit}
          onSubmit=${admit}
          onClose=${() => setConfirming(null)}
        >
          <p>
            ${T.confirmIntro(referral.woman.fullName ?? '', people.length, confirming.option.houseCode)}
          </p>
          <table class="compact">
            <thead>
              <tr>
                <th scope="col">${T.person}</th>
                <th scope="col">${T.room}</th>
                <th scope="col">${T.bed}</th>
              </tr>
            </thead>
            <tbody>
              ${confirming.beds.map(
                (bed, i) =>
                  html`<tr key=${i}>
                    <th scope="row">${people[i] ?? '—'}</th>
                    <td>${bed.room}</td>
                    <td>${bed.label}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        <//>`
      }
      ${
        holding &&
        html`<${HoldDialog}
          referralId=${referral.id}
          name=${name}
          people=${people.length}
          houseId=${holding.option.houseId}
          houseCode=${holding.option.houseCode}
          bedIds=${holding.option.beds}
          onHeld=${() => {
            setHolding(null);
            reload();
          }}
          onClose=${() => setHolding(null)}
        />`
      }
    </div>`;
}
