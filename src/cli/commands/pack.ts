/**
 * replyguard pack validate | build: the tools for writing a policy pack.
 * Every problem is one line naming the file, the rule, the field and what
 * was expected.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseCommandArgs } from '../args';
import { CliError, EXIT, UsageError } from '../errors';
import { loadEngine } from '../lazy';

export const PACK_HELP = `Usage:
  replyguard pack validate FILE
  replyguard pack build FILE -o OUT.json

FILE is a pack: a YAML or JSON file, or a directory holding pack.yaml and
rules/*.yaml (each a list of rules).

  validate  checks the pack against the pack format and compiles every rule
            (regular expressions, compromise patterns, detectors, near rules)
  build     validates, then writes the pack as JSON with every default filled
            in, ready for the extension's admin policy or --pack

Options:
  -o, --out OUT.json  where build writes the pack
  -h, --help          show this help

Exit status: 0 valid; 1 the pack has problems (each printed on its own line);
2 usage error.`;

export async function packCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('pack', argv, {
    out: { type: 'string', short: 'o' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(PACK_HELP);
    return EXIT.ok;
  }
  const [action, file, ...extra] = positionals;
  if (action === undefined) throw new UsageError('missing action: validate or build', 'pack');
  if (action !== 'validate' && action !== 'build') throw new UsageError(`unknown action "${action}" (expected validate or build)`, 'pack');
  if (file === undefined) throw new UsageError(`pack ${action} needs a pack FILE`, 'pack');
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, 'pack');

  if (action === 'validate') {
    if (values.out !== undefined) throw new UsageError('-o/--out applies to pack build only', 'pack');
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
