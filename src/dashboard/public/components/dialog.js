// @ts-check
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { explain } from '../lib/api.js';
import { html } from '../lib/html.js';
import { CANCEL } from '../lib/texts.js';

/**
 * A modal dialog (the browser's own <dialog>: focus kept inside, Escape closes it).
 * @param {{ title: string, onClose: () => void, children: unknown, wide?: boolean }} props
 */
export function Dialog({ title, onClose, children, wide = false }) {
  const ref = useRef(/** @type {HTMLDialogElement | null} */ (null));
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      dialog.showModal();
    }
  }, []);
  return html`<dialog
    ref=${ref}
    class=${wide ? 'wide' : ''}
    aria-labelledby=${titleId}
    onClose=${onClose}
  >
    <h3 id=${titleId}>${title}</h3>
    ${children}
  </dialog>`;
}

/**
 * A dialog holding one form: it sends, shows the error in Spanish in place (keeping what was
 * typed), and closes only when the action succeeded.
 * @param {{
 *   title: string,
 *   submitText: string,
 *   onSubmit: (data: FormData) => Promise<void>,
 *   onClose: () => void,
 *   labels?: Record<string, string>,
 *   children: unknown,
 *   danger?: boolean,
 * }} props
 */
export function FormDialog({ title, submitText, onSubmit, onClose, labels, children, danger }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  /** @param {SubmitEvent} event */
  const submit = async (event) => {
    event.preventDefault();
    setError('');
    setBusy(true);
    try {
      await onSubmit(new FormData(/** @type {HTMLFormElement} */ (event.currentTarget)));
    } catch (e) {
      setError(explain(e, labels));
      setBusy(false);
    }
  };
  return html`<${Dialog} title=${title} onClose=${onClose}>
    <form onSubmit=${submit}>
      ${children}
      <p class="error" role="alert">${error}</p>
      <div class="row">
        <button type="submit" class=${danger ? 'danger' : ''} disabled=${busy}>
          ${submitText}
        </button>
        <button type="button" class="secondary" onClick=${onClose}>${CANCEL}</button>
      </div>
    </form>
  <//>`;
}
