export {
  firstSubfield,
  firstValue,
  getControlValue,
  getDataFields,
  getFields,
  isControlField,
  isControlTag,
  isDataField,
  subfieldValues,
  type ControlField,
  type DataField,
  type MarcField,
  type MarcRecord,
  type Subfield,
} from './record.js';
export {
  MarcWriteError,
  type MarcErrorItem,
  type MarcIssue,
  type MarcIssueCode,
  type MarcIssueSeverity,
  type MarcReadItem,
  type MarcRecordItem,
  type MarcWriteErrorCode,
} from './issues.js';
export { ENCODING_NAMES, type MarcEncoding } from './encoding.js';
export { parseIso2709, readIso2709, readIso2709File, type MarcReadOptions } from './iso2709-reader.js';
export { MAX_FIELD_BYTES, MAX_RECORD_BYTES, writeIso2709, writeIso2709Record } from './iso2709-writer.js';
export { MARCXML_NAMESPACE, parseMarcXml, readMarcXml, readMarcXmlFile, type MarcXmlReadOptions } from './marcxml-reader.js';
export {
  MARCXML_COLLECTION_END,
  MARCXML_COLLECTION_START,
  streamMarcXml,
  writeMarcXml,
  writeMarcXmlRecord,
  type MarcXmlWriteOptions,
} from './marcxml-writer.js';
export { packMarc, unpackFields, unpackMarc, type PackedMarc } from './packed.js';
export { decodeTcvn3, decodeVni } from './vietnamese-legacy.js';
export { makeExportable, type Cleaning } from './exportable.js';
