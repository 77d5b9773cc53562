// The token limit, checked before Apollo sees the request: graphql-armor's max-tokens plugin
// throws from Apollo's parsingDidStart hook, which Apollo answers as an internal error (HTTP
// 500). Counting graphql-js lexer tokens here answers a 400 like every other limit, and spends
// no parse on a hostile document.
import { Lexer, Source, TokenKind } from 'graphql';
import type { NextFunction, Request, Response } from 'express';

/** Lexer tokens in a document, counting up to `limit + 1` at most. Null when it does not lex. */
export function countTokens(query: string, limit: number): number | null {
  const lexer = new Lexer(new Source(query));
  let n = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) if (++n > limit) break;
  } catch {
    return null; // a syntax error: Apollo's parser reports it properly
  }
  return n;
}

/** The refusal every way in answers for a document over MAX_QUERY_TOKENS (HTTP 400). */
export function tokenRefusal(maxTokens: number) {
  return {
    message: `The document has more than ${maxTokens} tokens; the limit is ${maxTokens} (MAX_QUERY_TOKENS).`,
    extensions: {
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'MAX_QUERY_TOKENS',
      max: maxTokens,
    },
  };
}

export function tokenLimit(maxTokens: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const body = req.body as { query?: unknown } | undefined;
    const query = typeof body?.query === 'string' ? body.query : req.query.query;
    if (typeof query === 'string' && (countTokens(query, maxTokens) ?? 0) > maxTokens) {
      res.status(400).json({ errors: [tokenRefusal(maxTokens)] });
      return;
    }
    next();
  };
}
