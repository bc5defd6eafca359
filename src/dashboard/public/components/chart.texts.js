// @ts-check
export const T = {
  occupied: 'Personas alojadas',
  capacity: 'Capacidad (camas en servicio)',
  axis: 'Personas',
  /**
   * @param {string} from @param {string} to @param {number} low @param {number} high
   * @param {number} capacity
   */
  summary: (from, to, low, high, capacity) =>
    `Personas alojadas por noche del ${from} al ${to}: entre ${low} y ${high}; capacidad al final: ${capacity}.`,
  empty: 'No hay días en ese periodo.',
};
