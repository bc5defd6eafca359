// @ts-check
// Spanish shared by several views: the words for the API's enum values and error codes, and the
// labels of the API's fields. Each view keeps its own sentences in `<view>.texts.js` beside it.

/** @type {Record<string, string>} */
export const ROLE = {
  admin: 'Administración',
  admission_officer: 'Profesional de ingreso',
  house_coordinator: 'Coordinación de casa',
  team_member: 'Equipo de la casa',
  analyst: 'Análisis',
};

/** @type {Record<string, string>} */
export const RISK = { extreme: 'Extremo', severe: 'Grave', moderate: 'Moderado' };

/** @type {Record<string, string>} */
export const EGRESS_REASON = {
  term_completed: 'Cumplió el término',
  voluntary: 'Salida voluntaria',
  transferred_out: 'Remitida a otro servicio',
  rule_breach: 'Incumplimiento de normas',
  other: 'Otra razón',
};

/** @type {Record<string, string>} */
export const FOLLOW_UP_OUTCOME = {
  contacted: 'Se logró el contacto',
  not_reachable: 'No fue posible contactarla',
  declined: 'No quiso seguimiento',
};

/** @type {Record<string, string>} */
export const FOLLOW_UP_STATUS = {
  scheduled: 'Programado',
  due: 'Pendiente',
  completed: 'Realizado',
  cancelled: 'Cancelado',
};

/** @type {Record<string, string>} */
export const REFERRAL_STATUS = {
  received: 'Recibida',
  admitted: 'Admitida',
  rejected: 'Rechazada',
  withdrawn: 'Retirada',
  exited: 'Egresada',
};

/** @type {Record<string, string>} */
export const RELATIONSHIP = { child: 'Hijo o hija', other: 'Otra persona a cargo' };

/** @type {Record<string, string>} */
export const AUTHORITY_TYPE = {
  comisaria_familia: 'Comisaría de Familia',
  juez_control_garantias: 'Juez de Control de Garantías',
};

/** @type {Record<string, string>} */
export const DOCUMENT_TYPE = {
  CC: 'Cédula de ciudadanía',
  CE: 'Cédula de extranjería',
  TI: 'Tarjeta de identidad',
  RC: 'Registro civil',
  PA: 'Pasaporte',
  PEP: 'Permiso especial de permanencia',
  PPT: 'Permiso por protección temporal',
  NONE: 'Sin documento',
};

/**
 * The Spanish name of each field the API may name in a validation error, by the last part of
 * its path (`protectionOrder.issuedAt` → `issuedAt`). A field missing here is named by the form
 * instead of in English: see `explain`.
 * @type {Record<string, string>}
 */
export const FIELD = {
  username: 'usuario',
  password: 'contraseña',
  currentPassword: 'contraseña actual',
  newPassword: 'nueva contraseña (mínimo 12 caracteres, distinta de la actual)',
  until: 'nueva fecha de término',
  reason: 'motivo',
  exitedAt: 'fecha y hora del egreso',
  destination: 'destino',
  notes: 'observaciones',
  outcome: 'resultado del seguimiento',
  referralId: 'remisión',
  houseId: 'casa',
  bedIds: 'camas',
  admittedAt: 'fecha de ingreso',
  toHouseId: 'casa de destino',
  from: 'fecha inicial',
  to: 'fecha final',
  status: 'estado',
  limit: 'cantidad',
  offset: 'posición',
};

/** @type {Record<string, string>} */
export const ERROR = {
  NO_CAPACITY: 'No hay cupo para toda la familia en esa casa.',
  ALREADY_ADMITTED: 'Esta remisión ya tiene un ingreso.',
  INVALID_STATE: 'La acción no es posible en el estado actual del registro.',
  BED_OCCUPIED: 'Una de las camas ya está ocupada. Vuelve a buscar cupos.',
  FORBIDDEN: 'Tu rol no permite esta acción.',
  NOT_FOUND: 'No se encontró el registro.',
  RATE_LIMITED: 'Demasiados intentos. Espera un minuto.',
  CONFLICT: 'Otra persona cambió este registro. Vuelve a cargarlo.',
  PAYLOAD_TOO_LARGE: 'El texto es demasiado largo.',
  PASSWORD_CHANGE_REQUIRED: 'Debes cambiar tu contraseña antes de continuar.',
  UNAUTHENTICATED: 'Tu sesión expiró. Vuelve a iniciar sesión.',
  OFFLINE: 'No hay conexión con el servidor. Intenta de nuevo.',
  UNKNOWN: 'Ocurrió un error. Intenta de nuevo.',
  INVALID: 'Revisa los datos del formulario.',
};

/** @param {number} maxMonths */
export const stayLimitExceeded = (maxMonths) =>
  `La prórroga supera el máximo de ${maxMonths} meses de permanencia.`;

/** @param {string[]} labels */
export const checkFields = (labels) =>
  `Revisa ${labels.length === 1 ? 'este campo' : 'estos campos'}: ${labels.join(', ')}.`;

export const YES = 'Sí';
export const NO = 'No';
export const CANCEL = 'Cancelar';
export const LOADING = 'Cargando…';
