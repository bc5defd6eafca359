// @ts-check
export const T = {
  title: 'Buscar',
  label: 'Nombre, número de documento o referencia',
  hint: 'Al menos 3 caracteres. Los nombres se buscan por palabras completas.',
  submit: 'Buscar',
  tooShort: 'Escribe al menos 3 caracteres.',
  referrals: 'Remisiones',
  stays: 'Permanencias',
  none: 'No se encontró nada con esa búsqueda.',
  woman: 'Mujer',
  reference: 'Referencia',
  status: 'Estado',
  family: 'Familia',
  admitted: 'Ingreso',
  open: 'Abrir',
  house: 'Ver casa',
  /** @param {string} name */
  openLabel: (name) => `Abrir la remisión de ${name}`,
  /** @param {string} name */
  houseLabel: (name) => `Ver casa de ${name}`,
  /** @type {Record<string, string>} */
  stayStatus: { active: 'Activa', exited: 'Egresada' },
};
