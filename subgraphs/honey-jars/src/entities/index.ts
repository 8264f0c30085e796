// Every entity the honey-jars subgraph persists (schema `honey_jars`).
import { HoneyJar } from './honey-jar.ts';
import { HoneyJarMember } from './honey-jar-member.ts';

export { HoneyJar, HoneyJarMember };
export const entities = [HoneyJar, HoneyJarMember];
