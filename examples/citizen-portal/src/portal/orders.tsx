// My orders (B2C Commerce), newest first.
import type { OrderFieldsFragment } from '../gql/graphql';
import { date, label, money } from '../errors';

export function Orders({ orders }: { orders: OrderFieldsFragment[] | null }) {
  return (
    <section className="card" data-testid="orders">
      <h2>My orders</h2>
      {orders === null ? (
        <p>Your orders cannot be shown right now.</p>
      ) : orders.length === 0 ? (
        <p>You have no orders yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Order</th>
              <th>Date</th>
              <th>Items</th>
              <th>Status</th>
              <th>Total</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.orderNo} data-testid="order-row">
                <td>{o.orderNo}</td>
                <td>{date(o.createdAt)}</td>
                <td>
                  {o.items.map((i) => `${i.quantity} × ${i.product?.name ?? 'item'}`).join(', ')}
                </td>
                <td>
                  {label(o.status)}
                  {o.paymentStatus ? ` · ${label(o.paymentStatus)}` : ''}
                </td>
                <td>{money(o.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
