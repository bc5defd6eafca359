// @ts-check
export const T = {
  title: 'Seguimientos después del egreso',
  none: 'No hay seguimientos programados ni pendientes.',
  egress: 'Egreso',
  /** @param {number} people */
  people: (people) => `${people} ${people === 1 ? 'persona' : 'personas'}`,
  due: 'Fecha prevista',
  status: 'Estado',
  reminders: 'Recordatorios',
  number: 'N.º',
  record: 'Registrar seguimiento',
  /** @param {string} when */
  recordLabel: (when) => `Registrar seguimiento del ${when}`,
  dialogTitle: 'Registrar seguimiento',
  /** @param {string} when @param {number} sequence */
  dialogIntro: (when, sequence) => `Seguimiento n.º ${sequence}, previsto para el ${when}.`,
  outcome: 'Resultado',
  notes: 'Observaciones (opcional)',
  save: 'Guardar seguimiento',
  /** @param {string} when */
  saved: (when) => `Seguimiento del ${when} registrado.`,
};
