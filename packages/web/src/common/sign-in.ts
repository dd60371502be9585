import { h } from './dom.js';
import './sign-in.css';

export interface SignInOptions {
  title: string;
  subtitle: string;
  tokenLabel: string;
  onSubmit: (token: string, remember: boolean) => void;
}

export interface SignInView {
  element: HTMLElement;
  showError(message: string): void;
  focus(): void;
}

/** The sign-in card both pages show when they have no (valid) token. */
export function createSignIn(options: SignInOptions): SignInView {
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'token-help sign-in-error',
  });
  const remember = h('input', { id: 'remember', type: 'checkbox' });
  const error = h('p', { id: 'sign-in-error', class: 'form-error', role: 'alert' });
  const form = h(
    'form',
    { class: 'sign-in card', 'aria-labelledby': 'sign-in-title' },
    h('div', { class: 'brand brand-large' }, h('span', { class: 'brand-mark' }, 'S'), 'Shuttle CTI'),
    h('h1', { id: 'sign-in-title' }, options.title),
    h('p', { class: 'muted' }, options.subtitle),
    h('label', { for: 'token' }, options.tokenLabel),
    input,
    h('p', { id: 'token-help', class: 'hint' }, 'Ask your administrator for a token, or open a link ending in #token=…'),
    h('label', { class: 'check' }, remember, 'Remember me on this computer'),
    error,
    h('button', { type: 'submit', class: 'button primary' }, 'Sign in'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (token === '') {
      error.textContent = 'Enter a token.';
      input.focus();
      return;
    }
    error.textContent = '';
    options.onSubmit(token, remember.checked);
  });
  return {
    element: h('main', { class: 'sign-in-page' }, form),
    showError(message) {
      error.textContent = message;
    },
    focus() {
      input.focus();
    },
  };
}
