// @ts-check
export const T = {
  title: 'Iniciar sesión',
  username: 'Usuario',
  password: 'Contraseña',
  submit: 'Entrar',
  changeTitle: 'Cambia tu contraseña',
  missing: 'Escribe tu usuario y tu contraseña.',
  wrong: 'Usuario o contraseña incorrectos.',
  tooMany: 'Demasiados intentos fallidos. Espera un minuto e intenta de nuevo.',
  offline: 'No hay conexión con el servidor. Intenta de nuevo.',
};
