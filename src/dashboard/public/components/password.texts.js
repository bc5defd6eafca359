// @ts-check
export const T = {
  reauthTitle: 'Tu sesión terminó',
  reauthText: (/** @type {string} */ name) =>
    `Escribe la contraseña de ${name} para continuar. Lo que estabas escribiendo se conserva y se enviará de nuevo.`,
  password: 'Contraseña',
  resume: 'Continuar',
  giveUp: 'Cerrar sesión',
  wrong: 'Contraseña incorrecta.',
  tooMany: 'Demasiados intentos fallidos. Espera un minuto e intenta de nuevo.',
  offline: 'No hay conexión con el servidor. Intenta de nuevo.',
  changeTitle: 'Cambiar mi contraseña',
  forcedText:
    'Entraste con una contraseña temporal. Escoge una nueva, de al menos 12 caracteres, para continuar.',
  current: 'Contraseña actual',
  next: 'Nueva contraseña (mínimo 12 caracteres)',
  repeat: 'Repite la nueva contraseña',
  mismatch: 'Las dos contraseñas nuevas no coinciden.',
  tooShort: 'La nueva contraseña debe tener al menos 12 caracteres.',
  save: 'Guardar contraseña',
  changed: 'Contraseña cambiada. Tus otras sesiones se cerraron.',
};
