// @ts-check
export const T = {
  title: 'Egresadas (seguimiento)',
  intro: 'Familias que salieron de la casa en los últimos 6 meses, la más reciente primero.',
  none: 'Ninguna familia egresó de la casa en los últimos 6 meses.',
  family: 'Familia',
  exitedAt: 'Egreso',
  open: 'Expediente',
  /** @param {string} label */
  openLabel: (label) => `Expediente de ${label} (egresada)`,
};
