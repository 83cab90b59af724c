/**
 * replyguard pack validate | build | keygen | sign | verify: the tools for
 * writing a policy pack and publishing it signed. Every problem is one line
 * naming the file, the rule, the field and what was expected.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseCommandArgs, stringList } from '../args';
import { CliError, EXIT, UsageError } from '../errors';
import { assertReadableFile } from '../io';
import { loadEngine } from '../lazy';

export const PACK_HELP = `Usage:
  replyguard pack validate FILE
  replyguard pack build FILE -o OUT.json
  replyguard pack keygen [--out PREFIX]
  replyguard pack sign FILE --key KEY [-o OUT.json]
  replyguard pack verify PACK.json --pub KEY [--sig FILE]

FILE is a pack: a YAML or JSON file, or a directory holding pack.yaml and
rules/*.yaml (each a list of rules).

  validate  checks the pack against the pack format and compiles every rule
            (regular expressions, compromise patterns, detectors, near rules)
  build     validates, then writes the pack as JSON with every default filled
            in, ready for the extension's admin policy or --pack
  keygen    makes an Ed25519 signing key pair: PREFIX.key (private, keep it
            secret) and PREFIX.pub (the public key for the packPublicKeys
            policy); PREFIX defaults to replyguard-signing; never overwrites
  sign      validates and builds the pack, writes OUT.json (default: the
            pack id + .json) and its detached signature OUT.json.sig; publish
            both files side by side, byte for byte as written
  verify    checks PACK.json against its signature (default PACK.json.sig)
            and a public key (a .pub file or the key itself; repeat --pub to
            trust several), then validates the pack

Options:
  -o, --out OUT.json  where build and sign write the pack (keygen: PREFIX)
  --key KEY           the private key file from keygen (sign)
  --pub KEY           a trusted public key, file or text (verify)
  --sig FILE          the signature file (verify)
  -h, --help          show this help

Exit status: 0 valid (verify: signature good and pack valid); 1 the pack has
problems, or the signature does not match (each printed on its own line);
2 usage error or a file that cannot be read or written.`;

const DEFAULT_KEY_PREFIX = 'replyguard-signing';

function readText(path: string): string {
  assertReadableFile(path);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function writeFile(path: string, data: string | Uint8Array, mode?: number): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data, mode === undefined ? undefined : { mode });
    if (mode !== undefined) chmodSync(path, mode);
  } catch (e) {
    throw new CliError(`${path}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

async function keygen(prefix: string): Promise<number> {
  const privatePath = `${prefix}.key`;
  const publicPath = `${prefix}.pub`;
  for (const path of [privatePath, publicPath])
    if (existsSync(path)) throw new CliError(`${path} already exists; choose another --out PREFIX (a key is never overwritten)`);
  const { generateSigningKeys, keyId } = await import('../../admin/signature');
  const { publicKey, privateKeyPem } = await generateSigningKeys();
  writeFile(privatePath, privateKeyPem, 0o600);
  writeFile(publicPath, `${publicKey}\n`);
  console.log(`${privatePath}: private signing key (keep it secret; only "replyguard pack sign" needs it)`);
  console.log(`${publicPath}: public key ${await keyId(publicKey)}, for the packPublicKeys policy:`);
  console.log(publicKey);
  return EXIT.ok;
}

async function sign(file: string, keyPath: string, out: string | undefined): Promise<number> {
  const { importPrivateKey, keyId, publicKeyOf, signBytes, SigningKeyError } = await import('../../admin/signature');
  const pem = readText(keyPath);
  let key: CryptoKey;
  try {
    key = await importPrivateKey(pem);
  } catch (e) {
    if (e instanceof SigningKeyError) throw new CliError(`${keyPath}: ${e.message}`);
    throw e;
  }
  const { loadPackFile } = await loadEngine();
  const compiled = loadPackFile(file, EXIT.findings);
  const target = out ?? `${compiled.pack.id}.json`;
  // The signature covers exactly these bytes: the file is written once and signed as written.
  const bytes = new TextEncoder().encode(`${JSON.stringify(compiled.pack, null, 2)}\n`);
  const signature = await signBytes(bytes, key);
  writeFile(target, bytes);
  writeFile(`${target}.sig`, `${signature}\n`);
  const id = await keyId(await publicKeyOf(key));
  console.log(
    `${target}: signed pack "${compiled.pack.id}" ${compiled.pack.version} (${compiled.rules.length} rules) with key ${id}; signature in ${target}.sig`,
  );
  return EXIT.ok;
}

async function verify(file: string, pubs: string[], sigPath: string | undefined): Promise<number> {
  const { isPublicKeyText, PUBLIC_KEY_FORMAT, verifySignature } = await import('../../admin/signature');
  const keys = pubs.map((pub) => {
    // A key file, or the key pasted on the command line.
    const text = existsSync(pub) ? readText(pub).trim() : pub.trim();
    if (!isPublicKeyText(text))
      throw new CliError(`${existsSync(pub) ? pub : `--pub "${pub}"`}: not a public key (expected ${PUBLIC_KEY_FORMAT}; or a file holding one)`);
    return text;
  });
  assertReadableFile(file);
  const bytes = new Uint8Array(readFileSync(file));
  const signatureFile = sigPath ?? `${file}.sig`;
  if (!existsSync(signatureFile)) throw new CliError(`${signatureFile}: no such file (the signature "replyguard pack sign" writes beside the pack)`);
  const result = await verifySignature(bytes, readText(signatureFile), keys);
  if (!result.ok) throw new CliError(`${file}: ${result.problem}`, EXIT.findings);
  const { loadPackFile } = await loadEngine();
  const compiled = loadPackFile(file, EXIT.findings);
  console.log(`${file}: signature good (key ${result.keyId}); pack "${compiled.pack.id}" ${compiled.pack.version} is valid (${compiled.rules.length} rules)`);
  return EXIT.ok;
}

const ACTIONS = ['validate', 'build', 'keygen', 'sign', 'verify'] as const;

export async function packCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('pack', argv, {
    out: { type: 'string', short: 'o' },
    key: { type: 'string' },
    pub: { type: 'string', multiple: true },
    sig: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(PACK_HELP);
    return EXIT.ok;
  }
  const [action, file, ...extra] = positionals;
  if (action === undefined) throw new UsageError(`missing action: ${ACTIONS.join(', ')}`, 'pack');
  if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`unknown action "${action}" (expected ${ACTIONS.join(', ')})`, 'pack');
  // Each option belongs to particular actions; one given elsewhere is a mistake worth saying.
  const owners: Record<string, readonly string[]> = { key: ['sign'], pub: ['verify'], sig: ['verify'] };
  for (const [option, actions] of Object.entries(owners))
    if (values[option] !== undefined && !actions.includes(action)) throw new UsageError(`--${option} applies to pack ${actions.join('/')} only`, 'pack');

  if (action === 'keygen') {
    if (file !== undefined) throw new UsageError(`unexpected argument "${file}" (pack keygen takes --out PREFIX)`, 'pack');
    return keygen(typeof values.out === 'string' ? values.out : DEFAULT_KEY_PREFIX);
  }
  if (file === undefined) throw new UsageError(`pack ${action} needs a pack FILE`, 'pack');
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, 'pack');
  if (action === 'sign') {
    if (typeof values.key !== 'string') throw new UsageError('pack sign needs --key KEY (the private key file from "replyguard pack keygen")', 'pack');
    return sign(file, values.key, typeof values.out === 'string' ? values.out : undefined);
  }
  if (action === 'verify') {
    if (values.out !== undefined) throw new UsageError('-o/--out does not apply to pack verify', 'pack');
    const pubs = stringList(values.pub);
    if (pubs.length === 0) throw new UsageError('pack verify needs --pub KEY (a .pub file from "replyguard pack keygen", or the key itself)', 'pack');
    return verify(file, pubs, typeof values.sig === 'string' ? values.sig : undefined);
  }

  if (action === 'validate') {
    if (values.out !== undefined) throw new UsageError('-o/--out applies to pack build, sign and keygen only', 'pack');
    const { loadPackFile } = await loadEngine();
    const compiled = loadPackFile(file, EXIT.findings);
    const { pack } = compiled;
    console.log(`${file}: valid pack "${pack.id}" ${pack.version}: ${compiled.rules.length} rules, ${pack.policy.clauses.length} clauses`);
    return EXIT.ok;
  }

  if (typeof values.out !== 'string') throw new UsageError('pack build needs -o OUT.json', 'pack');
  const { loadPackFile } = await loadEngine();
  const compiled = loadPackFile(file, EXIT.findings);
  try {
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(values.out, `${JSON.stringify(compiled.pack, null, 2)}\n`);
  } catch (e) {
    throw new CliError(`${values.out}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  console.log(`${values.out}: wrote pack "${compiled.pack.id}" ${compiled.pack.version} (${compiled.rules.length} rules)`);
  return EXIT.ok;
}
