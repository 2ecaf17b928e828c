/**
 * Values as the observer page shows them: text with a budget, and the tree as Mermaid.
 *
 * A state or a traced message can be any size, so it is rendered with a character budget and
 * cut where the budget runs out: the page never receives a huge value whole. Rendering never
 * throws (a throwing getter, a revoked Proxy or a cycle is shown as such), because it runs on
 * values the observer does not own.
 *
 * @module
 */

/** A rendering and whether it was cut. */
export interface Rendered {
  readonly text: string;
  readonly truncated: boolean;
}

const INDENT = '  ';

/** `value` as indented, JSON-like text of at most `limit` characters (plus a cut mark). */
export function renderBounded(value: unknown, limit: number): Rendered {
  const out: string[] = [];
  let used = 0;
  let truncated = false;
  const put = (s: string): boolean => {
    if (truncated) return false;
    if (used + s.length > limit) {
      out.push(s.slice(0, Math.max(0, limit - used)));
      used = limit;
      truncated = true;
      return false;
    }
    out.push(s);
    used += s.length;
    return true;
  };
  const seen: object[] = [];
  const walk = (v: unknown, depth: string): void => {
    if (truncated) return;
    switch (typeof v) {
      case 'string':
        put(JSON.stringify(v.length > limit ? v.slice(0, limit + 1) : v));
        return;
      case 'number':
      case 'boolean':
      case 'undefined':
        put(String(v));
        return;
      case 'bigint':
        put(`${v}n`);
        return;
      case 'symbol':
        put(v.toString());
        return;
      case 'function':
        put(`[Function ${v.name === '' ? '(anonymous)' : v.name}]`);
        return;
      default:
    }
    if (v === null) {
      put('null');
      return;
    }
    const obj = v as object;
    if (seen.includes(obj)) {
      put('[Circular]');
      return;
    }
    try {
      if (obj instanceof Error) {
        put(`${obj.name}: ${obj.message}`);
        return;
      }
      if (obj instanceof Date) {
        put(Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString());
        return;
      }
      seen.push(obj);
      const inner = depth + INDENT;
      const entries: Array<[string | undefined, unknown]> =
        obj instanceof Map ? [...obj].map(([k, x]) => [textOf(k), x]) :
        obj instanceof Set ? [...obj].map((x) => [undefined, x]) :
        Array.isArray(obj) ? obj.map((x) => [undefined, x]) :
        Object.keys(obj).map((k) => [k, (obj as Record<string, unknown>)[k]]);
      const [open, close] = Array.isArray(obj) || obj instanceof Set ? ['[', ']'] : ['{', '}'];
      const label = obj instanceof Map ? 'Map ' : obj instanceof Set ? 'Set ' : '';
      if (entries.length === 0) {
        put(`${label}${open}${close}`);
      } else {
        put(`${label}${open}\n`);
        for (const [key, x] of entries) {
          if (!put(key === undefined ? inner : `${inner}${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: `)) break;
          walk(x, inner);
          put(',\n');
        }
        put(`${depth}${close}`);
      }
      seen.pop();
    } catch {
      put('[value that cannot be read]');
    }
  };
  walk(value, '');
  return { text: out.join(''), truncated };
}

function textOf(key: unknown): string {
  return typeof key === 'string' ? key : renderBounded(key, 80).text;
}

/** A node of the tree as the observer sends it; see `ObservedNode` in the public types. */
interface MermaidNode {
  readonly id: string | undefined;
  readonly pid: string | undefined;
  readonly kind?: string | undefined;
  readonly children?: readonly MermaidNode[] | undefined;
}

/** Mermaid's flowchart label syntax: a quoted string in which `"` must be an entity. */
function label(text: string): string {
  return `"${text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')}"`;
}

/** The trees under `roots` (each with its own label) as one Mermaid flowchart. */
export function mermaid(roots: ReadonlyArray<{ readonly label: string; readonly pid: string | undefined; readonly children: readonly MermaidNode[] }>): string {
  const lines = ['graph TD'];
  let n = 0;
  const node = (text: string): string => {
    const id = `n${n++}`;
    lines.push(`  ${id}[${label(text)}]`);
    return id;
  };
  const walk = (parent: string, children: readonly MermaidNode[]): void => {
    for (const c of children) {
      const id = node(`${c.id ?? '(no id)'} ${c.pid ?? 'undefined'}${c.kind === undefined ? '' : ` (${c.kind})`}`);
      lines.push(`  ${parent} --> ${id}`);
      if (c.children !== undefined) walk(id, c.children);
    }
  };
  for (const root of roots) walk(node(`${root.label} ${root.pid ?? 'down'}`), root.children);
  return `${lines.join('\n')}\n`;
}
