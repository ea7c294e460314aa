/**
 * How the language server's Node process is started: the V8 flags the VS Code client passes (execArgv) and the
 * benchmark uses too, so what is measured is what users run.
 *
 * - `--max-semi-space-size=2`: V8 grows the young generation to 16 MB semi-spaces (48 MB reserved) under the
 *   allocation of analyses; capped at 2 MB the server's resident memory after opening and closing 1,000 files is
 *   about 79 MB instead of 107 MB (bench/memory-churn.ts), with no measurable change in analysis time.
 * - `--max-old-space-size=1024`: below the machine-dependent default, V8 grows the old generation in smaller
 *   steps; 1 GB is far more than analysing the largest file analysed (2 MB) needs (~100 MB live).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--max-old-space-size=1024'];
