import { z } from 'zod';
import { Pack } from './schema';

/** The JSON Schema pack authors point their editor at (rules/pack.schema.json). */
export function packJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(Pack, { io: 'input', unrepresentable: 'any' }),
    title: 'ReplyGuard rule pack',
  };
}
