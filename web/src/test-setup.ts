// jsdom lacks some of the platform's globals that React Router uses; the component tests take Node's.
import { TextDecoder, TextEncoder } from 'node:util';
// From the DOM package: importing React's here, before the test framework is set up, would keep it from
// registering its cleanup after each test.
import { configure } from '@testing-library/dom';

Object.assign(globalThis, { TextEncoder, TextDecoder });

// jsdom has <dialog> but not its modal methods: opening and closing toggle the `open` attribute as browsers do.
if (typeof HTMLDialogElement !== 'undefined' && !HTMLDialogElement.prototype.showModal) {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
}

// findBy… and waitFor give up after 5 s instead of Testing Library's 1 s: on a busy two-core machine, a role
// query over a list of fifty checkboxes (each accessible name worked out anew at every check) took longer than
// one second to see a page of jars arrive. A passing test waits no longer for it.
configure({ asyncUtilTimeout: 5000 });
