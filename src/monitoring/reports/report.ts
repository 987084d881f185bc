import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  Footer,
} from 'docx';
// ExcelJS is loaded when a workbook is made, not at start-up.
import type { Actor } from '../../platform/access.js';
import type { Db } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';
import { hasMessage, translator, type Translate, messageKey } from '../../platform/i18n/index.js';
import { vnToday } from '../../platform/time.js';
import { allDetails, type IndicatorDetail, type IndicatorSummary } from './dashboard.js';
import '../messages.js';
import { formatValue, sourceLabel, typeLabel, valueSourceText } from '../presenters.js';

export interface AnnualReportOptions {
  year: number;
  /** The code of the province (the compiled report to the Ministry) or of a district or commune. */
  unitCode: string;
  format: 'docx' | 'xlsx';
  /** Called as each indicator is done, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

interface ReportData {
  unitName: string;
  isProvince: boolean;
  summaries: IndicatorSummary[];
  details: IndicatorDetail[];
}

async function collect(db: Db, actor: Actor, o: AnnualReportOptions): Promise<ReportData> {
  const { unit, details } = await allDetails(db, actor, { year: o.year, unit: o.unitCode, approvedOnly: true }, o.onProgress);
  if (!unit) throw new NotFoundError('monitoring.unit.notFound');
  return { unitName: unit.name, isProvince: unit.level === 'province', summaries: details.map((d) => d.summary), details };
}

/**
 * The yearly report of a unit from approved data: a DOCX in the layout of Decree 30/2020/NĐ-CP
 * with a table per indicator, or an XLSX workbook of annexes with one sheet per indicator.
 */
export async function generateAnnualReport(db: Db, actor: Actor, o: AnnualReportOptions): Promise<Buffer> {
  const data = await collect(db, actor, o);
  const t = translator('vi');
  return o.format === 'docx' ? buildDocx(data, o.year, t) : buildXlsx(data, o.year, t);
}

// ---------------------------------------------------------------- DOCX

const FONT = 'Times New Roman';
/** Millimetres to twentieths of a point. */
const mm = (v: number) => Math.round((v * 1440) / 25.4);
const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const noBorders = { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none };
const thin = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const grid = { top: thin, bottom: thin, left: thin, right: thin, insideHorizontal: thin, insideVertical: thin };

function run(text: string, o: { bold?: boolean; italics?: boolean; size?: number; underline?: boolean } = {}): TextRun {
  return new TextRun({
    text,
    font: FONT,
    size: (o.size ?? 13) * 2,
    bold: o.bold ?? false,
    italics: o.italics ?? false,
    ...(o.underline ? { underline: {} } : {}),
  });
}

function para(
  children: TextRun[] | string,
  o: { align?: (typeof AlignmentType)[keyof typeof AlignmentType]; before?: number; after?: number; indent?: boolean } = {},
): Paragraph {
  return new Paragraph({
    children: typeof children === 'string' ? [run(children)] : children,
    alignment: o.align ?? AlignmentType.JUSTIFIED,
    spacing: { before: o.before ?? 0, after: o.after ?? 120, line: 276 },
    ...(o.indent ? { indent: { firstLine: mm(10) } } : {}),
  });
}

function heading(text: string): Paragraph {
  return para([run(text, { bold: true })], { before: 120, after: 120 });
}

function cell(
  text: string,
  o: { bold?: boolean; width?: number; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; size?: number } = {},
): TableCell {
  return new TableCell({
    children: [para([run(text, { bold: o.bold ?? false, size: o.size ?? 12 })], { align: o.align ?? AlignmentType.LEFT, after: 0 })],
    verticalAlign: VerticalAlign.CENTER,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    ...(o.width ? { width: { size: o.width, type: WidthType.PERCENTAGE } } : {}),
  });
}

function longDate(iso: string, t: Translate): string {
  const [y, m, d] = iso.split('-');
  return t('monitoring.doc.date', { day: d ?? '', month: m ?? '', year: y ?? '' });
}

function placeName(unitName: string): string {
  return unitName.replace(/^(Tỉnh|Thành phố|Huyện|Thị xã|Quận|Xã|Phường|Thị trấn|Đặc khu)\s+/u, '');
}

function targetText(target: IndicatorSummary['target2025'], kind: string, t: Translate): string {
  if (!target) return '—';
  return formatValue(kind, target.value, t, 'vi') + (target.upper !== undefined ? ` – ${formatValue(kind, target.upper, t, 'vi')}` : '');
}

function header(data: ReportData, t: Translate): Table {
  const left = data.isProvince
    ? [
        para([run(`UBND ${data.unitName.toUpperCase()}`, { size: 12 })], { align: AlignmentType.CENTER, after: 0 }),
        para([run(t('monitoring.doc.department'), { bold: true, size: 12 })], { align: AlignmentType.CENTER, after: 0 }),
      ]
    : [para([run(`UBND ${data.unitName.toUpperCase()}`, { bold: true, size: 13 })], { align: AlignmentType.CENTER, after: 0 })];
  const right = [
    para([run(t('monitoring.doc.nation'), { bold: true, size: 12 })], { align: AlignmentType.CENTER, after: 0 }),
    para([run(t('monitoring.doc.motto'), { bold: true, size: 13, underline: true })], { align: AlignmentType.CENTER, after: 120 }),
  ];
  const number = t(data.isProvince ? 'monitoring.doc.numberDepartment' : 'monitoring.doc.numberCommittee');
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: noBorders,
    rows: [
      new TableRow({
        children: [
          new TableCell({
            borders: noBorders,
            width: { size: 40, type: WidthType.PERCENTAGE },
            children: [...left, para([run('______', { size: 13 })], { align: AlignmentType.CENTER, after: 60 })],
          }),
          new TableCell({ borders: noBorders, width: { size: 60, type: WidthType.PERCENTAGE }, children: right }),
        ],
      }),
      new TableRow({
        children: [
          new TableCell({ borders: noBorders, children: [para([run(number, { size: 13 })], { align: AlignmentType.CENTER, after: 0 })] }),
          new TableCell({
            borders: noBorders,
            children: [
              para([run(`${placeName(data.unitName)}, ${longDate(vnToday(), t)}`, { italics: true, size: 14 })], {
                align: AlignmentType.CENTER,
                after: 0,
              }),
            ],
          }),
        ],
      }),
    ],
  });
}

