// My cart: permits from the catalogue, quantities, and a checkout that never charges twice.
import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import {
  PortalAddCartItemDocument,
  PortalCatalogueDocument,
  PortalCheckoutDocument,
  PortalUpdateCartItemDocument,
  PortalViewerDocument,
  type CartFieldsFragment,
  type OrderFieldsFragment,
} from '../gql/graphql';
import { CATALOGUE_IDS } from '../catalogue';
import { byField, count, ErrorBanner, FieldErrors, label, money } from '../errors';
import { newIdempotencyKey } from '../session';

const refetch = { refetchQueries: [PortalViewerDocument], awaitRefetchQueries: true };

export function Cart({ cart, available }: { cart: CartFieldsFragment | null; available: boolean }) {
  const [placed, setPlaced] = useState<OrderFieldsFragment | null>(null);
  return (
    <section className="card" data-testid="cart">
      <h2>My cart</h2>
      {placed && (
        <p className="ok" data-testid="order-placed">
          Thank you: order {placed.orderNo} is {label(placed.status).toLowerCase()}, total{' '}
          {money(placed.total)}.
        </p>
      )}
      {!available ? (
        <p>Your cart cannot be shown right now.</p>
      ) : !cart || cart.items.length === 0 ? (
        <p>Your cart is empty.</p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th>Item</th>
                <th>Quantity</th>
                <th>Price</th>
              </tr>
            </thead>
            <tbody>
              {cart.items.map((item) => (
                <CartLine key={item.id} item={item} />
              ))}
            </tbody>
          </table>
          <p className="total">
            {count(cart.itemCount, 'item', 'items')} · total{' '}
            <strong data-testid="cart-total">{money(cart.orderTotal ?? cart.productTotal)}</strong>
          </p>
          <Checkout onPlaced={setPlaced} />
        </>
      )}
      {available && <Catalogue />}
    </section>
  );
}

function CartLine({ item }: { item: CartFieldsFragment['items'][number] }) {
  const [quantity, setQuantity] = useState(String(item.quantity));
  const [update, { data, loading }] = useMutation(PortalUpdateCartItemDocument, refetch);
  const errors = byField(data?.updateCartItem.userErrors);
  const name = item.product?.name ?? 'Unknown item';
  return (
    <tr data-testid="cart-line">
      <td>{name}</td>
      <td>
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            void update({ variables: { input: { itemId: item.id, quantity: Number(quantity) } } });
          }}
        >
          <input
            aria-label={`Quantity of ${name}`}
            name="quantity"
            type="number"
            min={0}
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
          />
          <button type="submit" disabled={loading}>
            Update
          </button>
          <FieldErrors messages={[...errors.of('quantity'), ...errors.rest(['quantity'])]} />
        </form>
      </td>
      <td>{money(item.price)}</td>
    </tr>
  );
}

function Catalogue() {
  const { data, error } = useQuery(PortalCatalogueDocument, { variables: { ids: CATALOGUE_IDS } });
  const [add, added] = useMutation(PortalAddCartItemDocument, refetch);
  const errors = byField(added.data?.addCartItem.userErrors);
  return (
    <div className="catalogue" data-testid="catalogue">
      <h3>Permits and fees</h3>
      <ErrorBanner error={error} />
      <FieldErrors messages={[...errors.of('productId'), ...errors.rest(['productId'])]} />
      <ul>
        {data?.products
          .filter((p) => p !== null)
          .map((p) => (
            <li key={p.id}>
              <span>
                {p.name} <small>{money(p.price)}</small>
              </span>
              <button
                disabled={added.loading}
                aria-label={`Add ${p.name}`}
                onClick={() =>
                  void add({
                    variables: {
                      input: {
                        productId: p.id,
                        quantity: 1,
                        idempotencyKey: newIdempotencyKey('add'),
                      },
                    },
                  })
                }
              >
                Add
              </button>
            </li>
          ))}
      </ul>
    </div>
  );
}

// The checkout's key lives as long as the attempt to pay for THIS cart: the automatic retries
// (RetryLink) and a press of "Try again" after a lost answer send the same key, so the graph
// returns the order it already placed instead of placing a second one. It is kept in
// sessionStorage so that even a reload mid-checkout reuses it; a new key only after an order.
const CHECKOUT_KEY = 'c360.portal.checkoutKey';
const checkoutKey = () => {
  let key = sessionStorage.getItem(CHECKOUT_KEY);
  if (!key) sessionStorage.setItem(CHECKOUT_KEY, (key = newIdempotencyKey('checkout')));
  return key;
};

function Checkout({ onPlaced }: { onPlaced: (order: OrderFieldsFragment) => void }) {
  const [checkout, { data, loading, error }] = useMutation(PortalCheckoutDocument, refetch);
  const errors = byField(data?.checkout.userErrors);
  return (
    <form
      className="checkout"
      data-testid="checkout"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const res = await checkout({
          variables: {
            input: {
              idempotencyKey: checkoutKey(),
              payment: {
                methodId: 'CREDIT_CARD',
                cardType: 'Visa',
                holder: String(f.get('holder')),
                maskedNumber: '************1111',
                expirationMonth: 12,
                expirationYear: 2030,
              },
            },
          },
        });
        const order = res.data?.checkout.order;
        if (order) {
          sessionStorage.removeItem(CHECKOUT_KEY);
          onPlaced(order);
        }
      }}
    >
      <h3>Check out</h3>
      {error && !data && (
        <p className="field-error" role="alert">
          We could not confirm your payment. Press “Try again”: you will not be charged twice.
        </p>
      )}
      <ErrorBanner error={data ? error : undefined} />
      <FieldErrors messages={errors.rest(['holder', 'payment'])} />
      <label>
        Name on card
        <input name="holder" defaultValue="" required />
      </label>
      <FieldErrors messages={[...errors.of('holder'), ...errors.of('payment')]} />
      <p className="hint">Visa ending 1111 (demo card), billed to your address on file.</p>
      <button type="submit" disabled={loading}>
        {error && !data ? 'Try again' : 'Pay now'}
      </button>
    </form>
  );
}
