// @ts-check
export const T = {
  title: 'Ingresos',
  queue: 'Remisiones en espera (por riesgo y antigüedad)',
  /** @param {number} n */
  more: (n) =>
    `Hay más de ${n} remisiones en espera: se muestran las ${n} primeras por riesgo y antigüedad.`,
  empty: 'No hay remisiones en espera.',
  risk: 'Riesgo',
  woman: 'Mujer',
  reference: 'Referencia y autoridad',
  orderColumn: 'Medida de protección',
  /** @param {string} number */
  order: (number) => `Medida: ${number}`,
  provisional: 'Medida: provisional',
  erased: 'Datos suprimidos',
  people: 'Personas',
  needs: 'Necesidades',
  received: 'Recibida',
  open: 'Abrir',
  wheelchair: 'Silla de ruedas',
  /** @param {string} name */
  openLabel: (name) => `Abrir la remisión de ${name}`,
};
