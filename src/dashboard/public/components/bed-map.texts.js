// @ts-check
export const T = {
  title: 'Mapa de camas',
  state: { free: 'Libre', occupied: 'Ocupada', out: 'Fuera de servicio' },
  symbol: { free: '○', occupied: '●', out: '✕' },
  sameFamily: 'Las camas de una misma familia llevan la misma etiqueta.',
  accessible: 'Accesible en silla de ruedas',
  chosen: 'Elegida para este ingreso',
  /** @param {number} n */
  family: (n) => `Familia ${n}`,
  /** @param {string} label @param {string} state @param {string | null} family */
  bed: (label, state, family) => `Cama ${label}: ${state}${family ? `, ${family}` : ''}`,
};
