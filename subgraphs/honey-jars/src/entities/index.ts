// Every entity the honey-jars subgraph persists (schema `honey_jars`).
import { Document } from './document.ts';
import { HoneyJar } from './honey-jar.ts';
import { HoneyJarMember } from './honey-jar-member.ts';

export { Document, HoneyJar, HoneyJarMember };
export const entities = [HoneyJar, Document, HoneyJarMember];
