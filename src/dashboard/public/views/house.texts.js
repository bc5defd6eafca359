// @ts-check
export const T = {
  noHouses: 'No tienes casas asignadas.',
  picker: 'Casa',
  stays: 'Permanencias activas',
  noStays: 'No hay permanencias activas.',
  family: 'Familia',
  people: 'Personas',
  admitted: 'Ingreso',
  term: 'Término',
  max: 'Máximo',
  left: 'Días restantes',
  extensions: 'Prórrogas',
  actions: 'Acciones',
  /** @param {number} days */
  overdue: (days) => `Vencida hace ${days}`,
  extend: 'Prórroga',
  egress: 'Egreso',
  /** @param {string} family */
  extendLabel: (family) => `Prórroga de ${family}`,
  /** @param {string} family */
  egressLabel: (family) => `Egreso de ${family}`,
  /** @param {string} previous @param {string} next @param {string} reason */
  extensionLine: (previous, next, reason) => `${previous} → ${next}: ${reason}`,
};
