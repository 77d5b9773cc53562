// The canonical operations, read from test/operations/*.graphql (the same files GraphiQL preloads
// and the README's cost table describes).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function operation(name: string): string {
  return readFileSync(join(__dirname, 'operations', `${name}.graphql`), 'utf8');
}
