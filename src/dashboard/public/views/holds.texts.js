// @ts-check
export const T = {
  /** @param {string} code */
  hold: (code) => `Reservar cupo en ${code}…`,
  holdTitle: 'Reservar cupo mientras la familia llega',
  /** @param {string} name @param {number} people @param {string} code */
  holdIntro: (name, people, code) =>
    `Las camas de la familia de ${name} (${people} ${people === 1 ? 'persona' : 'personas'}) quedan reservadas en ${code}: nadie más las recibe hasta que venza la reserva.`,
  minutes: 'Minutos de reserva',
  /** @param {number} min @param {number} max */
  minutesHint: (min, max) => `Entre ${min} y ${max} minutos.`,
  holdSubmit: 'Reservar',
  /** @param {string} code @param {string} until */
  held: (code, until) => `Cupo reservado en ${code}; vence el ${until}`,
  liveTitle: 'Reservas de cupo activas',
  liveNone: 'No hay reservas activas.',
  family: 'Familia',
  house: 'Casa',
  beds: 'Camas',
  expires: 'Vence',
  left: 'Tiempo restante',
  /** @param {number} minutes */
  timeLeft: (minutes) =>
    minutes <= 0
      ? 'Vencida'
      : minutes < 60
        ? `Quedan ${minutes} min`
        : `Quedan ${Math.floor(minutes / 60)} h ${minutes % 60} min`,
  confirm: 'Confirmar ingreso',
  /** @param {string} name */
  confirmLabel: (name) => `Confirmar ingreso de la familia de ${name}`,
  cancel: 'Cancelar reserva',
  /** @param {string} name */
  cancelLabel: (name) => `Cancelar reserva de la familia de ${name}`,
  /** @param {string} code @param {number} people */
  confirmed: (code, people) => `Ingreso registrado en ${code} para ${people} personas.`,
  cancelled: 'Reserva cancelada: las camas quedan libres.',
  unknownFamily: 'Remisión fuera de la lista',
};
