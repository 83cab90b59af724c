/**
 * The engine (and compromise, its largest dependency) is loaded only once a
 * command's arguments are known to be good, so --help, --version and usage
 * errors answer at once.
 */
export async function loadEngine() {
  const [engine, packs] = await Promise.all([import('../engine'), import('./packs')]);
  return { ...packs, checkAll: engine.checkAll, evaluate: engine.evaluate, runExamples: engine.runExamples };
}

export type Engine = Awaited<ReturnType<typeof loadEngine>>;
