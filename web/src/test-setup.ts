// jsdom lacks some of the platform's globals that React Router uses; the component tests take Node's.
import { TextDecoder, TextEncoder } from 'node:util';
// From the DOM package: importing React's here, before the test framework is set up, would keep it from
// registering its cleanup after each test.
import { configure } from '@testing-library/dom';

Object.assign(globalThis, { TextEncoder, TextDecoder });

// jsdom has <dialog> but not its modal methods. As in browsers: opening one toggles its `open` attribute and moves
// focus in, closing it gives focus back to what had it before, and nothing in a closed dialog (which browsers do
// not render) takes focus, so an autoFocus field mounted before the dialog opens does not either.
if (typeof HTMLDialogElement !== 'undefined' && !HTMLDialogElement.prototype.showModal) {
  const previouslyFocused = new WeakMap<HTMLDialogElement, Element | null>();
  const focus = HTMLElement.prototype.focus;
  HTMLElement.prototype.focus = function focusUnlessInClosedDialog(
    this: HTMLElement,
    options?: FocusOptions,
  ) {
    if (!this.closest('dialog:not([open])')) focus.call(this, options);
  };
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    previouslyFocused.set(this, document.activeElement);
    this.setAttribute('open', '');
    this.querySelector<HTMLElement>(
      'input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), a[href]',
    )?.focus();
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.removeAttribute('open');
    const element = previouslyFocused.get(this);
    previouslyFocused.delete(this);
    if (element instanceof HTMLElement && element.isConnected) element.focus();
  };
}

// findBy… and waitFor give up after 5 s instead of Testing Library's 1 s: on a busy two-core machine, a role
// query over a list of fifty checkboxes (each accessible name worked out anew at every check) took longer than
// one second to see a page of jars arrive. A passing test waits no longer for it.
configure({ asyncUtilTimeout: 5000 });
