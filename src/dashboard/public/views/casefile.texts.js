// @ts-check
export const T = {
  /** @param {string} label */
  title: (label) => `Expediente ${label}`,
  back: 'Volver',
  family: 'Familia',
  /** @param {string} when */
  exitedOn: (when) => `Egresó de la casa el ${when}. Solo se registran sus seguimientos.`,
  plan: 'Plan de atención',
  noGoals: 'El plan no tiene metas todavía.',
  attentions: 'Atenciones',
  noAttentions: 'No hay atenciones registradas.',
  addAttention: 'Registrar una atención',
  person: 'Persona atendida',
  kind: 'Tipo de atención',
  note: 'Observación (opcional)',
  record: 'Registrar atención',
  /** @param {string} kind @param {string} name */
  recorded: (kind, name) => `Atención registrada: ${kind}, ${name}.`,
  notes: 'Notas del caso',
  noNotes: 'No hay notas que puedas leer.',
  addNote: 'Escribir una nota',
  body: 'Nota',
  visibility: 'Quién la puede leer',
  visTeam: 'Todo el equipo de la casa',
  visDiscipline: 'Solo mi disciplina',
  saveNote: 'Guardar nota',
  noteSaved: 'Nota guardada. Las notas no se editan ni se borran.',
  legal: 'Procesos jurídicos',
  noLegal: 'No hay procesos jurídicos registrados.',
  when: 'Fecha',
  who: 'Persona',
  discipline: 'Disciplina',
  area: 'Área',
  goal: 'Meta',
  target: 'Fecha objetivo',
  status: 'Estado',
  authority: 'Autoridad',
  caseNumber: 'Radicado',
  hearing: 'Próxima audiencia',
  /** @type {Record<string, string>} */
  goalStatus: { open: 'Abierta', achieved: 'Lograda', dropped: 'Descartada' },
  /** @type {Record<string, string>} */
  areas: {
    safety: 'Seguridad',
    legal: 'Jurídica',
    psychosocial: 'Psicosocial',
    health: 'Salud',
    education: 'Educación',
    employment: 'Empleo',
    housing: 'Vivienda',
    family: 'Familia',
  },
  /** @type {Record<string, string>} */
  kinds: {
    psychosocial_care: 'Atención psicosocial',
    psychological_therapy: 'Terapia psicológica',
    legal_guidance: 'Orientación jurídica',
    legal_representation: 'Representación jurídica',
    court_accompaniment: 'Acompañamiento a diligencias',
    social_work: 'Trabajo social',
    employment_support: 'Apoyo para el empleo',
    education: 'Educación',
    sexual_reproductive_health: 'Salud sexual y reproductiva',
    health_care: 'Atención en salud',
    first_aid: 'Primeros auxilios',
    nutrition: 'Nutrición',
    group_workshop: 'Taller grupal',
  },
  /** @type {Record<string, string>} */
  legalKinds: {
    protection_order: 'Medida de protección',
    criminal_complaint: 'Denuncia penal',
    custody: 'Custodia',
    child_support: 'Alimentos',
    divorce: 'Divorcio',
    other: 'Otro',
  },
  /** @type {Record<string, string>} */
  legalStatus: {
    open: 'Abierto',
    order_granted: 'Medida otorgada',
    order_modified: 'Medida modificada',
    order_breached: 'Medida incumplida',
    closed: 'Cerrado',
  },
};

/** The kind of attention each discipline gives most, offered first so one click is enough. */
/** @type {Record<string, string>} */
export const USUAL_KIND = {
  psychology: 'psychological_therapy',
  social_work: 'social_work',
  legal: 'legal_guidance',
  nutrition: 'nutrition',
  pedagogy: 'education',
  health: 'health_care',
};
