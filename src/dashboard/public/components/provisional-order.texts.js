// @ts-check
export const T = {
  title: 'Medida de protección',
  provisional: 'Medida: provisional',
  /** @param {string} when */
  dueBy: (when) =>
    `Ingreso provisional (Ley 2215 de 2022): la medida debe llegar a más tardar el ${when}`,
  /** @param {string} when */
  overdue: (when) => `Medida vencida desde el ${when}: consigan la medida (nadie egresa por esto)`,
  /** @param {string} number @param {string} authority */
  attached: (number, authority) =>
    `Medida ${number} de ${authority}, recibida después del ingreso.`,
  attach: 'Registrar la medida',
  number: 'Radicado',
  authorityType: 'Tipo de autoridad',
  authorityName: 'Autoridad que la expidió',
  issuedAt: 'Fecha de la medida',
  save: 'Registrar medida',
  /** @param {string} number */
  saved: (number) => `Medida ${number} registrada: el ingreso ya no es provisional.`,
};
