// An admin action's form: fields, a button, and the answer (or the refusal) under it.
// Shown only when the console has admin actions enabled.
import { postAction } from '../api.js';
import { h } from '../dom.js';

/**
 * fields: [{ name, label, type?: 'text'|'number'|'checkbox'|'select', options?, value?,
 * placeholder? }]; toRequest(values) -> { path, body }; onDone(result, message) shows it.
 */
export function actionForm(ctx, { id, title, fields, button, toRequest, describe, confirmText }) {
  if (!ctx.info.adminActions) return null;
  const message = h('div', { class: 'message', 'data-action-message': id });
  const inputs = {};
  const controls = fields.map((f) => {
    let input;
    if (f.type === 'select') {
      input = h(
        'select',
        { name: f.name },
        f.options.map((o) => h('option', { value: o }, o)),
      );
    } else {
      input = h('input', {
        name: f.name,
        type: f.type ?? 'text',
        value: f.value,
        placeholder: f.placeholder,
        size: f.size,
      });
    }
    inputs[f.name] = input;
    return h('label', {}, f.label, input);
  });
  const form = h(
    'form',
    { class: 'action', 'data-action': id },
    h('strong', {}, title),
    controls,
    h('button', { type: 'submit' }, button),
    message,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = {};
    for (const [name, input] of Object.entries(inputs)) {
      values[name] = input.type === 'checkbox' ? input.checked : input.value.trim();
    }
    let request;
    try {
      request = toRequest(values);
    } catch (e) {
      message.className = 'message error';
      message.textContent = e.message;
      return;
    }
    if (confirmText && !window.confirm(confirmText(values))) return;
    message.className = 'message';
    message.textContent = 'working…';
    try {
      const result = await postAction(request.path, request.body);
      message.className = 'message done';
      message.textContent = describe(result);
      void ctx.refreshNow();
    } catch (e) {
      message.className = 'message error';
      message.textContent = e.message;
    }
  });
  return form;
}
