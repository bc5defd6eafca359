import { Cell, IndicatorReport, Indicators } from './reports.types';

/** The figures of a report as rows (path, value), in the order of the JSON. */
export function flatten(indicators: Indicators): { path: string; value: Cell }[] {
  const rows: { path: string; value: Cell }[] = [];
  const walk = (node: unknown, prefix: string): void => {
    if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        walk(v, prefix ? `${prefix}.${k}` : k);
      }
    } else {
      rows.push({ path: prefix, value: node as Cell });
    }
  };
  walk(indicators, '');
  return rows;
}

/** Spanish names of the indicators (the first column of an export). */
const INDICATOR_LABELS: Record<string, string> = {
  womenServed: 'Mujeres atendidas',
  dependantsServed: 'Personas a cargo atendidas',
  childrenServed: 'Hijas e hijos atendidos',
  admissions: 'Ingresos',
  peopleAdmitted: 'Personas ingresadas',
  exits: 'Egresos por motivo',
  bedNights: 'Cupos-noche ocupados',
  occupancyRate: 'Tasa de ocupación',
  averageStayDays: 'Permanencia promedio (días)',
  medianStayDays: 'Permanencia mediana (días)',
  extensions: 'Prórrogas',
  transfers: 'Traslados',
  referrals: 'Remisiones',
  medianHoursReferralToAdmission: 'Mediana de horas entre remisión e ingreso',
  provisionalAdmissions: 'Acogidas provisionales',
  ordersOverdue: 'Medidas de protección vencidas',
  followUps: 'Seguimientos',
  attentions: 'Atenciones',
};

/** Spanish names of the keys inside a group (the second column). */
const KEY_LABELS: Record<string, string> = {
  // exits
  term_completed: 'Término cumplido',
  voluntary: 'Voluntario',
  transferred_out: 'Trasladada a otro servicio',
  rule_breach: 'Incumplimiento de normas',
  other: 'Otro',
  // referrals
  received: 'Recibidas',
  admitted: 'Ingresadas',
  withdrawn: 'Retiradas',
  rejected: 'No ingresadas',
  refusedNoCapacity: 'Rechazadas por falta de cupo',
  no_capacity: 'Sin cupo',
  not_eligible: 'No cumple criterios',
  woman_declined: 'La mujer desistió',
  unreachable: 'Sin contacto',
  needs_not_met: 'Necesidades no atendibles',
  referred_elsewhere: 'Remitida a otro servicio',
  duplicate: 'Duplicada',
  // follow-ups
  due: 'Programados en el periodo',
  completed: 'Realizados',
  byOutcome: 'Por resultado',
  contacted: 'Contactada',
  not_reachable: 'No localizada',
  declined: 'No aceptó',
  // attentions
  total: 'Total',
  peopleReached: 'Personas atendidas',
  byDiscipline: 'Por disciplina',
  byKind: 'Por tipo',
  psychology: 'Psicología',
  social_work: 'Trabajo social',
  legal: 'Jurídica',
  nutrition: 'Nutrición',
  pedagogy: 'Pedagogía',
  health: 'Salud',
  psychosocial_care: 'Atención psicosocial',
  psychological_therapy: 'Terapia psicológica',
  legal_guidance: 'Orientación jurídica',
  legal_representation: 'Representación jurídica',
  court_accompaniment: 'Acompañamiento a diligencias',
  employment_support: 'Apoyo para el empleo',
  education: 'Educación',
  sexual_reproductive_health: 'Salud sexual y reproductiva',
  health_care: 'Atención en salud',
  first_aid: 'Primeros auxilios',
  group_workshop: 'Taller grupal',
};

/** What a withheld figure shows in an export, where an empty cell could be read as 0. */
export const SUPPRESSED_TEXT = 'suprimido';

export interface ExportRow {
  indicador: string;
  clave: string;
  valor: number | string;
}

/** The rows of an export: the Spanish indicator, its key within the group, the figure. */
export function exportRows(report: IndicatorReport): ExportRow[] {
  return flatten(report.indicators).map(({ path, value }) => {
    const [head, ...rest] = path.split('.');
    return {
      indicador: INDICATOR_LABELS[head] ?? head,
      clave: rest.map((k) => KEY_LABELS[k] ?? k).join(' / '),
      valor: value ?? SUPPRESSED_TEXT,
    };
  });
}

/** The header line: period, house and suppression, in Spanish. */
export function exportHeader(
  report: IndicatorReport,
  houseCode: string | null,
  minCell: number,
  suppressed: boolean,
): string[] {
  return [
    `Periodo: ${report.from} a ${report.to}`,
    `Casa: ${houseCode ?? 'toda la red'}`,
    suppressed
      ? `Supresión: conteos de 1 a ${minCell - 1} y tasas sobre menos de ${minCell} personas ocultos (${report.suppressed.length} cifras)`
      : 'Supresión: ninguna (cifras completas, uso interno)',
  ];
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** UTF-8 with a BOM, so that Excel opens the accents right; CRLF as RFC 4180 says. */
export function toCsv(header: string[], rows: ExportRow[]): Buffer {
  const lines = [
    header.map(csvField).join(','),
    'indicador,clave,valor',
    ...rows.map((r) => [r.indicador, r.clave, r.valor].map(csvField).join(',')),
  ];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n')]);
}

/** One sheet "Indicadores": the header line, the column names, then the same rows as the CSV. */
export async function toXlsx(header: string[], rows: ExportRow[]): Promise<Buffer> {
  // Loaded on the first export: requiring exceljs takes a few hundred milliseconds, which every
  // start-up of the service (and of each worker process) would otherwise pay.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Refugio';
  const sheet = workbook.addWorksheet('Indicadores');
  sheet.addRow(header);
  sheet.addRow(['indicador', 'clave', 'valor']).font = { bold: true };
  for (const row of rows) {
    sheet.addRow([row.indicador, row.clave, row.valor]);
  }
  sheet.columns.forEach((column, i) => {
    column.width = [44, 36, 14][i];
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
