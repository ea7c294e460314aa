/**
 * A JSON-RPC message writer for `--stdio` that writes each message (header and body) with one write. The stock
 * writer writes the header and the body separately: two system calls per message on a pipe, where each call
 * can also wake the reading editor. Messages keep their order because each write is issued whole, in turn.
 */
import { format } from 'node:util';
import { AbstractMessageWriter, type Connection, type Message, type MessageWriter } from 'vscode-languageserver/node';

export class SingleWriteMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;

  constructor(private readonly out: NodeJS.WritableStream) {
    super();
    out.on('error', (e: Error) => this.fireError(e));
    out.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    let data: Buffer;
    try {
      const body = Buffer.from(JSON.stringify(msg), 'utf8');
      const header = `Content-Length: ${body.byteLength}\r\n\r\n`;
      data = Buffer.allocUnsafe(header.length + body.byteLength);
      data.write(header, 0, 'ascii');
      body.copy(data, header.length);
    } catch (e) {
      this.errorCount++;
      this.fireError(e instanceof Error ? e : new Error(String(e)), msg, this.errorCount);
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      this.out.write(data, (error) => {
        if (!error) return resolve();
        this.errorCount++;
        this.fireError(error, msg, this.errorCount);
        reject(error);
      });
    });
  }

  end(): void {
    this.out.end();
  }
}

/**
 * Over stdio, stdout carries the protocol: anything printed with console.* goes to the client's log instead
 * (what vscode-languageserver does itself when it opens stdio from the command line).
 */
export function keepStdoutForProtocol(connection: Connection): void {
  const log = (...args: unknown[]) => connection.console.log(format(...args));
  console.log = log;
  console.info = (...args: unknown[]) => connection.console.info(format(...args));
  console.debug = log;
  console.trace = log;
  console.dir = log;
  console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
  console.error = (...args: unknown[]) => connection.console.error(format(...args));
}
