// @ts-check
export const T = {
  title: 'Alertas abiertas',
  none: 'No hay alertas abiertas.',
  kind: 'Alerta',
  family: 'Familia',
  due: 'Vence',
  acknowledge: 'Marcar como atendida',
  /** @param {string} what */
  acknowledgeLabel: (what) => `Marcar como atendida: ${what}`,
  acknowledged: 'Alerta marcada como atendida.',
  /** @type {Record<string, string>} */
  kinds: {
    follow_up_due: 'Seguimiento pendiente',
    term_ending: 'Término próximo a vencer',
    term_ended: 'Término vencido',
    order_overdue: 'Medida de protección sin aportar',
    hearing_soon: 'Audiencia mañana',
    hold_expiring: 'Reserva de camas por vencer',
    at_risk: 'Mujer en riesgo tras el egreso',
  },
};
