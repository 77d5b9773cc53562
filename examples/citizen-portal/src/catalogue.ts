// The permits and fees the portal offers. The graph has no catalogue listing (products are read
// by id, as SCAPI's getProducts does), so the agency's site configuration names them.
export const CATALOGUE_IDS = [
  'permit-building-residential',
  'permit-electrical',
  'permit-plumbing',
  'permit-fence',
  'permit-deck',
  'permit-block-party',
  'fee-parking-visitor',
  'fee-records-request',
];
