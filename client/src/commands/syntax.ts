// The syntax tree and semantic model of a Dockerfile for the client's own needs (the failing step's range,
// the Inspect view's line links, stages when the server is not running), without the rules: core/analyze.ts
// would pull the whole rule set into the client bundle.
import type { Analysis } from '../../../server/src/core/analyze';
import { parse } from '../../../server/src/core/syntax/parser';
import { buildModel } from '../../../server/src/core/semantic/model';

export function analyzeText(text: string): Analysis {
  const ast = parse(text);
  return { text, ast, model: buildModel(ast), findings: [], failures: [] };
}
