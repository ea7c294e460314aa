/** textDocument/signatureHelp: the syntax lines of the instruction at the cursor, with the active parameter. */
import { MarkupKind, type SignatureHelp, type SignatureHelpParams } from 'vscode-languageserver/node';
import { signatureHelp as coreSignatureHelp } from '../../core/features/signature';
import type { ServerContext } from '../context';
import { lineIndexFor, toOffset } from '../convert';

export async function signatureHelp(ctx: ServerContext, params: SignatureHelpParams): Promise<SignatureHelp | null> {
  const pending = ctx.store.syntaxAnalysis(params.textDocument.uri);
  if (!pending) return null;
  const a = (await pending).analysis;
  const idx = lineIndexFor(a, a.text, a.ast.lineStarts);
  const s = coreSignatureHelp(a, toOffset(idx, params.position));
  if (!s) return null;
  return {
    activeSignature: s.activeSignature,
    activeParameter: s.activeParameter,
    signatures: s.signatures.map((sig) => ({
      label: sig.label,
      documentation: sig.documentation ? { kind: MarkupKind.Markdown, value: sig.documentation } : undefined,
      parameters: sig.parameters.map((p) => ({
        label: [p.label[0], p.label[1]] as [number, number],
        documentation: p.documentation ? { kind: MarkupKind.Markdown, value: p.documentation } : undefined,
      })),
    })),
  };
}
