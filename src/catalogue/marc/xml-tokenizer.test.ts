import { describe, expect, it } from 'vitest';

import { firstNonXmlCharacter, XmlTokenizer, type XmlEvent } from './xml-tokenizer.js';

function tokens(...chunks: string[]): XmlEvent[] {
  const tokenizer = new XmlTokenizer();
  const events = chunks.flatMap((chunk) => tokenizer.write(chunk));
  return [...events, ...tokenizer.end()];
}

/** Events in a compact form, adjacent text joined (chunking may split text). */
function summary(events: XmlEvent[]): string[] {
  const out: string[] = [];
  for (const event of events) {
    if (event.type === 'text') {
      const last = out[out.length - 1];
      if (last?.startsWith('text:')) out[out.length - 1] = last + event.text;
      else out.push(`text:${event.text}`);
    } else if (event.type === 'open') {
      const attributes = [...event.attributes].map(([k, v]) => ` ${k}=${v}`).join('');
      out.push(`open:{${event.name.uri}}${event.name.local}${attributes}`);
    } else if (event.type === 'close') {
      out.push(`close:${event.name.local}`);
    } else {
      out.push(`${event.severity}:${event.message}`);
    }
  }
  return out;
}

const NS = 'http://www.loc.gov/MARC21/slim';

describe('XmlTokenizer', () => {
  it('reads elements, attributes and text, skipping the declaration, comments, PIs and DOCTYPE', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE collection [<!ELEMENT collection ANY>]>\n<!-- a > comment --><?pi data?><c a='1' b="x > y"><d/>t</c>`;
    expect(summary(tokens(xml))).toEqual(['open:{}c a=1 b=x > y', 'open:{}d', 'close:d', 'text:t', 'close:c']);
  });

  it('decodes the predefined entities and character references, and reads CDATA as text', () => {
    const xml = '<r>&lt;&gt;&amp;&apos;&quot; &#x1EA0;&#7841; <![CDATA[<raw> & ]]]></r>';
    expect(summary(tokens(xml))).toEqual(['open:{}r', 'text:<>&\'" Ạạ <raw> & ]', 'close:r']);
  });

  it('resolves namespaces: default, prefixed, undeclared by xmlns=""', () => {
    const xml = `<m:collection xmlns:m="${NS}"><m:record/><record xmlns="${NS}"><leader/></record><record xmlns=""/></m:collection>`;
    expect(summary(tokens(xml)).filter((e) => e.startsWith('open'))).toEqual([
      `open:{${NS}}collection xmlns:m=${NS}`,
      `open:{${NS}}record`,
      `open:{${NS}}record xmlns=${NS}`,
      `open:{${NS}}leader`,
      'open:{}record xmlns=',
    ]);
  });

  it('normalises line ends in text and whitespace in attribute values, keeping character references', () => {
    const xml = '<r a="x\ty\r\nz" b="&#9;&#10;&#13;">1\r\n2\r3&#13;</r>';
    expect(summary(tokens(xml))).toEqual(['open:{}r a=x y z b=\t\n\r', 'text:1\n2\n3\r', 'close:r']);
  });

  it('gives the same events however the input is cut', () => {
    const xml = `<?xml version="1.0"?><c xmlns="${NS}"><r a="&amp;b">x &#x1EA0;&lt; y<![CDATA[z]]><!-- c --></r>\r\n</c>`;
    const whole = summary(tokens(xml));
    for (let cut = 1; cut < xml.length; cut++) {
      expect(summary(tokens(xml.slice(0, cut), xml.slice(cut))), `cut at ${cut}`).toEqual(whole);
    }
    expect(summary(tokens(...xml.split('')))).toEqual(whole);
  });

  it('counts lines', () => {
    const events = tokens('<a>\n<b>\n\n<c/></b></a>');
    const opens = events.filter((e) => e.type === 'open').map((e) => e.line);
    expect(opens).toEqual([1, 2, 4]);
  });

  it('skips a byte-order mark at the start', () => {
    expect(summary(tokens('\uFEFF<a/>'))).toEqual(['open:{}a', 'close:a']);
  });

  it('reports well-formedness errors and goes on', () => {
    expect(summary(tokens('<a><b></a>'))).toEqual(['open:{}a', 'open:{}b', 'error:element <b> is not closed before </a>', 'close:b', 'close:a']);
    expect(summary(tokens('<a></b></a>'))).toEqual(['open:{}a', 'error:end tag </b> matches no open element', 'close:a']);
    expect(summary(tokens('<a>&nbsp; & x</a>'))).toEqual([
      'open:{}a',
      'error:entity &nbsp; is not declared (only the five predefined XML entities are)',
      'error:a bare "&" that starts no character reference',
      'text:&nbsp; & x',
      'close:a',
    ]);
    expect(summary(tokens('<a b="\x07">&#0;</a>'))).toContain('error:character U+0007 is not allowed in XML');
    expect(summary(tokens('<p:a/>'))).toContain('error:namespace prefix "p" is not declared');
    expect(summary(tokens('<a b="1" b="2"/>'))).toContain('error:attribute b appears twice on <a>');
    expect(summary(tokens('<a><b c="1"<d/></a>'))[1]).toMatch(/^error:tag <b c="1" is not closed/);
    expect(summary(tokens('<a>'))).toEqual(['open:{}a', 'error:element <a> is not closed', 'close:a']);
    expect(summary(tokens('<a><!-- open'))).toContain('error:markup is not closed before the end of the document');
  });

  it('warns about a second root element but reads it', () => {
    expect(summary(tokens('<r/>\n<r/>'))).toEqual([
      'open:{}r',
      'close:r',
      'warning:<r> is a second root element; the document is not well-formed XML but was read on',
      'open:{}r',
      'close:r',
    ]);
  });
});

describe('firstNonXmlCharacter', () => {
  it('finds controls, non-characters and unpaired surrogates, allowing tab and line ends', () => {
    expect(firstNonXmlCharacter('ok\t\n\r text ạ 😀')).toBe(-1);
    expect(firstNonXmlCharacter('a\x0cb')).toBe(0x0c);
    expect(firstNonXmlCharacter('\uFFFE')).toBe(0xfffe);
    expect(firstNonXmlCharacter('x\uD800y')).toBe(0xd800);
    expect(firstNonXmlCharacter('x\uDC00')).toBe(0xdc00);
    expect(firstNonXmlCharacter('\uFFFF')).toBe(0xffff);
    expect(firstNonXmlCharacter('\uFFFF', true)).toBe(-1);
  });
});
