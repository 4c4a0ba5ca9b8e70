/**
 * The requests refused before Fastify's routing and hooks, in the API's error body like every other
 * refusal: a URL that does not decode (Fastify's `frameworkErrors`), and what Node's HTTP parser
 * refuses on the socket itself (`clientErrorHandler`): headers over its size limit (431), a request
 * that is not HTTP/1.1 (400), one too slow to arrive (408).
 */
import { maxHeaderSize } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { unreadableRequest } from '../errors.ts'

/** Fastify's `frameworkErrors` option: errors raised while routing, before any hook runs. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 400
  const message =
    error.code === 'FST_ERR_BAD_URL'
      ? `the path ${JSON.stringify(request.raw.url ?? '')} does not decode (a % not followed by two hex digits, or not UTF-8): percent-encode it correctly`
      : error.message
  const apiError = unreadableRequest(status, message)
  void reply
    .status(apiError.status)
    .header('x-content-type-options', 'nosniff')
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify(apiError.body))
}

function refusal(error: NodeJS.ErrnoException): { status: number; message: string } {
  if (error.code === 'HPE_HEADER_OVERFLOW')
    return {
      status: 431,
      message: `the request's headers are larger than the server reads (${maxHeaderSize / 1024} KiB in all): send fewer or shorter headers (cookies, tokens)`
    }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return { status: 408, message: 'the request did not arrive in time: send it again' }
  return { status: 400, message: 'the request is not valid HTTP/1.1: check the client' }
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large'
}

/** Fastify's `clientErrorHandler` option: what Node's parser refused, answered on the raw socket. */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const { status, message } = refusal(error)
  const body = JSON.stringify(unreadableRequest(status, message).body)
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Bad Request'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        'X-Content-Type-Options: nosniff\r\n' +
        'Connection: close\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    )
  socket.destroy(error)
}