function indicatorTable(d: IndicatorDetail, t: Translate): Table {
  const kind = d.summary.indicator.definition.formula.kind;
  const unitRows = d.byUnit.length ? d.byUnit : [];
  const share = kind === 'share' || kind === 'count';
  const head = new TableRow({
    tableHeader: true,
    children: [
      cell(t('monitoring.xlsx.no'), { bold: true, width: 7, align: AlignmentType.CENTER }),
      cell(t('monitoring.detail.unitCol'), { bold: true, width: 43, align: AlignmentType.CENTER }),
      cell(t(share ? 'monitoring.doc.metOfAll' : 'monitoring.doc.figure'), { bold: true, width: 25, align: AlignmentType.CENTER }),
      cell(t('monitoring.dashboard.value'), { bold: true, width: 25, align: AlignmentType.CENTER }),
    ],
  });
  const rows = unitRows.map(
    (u, i) =>
      new TableRow({
        children: [
          cell(String(i + 1), { align: AlignmentType.CENTER }),
          cell(u.label),
          cell(share ? `${u.numerator ?? 0}/${u.denominator ?? 0}` : u.numerator === null ? '—' : String(u.numerator), {
            align: AlignmentType.CENTER,
          }),
          cell(formatValue(kind, u.value, t, 'vi'), { align: AlignmentType.CENTER }),
        ],
      }),
  );
  const s = d.summary;
  const totalRow = new TableRow({
    children: [
      cell(''),
      cell(t('monitoring.doc.total'), { bold: true }),
      cell(share ? `${s.numerator ?? 0}/${s.denominator ?? 0}` : s.numerator === null ? '—' : String(s.numerator), {
        bold: true,
        align: AlignmentType.CENTER,
      }),
      cell(formatValue(kind, s.value, t, 'vi'), { bold: true, align: AlignmentType.CENTER }),
    ],
  });
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, borders: grid, rows: [head, ...rows, totalRow] });
}

