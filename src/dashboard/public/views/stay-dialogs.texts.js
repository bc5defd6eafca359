// @ts-check
export const T = {
  extendTitle: 'Prórroga de la permanencia',
  /** @param {string} family @param {string} term @param {string} max @param {number} months */
  extendIntro: (family, term, max, months) =>
    `${family}: término actual ${term}. Una permanencia dura como máximo ${months} meses: hasta el ${max}.`,
  until: 'Nueva fecha de término',
  reason: 'Motivo de la prórroga',
  extendSubmit: 'Guardar prórroga',
  /** @param {string} family @param {string} term */
  extended: (family, term) => `Prórroga registrada para ${family}: nuevo término el ${term}`,
  egressTitle: 'Registrar egreso',
  /** @param {string} family @param {number} people */
  egressIntro: (family, people) =>
    `${family} (${people} ${people === 1 ? 'persona' : 'personas'}) sale de la casa; sus camas quedarán libres.`,
  exitedAt: 'Fecha y hora del egreso',
  exitedAtHint: 'Si el egreso fue antes, escribe cuándo ocurrió.',
  egressReason: 'Motivo del egreso',
  destination: 'Destino (opcional)',
  notes: 'Observaciones (opcional)',
  next: 'Continuar',
  confirmTitle: 'Confirmar el egreso',
  /** @param {string} family @param {number} people @param {string} when @param {string} reason */
  confirmText: (family, people, when, reason) =>
    `¿Registrar el egreso de ${family} (${people} ${people === 1 ? 'persona' : 'personas'}) el ${when}, por “${reason}”? Las camas quedarán libres de inmediato y esto no se puede deshacer.`,
  confirm: 'Confirmar egreso',
  back: 'Volver al formulario',
  /** @param {string} family @param {string} when @param {number | null} followUps */
  egressed: (family, when, followUps) =>
    `Egreso de ${family} registrado (${when}).` +
    (followUps === null
      ? ''
      : followUps > 0
        ? ` Se programaron ${followUps} seguimientos.`
        : ' No se programaron seguimientos: no hay autorización de contacto para seguimiento.'),
  future: 'La fecha del egreso no puede ser posterior a este momento.',
};
