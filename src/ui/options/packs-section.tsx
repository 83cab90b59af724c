/**
 * "Rule packs": every pack that runs (or should), with where it came from, whether it is signed
 * and locked, and its last update; the user's own packs with an on/off switch and Remove; and the
 * import form with the validator's problems listed in plain words.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ImportContext, ImportResult } from '../../settings/pack-import';
import type { PackRow } from './pack-rows';

export function formatTime(at: number): string {
  return new Date(at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

const SOURCE_LABELS: Record<PackRow['source'], string> = {
  admin: 'Your organisation',
  builtin: 'Built in',
  user: 'Added by you',
};

function stateText(row: PackRow): string {
  switch (row.state) {
    case 'on':
      return row.audit ? 'On trial: its findings are recorded but never shown to you' : 'In use';
    case 'off':
      return 'Switched off by you';
    case 'pending':
      return 'Starting to use it…';
    case 'not-used':
      return `Not in use. ${row.reason ?? ''}`.trim();
  }
}

function rulesText(row: PackRow): string | null {
  if (row.rules === null) return null;
  const base = `${row.rules} rule${row.rules === 1 ? '' : 's'}`;
  if (!row.shadowed) return base;
  return `${base} (${row.shadowed} more left out: a pack higher in this list already has a rule with the same id)`;
}

/** A padlock drawn inline (emoji fonts are not everywhere); the text beside it says the same. */
function LockIcon() {
  return (
    <svg class="rg-lock-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 0 0-4 0v2z" />
    </svg>
  );
}

interface UserPackControlsProps {
  row: PackRow;
  onToggle(id: string, enabled: boolean): Promise<void>;
  onRemove(id: string, name: string): Promise<void>;
  /** The organisation's policy forbids user packs: none runs, whatever its switch says. */
  blocked: boolean;
}

function UserPackControls({ row, onToggle, onRemove, blocked }: UserPackControlsProps) {
  const [confirming, setConfirming] = useState(false);
  const removing = useRef(false);
  const removeButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  const id = row.id!;
  const enabled = row.state !== 'off';

  // Focus follows the question: to "Remove pack" when asked, back to "Remove" when kept.
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (wasConfirming.current) removeButton.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  // While a change is being saved the controls stay enabled (disabling the focused switch would
  // throw keyboard focus back to the page); a second press waits for the first instead.
  const saving = useRef<Promise<void>>(Promise.resolve());
  const toggle = (on: boolean) => {
    saving.current = saving.current.then(() => onToggle(id, on)).catch(() => undefined);
  };

  return (
    <div class="rg-pack-controls">
      {/* Not allowed by the organisation: a switch would change nothing, so only Remove is offered. */}
      {!blocked && (
        <label class="rg-switch">
          <input
            type="checkbox"
            role="switch"
            checked={enabled}
            onChange={(e) => toggle((e.currentTarget as HTMLInputElement).checked)}
          />
          <span>
            Use this pack<span class="rg-visually-hidden"> ({row.name})</span>
          </span>
        </label>
      )}
      {!confirming ? (
        <button type="button" class="rg-button" ref={removeButton} onClick={() => setConfirming(true)}>
          Remove<span class="rg-visually-hidden"> {row.name}</span>
        </button>
      ) : (
        <div class="rg-confirm" role="group" aria-label={`Remove ${row.name}?`}>
          <p>Remove “{row.name}”? It stops running and is deleted from this browser.</p>
          <button
            type="button"
            class="rg-button rg-danger"
            ref={confirmButton}
            onClick={() => {
              if (removing.current) return;
              removing.current = true;
              void onRemove(id, row.name).finally(() => (removing.current = false));
            }}
          >
            Remove pack
          </button>
          <button type="button" class="rg-button" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </div>
      )}
    </div>
  );
}

export interface PackListProps {
  rows: PackRow[];
  /** Null while the background's status is not available (starting, or unreadable). */
  statusNote: string | null;
  userPacksAllowed: boolean;
  onToggle(id: string, enabled: boolean): Promise<void>;
  onRemove(id: string, name: string): Promise<void>;
}