async function buildDocx(data: ReportData, year: number, t: Translate): Promise<Buffer> {
  const met = data.summaries.filter((s) => s.status === 'met');
  const onTrack = data.summaries.filter((s) => s.status === 'on_track');
  const behind = data.summaries.filter((s) => s.status === 'behind');
  const noData = data.summaries.filter((s) => s.status === 'no_data');
  const institutions = new Set(data.details.flatMap((d) => d.rows.map((r) => r.institution.id)));
  const body: Array<Paragraph | Table> = [
    header(data, t),
    para([run(t('monitoring.doc.title'), { bold: true, size: 14 })], { align: AlignmentType.CENTER, before: 360, after: 0 }),
    para([run(t('monitoring.doc.subtitle', { year }), { bold: true, size: 14 })], { align: AlignmentType.CENTER, after: 0 }),
    para([run('______', { size: 13 })], { align: AlignmentType.CENTER, after: 240 }),
    para(
      t('monitoring.doc.opening', {
        reporter: data.isProvince ? t('monitoring.doc.reporterDepartment') : t('monitoring.doc.reporterCommittee', { unit: data.unitName }),
        year,
      }),
      { indent: true },
    ),
    heading(t('monitoring.doc.section1')),
    para(t('monitoring.doc.sources', { n: institutions.size, unit: data.unitName }), { indent: true }),
    para(t(year <= 2024 ? 'monitoring.doc.byDistrict' : 'monitoring.doc.byCommune'), { indent: true }),
    heading(t('monitoring.doc.section2')),
  ];
  data.details.forEach((d, i) => {
    const s = d.summary;
    const def = s.indicator.definition;
    const kind = def.formula.kind;
    body.push(para([run(`${i + 1}. ${def.name.vi}`, { bold: true })], { before: 120 }));
    body.push(
      para(
        t('monitoring.doc.indicatorLine', {
          group: def.groupName.vi,
          section: def.section,
          year,
          value: formatValue(kind, s.value, t, 'vi'),
          t2025: targetText(s.target2025, kind, t),
          t2030: targetText(s.target2030, kind, t),
          status: t(`monitoring.status.${s.status}`).toLowerCase(),
        }),
        { indent: true },
      ),
    );
    body.push(indicatorTable(d, t));
    body.push(para('', { after: 60 }));
  });
  body.push(heading(t('monitoring.doc.section3')));
  body.push(
    para(
      t('monitoring.doc.overall', {
        n: data.summaries.length,
        met: met.length,
        onTrack: onTrack.length,
        behind: behind.length,
        noData: noData.length,
      }),
      { indent: true },
    ),
  );
  if (behind.length)
    body.push(para(t('monitoring.doc.behindList', { list: behind.map((s) => s.indicator.definition.name.vi).join('; ') }), { indent: true }));
  if (noData.length)
    body.push(para(t('monitoring.doc.noDataList', { list: noData.map((s) => s.indicator.definition.name.vi).join('; ') }), { indent: true }));
  body.push(heading(t('monitoring.doc.section4')));
  body.push(para(t('monitoring.doc.directions'), { indent: true }));
  body.push(para(t('monitoring.doc.annexNote'), { indent: true }));
  body.push(
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      borders: noBorders,
      rows: [
        new TableRow({
          children: [
            new TableCell({
              borders: noBorders,
              width: { size: 50, type: WidthType.PERCENTAGE },
              children: [
                para([run(t('monitoring.doc.recipients'), { bold: true, italics: true, size: 12 })], { align: AlignmentType.LEFT, after: 0 }),
                ...t(data.isProvince ? 'monitoring.doc.recipientsDepartment' : 'monitoring.doc.recipientsCommittee')
                  .split('\n')
                  .map((l) => para([run(l, { size: 11 })], { align: AlignmentType.LEFT, after: 0 })),
              ],
            }),
            new TableCell({
              borders: noBorders,
              width: { size: 50, type: WidthType.PERCENTAGE },
              children: [
                para([run(t(data.isProvince ? 'monitoring.doc.signerDepartment' : 'monitoring.doc.signerCommittee'), { bold: true })], {
                  align: AlignmentType.CENTER,
                  after: 1200,
                }),
              ],
            }),
          ],
        }),
      ],
    }),
  );
  const doc = new Document({
    creator: 'suotdoi',
    title: t('monitoring.doc.fileTitle', { year }),
    styles: { default: { document: { run: { font: FONT, size: 26 } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: mm(210), height: mm(297) },
            margin: { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15) },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: 26 })] }),
            ],
          }),
        },
        children: body,
      },
    ],
  });
  return Packer.toBuffer(doc);
}

