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
  rejectReason: 'Motivo del rechazo',
  rejectSubmit: 'Rechazar',
  /** @param {string} reference */
  rejected: (reference) => `Remisión ${reference} rechazada.`,
  /** @param {string} status */
  notReceived: (status) => `Esta remisión ya no está en espera (${status}).`,
};
