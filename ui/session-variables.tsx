// Fills the active tab's variables from what the page knows (ui/examples.ts): the signed-in
// citizen's ids, products from the catalogue, the development demo login. It runs when a tab is
// shown and when the session changes, and only rewrites variables nobody has edited: empty ones,
// the bundled placeholders, or ones it wrote itself. It also restores the first tab's bundled
// variables, which GraphiQL's editor would otherwise open empty.
import { useEffect, useRef, useState } from 'react';
import { pick, useGraphiQL } from '@graphiql/react';
import { exampleVariables, type DemoLogin } from './examples';
import { post } from './session';
import { useSession } from './use-session';

const PRODUCTS = /* GraphQL */ `
  query ExampleProducts {
    productSearch(first: 5) {
      products {
        id
      }
    }
  }
`;

/** Up to five product ids of the public catalogue (none when the search fails). */
async function catalogueIds(): Promise<string[]> {
  const { body } = await post(PRODUCTS, {}).catch(() => ({ body: null }));
  const products: Array<{ id?: string }> = body?.data?.productSearch?.products ?? [];
  return products.flatMap((p) => (p.id ? [p.id] : []));
}

const bundled = new Map(__C360_OPERATIONS__.map((op) => [op.operationName, op.variables]));

export function SessionVariables({ demo }: { demo: DemoLogin | null }) {
  const { tabs, activeTabIndex, variableEditor } = useGraphiQL(
    pick('tabs', 'activeTabIndex', 'variableEditor'),
  );
  const session = useSession();
  const [productIds, setProductIds] = useState<string[]>([]);
  /** Every text this component (or the build) put in a variables editor: safe to replace. */
  const written = useRef(new Set<string>([...bundled.values()].filter(Boolean)));

  useEffect(() => {
    void catalogueIds().then(setProductIds);
  }, []);

  const tab = tabs[activeTabIndex];
  const operationName = tab?.operationName ?? tab?.title ?? '';
  useEffect(() => {
    if (!variableEditor || !operationName) return;
    const current = variableEditor.getValue();
    const untouched = current.trim() === '' || written.current.has(current);
    if (!untouched) return;
    const next =
      exampleVariables(operationName, { facts: session?.facts ?? null, productIds, demo }) ??
      bundled.get(operationName) ??
      null;
    if (next === null || next === current) return;
    written.current.add(next);
    variableEditor.setValue(next);
  }, [variableEditor, tab?.id, operationName, session, productIds, demo]);

  return null;
}
