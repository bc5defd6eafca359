// Refugio's staff dashboard: plain browser JavaScript over the same HTTP API as every client.
// Everything is built with DOM nodes and textContent, never innerHTML, so no value from the API
// can become markup.

const API = '/api/v1';
const TZ = 'America/Bogota';
const TOKEN_KEY = 'refugio.token';
const REFRESH_MS = 30_000;

const RISK = { extreme: 'Extremo', severe: 'Grave', moderate: 'Moderado' };
const ROLE = {
  admin: 'Administración',
  admission_officer: 'Profesional de ingreso',
  house_coordinator: 'Coordinación de casa',
};
const EGRESS_REASONS = {
  term_completed: 'Cumplió el término',
  voluntary: 'Salida voluntaria',
  transferred_out: 'Remitida a otro servicio',
  rule_breach: 'Incumplimiento de normas',
  other: 'Otra razón',
};
const FAMILY_COLOURS = [
  '#5b2a86',
  '#0b5c8a',
  '#8a4b0b',
  '#1e6b34',
  '#8a0b4f',
  '#3d3d99',
  '#6b5e1e',
];

const dateTime = new Intl.DateTimeFormat('es-CO', {
  timeZone: TZ,
  dateStyle: 'medium',
  timeStyle: 'short',
});
const dateOnly = new Intl.DateTimeFormat('es-CO', { timeZone: TZ, dateStyle: 'medium' });
const number = new Intl.NumberFormat('es-CO');
const percent = new Intl.NumberFormat('es-CO', { style: 'percent', maximumFractionDigits: 0 });

const state = { token: null, claims: null, view: null, param: null, busy: false };

// ---------- small DOM helpers ----------

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key.startsWith('on')) {
      node.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs)) {
    node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function $(id) {
  return document.getElementById(id);
}

function say(message, isError = false) {
  const status = $('status');
  status.textContent = message;
  status.classList.toggle('error', isError);
}

function daysLeft(iso) {
  return Math.ceil((new Date(iso).getTime() - Date.now()) / 86_400_000);
}

function todayInBogota(offsetDays = 0) {
  const date = new Date(Date.now() + offsetDays * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(date);
}

// ---------- API ----------

class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function api(path, options = {}) {
  return (await apiResponse(path, options)).body;
}

/** The body and whether the API names a next page (a `Link: <…>; rel="next"` header). */
async function apiResponse(path, options = {}) {
  const response = await fetch(API + path, {
    method: options.method ?? 'GET',
    headers: {
      Accept: 'application/json',
      ...(options.body ? { 'Content-Type': 'application/json' } : {}),
      ...(state.token ? { Authorization: `Bearer ${state.token}` } : {}),
    },
    body: options.body ? JSON.stringify(options.body) : undefined,
  });
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401 && state.token) {
    logout('Tu sesión expiró. Vuelve a iniciar sesión.');
    throw new ApiError(401, body);
  }
  if (!response.ok) {
    throw new ApiError(response.status, body);
  }
  return { body, hasNext: /rel="next"/.test(response.headers.get('Link') ?? '') };
}

/** A Spanish sentence for an API error, naming the fields that were wrong. */
function explain(error) {
  if (!(error instanceof ApiError)) {
    return 'No hay conexión con el servidor. Intenta de nuevo.';
  }
  const byCode = {
    NO_CAPACITY: 'No hay cupo para toda la familia en esa casa.',
    ALREADY_ADMITTED: 'Esta remisión ya tiene un ingreso.',
    INVALID_STATE: 'La acción no es posible en el estado actual.',
    STAY_LIMIT_EXCEEDED: 'La prórroga supera el máximo de 6 meses.',
    BED_OCCUPIED: 'Una de las camas ya está ocupada.',
    FORBIDDEN: 'Tu rol no permite esta acción.',
    NOT_FOUND: 'No se encontró el registro.',
    RATE_LIMITED: 'Demasiados intentos. Espera un minuto.',
  };
  if (error.body?.code === 'VALIDATION_FAILED') {
    const fields = (error.body.errors ?? []).map((e) => e.field).join(', ');
    return fields ? `Revisa estos campos: ${fields}.` : 'Revisa los datos enviados.';
  }
  return byCode[error.body?.code] ?? 'Ocurrió un error. Intenta de nuevo.';
}

// ---------- session ----------

function decodeClaims(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload));
  } catch {
    return null;
  }
}

