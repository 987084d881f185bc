import { Document, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { sniffAllowed, sniffType } from './sniff.js';

const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(32, 1)]);
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), Buffer.from('JFIF\0'), Buffer.alloc(32, 2)]);
const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.from([36, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(24, 3)]);

describe('file types from magic bytes', () => {
  it('knows documents and images by their bytes', async () => {
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Biên bản')] }] }));
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Số liệu').addRow(['Lớp học', 3]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    expect(await sniffType(pdf)).toEqual({ ext: 'pdf', mime: 'application/pdf' });
    expect((await sniffType(png))?.ext).toBe('png');
    expect((await sniffType(jpeg))?.ext).toBe('jpg');
    expect((await sniffType(webp))?.ext).toBe('webp');
    expect((await sniffType(docx))?.ext).toBe('docx');
    expect((await sniffType(xlsx))?.ext).toBe('xlsx');
  });

  it('knows nothing of text, markup or empty files, and keeps to the types allowed', async () => {
    expect(await sniffType(Buffer.from('<html><script>alert(1)</script></html>'))).toBeNull();
    expect(await sniffType(Buffer.alloc(0))).toBeNull();
    expect(await sniffAllowed(pdf, ['png', 'jpg'])).toBeNull();
    expect(await sniffAllowed(png, ['png', 'jpg'])).toBe('png');
    expect(await sniffAllowed(Buffer.from('MZ\x90\x00 not a document'), ['pdf'])).toBeNull();
  });
});
