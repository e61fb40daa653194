/**
 * Answers the requests Node's HTTP parser rejects before Express sees them (a bad request line,
 * headers over `--max-http-header-size`, a request not received within its timeout) with the
 * catalog JSON body instead of Node's empty 400/431/408, then closes the connection (the parser cannot continue on it).
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { AppError, type ErrorCode } from '../errors.js';

function codeFor(error: NodeJS.ErrnoException): ErrorCode {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'PCS_ERR_HTTP_HEADERS_TOO_LARGE';
  // Node's requestTimeout / headersTimeout (HTTP_REQUEST_TIMEOUT_MS, HTTP_HEADERS_TIMEOUT_MS).
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'PCS_ERR_HTTP_REQUEST_TIMEOUT';
  return 'PCS_ERR_HTTP_BAD_REQUEST';
}

const REASONS: Record<number, string> = {
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // A reset or timed-out socket has nobody to answer; one already answering is left alone.
    if (error.code === 'ECONNRESET' || !socket.writable || socket.bytesWritten > 0) {
      socket.destroy();
      return;
    }
    const appError = new AppError(codeFor(error));
    const body = JSON.stringify(appError.toBody());
    socket.end(
      `HTTP/1.1 ${appError.status} ${REASONS[appError.status] ?? 'Bad Request'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
