import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';

/** RFC 9457 problem details: every error the API returns has this shape. */

export interface FieldError {
  field: string;
  message: string;
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
  }
}

export const notFound = (what: string, id: number | string) => new HttpProblem(404, 'Not Found', `${what} ${id} does not exist`);
export const conflict = (detail: string) => new HttpProblem(409, 'Conflict', detail);
export const badRequest = (field: string, message: string) =>
  new HttpProblem(400, 'Bad Request', `${field}: ${message}`, [{ field, message }]);

export function problemResponse(c: Context, status: number, title: string, detail: string, errors?: FieldError[]): Response {
  const body = { type: 'about:blank', title, status, detail, instance: c.req.path, ...(errors ? { errors } : {}) };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
}

export function zodFieldErrors(error: ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));
}

/** The validation hook of every route: a 400 naming each wrong field. */
export function validationHook(
  result: { success: true } | { success: false; error: ZodError; target?: string },
  c: Context,
): Response | undefined {
  if (result.success) return undefined;
  const errors = zodFieldErrors(result.error);
  const where = result.target === 'query' ? 'query parameter' : result.target === 'param' ? 'path parameter' : 'field';
  return problemResponse(c, 400, 'Bad Request', errors.map((e) => `${where} ${e.field}: ${e.message}`).join('; '), errors);
}

/** The app's error handler: problems and Hono's own HTTP errors as problem+json, anything else as a 500. */
export function toProblemResponse(err: Error, c: Context, onUnexpected: (err: Error) => void): Response {
  if (err instanceof HttpProblem) return problemResponse(c, err.status, err.title, err.message, err.errors);
  if (err instanceof HTTPException) {
    const status = err.status;
    const title = status === 413 ? 'Payload Too Large' : status === 400 ? 'Bad Request' : 'Error';
    const detail = status === 400 && /JSON/i.test(err.message) ? 'the request body is not valid JSON' : err.message;
    return problemResponse(c, status, title, detail);
  }
  onUnexpected(err);
  return problemResponse(c, 500, 'Internal Server Error', 'an unexpected error occurred; see the service log');
}