export function PackList({ rows, statusNote, userPacksAllowed, onToggle, onRemove }: PackListProps) {
  return (
    <>
      {statusNote && <p class="rg-note">{statusNote}</p>}
      <ol class="rg-pack-list">
        {rows.map((row) => (
          <li key={row.key} class="rg-pack" data-testid="pack" data-source={row.source} data-state={row.state} data-pack-id={row.id ?? ''}>
            <h3 class="rg-pack-name">
              {row.name}
              {row.version && <span class="rg-pack-version"> version {row.version}</span>}
            </h3>
            <dl class="rg-details">
              <div>
                <dt>Source</dt>
                <dd data-testid="pack-source">{SOURCE_LABELS[row.source]}</dd>
              </div>
              {row.publisher && (
                <div>
                  <dt>Publisher</dt>
                  <dd>{row.publisher}</dd>
                </div>
              )}
              <div>
                <dt>From</dt>
                <dd class="rg-wrap">{row.origin}</dd>
              </div>
              <div>
                <dt>Signature</dt>
                <dd data-testid="pack-signing">{row.signing}</dd>
              </div>
              <div>
                <dt>Status</dt>
                <dd data-testid="pack-state">{stateText(row)}</dd>
              </div>
              {rulesText(row) && (
                <div>
                  <dt>Rules</dt>
                  <dd>{rulesText(row)}</dd>
                </div>
              )}
              {row.update && (
                <div>
                  <dt>Last update</dt>
                  <dd data-testid="pack-update" data-ok={String(row.update.ok)}>
                    <span aria-hidden="true">{row.update.ok ? '✓ ' : '✗ '}</span>
                    {formatTime(row.update.at)}: {row.update.message}
                  </dd>
                </div>
              )}
              {row.importedAt !== null && (
                <div>
                  <dt>Imported</dt>
                  <dd>{formatTime(row.importedAt)}</dd>
                </div>
              )}
            </dl>
            {row.locked ? (
              <p class="rg-locked" data-testid="pack-locked">
                <LockIcon />
                <span>Locked by your organisation: it always runs and cannot be switched off here.</span>
              </p>
            ) : row.source === 'builtin' ? (
              <p class="rg-muted-text">The built-in pack always runs unless your organisation turns it off.</p>
            ) : (
              <UserPackControls row={row} onToggle={onToggle} onRemove={onRemove} blocked={!userPacksAllowed} />
            )}
          </li>
        ))}
      </ol>
    </>
  );
}

export interface ImportFormProps {
  allowed: boolean;
  context: () => ImportContext;
  importPack(fileName: string, text: string, context: ImportContext): Promise<ImportResult>;
  /** Reads the chosen file (File.text(); injectable for tests). */
  readFile?: (file: File) => Promise<string>;
  announce(message: string): void;
}

type ImportState =
  | { kind: 'idle' }
  | { kind: 'checking'; fileName: string }
  | { kind: 'done'; fileName: string; result: ImportResult };

export function ImportForm({ allowed, context, importPack, readFile = (f) => f.text(), announce }: ImportFormProps) {
  const [state, setState] = useState<ImportState>({ kind: 'idle' });
  const input = useRef<HTMLInputElement>(null);

  const onChange = async () => {
    const file = input.current?.files?.[0];
    if (!file) return;
    setState({ kind: 'checking', fileName: file.name });
    let result: ImportResult;
    try {
      result = await importPack(file.name, await readFile(file), context());
    } catch (e) {
      result = { ok: false, problems: [`${file.name}: could not be read (${e instanceof Error ? e.message : String(e)})`] };
    }
    setState({ kind: 'done', fileName: file.name, result });
    // The same file can be chosen again after fixing it.
    if (input.current) input.current.value = '';
    // A failure is read out by its alert; a success gets a short announcement.
    if (result.ok) announce(`Imported ${result.pack.name}. It is switched on.`);
  };

  return (
    <div class="rg-import">
      {!allowed && (
        <p class="rg-org-note" data-testid="user-packs-not-allowed">
          <span class="rg-tag">Set by your organisation</span> Your organisation does not allow your own packs. You cannot
          import one, and packs you imported earlier do not run.
        </p>
      )}
      <p>
        A pack is a YAML or JSON file of rules, in the format <code>replyguard pack validate</code> checks. Your packs run
        after your organisation's packs and the built-in pack: they can add rules, but cannot change or silence theirs.
      </p>
      <label class="rg-field-label" for="rg-pack-file">
        Pack file (YAML or JSON)
      </label>
      <input
        id="rg-pack-file"
        ref={input}
        type="file"
        accept=".yaml,.yml,.json,application/json"
        disabled={!allowed || state.kind === 'checking'}
        aria-describedby="rg-import-result"
        onChange={() => void onChange()}
      />
      <div id="rg-import-result" class="rg-import-result">
        {state.kind === 'checking' && <p>Checking {state.fileName}…</p>}
        {state.kind === 'done' && state.result.ok && (
          <p class="rg-ok-text" data-testid="import-ok">
            <span aria-hidden="true">✓ </span>
            Imported “{state.result.pack.name}” version {state.result.pack.version} ({state.result.rules} rule
            {state.result.rules === 1 ? '' : 's'}){state.result.replaced ? `, replacing version ${state.result.replaced.version}` : ''}. It
            is switched on.
          </p>
        )}
        {state.kind === 'done' && !state.result.ok && (
          <div class="rg-error" role="alert" data-testid="import-error">
            <p class="rg-error-title">
              <span aria-hidden="true">✗ </span>
              {state.fileName} was not imported. Fix {state.result.problems.length === 1 ? 'this problem' : 'these problems'} in the
              file and choose it again:
            </p>
            <ul>
              {state.result.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </div>
  );
}
