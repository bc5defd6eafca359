// @ts-check
export const T = {
  title: 'Seguimiento',
  none: 'No hay seguimientos para esta estancia.',
  notExited: 'Los seguimientos se programan cuando la familia egresa.',
  due: 'Fecha',
  status: 'Estado',
  outcome: 'Resultado',
  situation: 'Situación',
  safetyLabel: 'Seguridad',
  housingLabel: 'Vivienda',
  legalProgress: 'Avances jurídicos',
  psychosocialProgress: 'Avances psicosociales',
  optional: '(opcional)',
  notes: 'Observaciones (opcional)',
  record: 'Registrar seguimiento',
  /** @param {string} when */
  recordLabel: (when) => `Registrar seguimiento del ${when}`,
  dialogTitle: 'Registrar seguimiento',
  /** @param {string} when @param {number} sequence */
  dialogIntro: (when, sequence) => `Seguimiento n.º ${sequence}, previsto para el ${when}.`,
  save: 'Guardar seguimiento',
  /** @param {string} when */
  saved: (when) => `Seguimiento del ${when} registrado.`,
  alertRaised:
    'Se registró que está en riesgo: se abrió una alerta para la casa. La coordinación la verá en sus alertas.',
  /** @type {Record<string, string>} */
  safety: { safe: 'A salvo', at_risk: 'En riesgo', unknown: 'Se desconoce' },
  /** @type {Record<string, string>} */
  housing: {
    stable: 'Vivienda estable',
    temporary: 'Vivienda temporal',
    none: 'Sin vivienda',
    unknown: 'Se desconoce',
  },
  noSituation: 'Sin situación registrada',
  /** @type {Record<string, string>} */
  cancelReason: {
    readmitted: 'Reingresó a una casa',
    consent_withdrawn: 'Retiró la autorización de contacto',
    consent_expired: 'Su autorización de contacto vence antes',
  },
};
