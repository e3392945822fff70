// Building the pages' DOM from data: text is always set as text, never parsed as HTML.

/** An element with attributes (on* names become listeners) and children (strings become text). */
export function h(tag, attrs = {}, ...children) {
  const svg = ['svg', 'polyline', 'line', 'text', 'rect', 'g', 'title'].includes(tag);
  const el = svg
    ? document.createElementNS('http://www.w3.org/2000/svg', tag)
    : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * A table. `columns`: [{ title, cell(row) -> node or text, num?: true, key?: string }]; a
 * column's `key` becomes the data-col attribute of its cells (the browser test reads them).
 * `rowClass(row)` gives a row's class.
 */
export function table(columns, rows, { rowClass, ...attrs } = {}) {
  return h(
    'table',
    attrs,
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map((c) => h('th', { class: c.num ? 'num' : undefined }, c.title)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.length === 0
        ? h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, 'none'))
        : rows.map((row) =>
            h(
              'tr',
              { class: rowClass?.(row) },
              columns.map((c) =>
                h('td', { class: c.num ? 'num' : undefined, 'data-col': c.key }, c.cell(row)),
              ),
            ),
          ),
    ),
  );
}

/**
 * A figure card; `value` is a node or text, `id` names it for the browser test, `text`
 * sets a name (an id, a state) smaller than a number.
 */
export function card(label, value, { id, note, text } = {}) {
  return h(
    'div',
    { class: 'card', 'data-figure': id },
    h('div', { class: 'label' }, label),
    h('div', { class: text ? 'value text' : 'value' }, value),
    note ? h('div', { class: 'note' }, note) : null,
  );
}
