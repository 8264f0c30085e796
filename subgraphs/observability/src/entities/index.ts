// Every entity the observability subgraph persists (schema `observability`).
import { Alert } from './alert.ts';
import { ComponentTransition } from './component-transition.ts';

export * from './alert.ts';
export * from './component-transition.ts';
export const entities = [Alert, ComponentTransition];
