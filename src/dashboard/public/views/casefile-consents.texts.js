// @ts-check
export const T = {
  title: 'Autorizaciones (Ley 1581 de 2012)',
  intro:
    'Lo que ella autoriza, para qué. Sin autorización de contacto no se programan seguimientos al egreso.',
  purpose: 'Finalidad',
  state: 'Estado',
  validity: 'Vigencia',
  recorded: 'Registrada',
  action: 'Acción',
  /** @type {Record<string, string>} */
  purposes: {
    follow_up_contact: 'Contacto para seguimiento',
    share_with_authority: 'Compartir con autoridad',
  },
  granted: 'Autorizada',
  withdrawn: 'Retirada',
  expired: 'Vencida',
  never: 'Sin registrar',
  noExpiry: 'Sin vencimiento',
  /** @param {string} date */
  until: (date) => `Hasta el ${date}`,
  grant: 'Autorizar',
  withdraw: 'Retirar',
  /** @param {string} purpose */
  grantLabel: (purpose) => `Autorizar: ${purpose}`,
  /** @param {string} purpose */
  withdrawLabel: (purpose) => `Retirar autorización: ${purpose}`,
  grantTitle: 'Registrar autorización',
  /** @param {string} purpose */
  grantIntro: (purpose) => `Ella autoriza: ${purpose}.`,
  expiresOn: 'Vigente hasta (opcional)',
  expiresOnHint: 'Déjelo vacío si la autorización no vence.',
  grantSubmit: 'Registrar autorización',
  withdrawTitle: 'Retirar autorización',
  /** @param {string} purpose */
  withdrawIntro: (purpose) => `Ella retira su autorización: ${purpose}.`,
  withdrawFollowUps:
    'Los seguimientos pendientes se cancelarán y el equipo no volverá a contactarla.',
  withdrawSubmit: 'Retirar autorización',
  /** @param {string} purpose */
  saved: (purpose) => `Autorización registrada: ${purpose}.`,
  /** @param {string} purpose @param {number} cancelled */
  withdrawnSaved: (purpose, cancelled) =>
    `Autorización retirada: ${purpose}.` +
    (cancelled > 0
      ? ` Se cancelaron ${cancelled} ${cancelled === 1 ? 'seguimiento pendiente' : 'seguimientos pendientes'}.`
      : ''),
};
