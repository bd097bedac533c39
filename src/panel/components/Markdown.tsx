/**
 * A tiny, safe Markdown renderer for the bundled finding pages and for code spans in messages. It builds Preact
 * elements from text (never HTML): raw HTML in the source shows as text, links are followed only for http(s), and
 * each line is read once (linear time). Supported: # headings, paragraphs, - / 1. lists, ``` fences, `code`,
 * **bold**, [text](https://…).
 */
import type { ComponentChildren, JSX } from 'preact';
import { plainText } from '../view/plain.js';

const INLINE = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;

/** One line of text with code spans, bold and links; a lone backtick stays as it is. */
export function inline(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const index = match.index ?? 0;
    if (index > last) out.push(text.slice(last, index));
    const [, code, bold, label, href] = match;
    if (code !== undefined) out.push(<code>{code}</code>);
    else if (bold !== undefined) out.push(<strong>{bold}</strong>);
    else if (label !== undefined && href !== undefined) {
      out.push(
        /^https?:\/\//i.test(href) ? (
          <a href={href} target="_blank" rel="noopener noreferrer">
            {label}
          </a>
        ) : (
          label
        ),
      );
    }
    last = index + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** A message from the core: internal references removed, code spans rendered. */
export function Prose({ text }: { text: string }) {
  return <>{inline(plainText(text))}</>;
}

export function Markdown({ source, headingLevel = 4 }: { source: string; headingLevel?: number }) {
  const blocks: JSX.Element[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;
  let fence: string[] | null = null;
  const flush = () => {
    if (paragraph.length) blocks.push(<p>{inline(paragraph.join(' '))}</p>);
    paragraph = [];
    if (list) {
      const items = list.items.map((item) => <li>{inline(item)}</li>);
      blocks.push(list.ordered ? <ol>{items}</ol> : <ul>{items}</ul>);
    }
    list = null;
  };
  for (const line of lines) {
    if (fence) {
      if (line.trimStart().startsWith('```')) {
        blocks.push(
          <pre class="code-block">
            <code>{fence.join('\n')}</code>
          </pre>,
        );
        fence = null;
      } else fence.push(line);
      continue;
    }
    if (line.trimStart().startsWith('```')) {
      flush();
      fence = [];
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      const level = Math.min(6, headingLevel + (heading[1] ?? '').length - 1);
      const Tag = `h${level}` as 'h4';
      blocks.push(<Tag>{inline(heading[2] ?? '')}</Tag>);
      continue;
    }
    const item = /^\s*(?:([-*])|(\d+)\.)\s+(.*)$/.exec(line);
    if (item) {
      const ordered = item[2] !== undefined;
      if (paragraph.length || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push(item[3] ?? '');
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (list && /^\s+\S/.test(line)) {
      list.items[list.items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    if (list) flush();
    paragraph.push(line.trim());
  }
  if (fence)
    blocks.push(
      <pre class="code-block">
        <code>{fence.join('\n')}</code>
      </pre>,
    );
  flush();
  return <div class="markdown">{blocks}</div>;
}
