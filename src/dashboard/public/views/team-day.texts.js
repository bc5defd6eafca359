// @ts-check
export const T = {
  title: 'Mi día',
  families: 'Familias de la casa',
  none: 'No hay familias alojadas en la casa.',
  family: 'Familia',
  goals: 'Metas abiertas',
  noGoals: 'Sin metas abiertas',
  last: 'Última atención de mi disciplina',
  never: 'Ninguna todavía',
  open: 'Expediente',
  /** @param {string} label */
  openLabel: (label) => `Expediente de ${label}`,
};