function startSession(token) {
  const claims = decodeClaims(token);
  if (!claims || (claims.exp && claims.exp * 1000 < Date.now())) {
    sessionStorage.removeItem(TOKEN_KEY);
    return false;
  }
  state.token = token;
  state.claims = claims;
  // sessionStorage: gone when the tab closes, never shared with other tabs or sites.
  sessionStorage.setItem(TOKEN_KEY, token);
  return true;
}

function logout(message) {
  state.token = null;
  state.claims = null;
  sessionStorage.removeItem(TOKEN_KEY);
  $('view').replaceChildren();
  showLogin();
  if (message) {
    $('login-error').textContent = message;
  }
}

function showLogin() {
  $('nav').hidden = true;
  $('session').hidden = true;
  $('view').hidden = true;
  $('login-view').hidden = false;
  say('');
  $('username').focus();
}

async function onLogin(event) {
  event.preventDefault();
  const error = $('login-error');
  error.textContent = '';
  const username = $('username').value.trim();
  const password = $('password').value;
  if (!username || !password) {
    error.textContent = 'Escribe tu usuario y tu contraseña.';
    return;
  }
  try {
    const response = await fetch(`${API}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body = await response.json().catch(() => null);
    if (response.status === 429) {
      error.textContent = 'Demasiados intentos fallidos. Espera un minuto e intenta de nuevo.';
      return;
    }
    if (!response.ok) {
      error.textContent = 'Usuario o contraseña incorrectos.';
      return;
    }
    $('password').value = '';
    startSession(body.accessToken);
    enter();
  } catch {
    error.textContent = 'No hay conexión con el servidor. Intenta de nuevo.';
  }
}

// ---------- navigation ----------

function sections() {
  const role = state.claims.role;
  if (role === 'house_coordinator') {
    return [
      ['casa', 'Mi casa'],
      ['historico', 'Ocupación en el tiempo'],
    ];
  }
  return [
    ['red', 'Red de casas'],
    ['ingresos', 'Ingresos'],
    ['casa', 'Casas'],
    ['historico', 'Ocupación en el tiempo'],
  ];
}

function enter() {
  $('login-view').hidden = true;
  $('view').hidden = false;
  $('session').hidden = false;
  $('who').textContent = ROLE[state.claims.role] ?? state.claims.role;
  const nav = $('nav');
  nav.replaceChildren(
    ...sections().map(([id, text]) =>
      h('button', { type: 'button', dataset: { view: id }, onclick: () => go(id) }, text),
    ),
  );
  nav.hidden = false;
  const [first] = sections()[0];
  go(first);
}

function go(view, param = null) {
  state.view = view;
  state.param = param;
  for (const button of $('nav').querySelectorAll('button')) {
    if (button.dataset.view === view) {
      button.setAttribute('aria-current', 'page');
    } else {
      button.removeAttribute('aria-current');
    }
  }
  say('');
  void render();
}

async function render() {
  const view = $('view');
  try {
    let content;
    switch (state.view) {
      case 'red':
        content = await networkView();
        break;
      case 'ingresos':
        content = await admissionsView();
        break;
      case 'casa':
        content = await houseView(state.param);
        break;
      case 'historico':
        content = await historyView();
        break;
      default:
        content = h('p', {}, 'Sección desconocida.');
    }
    view.replaceChildren(content);
    $('refreshed').textContent = `Actualizado: ${dateTime.format(new Date())}`;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) {
      say(explain(error), true);
    }
  }
}

/** Refreshes the current view every 30 s, unless the user is in the middle of a form. */
function autoRefresh() {
  setInterval(() => {
    const typing =
      document.activeElement &&
      ['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement.tagName);
    if (state.token && !state.busy && !typing && !document.querySelector('dialog[open]')) {
      void render();
    }
  }, REFRESH_MS);
}

// ---------- network view ----------

function occupancyBar(house) {
  const total = house.capacity + house.outOfService || 1;
  const label = `${house.occupied} de ${house.capacity} cupos ocupados, ${house.outOfService} camas fuera de servicio`;
  return h(
    'div',
    { class: 'bar', role: 'img', 'aria-label': label, title: label },
    h('span', { class: 'occ', style: `width:${(house.occupied / total) * 100}%` }),
    h('span', { style: `width:${(house.free / total) * 100}%` }),
    h('span', { class: 'off', style: `width:${(house.outOfService / total) * 100}%` }),
  );
}

function metric(label, value, id) {
  return h(
    'div',
    { class: 'metric' },
    h('div', {}, label),
    h('div', { class: 'value', 'data-metric': id }, number.format(value)),
  );
}

async function networkView() {
  const [occupancy, stays] = await Promise.all([api('/occupancy'), api('/stays?status=active')]);
  const ending = stays
    .filter((s) => daysLeft(s.termEndsAt) <= 14)
    .sort((a, b) => new Date(a.termEndsAt) - new Date(b.termEndsAt));
  const codes = Object.fromEntries(occupancy.houses.map((hse) => [hse.houseId, hse.code]));
  return h(
    'div',
    {},
    h('h2', {}, 'Red de casas'),
    h(
      'div',
      { class: 'totals', 'aria-label': 'Totales de la red' },
      metric('Capacidad', occupancy.totals.capacity, 'capacity'),
      metric('Ocupados', occupancy.totals.occupied, 'occupied'),
      metric('Libres', occupancy.totals.free, 'free'),
      metric('Fuera de servicio', occupancy.totals.outOfService, 'outOfService'),
    ),
    h(
      'div',
      { class: 'card' },
      h(
        'table',
        {},
        h('caption', { class: 'sr' }, 'Ocupación por casa'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Casa'),
            h('th', { scope: 'col', class: 'num' }, 'Capacidad'),
            h('th', { scope: 'col', class: 'num' }, 'Ocupados'),
            h('th', { scope: 'col', class: 'num' }, 'Libres'),
            h('th', { scope: 'col', class: 'num' }, 'Fuera de servicio'),
            h('th', { scope: 'col' }, 'Ocupación'),
            h('th', { scope: 'col', class: 'num' }, 'Terminan en 14 días'),
          ),
        ),
        h(
          'tbody',
          {},
          occupancy.houses.map((house) =>
            h(
              'tr',
              { dataset: { house: house.code } },
              h(
                'th',
                { scope: 'row' },
                h(
                  'button',
                  { type: 'button', class: 'secondary', onclick: () => go('casa', house.houseId) },
                  house.code,
                ),
              ),
              h('td', { class: 'num' }, number.format(house.capacity)),
              h('td', { class: 'num' }, number.format(house.occupied)),
              h('td', { class: 'num' }, number.format(house.free)),
              h('td', { class: 'num' }, number.format(house.outOfService)),
              h('td', {}, occupancyBar(house), ' ', percent.format(house.occupancyRate)),
              h('td', { class: 'num' }, number.format(house.termEndingWithin14Days)),
            ),
          ),
        ),
      ),
    ),
    h(
      'div',
      { class: 'card' },
      h('h3', {}, 'Permanencias que terminan en los próximos 14 días'),
      ending.length === 0
        ? h('p', {}, 'Ninguna.')
        : h(
            'table',
            {},
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, 'Casa'),
                h('th', {}, 'Termina'),
                h('th', { class: 'num' }, 'Días'),
                h('th', { class: 'num' }, 'Personas'),
              ),
            ),
            h(
              'tbody',
              {},
              ending.map((s) =>
                h(
                  'tr',
                  {},
                  h('td', {}, codes[s.houseId] ?? '—'),
                  h('td', {}, dateTime.format(new Date(s.termEndsAt))),
                  h(
                    'td',
                    { class: 'num' },
                    daysLeft(s.termEndsAt) < 0
                      ? `vencida hace ${-daysLeft(s.termEndsAt)}`
                      : daysLeft(s.termEndsAt),
                  ),
                  h('td', { class: 'num' }, s.occupants.length),
                ),
              ),
            ),
          ),
    ),
  );
}

// ---------- house view ----------

async function houseView(houseId) {
  const houses = await api('/houses');
  if (houses.length === 0) {
    return h('p', {}, 'No tienes casas asignadas.');
  }
  const house = houses.find((x) => x.id === houseId) ?? houses[0];
  const [rooms, stays, followUps] = await Promise.all([
    api(`/houses/${house.id}/rooms`),
    api(`/stays?houseId=${house.id}&status=active`),
    api(`/follow-ups?houseId=${house.id}&status=due`).catch(() => []),
  ]);
  const picker =
    houses.length > 1
      ? h(
          'div',
          {},
          h('label', { for: 'house-picker' }, 'Casa'),
          h(
            'select',
            { id: 'house-picker', onchange: (e) => go('casa', e.target.value) },
            houses.map((x) =>
              h('option', { value: x.id, selected: x.id === house.id }, `${x.code} · ${x.name}`),
            ),
          ),
        )
      : null;
  return h(
    'div',
    {},
    h('h2', {}, `${house.code} · ${house.name}`),
    picker,
    bedMap(rooms, stays),
    staysTable(stays),
    followUpsCard(followUps),
  );
}

function bedMap(rooms, stays) {
  const familyByBed = new Map();
  stays.forEach((stay, index) => {
    for (const occupant of stay.occupants) {
      familyByBed.set(occupant.bedId, index);
    }
  });
  const bed = (b) => {
    const family = familyByBed.get(b.id);
    const stateName = !b.inService ? 'out' : b.occupantId ? 'occupied' : 'free';
    const text = { out: 'Fuera de servicio', occupied: 'Ocupada', free: 'Libre' }[stateName];
    const symbol = { out: '✕', occupied: '●', free: '○' }[stateName];
    const familyLabel = family === undefined ? null : `Familia ${family + 1}`;
    return h(
      'li',
      {
        class: `bed ${stateName}`,
        dataset: { bedId: b.id, state: stateName },
        'aria-label': `Cama ${b.label}: ${text}${familyLabel ? `, ${familyLabel}` : ''}`,
      },
      h('div', { class: 'label' }, `${symbol} ${b.label}`),
      h('div', {}, text),
      familyLabel
        ? h(
            'span',
            {
              class: 'family',
              style: `background:${FAMILY_COLOURS[family % FAMILY_COLOURS.length]}`,
            },
            familyLabel,
          )
        : null,
    );
  };
  return h(
    'div',
    { class: 'card', id: 'bed-map' },
    h('h3', {}, 'Mapa de camas'),
    h(
      'div',
      { class: 'legend', 'aria-hidden': 'true' },
      h('span', {}, '○ Libre'),
      h('span', {}, '● Ocupada'),
      h('span', {}, '✕ Fuera de servicio'),
      h('span', {}, 'Las camas de una misma familia llevan la misma etiqueta.'),
    ),
    h(
      'div',
      { class: 'rooms' },
      rooms.map((room) =>
        h(
          'section',
          { class: 'room', 'aria-label': room.name },
          h('h4', {}, room.name, room.wheelchairAccessible ? ' ♿' : ''),
          room.wheelchairAccessible
            ? h('span', { class: 'sr' }, 'Accesible en silla de ruedas')
            : null,
          h('ul', { class: 'beds' }, room.beds.map(bed)),
        ),
      ),
    ),
  );
}

function staysTable(stays) {
  const canExtend = ['house_coordinator', 'admin'].includes(state.claims.role);
  return h(
    'div',
    { class: 'card' },
    h('h3', {}, 'Permanencias activas'),
    stays.length === 0
      ? h('p', {}, 'No hay permanencias activas.')
      : h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'Familia'),
              h('th', {}, 'Ingreso'),
              h('th', {}, 'Término'),
              h('th', { class: 'num' }, 'Días restantes'),
              h('th', { class: 'num' }, 'Personas'),
              h('th', {}, 'Acciones'),
            ),
          ),
          h(
            'tbody',
            {},
            stays.map((stay, index) => {
              const left = daysLeft(stay.termEndsAt);
              return h(
                'tr',
                { dataset: { stayId: stay.id } },
                h('td', {}, `Familia ${index + 1}`),
                h('td', {}, dateTime.format(new Date(stay.admittedAt))),
                h('td', {}, dateTime.format(new Date(stay.termEndsAt))),
                h('td', { class: 'num' }, left < 0 ? `Vencida hace ${-left}` : left),
                h('td', { class: 'num' }, stay.occupants.length),
                h(
                  'td',
                  {},
                  canExtend
                    ? h(
                        'button',
                        {
                          type: 'button',
                          class: 'secondary',
                          onclick: () => extensionDialog(stay),
                        },
                        'Prórroga',
                      )
                    : null,
                  ' ',
                  h(
                    'button',
                    { type: 'button', class: 'secondary', onclick: () => egressDialog(stay) },
                    'Egreso',
                  ),
                ),
              );
            }),
          ),
        ),
  );
}

function followUpsCard(followUps) {
  return h(
    'div',
    { class: 'card' },
    h('h3', {}, 'Seguimientos pendientes'),
    followUps.length === 0
      ? h('p', {}, 'No hay seguimientos pendientes.')
      : h(
          'ul',
          {},
          followUps.map((f) =>
            h('li', {}, `Seguimiento del ${dateOnly.format(new Date(f.dueAt))}`),
          ),
        ),
  );
}

function openDialog(title, fields, submitText, onSubmit) {
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { method: 'dialog' }, h('h3', {}, title), fields, error);
  const dialog = h('dialog', { 'aria-label': title }, form);
  form.append(
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'submit' }, submitText),
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: () => dialog.close() },
        'Cancelar',
      ),
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    state.busy = true;
    try {
      await onSubmit(new FormData(form));
      dialog.close();
      await render();
    } catch (e) {
      error.textContent = explain(e);
    } finally {
      state.busy = false;
    }
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

function extensionDialog(stay) {
  const max = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date(stay.maxEndsAt));
  openDialog(
    'Prórroga de la permanencia',
    [
      h(
        'p',
        {},
        `Término actual: ${dateTime.format(new Date(stay.termEndsAt))}. Máximo: ${dateOnly.format(new Date(stay.maxEndsAt))}.`,
      ),
      h('label', { for: 'until' }, 'Nueva fecha de término'),
      h('input', { id: 'until', name: 'until', type: 'date', max, required: true }),
      h('label', { for: 'ext-reason' }, 'Motivo'),
      h('textarea', { id: 'ext-reason', name: 'reason', required: true, maxlength: 1000 }),
    ],
    'Guardar prórroga',
    (data) =>
      api(`/stays/${stay.id}/extensions`, {
        method: 'POST',
        body: { until: data.get('until'), reason: data.get('reason') },
      }),
  );
}

function egressDialog(stay) {
  openDialog(
    'Registrar egreso',
    [
      h('label', { for: 'egress-reason' }, 'Motivo del egreso'),
      h(
        'select',
        { id: 'egress-reason', name: 'reason', required: true },
        Object.entries(EGRESS_REASONS).map(([value, text]) => h('option', { value }, text)),
      ),
      h('label', { for: 'destination' }, 'Destino (opcional)'),
      h('input', { id: 'destination', name: 'destination', maxlength: 500 }),
      h('label', { for: 'egress-notes' }, 'Observaciones (opcional)'),
      h('textarea', { id: 'egress-notes', name: 'notes', maxlength: 2000 }),
    ],
    'Registrar egreso',
    (data) => {
      const body = { reason: data.get('reason') };
      if (data.get('destination')) {
        body.destination = data.get('destination');
      }
      if (data.get('notes')) {
        body.notes = data.get('notes');
      }
      return api(`/stays/${stay.id}/egress`, { method: 'POST', body });
    },
  );
}

// ---------- admissions ----------

/**
 * The queue shown at once (the API's default page). Each load reads every row shown in full and
 * audits it as read, and the view reloads every 30 s: a bigger page would fill the audit log
 * with reads nobody made. Beyond it the view says that more are waiting.
 */
const QUEUE_PAGE = 100;

async function admissionsView() {
  const { body: queue, hasNext } = await apiResponse(
    `/referrals?status=received&limit=${QUEUE_PAGE}`,
  );
  const result = h('div', { id: 'admission-result' });
  return h(
    'div',
    {},
    h('h2', {}, 'Ingresos'),
    h(
      'div',
      { class: 'card' },
      h('h3', {}, 'Remisiones en espera (por riesgo y antigüedad)'),
      hasNext &&
        h(
          'p',
          { class: 'warning', id: 'queue-more' },
          `Hay más de ${QUEUE_PAGE} remisiones en espera: se muestran las ${QUEUE_PAGE} primeras por riesgo y antigüedad.`,
        ),
      queue.length === 0
        ? h('p', {}, 'No hay remisiones en espera.')
        : h(
            'table',
            { id: 'queue' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, 'Riesgo'),
                h('th', {}, 'Referencia'),
                h('th', {}, 'Autoridad'),
                h('th', { class: 'num' }, 'Personas'),
                h('th', {}, 'Recibida'),
                h('th', {}, ''),
              ),
            ),
            h(
              'tbody',
              {},
              queue.map((r) =>
                h(
                  'tr',
                  { dataset: { referralId: r.id } },
                  h('td', { class: `risk-${r.riskLevel}` }, RISK[r.riskLevel] ?? r.riskLevel),
                  h('td', {}, r.externalReference),
                  h('td', {}, r.protectionOrder?.authorityName ?? ''),
                  h('td', { class: 'num' }, 1 + (r.dependants?.length ?? 0)),
                  h('td', {}, dateTime.format(new Date(r.createdAt))),
                  h(
                    'td',
                    {},
                    h(
                      'button',
                      { type: 'button', class: 'secondary', onclick: () => showOptions(r, result) },
                      'Ver opciones',
                    ),
                  ),
                ),
              ),
            ),
          ),
    ),
    result,
  );
}

async function showOptions(referral, container) {
  state.busy = true;
  container.replaceChildren(h('p', {}, 'Buscando cupos…'));
  try {
    const options = await api(`/referrals/${referral.id}/placement-options`);
    const people = 1 + (referral.dependants?.length ?? 0);
    container.replaceChildren(
      h(
        'div',
        { class: 'card' },
        h(
          'h3',
          { tabindex: '-1', id: 'options-title' },
          `Opciones para ${referral.externalReference} (${people} personas)`,
        ),
        options.length === 0
          ? h('p', {}, 'Ninguna casa puede recibir a toda la familia ahora.')
          : h(
              'ul',
              {},
              options.map((option) =>
                h(
                  'li',
                  { dataset: { houseId: option.houseId } },
                  `${option.houseCode}: ${option.freePlaces} cupos libres. `,
                  h(
                    'button',
                    { type: 'button', onclick: () => admit(referral, option, container) },
                    `Admitir en ${option.houseCode}`,
                  ),
                ),
              ),
            ),
      ),
    );
    $('options-title').focus();
  } catch (error) {
    container.replaceChildren(h('p', { class: 'error', role: 'alert' }, explain(error)));
  } finally {
    state.busy = false;
  }
}

async function admit(referral, option, container) {
  state.busy = true;
  try {
    const stay = await api('/stays', {
      method: 'POST',
      body: { referralId: referral.id, houseId: option.houseId },
    });
    const [rooms, stays] = await Promise.all([
      api(`/houses/${stay.houseId}/rooms`),
      api(`/stays?houseId=${stay.houseId}&status=active`),
    ]);
    say(`Ingreso registrado en ${option.houseCode} para ${stay.occupants.length} personas.`);
    container.replaceChildren(
      h(
        'div',
        { class: 'card', id: 'admitted', dataset: { stayId: stay.id } },
        h('h3', {}, `Ingreso registrado en ${option.houseCode}`),
      ),
      bedMap(rooms, stays),
    );
    const row = document.querySelector(`tr[data-referral-id="${referral.id}"]`);
    row?.remove();
  } catch (error) {
    say(explain(error), true);
  } finally {
    state.busy = false;
  }
}

// ---------- history ----------

async function historyView() {
  const houses = await api('/houses');
  const from = h('input', { id: 'from', type: 'date', value: todayInBogota(-30), required: true });
  const to = h('input', { id: 'to', type: 'date', value: todayInBogota(0), required: true });
  const house = h(
    'select',
    { id: 'history-house' },
    houses.length > 1 ? h('option', { value: '' }, 'Todas las casas') : null,
    houses.map((x) => h('option', { value: x.id }, x.code)),
  );
  const chart = h('div', { class: 'chart', id: 'history-chart' });
  const draw = async () => {
    try {
      const query = new URLSearchParams({ from: from.value, to: to.value });
      if (house.value) {
        query.set('houseId', house.value);
      }
      const history = await api(`/occupancy/history?${query}`);
      chart.replaceChildren(historyChart(history.days), historyTable(history.days));
    } catch (error) {
      chart.replaceChildren(h('p', { class: 'error', role: 'alert' }, explain(error)));
    }
  };
  const form = h(
    'form',
    { class: 'row', onsubmit: (e) => (e.preventDefault(), void draw()) },
    h('div', {}, h('label', { for: 'from' }, 'Desde'), from),
    h('div', {}, h('label', { for: 'to' }, 'Hasta'), to),
    h('div', {}, h('label', { for: 'history-house' }, 'Casa'), house),
    h('button', { type: 'submit' }, 'Ver'),
  );
  void draw();
  return h(
    'div',
    {},
    h('h2', {}, 'Personas alojadas por noche'),
    h('div', { class: 'card' }, form, chart),
  );
}

function historyChart(days) {
  const width = 800;
  const height = 260;
  const pad = { left: 48, right: 12, top: 12, bottom: 32 };
  const max = Math.max(1, ...days.map((d) => Math.max(d.capacity, d.occupied)));
  const x = (i) =>
    pad.left + (days.length <= 1 ? 0 : (i / (days.length - 1)) * (width - pad.left - pad.right));
  const y = (v) => height - pad.bottom - (v / max) * (height - pad.top - pad.bottom);
  const line = (key) =>
    days
      .map((d, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(d[key]).toFixed(1)}`)
      .join(' ');
  const area = `${line('occupied')} L${x(days.length - 1)},${y(0)} L${x(0)},${y(0)} Z`;
  const ticks = [0, Math.round(max / 2), max];
  const labelEvery = Math.max(1, Math.ceil(days.length / 8));
  return svg(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-label': 'Personas alojadas y capacidad por noche',
    },
    ticks.map((t) => [
      svg('line', { x1: pad.left, x2: width - pad.right, y1: y(t), y2: y(t), stroke: '#c9c9d3' }),
      svg(
        'text',
        { x: pad.left - 6, y: y(t) + 4, 'text-anchor': 'end', 'font-size': 12 },
        String(t),
      ),
    ]),
    days.length > 0 ? svg('path', { d: area, fill: '#d9c6ea' }) : [],
    days.length > 0
      ? svg('path', { d: line('occupied'), fill: 'none', stroke: '#5b2a86', 'stroke-width': 2 })
      : [],
    days.length > 0
      ? svg('path', {
          d: line('capacity'),
          fill: 'none',
          stroke: '#1b1b1f',
          'stroke-width': 2,
          'stroke-dasharray': '6 4',
        })
      : [],
    days
      .map((d, i) =>
        i % labelEvery === 0
          ? svg(
              'text',
              { x: x(i), y: height - 10, 'text-anchor': 'middle', 'font-size': 11 },
              d.date.slice(5),
            )
          : null,
      )
      .filter(Boolean),
    svg(
      'text',
      { x: width - pad.right, y: pad.top + 10, 'text-anchor': 'end', 'font-size': 12 },
      '— Capacidad (línea punteada) · Alojadas (área)',
    ),
  );
}

function historyTable(days) {
  return h(
    'details',
    {},
    h('summary', {}, 'Ver los datos en una tabla'),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'Fecha'),
          h('th', { class: 'num' }, 'Alojadas'),
          h('th', { class: 'num' }, 'Capacidad'),
        ),
      ),
      h(
        'tbody',
        {},
        days.map((d) =>
          h(
            'tr',
            {},
            h('td', {}, d.date),
            h('td', { class: 'num' }, d.occupied),
            h('td', { class: 'num' }, d.capacity),
          ),
        ),
      ),
    ),
  );
}

// ---------- start ----------

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', onLogin);
  $('logout').addEventListener('click', () => logout('Sesión cerrada.'));
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved && startSession(saved)) {
    enter();
  } else {
    showLogin();
  }
  autoRefresh();
});
