// A person's own passkeys: list, rename, remove. Removing one is recorded; another person's passkey is NOT_FOUND.
import type { EntityManager } from '@mikro-orm/postgresql';
import { inTransaction, isId, NotFoundError } from '@sting/kit';
import { Passkey } from '../../entities/passkey.ts';
import { recordSecondFactorEvent, type AuditTrail } from '../second-factor/events.ts';
import { validPasskeyName } from './registration.ts';

export async function listPasskeys(em: EntityManager, userId: string): Promise<Passkey[]> {
  return em.find(Passkey, { user: userId }, { orderBy: { createdAt: 'desc' } });
}

async function ownPasskey(em: EntityManager, userId: string, id: string): Promise<Passkey> {
  const passkey = isId(id) ? await em.findOne(Passkey, { id, user: userId }) : null;
  if (!passkey) throw new NotFoundError('Passkey', id);
  return passkey;
}

export async function renamePasskey(
  em: EntityManager,
  userId: string,
  id: string,
  name: string,
  trail: AuditTrail,
): Promise<Passkey> {
  const valid = validPasskeyName(name);
  const passkey = await ownPasskey(em, userId, id);
  return inTransaction(em, async () => {
    passkey.name = valid;
    await em.flush();
    await recordSecondFactorEvent(em, trail, {
      action: 'auth.passkey.renamed',
      userId,
      targetType: 'passkey',
      targetId: passkey.id,
    });
    return passkey;
  });
}

export async function removePasskey(
  em: EntityManager,
  userId: string,
  id: string,
  trail: AuditTrail,
): Promise<boolean> {
  const passkey = await ownPasskey(em, userId, id);
  await inTransaction(em, async () => {
    await em.nativeDelete(Passkey, { id: passkey.id });
    await recordSecondFactorEvent(em, trail, {
      action: 'auth.passkey.removed',
      userId,
      targetType: 'passkey',
      targetId: passkey.id,
      details: { name: passkey.name },
    });
  });
  return true;
}
