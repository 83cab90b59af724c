/**
 * "Your organisation's policy": whether one applies, each setting it makes (tagged "Set by your
 * organisation"), values it tried to set that were ignored, and pack problems, in plain sentences.
 */
import type { StatusView } from './pack-rows';
import { policyLines } from './policy-text';

export function PolicySection({ status }: { status: StatusView | null }) {
  if (!status) return <p class="rg-note">Your organisation's policy is shown here once ReplyGuard has read it.</p>;
  const lines = policyLines(status);
  return (
    <>
      {status.managed ? (
        <p data-testid="policy-managed">
          Your organisation manages ReplyGuard in this browser. The settings below are set by your organisation and cannot
          be changed here.
        </p>
      ) : (
        <p data-testid="policy-unmanaged">No organisation policy applies to this browser, so ReplyGuard uses its own defaults.</p>
      )}
      {status.holdPosts && (
        <p class="rg-error" data-testid="hold-posts">
          <strong>Posts are held:</strong> your organisation requires its own pack, and it is not available
          yet. See “Rule packs” above for what went wrong.
        </p>
      )}
      {lines.length > 0 && (
        <dl class="rg-policy-lines" data-testid="policy-lines">
          {lines.map((line) => (
            <div key={line.key} data-key={line.key}>
              <dt>{line.label}</dt>
              <dd>
                <span class="rg-wrap">{line.value}</span> <span class="rg-tag">Set by your organisation</span>
              </dd>
            </div>
          ))}
        </dl>
      )}
      {status.policyProblems.length > 0 && (
        <div class="rg-warning-box" data-testid="policy-problems">
          <h3>Policy values that were ignored</h3>
          <p>
            Your organisation's policy has values ReplyGuard could not use. The rest of the policy still applies. Please tell
            whoever manages ReplyGuard for you:
          </p>
          <ul>
            {status.policyProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
