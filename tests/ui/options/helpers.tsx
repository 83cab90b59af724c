/** Mounting the settings page in happy-dom and waiting for what it renders asynchronously. */
import { render } from 'preact';
import { OptionsApp } from '../../../src/ui/options/options-app';
import type { OptionsServices } from '../../../src/ui/options/services';
import { BUILTIN } from './fixtures';
export { present, waitFor } from '../dom-helpers';
import { present } from '../dom-helpers';

export function mount(services: OptionsServices): HTMLElement {
  document.body.innerHTML = '';
  const root = document.createElement('div');
  document.body.append(root);
  render(<OptionsApp services={services} builtin={BUILTIN} />, root);
  return root;
}

export function unmount(root: HTMLElement): void {
  render(null, root);
  root.remove();
}

export const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

export function packRow(root: HTMLElement, source: string, id?: string): HTMLElement {
  return present(
    root.querySelector<HTMLElement>(`[data-testid="pack"][data-source="${source}"]${id ? `[data-pack-id="${id}"]` : ''}`),
    `${source} pack ${id ?? ''}`,
  );
}

/** A detail of a pack row by its label ("Status", "Signature", ...). */
export function detail(row: Element, label: string): string {
  const dt = [...row.querySelectorAll('dt')].find((d) => d.textContent === label);
  return text(present(dt, `detail ${label}`).nextElementSibling);
}

export function button(root: Element, name: string | RegExp): HTMLButtonElement {
  const found = [...root.querySelectorAll('button')].find((b) => (typeof name === 'string' ? text(b) === name : name.test(text(b))));
  return present(found, `button ${String(name)}`);
}

export function setInput(el: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Chooses a file in an <input type=file> (happy-dom lets a test set its files). */
export function chooseFile(input: HTMLInputElement, name: string, content: string): void {
  const file = new File([content], name, { type: 'text/plain' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  input.dispatchEvent(new Event('change', { bubbles: true }));
}
