// @ts-check
export const T = {
  title: 'Refugio',
  subtitle: 'Casas Refugio',
  sections: 'Secciones',
  logout: 'Cerrar sesión',
  password: 'Cambiar contraseña',
  loggedOut: 'Sesión cerrada.',
  network: 'Red de casas',
  admissions: 'Ingresos',
  houses: 'Casas',
  ownHouse: 'Mi casa',
  history: 'Ocupación en el tiempo',
  people: 'Personas',
  reports: 'Informes',
  day: 'Mi día',
  unknown: 'Sección desconocida.',
  confidential: 'Información confidencial. La ubicación de las casas no se comparte.',
  /** @param {string} when */
  refreshed: (when) => `Actualizado: ${when}`,
};
