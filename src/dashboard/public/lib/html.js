// @ts-check
import { h } from 'preact';
import htm from 'htm';

/**
 * Tagged templates that become Preact elements. Values are always text or attributes, never
 * markup: nothing from the API can become HTML.
 * @type {(strings: TemplateStringsArray, ...values: unknown[]) => import('preact').VNode}
 */
export const html = /** @type {any} */ (htm.bind(h));
