import { z } from '@hono/zod-openapi';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

export const problemContent = { 'application/problem+json': { schema: ProblemSchema } };
export const problem = (description: string) => ({ description, content: problemContent });
/** A JSON response of a route, and a JSON request body. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
export const jsonBody = <T extends z.ZodType>(schema: T, required = true) => ({ required, content: { 'application/json': { schema } } });

const positiveId = (name: string) =>
  z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name, in: 'path' }, example: 1 });

export const IdParam = <K extends string>(name: K) =>
  z.object({ [name]: positiveId(name) } as Record<K, ReturnType<typeof positiveId>>);

export const PageQuery = {
  page: z.coerce.number().int().min(0).default(0).openapi({ description: '0-based page' }),
  size: z.coerce.number().int().min(1).max(1000).default(20),
};

