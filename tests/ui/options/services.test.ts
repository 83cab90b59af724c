/** The settings page reads the background's status under the same key the background writes it. */
import { describe, expect, it } from 'vitest';
import { ADMIN_STATUS_KEY } from '../../../src/admin/admin-runtime';
import { ADMIN_STATUS_STORAGE_KEY } from '../../../src/ui/options/services';

describe('settings services', () => {
  it('uses the admin runtime\'s status key', () => {
    expect(ADMIN_STATUS_STORAGE_KEY).toBe(ADMIN_STATUS_KEY);
  });
});
