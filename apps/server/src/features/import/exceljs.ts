/**
 * exceljs, loaded with one fix. Its streaming reader decodes each compressed chunk of sheet XML
 * to text on its own (lib/utils/parse-sax.js), so a Chinese character split across two chunks
 * comes out as "���" — silently, in large workbooks. We load exceljs through CommonJS after
 * placing a corrected parse-sax in the module cache: the same parser, fed by a streaming UTF-8
 * decoder. Import exceljs only from here (the writer is not affected, but one module keeps it simple).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type ExcelJSType from 'exceljs';

const require = createRequire(import.meta.url);
const parseSaxPath = require.resolve('exceljs/lib/utils/parse-sax.js');
const { SaxesParser } = require(
  require.resolve('saxes', { paths: [path.dirname(parseSaxPath)] }),
) as { SaxesParser: new () => SaxParser };

interface SaxParser {
  on(event: string, listener: (value: unknown) => void): void;
  write(text: string): void;
}

async function* parseSax(iterable: AsyncIterable<Buffer | string>) {
  const parser = new SaxesParser();
  const decoder = new TextDecoder('utf-8');
  let error: unknown = null;
  parser.on('error', (e) => (error = e));
  let events: { eventType: string; value: unknown }[] = [];
  parser.on('opentag', (value) => events.push({ eventType: 'opentag', value }));
  parser.on('text', (value) => events.push({ eventType: 'text', value }));
  parser.on('closetag', (value) => events.push({ eventType: 'closetag', value }));
  for await (const chunk of iterable) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (error) throw error;
    yield events;
    events = [];
  }
  const rest = decoder.decode();
  if (rest) {
    parser.write(rest);
    if (error) throw error;
    yield events;
  }
}

if (!require.cache[parseSaxPath]?.loaded) {
  require.cache[parseSaxPath] = {
    id: parseSaxPath,
    filename: parseSaxPath,
    loaded: true,
    exports: parseSax,
  } as unknown as NodeJS.Module;
}

const ExcelJS = require('exceljs') as typeof ExcelJSType;
export default ExcelJS;
