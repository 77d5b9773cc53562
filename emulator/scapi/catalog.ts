// The agency's catalogue as B2C Commerce would hold it: permits, licences and fees, each a
// simple `item` product priced in USD with perpetual inventory
// (docs/salesforce/scapi.md#shopper-products).
export interface CatalogEntry {
  id: string;
  name: string;
  price: number;
  categoryId: 'permits' | 'licences' | 'fees';
  description: string;
}

const e = (
  id: string,
  name: string,
  price: number,
  categoryId: CatalogEntry['categoryId'],
  description: string,
): CatalogEntry => ({
  id,
  name,
  price,
  categoryId,
  description,
});

export const CATALOG: readonly CatalogEntry[] = [
  e(
    'permit-building-residential',
    'Residential Building Permit',
    250,
    'permits',
    'Permit for new residential construction or major alterations.',
  ),
  e(
    'permit-building-commercial',
    'Commercial Building Permit',
    900,
    'permits',
    'Permit for commercial construction and tenant improvements.',
  ),
  e(
    'permit-electrical',
    'Electrical Permit',
    85,
    'permits',
    'Permit for electrical installations and upgrades.',
  ),
  e(
    'permit-plumbing',
    'Plumbing Permit',
    75,
    'permits',
    'Permit for plumbing installations and repairs.',
  ),
  e('permit-demolition', 'Demolition Permit', 180, 'permits', 'Permit to demolish a structure.'),
  e('permit-fence', 'Fence Permit', 40, 'permits', 'Permit to build a fence over 6 feet.'),
  e('permit-deck', 'Deck Permit', 60, 'permits', 'Permit to build or replace a deck.'),
  e(
    'permit-solar',
    'Solar Panel Permit',
    120,
    'permits',
    'Permit for rooftop solar installations.',
  ),
  e(
    'permit-tree-removal',
    'Tree Removal Permit',
    35,
    'permits',
    'Permit to remove a protected tree.',
  ),
  e(
    'permit-block-party',
    'Block Party Permit',
    25,
    'permits',
    'Permit to close a residential street for an event.',
  ),
  e(
    'permit-special-event',
    'Special Event Permit',
    150,
    'permits',
    'Permit for public events in parks and plazas.',
  ),
  e(
    'permit-sidewalk-cafe',
    'Sidewalk Café Permit',
    300,
    'permits',
    'Annual permit for outdoor seating on sidewalks.',
  ),
  e('licence-dog-annual', 'Dog Licence (Annual)', 25, 'licences', 'Annual licence for one dog.'),
  e('licence-cat-annual', 'Cat Licence (Annual)', 15, 'licences', 'Annual licence for one cat.'),
  e(
    'licence-business',
    'Business Licence',
    125,
    'licences',
    'Annual licence to operate a business in the city.',
  ),
  e(
    'licence-food-vendor',
    'Food Vendor Licence',
    200,
    'licences',
    'Annual licence for mobile food vendors.',
  ),
  e('licence-fishing', 'Fishing Licence', 30, 'licences', 'Annual fishing licence for city lakes.'),
  e('licence-marriage', 'Marriage Licence', 60, 'licences', 'Licence to marry, valid for 60 days.'),
  e(
    'licence-liquor',
    'Liquor Licence',
    750,
    'licences',
    'Annual licence to sell alcoholic beverages.',
  ),
  e(
    'licence-contractor',
    'Contractor Licence',
    175,
    'licences',
    'Annual registration for licensed contractors.',
  ),
  e(
    'fee-parking-annual',
    'Residential Parking Permit (Annual)',
    60,
    'fees',
    'Annual on-street parking permit for residents.',
  ),
  e('fee-parking-visitor', 'Visitor Parking Pass', 10, 'fees', 'Daily visitor parking pass.'),
  e(
    'fee-birth-certificate',
    'Birth Certificate Copy',
    20,
    'fees',
    'Certified copy of a birth certificate.',
  ),
  e(
    'fee-death-certificate',
    'Death Certificate Copy',
    20,
    'fees',
    'Certified copy of a death certificate.',
  ),
  e(
    'fee-records-request',
    'Public Records Request',
    15,
    'fees',
    'Fee for copies of public records.',
  ),
  e(
    'fee-bulk-waste-pickup',
    'Bulk Waste Pickup',
    45,
    'fees',
    'Scheduled collection of bulky household items.',
  ),
  e(
    'fee-recycling-bin',
    'Extra Recycling Bin',
    12.5,
    'fees',
    'One additional recycling bin, delivered.',
  ),
  e('fee-pool-pass', 'Community Pool Season Pass', 95, 'fees', 'Season pass for city pools.'),
  e(
    'fee-park-shelter',
    'Park Shelter Reservation',
    55,
    'fees',
    'Reserve a park shelter for one day.',
  ),
  e(
    'fee-library-card-replacement',
    'Library Card Replacement',
    5,
    'fees',
    'Replacement of a lost library card.',
  ),
  e('fee-false-alarm', 'False Alarm Fee', 100, 'fees', 'Fee for repeated false alarm dispatches.'),
];

export interface ShippingMethod {
  id: string;
  name: string;
  description: string;
  price: number;
}

/** '001' is the site's default, assigned to the default shipment of every new basket. */
export const SHIPPING_METHODS: readonly ShippingMethod[] = [
  {
    id: '001',
    name: 'Email Delivery',
    description: 'Digital permit or licence sent by email',
    price: 0,
  },
  {
    id: '002',
    name: 'Postal Mail',
    description: 'Printed copy sent by mail (5–7 business days)',
    price: 4.95,
  },
];

/** PaymentMethod of Shopper Baskets' PaymentMethodResult: id, name, its cards, its processor. */
export interface PaymentMethod {
  id: string;
  name: string;
  cards?: Array<{ cardType: string; name: string }>;
  paymentProcessorId: string;
}

/**
 * The site's payment methods (Business Manager → Merchant Tools → Ordering → Payment Methods), as
 * SFRA's reference site has them: CREDIT_CARD (cards, BASIC_CREDIT) and GIFT_CERTIFICATE.
 */
export const PAYMENT_METHODS: readonly PaymentMethod[] = [
  {
    id: 'CREDIT_CARD',
    name: 'Credit Card',
    cards: [
      { cardType: 'Visa', name: 'Visa' },
      { cardType: 'Master Card', name: 'Master Card' },
      { cardType: 'Amex', name: 'American Express' },
    ],
    paymentProcessorId: 'BASIC_CREDIT',
  },
  {
    id: 'GIFT_CERTIFICATE',
    name: 'Gift Certificate',
    paymentProcessorId: 'BASIC_GIFT_CERTIFICATE',
  },
];
