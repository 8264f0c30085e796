// jsdom lacks some of the platform's globals that React Router uses; the component tests take Node's.
import { TextDecoder, TextEncoder } from 'node:util';

Object.assign(globalThis, { TextEncoder, TextDecoder });
