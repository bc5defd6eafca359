// @ts-check
export const T = {
  title: 'Cupos para toda la familia',
  searching: 'Buscando cupos…',
  none: 'Ninguna casa puede recibir a toda la familia ahora.',
  /** @param {number} free */
  free: (free) => `${free} cupos libres`,
  /** @param {number} shown @param {number} all */
  moreOptions: (shown, all) => `Se muestran las ${shown} mejores de ${all} casas con cupo.`,
  /** @param {string} room @param {string[]} beds */
  roomBeds: (room, beds) => `${room}: ${beds.length === 1 ? 'cama' : 'camas'} ${beds.join(', ')}`,
  /** @param {string} code */
  choose: (code) => `Admitir en ${code}…`,
  confirmTitle: 'Confirmar el ingreso',
  /** @param {string} name @param {number} people @param {string} code */
  confirmIntro: (name, people, code) =>
    `La familia de ${name} (${people} ${people === 1 ? 'persona' : 'personas'}) ingresará ahora a ${code}, en estas camas:`,
  person: 'Persona',
  bed: 'Cama',
  room: 'Habitación',
  admit: 'Admitir',
  /** @param {string} code @param {number} people */
  admitted: (code, people) => `Ingreso registrado en ${code} para ${people} personas.`,
  /** @param {string} code */
  admittedTitle: (code) => `Ingreso registrado en ${code}`,
};
