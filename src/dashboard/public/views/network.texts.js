// @ts-check
export const T = {
  title: 'Red de casas',
  totals: 'Totales de la red',
  capacity: 'Capacidad',
  occupied: 'Ocupados',
  free: 'Libres',
  outOfService: 'Fuera de servicio',
  byHouse: 'Ocupación por casa',
  house: 'Casa',
  rate: 'Ocupación',
  /** @param {number} days */
  endingColumn: (days) => `Terminan en ${days} días`,
  /** @param {number} days */
  endingTitle: (days) => `Permanencias que terminan en los próximos ${days} días`,
  none: 'Ninguna.',
  ends: 'Termina',
  days: 'Días',
  people: 'Personas',
  /** @param {number} days */
  overdue: (days) => `vencida hace ${days}`,
  /** @param {number} occupied @param {number} capacity @param {number} out */
  bar: (occupied, capacity, out) =>
    `${occupied} de ${capacity} cupos ocupados, ${out} camas fuera de servicio`,
};
