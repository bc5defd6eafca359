// @ts-check
export const T = {
  /** @param {string} reference */
  title: (reference) => `Remisión ${reference}`,
  back: 'Volver a la cola',
  summary: 'Resumen',
  risk: 'Nivel de riesgo',
  status: 'Estado',
  received: 'Recibida',
  people: 'Personas',
  family: 'Familia',
  name: 'Nombre',
  relationship: 'Parentesco',
  woman: 'Mujer remitida',
  document: 'Documento',
  birthDate: 'Fecha de nacimiento',
  age: 'Edad',
  phone: 'Teléfono',
  order: 'Medida de protección',
  orderNumber: 'Radicado',
  authorityType: 'Tipo de autoridad',
  authorityName: 'Autoridad',
  issuedAt: 'Fecha de la medida',
  provisional:
    'Medida: provisional. Ingreso sin medida todavía (Ley 2215 de 2022, art. 6 par. 1); se registra en el expediente cuando llegue.',
  orderLate: 'Ingresó de forma provisional; la medida llegó después.',
  provisionalReason: 'Motivo del ingreso provisional',
  needs: 'Necesidades y observaciones',
  wheelchair: 'Necesita habitación accesible en silla de ruedas',
  notes: 'Observaciones',
  noNotes: 'Sin observaciones.',
  prior: 'Remisiones y permanencias anteriores de la misma mujer',
  noPrior: 'Ninguna: es su primera remisión.',
  admitted: 'Ingreso',
  exited: 'Egreso',
  house: 'Casa',
  reject: 'Rechazar remisión',
  rejectTitle: 'Rechazar la remisión',
  /** @param {string} name */
  rejectIntro: (name) =>
    `La remisión de ${name} saldrá de la cola. La autoridad que remitió verá que fue rechazada.`,
  rejectCode: 'Motivo del rechazo',
  rejectCodeChoose: 'Elija un motivo',
  rejectReason: 'Detalle (opcional, solo lo ve el equipo)',
  reasonCode: 'Motivo',
  statusReason: 'Detalle',
  rejectSubmit: 'Rechazar',
  erased: 'Datos suprimidos',
  erasedNote:
    'Los datos personales de este caso fueron suprimidos (Ley 1581 de 2012). Quedan solo los conteos y las fechas.',
  erase: 'Suprimir los datos del caso',
  eraseTitle: 'Suprimir los datos del caso para siempre',
  eraseIntro:
    'Se perderán para siempre, sin forma de recuperarlos (tampoco desde las copias de seguridad): ' +
    'los nombres, documentos, teléfonos y fechas de nacimiento de la mujer y de sus hijas e hijos; ' +
    'el número de la medida de protección y la autoridad que la dictó; ' +
    'el motivo de un ingreso provisional; las notas de la remisión y los motivos escritos por el equipo; las notas del caso, el plan de ' +
    'atención, las notas de las atenciones y los procesos legales; los seguimientos y las notas y el ' +
    'destino del egreso. Los conteos, las fechas y la ocupación de camas se conservan, así que los ' +
    'informes no cambian.',
  eraseReason: 'Motivo de la supresión (no se guarda con el caso)',
  eraseSubmit: 'Suprimir para siempre',
  /** @param {string} reference */
  erasedDone: (reference) => `Datos del caso ${reference} suprimidos.`,
  /** @param {string} reference */
  rejected: (reference) => `Remisión ${reference} rechazada.`,
  /** @param {string} status */
  notReceived: (status) => `Esta remisión ya no está en espera (${status}).`,
};

/**
 * The coded reasons of a rejection, in the order the officer chooses among them. The keys are
 * the API's codes; the referrer reads the service's standard text, not these labels.
 * @type {Record<string, string>}
 */
export const REJECTION_REASON = {
  no_capacity: 'No hay cupo disponible',
  not_eligible: 'No cumple los criterios de ingreso',
  woman_declined: 'La mujer decidió no ingresar',
  unreachable: 'No fue posible contactar a la mujer',
  needs_not_met: 'Sus necesidades no pueden atenderse en las casas',
  referred_elsewhere: 'Remitida a otra institución',
  duplicate: 'Remisión duplicada',
  other: 'Otro motivo',
};
