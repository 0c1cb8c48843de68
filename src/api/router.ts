import { OpenAPIHono } from '@hono/zod-openapi';
import { validationHook } from './problem.js';

/** A router whose request validation fails with problem+json naming the field. */
export const createRouter = () => new OpenAPIHono({ defaultHook: validationHook });
