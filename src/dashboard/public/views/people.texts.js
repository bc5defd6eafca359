// @ts-check
export const T = {
  title: 'Personas',
  list: 'Cuentas del personal',
  create: 'Nueva cuenta…',
  createTitle: 'Nueva cuenta',
  createSubmit: 'Crear cuenta',
  username: 'Usuario',
  password: 'Contraseña inicial (mínimo 12 caracteres)',
  role: 'Rol',
  house: 'Casa',
  discipline: 'Disciplina',
  state: 'Estado',
  actions: 'Acciones',
  none: '—',
  active: 'Activa',
  disabled: 'Desactivada',
  mustChange: 'Debe cambiar la contraseña',
  edit: 'Cambiar rol o casa',
  /** @param {string} name */
  editLabel: (name) => `Cambiar rol o casa de ${name}`,
  editTitle: 'Cambiar rol o casa',
  editSubmit: 'Guardar cambios',
  disable: 'Desactivar',
  enable: 'Activar',
  /** @param {string} name */
  disableLabel: (name) => `Desactivar ${name}`,
  /** @param {string} name */
  enableLabel: (name) => `Activar ${name}`,
  disableTitle: 'Desactivar la cuenta',
  /** @param {string} name */
  disableIntro: (name) =>
    `${name} no podrá entrar y sus sesiones abiertas se cerrarán de inmediato. Podrás activarla de nuevo.`,
  reset: 'Restablecer contraseña',
  /** @param {string} name */
  resetLabel: (name) => `Restablecer contraseña de ${name}`,
  resetTitle: 'Restablecer la contraseña',
  /** @param {string} name */
  resetIntro: (name) =>
    `Se cerrarán las sesiones de ${name} y se generará una contraseña temporal que deberá cambiar al entrar.`,
  resetSubmit: 'Restablecer',
  oneTimeTitle: 'Contraseña temporal',
  /** @param {string} name */
  oneTimeIntro: (name) =>
    `Entrégale esta contraseña a ${name} por un medio seguro. Solo se muestra esta vez.`,
  close: 'Listo, ya la entregué',
  houseHint: 'Solo para coordinación y equipo de la casa.',
  disciplineHint: 'Solo para el equipo de la casa.',
  /** @param {string} name */
  created: (name) => `Cuenta ${name} creada.`,
  /** @param {string} name */
  updated: (name) => `Cuenta ${name} actualizada.`,
  /** @param {string} name */
  disabledNow: (name) => `Cuenta ${name} desactivada: sus sesiones se cerraron.`,
  /** @param {string} name */
  enabledNow: (name) => `Cuenta ${name} activada.`,
  lastAdmin: 'No se puede desactivar la última cuenta de administración activa.',
};

/** @type {Record<string, string>} */
export const DISCIPLINE = {
  psychology: 'Psicología',
  social_work: 'Trabajo social',
  legal: 'Jurídica',
  nutrition: 'Nutrición',
  pedagogy: 'Pedagogía',
  health: 'Salud',
};
