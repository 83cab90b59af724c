/** Asks the background engine host to check a draft (the engine is never bundled in here). */
import type { Finding } from '../engine/types';
import { CHECK_MESSAGE, type CheckRequest, type CheckResponse } from '../background/protocol';
import type { Checker } from './field-session';

export function messageChecker(send: (message: CheckRequest) => Promise<unknown>): Checker {
  return async (text: string): Promise<Finding[]> => {
    const reply = (await send({ type: CHECK_MESSAGE, text })) as CheckResponse | undefined;
    if (!reply || typeof reply !== 'object') throw new Error('the ReplyGuard engine did not answer');
    if (!reply.ok) throw new Error(reply.error);
    return reply.findings;
  };
}
