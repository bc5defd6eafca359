// @ts-check
export const T = {
  /** @param {number} days */
  title: (days) => `Cupos que se liberan en los próximos ${days} días`,
  /** @param {number} ending @param {number} free */
  summary: (ending, free) =>
    `Si cada permanencia termina en su fecha, se liberan ${ending} cupos; al final del periodo quedarían ${free} cupos libres.`,
  none: 'Ningún cupo se libera en ese periodo.',
  date: 'Fecha',
  termEnding: 'Terminan su término',
  maxEnding: 'Llegan al máximo',
  free: 'Libres ese día',
};