// ---------------------------------------------------------------- XLSX

function sheetName(code: string, used: Set<string>): string {
  const base = code.replace(/[[\]:*?/\\]/g, '-').slice(0, 28);
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}~${n}`;
  used.add(name.toLowerCase());
  return name;
}

async function buildXlsx(data: ReportData, year: number, t: Translate): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'suotdoi';
  const used = new Set<string>();
  const summary = wb.addWorksheet(sheetName(t('monitoring.xlsx.summarySheet'), used));
  summary.columns = [
    { header: t('monitoring.xlsx.code'), key: 'code', width: 20 },
    { header: t('monitoring.xlsx.indicator'), key: 'name', width: 60 },
    { header: t('monitoring.xlsx.group'), key: 'group', width: 40 },
    { header: t('monitoring.xlsx.value', { year }), key: 'value', width: 14 },
    { header: t('monitoring.dashboard.target2025'), key: 't2025', width: 14 },
    { header: t('monitoring.dashboard.target2030'), key: 't2030', width: 14 },
    { header: t('monitoring.dashboard.status'), key: 'status', width: 18 },
  ];
  for (const s of data.summaries) {
    summary.addRow({
      code: s.indicator.code,
      name: s.indicator.definition.name.vi,
      group: s.indicator.definition.groupName.vi,
      value: s.value,
      t2025: s.target2025?.value ?? null,
      t2030: s.target2030?.value ?? null,
      status: t(`monitoring.status.${s.status}`),
    });
  }
  summary.getRow(1).font = { bold: true };
  for (const d of data.details) {
    const def = d.summary.indicator.definition;
    const ws = wb.addWorksheet(sheetName(d.summary.indicator.code, used));
    ws.addRow([def.name.vi]).font = { bold: true };
    ws.addRow([t('monitoring.xlsx.caption', { year, group: def.groupName.vi, value: formatValue(def.formula.kind, d.summary.value, t, 'vi') })]);
    const criterion = def.formula.kind === 'share' || def.formula.kind === 'count';
    const head = ws.addRow([
      t('monitoring.xlsx.no'),
      t('monitoring.xlsx.institutionCode'),
      t('monitoring.xlsx.institutionName'),
      t('monitoring.type.label'),
      t('monitoring.xlsx.unit'),
      t(criterion ? 'monitoring.detail.result' : 'monitoring.doc.figure'),
      t('monitoring.detail.source'),
      t('monitoring.detail.note'),
    ]);
    head.font = { bold: true };
    d.rows.forEach((r, i) => {
      const result = r.decision ? (r.decision.met ? t('monitoring.detail.met') : t('monitoring.detail.notMet')) : r.value ? r.value.value : null;
      const source = r.decision ? sourceLabel(t, r.decision.source) : r.value ? valueSourceText(t, r.value) : '';
      const note = r.decision?.note
        ? (hasMessage(r.decision.note) ? t(messageKey(r.decision.note)) : r.decision.note) + (r.decision.url ? ` ${r.decision.url}` : '')
        : (r.decision?.url ?? '');
      ws.addRow([i + 1, r.institution.code, r.institution.name, typeLabel(t, r.institution.type), r.unit?.name ?? '', result, source, note]);
    });
    ws.columns.forEach((c, i) => {
      c.width = [6, 16, 44, 28, 28, 14, 24, 50][i] ?? 14;
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
