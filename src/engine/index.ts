/** The DOM-free engine: runs unchanged in the extension, the CLI and tests. */
export * from './categories';
export * from './schema';
export * from './types';
export { check, checkAll, sortFindings, type CheckOptions } from './check';
export { compilePack, parsePack, describeIssues, PackValidationError } from './compile';
export { runExamples, type ExampleFailure } from './examples';
export { evaluate, type EvalReport, type CorpusLine } from './evaluate';
