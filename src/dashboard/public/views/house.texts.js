// @ts-check
export const T = {
  noHouses: 'No tienes casas asignadas.',
  picker: 'Casa',
  stays: 'Permanencias activas',
  noStays: 'No hay permanencias activas.',
  family: 'Familia',
  admitted: 'Ingreso',
  term: 'Término',
  max: 'Máximo',
  provisional: 'Medida: provisional',
  orderOverdue: 'Medida vencida',
  /** @param {number} people */
  people: (people) => `${people} ${people === 1 ? 'persona' : 'personas'}`,
  /** @param {number} days */
  left: (days) => (days === 1 ? 'queda 1 día' : `quedan ${days} días`),
  extensions: 'Prórrogas',
  actions: 'Acciones',
  /** @param {number} days */
  overdue: (days) => `vencida hace ${days} ${days === 1 ? 'día' : 'días'}`,
  extend: 'Prórroga',
  casefile: 'Expediente',
  /** @param {string} family */
  casefileLabel: (family) => `Expediente de ${family}`,
  egress: 'Egreso',
  /** @param {string} family */
  extendLabel: (family) => `Prórroga de ${family}`,
  /** @param {string} family */
  egressLabel: (family) => `Egreso de ${family}`,
  /** @param {string} previous @param {string} next @param {string} reason */
  extensionLine: (previous, next, reason) => `${previous} → ${next}: ${reason}`,
};
