import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';

const s3 = {
  STORAGE: 's3',
  S3_ENDPOINT: 'https://s3.example.vn',
  S3_BUCKET: 'suotdoi-files',
  S3_ACCESS_KEY_ID: 'AKID',
  S3_SECRET_ACCESS_KEY: 'secret',
};

describe('storage settings', () => {
  it('keeps files in the data folder unless told otherwise', () => {
    expect(loadConfig({}, '/srv/app').storage).toEqual({ kind: 'local', dir: '/srv/app/data/files' });
    expect(loadConfig({ STORAGE_DIR: 'uploads' }, '/srv/app').storage).toEqual({ kind: 'local', dir: '/srv/app/uploads' });
  });

  it('reads an S3-compatible store', () => {
    expect(loadConfig({ ...s3, S3_PREFIX: 'tinh', S3_PATH_STYLE: 'false' }).storage).toEqual({
      kind: 's3',
      endpoint: 'https://s3.example.vn',
      bucket: 'suotdoi-files',
      region: 'us-east-1',
      accessKeyId: 'AKID',
      secretAccessKey: 'secret',
      prefix: 'tinh/',
      pathStyle: false,
    });
  });

  it('names every S3 setting that is missing', () => {
    expect(() => loadConfig({ STORAGE: 's3', S3_BUCKET: 'suotdoi-files' })).toThrow(
      /S3_ENDPOINT: must be set when STORAGE=s3\n.*S3_ACCESS_KEY_ID.*\n.*S3_SECRET_ACCESS_KEY/,
    );
  });

  it.each([
    ['STORAGE', 'ftp'],
    ['S3_ENDPOINT', 's3.example.vn'],
    ['S3_BUCKET', 'Bad_Bucket'],
    ['S3_REGION', 'Hà Nội'],
    ['S3_PREFIX', '/abs'],
    ['S3_PATH_STYLE', 'maybe'],
  ])('refuses %s=%s and names it', (key, value) => {
    expect(() => loadConfig({ ...s3, [key]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...s3, [key]: value })).toThrow(`${key}=`);
  });
});
